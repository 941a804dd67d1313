package io.passerelle.issuer;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

import testonly.TestSignInConfiguration;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Runs the whole gateway on a real port, with the portals of {@link PortalFixture}, and talks to it
 * the way a portal does (see {@link PortalClient}). Subclasses choose the database (H2 by default;
 * PostgreSQL in the Postgres* subclasses).
 */
// The operator's config/application.yml is not read: every test says what it configures.
// The H2 database is an inlined property, below @DynamicPropertySource: the Postgres* subclasses' URL must
// win (as a dynamic property here it overrode theirs, and those tests ran on H2). One database per context.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
        properties = {"passerelle.config-file=target/no-operator-config.yml",
                "spring.datasource.url=jdbc:h2:mem:${random.uuid};DB_CLOSE_DELAY=-1"})
@Import(TestSignInConfiguration.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS) // one gateway on the fixture's port at a time
public abstract class AbstractIssuerIntegrationTest extends PortalClient {

    protected static final PortalFixture FIXTURE = new PortalFixture();
    protected static final String METRICS_PASSWORD = "scraper-" + UUID.randomUUID();

    protected AbstractIssuerIntegrationTest() {
        super(FIXTURE);
    }

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> FIXTURE.port);
        registry.add("passerelle.issuer", () -> FIXTURE.issuer);
        registry.add("passerelle.config-dir", () -> FIXTURE.configDir.toString());
        registry.add("REGION_PORTAL_SECRET", () -> PortalFixture.REGION_SECRET);
        registry.add("passerelle.metrics.password", () -> METRICS_PASSWORD);
        // Computed once per context: a supplier is asked again on every property lookup.
        String masterKey = randomMasterKey();
        registry.add("passerelle.keys.master-key", () -> masterKey);
    }

    static String randomMasterKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @BeforeEach
    void discover() throws Exception {
        connect();
    }
}
