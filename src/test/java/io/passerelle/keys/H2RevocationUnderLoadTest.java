package io.passerelle.keys;

import java.util.function.Supplier;

import javax.sql.DataSource;

import io.passerelle.testsupport.MigratedDatabase;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** {@link RevocationUnderLoadContract}: two nodes on one H2 database (in memory, shared by URL). */
class H2RevocationUnderLoadTest extends RevocationUnderLoadContract {

    @Override
    protected Supplier<DataSource> freshDatabase() {
        String url = ((DriverManagerDataSource) MigratedDatabase.h2()).getUrl();
        return () -> new DriverManagerDataSource(url, "sa", "");
    }
}
