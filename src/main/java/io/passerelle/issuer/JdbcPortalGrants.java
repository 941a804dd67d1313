package io.passerelle.issuer;

import io.passerelle.consent.PortalGrants;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Ends a portal's grants for a citizen in the authorization table (Flyway V1): the server finds no
 * authorization for those tokens any more, so refresh fails with {@code invalid_grant}, introspection
 * says {@code active: false} and userinfo answers {@code invalid_token}. The registered client id is
 * the portal's client id ({@code RegisteredClientFactory}).
 */
public final class JdbcPortalGrants implements PortalGrants {

    private final JdbcClient jdbc;

    public JdbcPortalGrants(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public int revokeAll(String clientId, String citizenId) {
        return jdbc.sql("DELETE FROM oauth2_authorization WHERE registered_client_id = ? AND principal_name = ?")
                .params(clientId, citizenId).update();
    }
}
