package io.passerelle.issuer;

import javax.sql.DataSource;

import io.passerelle.testsupport.MigratedDatabase;

class PostgresAuthorizationStoreTest extends AuthorizationStoreContract {
    @Override
    DataSource database() {
        return MigratedDatabase.postgres();
    }
}
