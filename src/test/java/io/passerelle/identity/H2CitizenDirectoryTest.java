package io.passerelle.identity;

import javax.sql.DataSource;

import io.passerelle.testsupport.MigratedDatabase;

class H2CitizenDirectoryTest extends CitizenDirectoryContract {
    @Override
    DataSource database() {
        return MigratedDatabase.h2();
    }
}
