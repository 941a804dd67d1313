package io.passerelle.identity;

import javax.sql.DataSource;

import io.passerelle.testsupport.MigratedDatabase;

class PostgresCitizenDirectoryTest extends CitizenDirectoryContract {
    @Override
    DataSource database() {
        return MigratedDatabase.postgres();
    }
}
