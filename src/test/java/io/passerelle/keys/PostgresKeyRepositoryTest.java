package io.passerelle.keys;

import io.passerelle.testsupport.MigratedDatabase;

import javax.sql.DataSource;

/** The repository contract on the real PostgreSQL server, the production database. */
class PostgresKeyRepositoryTest extends KeyRepositoryContract {

    @Override
    protected DataSource freshDatabase() {
        return MigratedDatabase.postgres();
    }
}
