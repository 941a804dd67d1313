package io.passerelle.audit;

import javax.sql.DataSource;

import io.passerelle.testsupport.MigratedDatabase;

class PostgresAuditLogTest extends AuditLogContract {
    @Override
    DataSource database() {
        return MigratedDatabase.postgres();
    }
}
