package io.passerelle.broker;

import javax.sql.DataSource;

import io.passerelle.testsupport.MigratedDatabase;

class H2LoginTransactionStoreTest extends LoginTransactionStoreContract {
    @Override
    DataSource database() {
        return MigratedDatabase.h2();
    }
}
