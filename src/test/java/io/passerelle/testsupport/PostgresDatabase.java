package io.passerelle.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The real PostgreSQL server the PostgreSQL-path tests run against (127.0.0.1:5432, trust auth,
 * database {@code test}, overridable with PASSERELLE_TEST_PG_URL). Each call gets a fresh schema so
 * test classes never see each other's rows. When the server is unreachable the test fails under
 * {@code CI=true} (CI must prove the PostgreSQL path) and is skipped on a developer machine.
 */
public final class PostgresDatabase {

    public static final String BASE_URL = System.getenv().getOrDefault(
            "PASSERELLE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String USER = System.getenv().getOrDefault("PASSERELLE_TEST_PG_USER", "postgres");

    private PostgresDatabase() {
    }

    /** Points a Spring test context at a fresh schema of the real PostgreSQL server. */
    public static void register(DynamicPropertyRegistry registry) {
        String url = freshSchemaUrl();
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", () -> USER);
        registry.add("spring.datasource.password", () -> "");
    }

    /** Creates an empty schema and returns a JDBC URL whose default schema it is. */
    public static String freshSchemaUrl() {
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(BASE_URL, USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("PostgreSQL is required under CI=true but " + BASE_URL + " is unreachable: " + e.getMessage(), e);
            }
            Assumptions.abort("PostgreSQL not reachable at " + BASE_URL + " (" + e.getMessage() + ")");
        }
        return BASE_URL + (BASE_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
