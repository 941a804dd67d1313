package io.passerelle.keys;

import io.passerelle.testsupport.MigratedDatabase;

import javax.sql.DataSource;

/** The repository contract on H2, the default embedded database. */
class H2KeyRepositoryTest extends KeyRepositoryContract {

    @Override
    protected DataSource freshDatabase() {
        return MigratedDatabase.h2();
    }
}
