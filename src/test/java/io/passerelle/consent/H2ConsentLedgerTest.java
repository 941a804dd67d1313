package io.passerelle.consent;

import javax.sql.DataSource;

import io.passerelle.testsupport.MigratedDatabase;

class H2ConsentLedgerTest extends ConsentLedgerContract {
    @Override
    DataSource database() {
        return MigratedDatabase.h2();
    }
}
