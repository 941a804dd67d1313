package io.passerelle.retention;

import javax.sql.DataSource;

import io.passerelle.testsupport.MigratedDatabase;

class H2RetentionTest extends RetentionContract {
    @Override
    DataSource database() {
        return MigratedDatabase.h2();
    }
}
