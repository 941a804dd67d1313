package io.passerelle.portal;

import javax.sql.DataSource;

import io.passerelle.testsupport.MigratedDatabase;

class PostgresStoredPortalsTest extends StoredPortalsContract {
    @Override
    DataSource database() {
        return MigratedDatabase.postgres();
    }
}
