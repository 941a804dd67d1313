package io.passerelle.broker;

import javax.sql.DataSource;

import io.passerelle.testsupport.MigratedDatabase;

class PostgresLoginTransactionStoreTest extends LoginTransactionStoreContract {
    @Override
    DataSource database() {
        return MigratedDatabase.postgres();
    }
}
