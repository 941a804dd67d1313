package io.passerelle.keys;

import javax.sql.DataSource;

/** The repository contract on the real PostgreSQL server, the production database. */
class PostgresKeyRepositoryTest extends KeyRepositoryContract {

    @Override
    protected DataSource freshDatabase() {
        return KeyDatabases.postgres();
    }
}
