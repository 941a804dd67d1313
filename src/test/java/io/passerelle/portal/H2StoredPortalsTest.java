package io.passerelle.portal;

import javax.sql.DataSource;

import io.passerelle.testsupport.MigratedDatabase;

class H2StoredPortalsTest extends StoredPortalsContract {
    @Override
    DataSource database() {
        return MigratedDatabase.h2();
    }
}
