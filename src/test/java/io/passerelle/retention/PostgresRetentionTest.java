package io.passerelle.retention;

import javax.sql.DataSource;

import io.passerelle.testsupport.MigratedDatabase;

class PostgresRetentionTest extends RetentionContract {
    @Override
    DataSource database() {
        return MigratedDatabase.postgres();
    }
}
