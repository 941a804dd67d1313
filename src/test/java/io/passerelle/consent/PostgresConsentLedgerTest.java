package io.passerelle.consent;

import javax.sql.DataSource;

import io.passerelle.testsupport.MigratedDatabase;

class PostgresConsentLedgerTest extends ConsentLedgerContract {
    @Override
    DataSource database() {
        return MigratedDatabase.postgres();
    }
}
