package io.passerelle.audit;

import javax.sql.DataSource;

import io.passerelle.testsupport.MigratedDatabase;

class H2AuditLogTest extends AuditLogContract {
    @Override
    DataSource database() {
        return MigratedDatabase.h2();
    }
}
