package io.passerelle.testsupport;

import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Fresh, Flyway-migrated databases for repository contract tests: one per call, so tests never share rows. */
public final class MigratedDatabase {

    private MigratedDatabase() {
    }

    /** An in-memory H2 database kept until the JVM exits (DB_CLOSE_DELAY=-1, since each query reconnects). */
    public static DataSource h2() {
        String url = "jdbc:h2:mem:contract_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        return migrated(url, "sa");
    }

    /** A fresh schema on the real PostgreSQL server (skipped when it is down, failed under CI=true). */
    public static DataSource postgres() {
        return migrated(PostgresDatabase.freshSchemaUrl(), PostgresDatabase.USER);
    }

    private static DataSource migrated(String url, String user) {
        Flyway.configure().dataSource(url, user, "").locations("classpath:db/migration").load().migrate();
        return new DriverManagerDataSource(url, user, "");
    }
}
