package io.passerelle.keys;

import java.util.function.Supplier;

import javax.sql.DataSource;

import io.passerelle.testsupport.MigratedDatabase;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** {@link KeyPropagationContract}: two nodes on one PostgreSQL schema, the production set-up of a cluster. */
class PostgresKeyPropagationTest extends KeyPropagationContract {

    @Override
    protected Supplier<DataSource> freshDatabase() {
        DriverManagerDataSource database = (DriverManagerDataSource) MigratedDatabase.postgres();
        return () -> new DriverManagerDataSource(database.getUrl(), database.getUsername(), "");
    }
}
