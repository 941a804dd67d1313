package io.passerelle.portal;

import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditLog;
import io.passerelle.audit.AuditType;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A portal's stored data, and its removal by an operator. Nothing here runs by itself: a node never
 * deletes a portal's data because its own configuration lacks the file (another node may serve it), only
 * {@code portals remove} does, after the file is gone from every node.
 *
 * <p>Kept on removal: {@code data_release} (the citizen's own record of what each portal received, shown on
 * the account page, which outlives the portal) and the audit trail. Not touched either: retired refresh
 * tokens and redeemed code hashes, which are hashes only and expire within a token lifetime.
 */
public final class StoredPortals {

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final AuditLog audit;
    private final Predicate<String> configuredHere;

    /**
     * @param configuredHere whether this node has a file for the client id (or serves it from memory): such
     *                       a portal is refused, its data would come back or be needed at once
     */
    public StoredPortals(JdbcClient jdbc, TransactionTemplate transactions, AuditLog audit,
                         Predicate<String> configuredHere) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.audit = audit;
        this.configuredHere = configuredHere;
    }

    /** The client ids of the registered-client table (one row per portal ever served), sorted. */
    public List<String> registered() {
        return jdbc.sql("SELECT client_id FROM oauth2_registered_client ORDER BY client_id").query(String.class).list();
    }

    /** The registered portals that none of {@code served} is: stored, but not served by this node. */
    public List<String> notServed(Collection<String> served) {
        return registered().stream().filter(id -> !served.contains(id)).toList();
    }

    /** Whether this node has the portal's file (or serves it): {@link #remove} refuses such a portal. */
    public boolean configuredHere(String clientId) {
        return configuredHere.test(clientId);
    }

    /** The dry run: what {@link #remove} would delete, deleting nothing; refused as {@link #remove} would be. */
    public StoredPortalData count(String clientId) {
        checkRemovable(clientId);
        StoredPortalData data = counts(clientId);
        if (data.isEmpty()) {
            throw new UnknownPortalException(clientId);
        }
        return data;
    }

    /**
     * Deletes the portal's authorizations (every token issued to it), consent decisions, session rows and
     * registration, in one transaction with the {@link AuditType#PORTAL_REMOVED} event naming the actor,
     * the reason and the counts.
     */
    public StoredPortalData remove(String clientId, String actor, String reason) {
        checkRemovable(clientId);
        return transactions.execute(status -> {
            StoredPortalData data = counts(clientId);
            if (data.isEmpty()) {
                throw new UnknownPortalException(clientId);
            }
            String id = registeredId(clientId);
            jdbc.sql("DELETE FROM oauth2_authorization WHERE registered_client_id = ?").param(id).update();
            jdbc.sql("DELETE FROM oauth2_authorization_consent WHERE registered_client_id = ?").param(id).update();
            jdbc.sql("DELETE FROM consent WHERE client_id = ?").param(clientId).update();
            jdbc.sql("DELETE FROM session_portal WHERE client_id = ?").param(clientId).update();
            jdbc.sql("DELETE FROM oauth2_registered_client WHERE client_id = ?").param(clientId).update();
            audit.record(AuditEvent.of(AuditType.PORTAL_REMOVED).actor(actor).client(clientId).reason(reason)
                    .detail("authorizations", Integer.toString(data.authorizations()))
                    .detail("server_consents", Integer.toString(data.serverConsents()))
                    .detail("consent_decisions", Integer.toString(data.consentDecisions()))
                    .detail("session_portals", Integer.toString(data.sessionPortals()))
                    .detail("registered_client", Integer.toString(data.registeredClient())));
            return data;
        });
    }

    private void checkRemovable(String clientId) {
        if (clientId == null || !PortalFiles.CLIENT_ID.matcher(clientId).matches()) {
            throw new IllegalArgumentException("client_id is required: the portal's client_id, e.g. city-portal");
        }
        if (configuredHere.test(clientId)) {
            throw new PortalStillConfiguredException(clientId);
        }
    }

    private StoredPortalData counts(String clientId) {
        String id = registeredId(clientId);
        return new StoredPortalData(clientId,
                count("SELECT COUNT(*) FROM oauth2_authorization WHERE registered_client_id = ?", id),
                count("SELECT COUNT(*) FROM oauth2_authorization_consent WHERE registered_client_id = ?", id),
                count("SELECT COUNT(*) FROM consent WHERE client_id = ?", clientId),
                count("SELECT COUNT(*) FROM session_portal WHERE client_id = ?", clientId),
                count("SELECT COUNT(*) FROM oauth2_registered_client WHERE client_id = ?", clientId));
    }

    /**
     * The registered client's row id, which authorizations refer to. Passerelle registers portals with
     * id = client_id (RegisteredClientFactory); the lookup keeps working for a row written otherwise, and
     * once the row is gone the client_id is the id its leftover authorizations carry.
     */
    private String registeredId(String clientId) {
        return jdbc.sql("SELECT id FROM oauth2_registered_client WHERE client_id = ?").param(clientId)
                .query(String.class).optional().orElse(clientId);
    }

    private int count(String sql, String param) {
        return jdbc.sql(sql).param(param).query(Integer.class).single();
    }

    /** Nothing is stored for this client id. */
    public static final class UnknownPortalException extends RuntimeException {
        public UnknownPortalException(String clientId) {
            super("nothing is stored for portal '" + clientId + "'");
        }
    }

    /** This node still has the portal's file: the operator must remove it from every node first. */
    public static final class PortalStillConfiguredException extends RuntimeException {
        public PortalStillConfiguredException(String clientId) {
            super("portal '" + clientId + "' is still configured on this node (its file " + clientId
                    + ".yml is in a clients folder): remove the file from every node first (each node lets the portal go "
                    + "within passerelle.portals.reload-interval)");
        }
    }
}
