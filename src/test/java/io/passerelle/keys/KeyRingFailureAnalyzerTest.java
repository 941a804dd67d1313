package io.passerelle.keys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * A wrong master key stops the start with the short "APPLICATION FAILED TO START" report (description and
 * action), like an invalid configuration file, not with the bean-creation stack trace around it (issue 13).
 */
class KeyRingFailureAnalyzerTest {

    @Test
    void theAnalyzerIsRegisteredForSpringBootsStartUpReport() throws Exception {
        java.util.List<String> analyzers = new java.util.ArrayList<>();
        var resources = getClass().getClassLoader().getResources("META-INF/spring.factories");
        while (resources.hasMoreElements()) {
            java.util.Properties factories = new java.util.Properties();
            try (var in = resources.nextElement().openStream()) {
                factories.load(in);
            }
            String names = factories.getProperty(FailureAnalyzer.class.getName(), "");
            for (String name : names.split(",")) {
                analyzers.add(name.trim());
            }
        }
        assertThat(analyzers).contains(KeyRingFailureAnalyzer.class.getName());
    }

    @Test
    void aWrongMasterKeyBuriedInBeanCreationErrorsIsReportedInAFewLines() {
        KeyRingStartupException wrongKey = new KeyRingStartupException("The master key is wrong: the master key from "
                + "property passerelle.keys.master-key cannot decrypt the stored key RS256 k1. Nothing was changed.",
                new javax.crypto.AEADBadTagException("Tag mismatch"));
        Throwable startFailure = new BeanCreationException("keyRing", "Error creating bean with name 'keyRing'",
                new BeanCreationException("keyRingConfiguration", "nested", wrongKey));

        FailureAnalysis analysis = new KeyRingFailureAnalyzer().analyze(startFailure);

        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains("The master key is wrong")
                .contains("property passerelle.keys.master-key").containsOnlyOnce("Nothing was changed")
                .doesNotContain("BeanCreationException").doesNotContain("\tat ");
        assertThat(analysis.getDescription().lines().count()).isLessThan(8);
        assertThat(analysis.getAction()).contains("PASSERELLE_KEYS_MASTER_KEY").contains("passerelle.keys.master-key-file");
        assertThat(analysis.getCause()).isSameAs(wrongKey);
    }

    @Test
    void aMalformedMasterKeyIsReportedWithTheFieldToFix() {
        FailureAnalysis analysis = new KeyRingFailureAnalyzer().analyze(new BeanCreationException("masterKey", "failed",
                new KeyRingStartupException("passerelle.keys.master-key decodes to 5 bytes; an AES-256 master key is 32")));
        assertThat(analysis.getDescription()).contains("passerelle.keys.master-key decodes to 5 bytes")
                .contains("Nothing in the database was changed");
    }
}
