package io.passerelle.keys.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The CLI main class starts the key context without a web server and runs against the gateway's database. */
@ExtendWith(OutputCaptureExtension.class)
class KeysCliTest {

    @Test
    void listAndRevokeAgainstTheConfiguredDatabase(CapturedOutput output) {
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        String database = "--spring.datasource.url=jdbc:h2:mem:cli_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        String masterKey = "--passerelle.keys.master-key=" + Base64.getEncoder().encodeToString(master);
        // Not the operator's config/application.yml: the test says what it configures.
        String config = "--passerelle.config-file=target/no-operator-config.yml";

        assertThat(KeysCli.run(new String[] {"keys", "list", database, masterKey, config})).isEqualTo(KeysCommand.OK);
        Matcher es256 = Pattern.compile("(\\S{22}) +ES256 +active").matcher(output.getOut());
        assertThat(es256.find()).as(output.getOut()).isTrue();

        assertThat(KeysCli.run(new String[] {"keys", "revoke", es256.group(1), "--reason", "drill", database, masterKey, config}))
                .isEqualTo(KeysCommand.OK);
        assertThat(output.getOut()).contains("revoked ES256 " + es256.group(1), "published ES256", "activated ES256");
        assertThat(output.getAll()).doesNotContain("Tomcat started", "Started PasserelleApplication");
        assertThat(KeysCli.run(new String[] {"keys", "frobnicate"})).isEqualTo(KeysCommand.USAGE);
    }
}
