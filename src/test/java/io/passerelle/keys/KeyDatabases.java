package io.passerelle.keys;

import java.util.UUID;

import javax.sql.DataSource;

import io.passerelle.testsupport.PostgresDatabase;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Fresh, Flyway-migrated databases for the keys tests: one per call, so tests never share rows. */
final class KeyDatabases {

    private KeyDatabases() {
    }

    /** An in-memory H2 database kept until the JVM exits (DB_CLOSE_DELAY=-1, since each query reconnects). */
    static DataSource h2() {
        String url = "jdbc:h2:mem:keys_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        return migrated(url, "sa");
    }

    /** A fresh schema on the real PostgreSQL server (skipped when it is down, failed under CI=true). */
    static DataSource postgres() {
        return migrated(PostgresDatabase.freshSchemaUrl(), PostgresDatabase.USER);
    }

    private static DataSource migrated(String url, String user) {
        Flyway.configure().dataSource(url, user, "").locations("classpath:db/migration").load().migrate();
        return new DriverManagerDataSource(url, user, "");
    }
}
