package io.passerelle.issuer;

import io.passerelle.testsupport.PostgresDatabase;

/** The same end-to-end logins through an OIDC upstream, on a real PostgreSQL server. */
class PostgresOidcUpstreamEndToEndTest extends OidcUpstreamEndToEndTest {

    private final String url = PostgresDatabase.freshSchemaUrl();

    @Override
    String databaseUrl() {
        return url;
    }

    @Override
    String databaseUser() {
        return PostgresDatabase.USER;
    }
}
