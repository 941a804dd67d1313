package io.passerelle.keys;

import java.util.function.Supplier;

import javax.sql.DataSource;

import io.passerelle.testsupport.MigratedDatabase;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** {@link RevocationUnderLoadContract}: two nodes on one PostgreSQL schema, the production set-up of a cluster. */
class PostgresRevocationUnderLoadTest extends RevocationUnderLoadContract {

    @Override
    protected Supplier<DataSource> freshDatabase() {
        DriverManagerDataSource database = (DriverManagerDataSource) MigratedDatabase.postgres();
        return () -> new DriverManagerDataSource(database.getUrl(), database.getUsername(), "");
    }
}
