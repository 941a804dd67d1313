package io.passerelle;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@EnableScheduling
@ConfigurationPropertiesScan
public class PasserelleApplication {

    public static void main(String[] args) {
        if (args.length > 0 && "keys".equals(args[0])) {
            // `java -jar passerelle.jar keys list|rotate|revoke <kid>`: the security team's CLI, no web server.
            io.passerelle.keys.admin.KeysCli.main(args);
            return;
        }
        if (args.length > 0 && "portals".equals(args[0])) {
            // `portals list|remove <client_id>`: the operator's clean-up of a portal no node serves any more.
            io.passerelle.portal.PortalsCli.main(args);
            return;
        }
        SpringApplication.run(PasserelleApplication.class, args);
    }

    /** One clock for every time-based decision (key rotation, expiry), so tests can move time. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
