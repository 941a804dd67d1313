package io.passerelle.issuer;

import javax.sql.DataSource;

import io.passerelle.testsupport.MigratedDatabase;

class H2AuthorizationStoreTest extends AuthorizationStoreContract {
    @Override
    DataSource database() {
        return MigratedDatabase.h2();
    }
}
