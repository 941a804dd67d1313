package io.passerelle.issuer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import io.passerelle.retention.ExpiredRows;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataRetrievalFailureException;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2DeviceCode;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.OAuth2UserCode;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * Authorizations (codes, tokens and what they were issued for) in the {@code oauth2_authorization}
 * table of V1, shared by every node and kept across restarts, like Spring Authorization Server's
 * {@code JdbcOAuth2AuthorizationService} and in the same columns; cheaper per login:
 * <ul>
 *   <li>{@link #save} is one upsert statement, {@code INSERT ... ON CONFLICT} on PostgreSQL and
 *   {@code MERGE ... KEY} on H2 (the two databases Passerelle runs on). The server's service first
 *   reads the whole authorization back (and deserialises it) just to choose between INSERT and
 *   UPDATE, once for the code and once for the tokens.</li>
 *   <li>Attributes and token metadata are written in {@link AuthorizationJson}'s untyped format,
 *   which reads back without building Jackson deserializers per row; rows in the server's format
 *   are still read.</li>
 * </ul>
 * Token lookups use the same indexed columns and filters as the server's service.
 */
public final class JdbcAuthorizationStore implements OAuth2AuthorizationService {

    private static final String COLUMNS = "id, registered_client_id, principal_name, authorization_grant_type, "
            + "authorized_scopes, attributes, state, "
            + "authorization_code_value, authorization_code_issued_at, authorization_code_expires_at, authorization_code_metadata, "
            + "access_token_value, access_token_issued_at, access_token_expires_at, access_token_metadata, "
            + "access_token_type, access_token_scopes, "
            + "oidc_id_token_value, oidc_id_token_issued_at, oidc_id_token_expires_at, oidc_id_token_metadata, "
            + "refresh_token_value, refresh_token_issued_at, refresh_token_expires_at, refresh_token_metadata, "
            + "user_code_value, user_code_issued_at, user_code_expires_at, user_code_metadata, "
            + "device_code_value, device_code_issued_at, device_code_expires_at, device_code_metadata, expires_at";
    private static final List<String> COLUMN_LIST = Arrays.stream(COLUMNS.split(",")).map(String::trim).toList();
    /** The SQL type of each column, for its NULLs: PostgreSQL refuses a varchar NULL in a timestamp column. */
    private static final int[] TYPES = COLUMN_LIST.stream()
            .mapToInt(c -> c.endsWith("_at") ? Types.TIMESTAMP : Types.VARCHAR).toArray();
    private static final int[] ID_TYPES = {Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR,
            Types.VARCHAR, Types.VARCHAR};
    /** The expires_at positions of the code, access, ID and refresh tokens in {@link #COLUMNS}. */
    private static final int[] TOKEN_EXPIRIES = {9, 13, 19, 23};
    /** Longer than a pushed request or a consent question lives (minutes), shorter than a day's backlog. */
    private static final Duration PENDING_KEPT = Duration.ofDays(1);
    private static final String SELECT = "SELECT " + COLUMNS + " FROM oauth2_authorization WHERE ";
    /**
     * Where a token of unknown type may be (introspection and revocation without a hint), each column indexed:
     * one indexed lookup after another instead of an OR the database would answer with a scan. The device
     * grant's codes are left out: Passerelle does not offer that grant.
     */
    private static final List<String> ANY_TOKEN = List.of("access_token_value", "refresh_token_value",
            "authorization_code_value", "oidc_id_token_value", "state");

    private final JdbcOperations jdbc;
    private final RegisteredClientRepository clients;
    private final AuthorizationJson json;
    private final Clock clock;
    /** The one-statement save (insert or replace by id) in this database's dialect. */
    private final String upsert;

    /**
     * @param typed the allowlisting mapper (Spring Security's Jackson modules) for values stored with their
     *              type, such as the signed-in principal, and for rows in the server's own format
     */
    public JdbcAuthorizationStore(JdbcOperations jdbc, RegisteredClientRepository clients, JsonMapper typed, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.clients = clients;
        this.json = new AuthorizationJson(typed);
        this.upsert = upsert(jdbc.execute((Connection c) -> c.getMetaData().getDatabaseProductName()));
    }

    private static String upsert(String database) {
        String values = " (" + COLUMNS + ") VALUES (" + String.join(", ", COLUMN_LIST.stream().map(c -> "?").toList()) + ")";
        return switch (database) {
            case "H2" -> "MERGE INTO oauth2_authorization" + values.replace(") VALUES", ") KEY (id) VALUES");
            case "PostgreSQL" -> "INSERT INTO oauth2_authorization" + values + " ON CONFLICT (id) DO UPDATE SET "
                    + String.join(", ", COLUMN_LIST.subList(1, COLUMN_LIST.size()).stream()
                            .map(c -> c + " = EXCLUDED." + c).toList());
            default -> throw new IllegalStateException("authorizations are stored in H2 or PostgreSQL, not " + database);
        };
    }

    /**
     * A token request looks its code's authorization up twice: the client's authentication (to check
     * the PKCE verifier) and then the grant. The second is answered with the first's result (an
     * immutable value) in the same request only: the note exists only while {@link #requestScope()}
     * runs a request (never for a caller outside one), and is dropped as soon as this node writes or
     * removes an authorization.
     */
    private static final ThreadLocal<FoundByCode[]> REQUEST_NOTE = new ThreadLocal<>();

    private record FoundByCode(String code, OAuth2Authorization authorization) {
    }

    static void forgetFoundByCode() {
        FoundByCode[] note = REQUEST_NOTE.get();
        if (note != null) {
            note[0] = null;
        }
    }

    /** Outermost filter: the request's note, which ends with it. */
    static jakarta.servlet.Filter requestScope() {
        return (request, response, chain) -> {
            REQUEST_NOTE.set(new FoundByCode[1]);
            try {
                chain.doFilter(request, response);
            } finally {
                REQUEST_NOTE.remove();
            }
        };
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        forgetFoundByCode();
        Object[] row = row(authorization);
        jdbc.update(upsert, ps -> bind(ps, row, TYPES));
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        forgetFoundByCode();
        jdbc.update("DELETE FROM oauth2_authorization WHERE id = ?", authorization.getId());
    }

    @Override
    public OAuth2Authorization findById(String id) {
        return find("id = ?", id);
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        if (tokenType == null) {
            for (String column : ANY_TOKEN) {
                OAuth2Authorization found = find(column + " = ?", token);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        String column = switch (tokenType.getValue()) {
            case OAuth2ParameterNames.STATE -> "state";
            case OAuth2ParameterNames.CODE -> "authorization_code_value";
            case OAuth2ParameterNames.ACCESS_TOKEN -> "access_token_value";
            case OidcParameterNames.ID_TOKEN -> "oidc_id_token_value";
            case OAuth2ParameterNames.REFRESH_TOKEN -> "refresh_token_value";
            case OAuth2ParameterNames.USER_CODE -> "user_code_value";
            case OAuth2ParameterNames.DEVICE_CODE -> "device_code_value";
            default -> null;
        };
        if (column == null) {
            return null;
        }
        FoundByCode[] note = column.equals("authorization_code_value") ? REQUEST_NOTE.get() : null;
        if (note != null && note[0] != null && note[0].code().equals(token)) {
            return note[0].authorization();
        }
        OAuth2Authorization found = find(column + " = ?", token);
        if (note != null && found != null) {
            note[0] = new FoundByCode(token, found);
        }
        return found;
    }

    private OAuth2Authorization find(String filter, Object... parameters) {
        List<OAuth2Authorization> found = jdbc.query(SELECT + filter, ps -> bind(ps, parameters, ID_TYPES),
                this::map);
        return found.stream().filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    /**
     * The row's values in {@link #COLUMNS} order (Strings, Timestamps, nulls): the indexes below are the
     * positions of the columns there (each token takes value, issued_at, expires_at, metadata).
     */
    private Object[] row(OAuth2Authorization a) {
        Object[] row = new Object[COLUMN_LIST.size()];
        row[0] = a.getId();
        row[1] = a.getRegisteredClientId();
        row[2] = a.getPrincipalName();
        row[3] = a.getAuthorizationGrantType().getValue();
        row[4] = a.getAuthorizedScopes().isEmpty() ? null : String.join(",", a.getAuthorizedScopes());
        row[5] = json.write(a.getAttributes());
        String state = a.getAttribute(OAuth2ParameterNames.STATE);
        row[6] = state == null || state.isBlank() ? null : state;
        token(row, 7, a.getToken(OAuth2AuthorizationCode.class));
        OAuth2Authorization.Token<OAuth2AccessToken> access = a.getToken(OAuth2AccessToken.class);
        token(row, 11, access);
        if (access != null) {
            row[15] = access.getToken().getTokenType().getValue();
            Set<String> scopes = access.getToken().getScopes();
            row[16] = scopes.isEmpty() ? null : String.join(",", scopes);
        }
        token(row, 17, a.getToken(OidcIdToken.class));
        token(row, 21, a.getRefreshToken());
        token(row, 25, a.getToken(OAuth2UserCode.class));
        token(row, 29, a.getToken(OAuth2DeviceCode.class));
        row[33] = timestamp(lastExpiry(row));
        return row;
    }

    /**
     * When the row may be purged (V14's {@code expires_at}): once every token it holds has expired. A row
     * without tokens yet (a pushed request, a consent question waiting for the citizen) is kept for
     * {@link #PENDING_KEPT} from its last save.
     */
    private Instant lastExpiry(Object[] row) {
        Instant last = null;
        for (int expiresAt : TOKEN_EXPIRIES) {
            if (row[expiresAt] instanceof Timestamp t && (last == null || t.toInstant().isAfter(last))) {
                last = t.toInstant();
            }
        }
        return last != null ? last : clock.instant().plus(PENDING_KEPT);
    }

    /** Every ExpiredRows the issuer's authorizations give the purge: rows whose every token has expired. */
    public static ExpiredRows expiredRows() {
        return ExpiredRows.olderThan("oauth2_authorization", "oauth2_authorization", List.of("id"), "expires_at < ?",
                Duration.ZERO);
    }

    private void token(Object[] row, int at, OAuth2Authorization.Token<? extends OAuth2Token> token) {
        if (token != null) {
            row[at] = token.getToken().getTokenValue();
            row[at + 1] = timestamp(token.getToken().getIssuedAt());
            row[at + 2] = timestamp(token.getToken().getExpiresAt());
            row[at + 3] = json.write(token.getMetadata());
        }
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static void bind(PreparedStatement ps, Object[] values, int[] types) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            switch (values[i]) {
                case null -> ps.setNull(i + 1, types[i]);
                case Timestamp t -> ps.setTimestamp(i + 1, t);
                case String s -> ps.setString(i + 1, s);
                default -> throw new IllegalArgumentException("unexpected column value " + values[i].getClass());
            }
        }
    }

    private OAuth2Authorization map(ResultSet rs, int row) throws SQLException {
        String clientId = rs.getString("registered_client_id");
        RegisteredClient client = clients.findById(clientId);
        if (client == null) {
            // A portal this node does not serve (no file, or removed by a reload): its rows stay for the nodes
            // that serve it, and its tokens are unknown here, as its client is (invalid_token, inactive).
            return null;
        }
        Map<String, Object> attributes = json.read(rs.getString("attributes"));
        OAuth2Authorization.Builder builder = OAuth2Authorization.withRegisteredClient(client)
                .id(rs.getString("id"))
                .principalName(rs.getString("principal_name"))
                .authorizationGrantType(new AuthorizationGrantType(rs.getString("authorization_grant_type")))
                .authorizedScopes(scopes(rs.getString("authorized_scopes")))
                .attributes(a -> a.putAll(attributes));
        String state = rs.getString("state");
        if (state != null && !state.isBlank()) {
            builder.attribute(OAuth2ParameterNames.STATE, state);
        }
        String code = rs.getString("authorization_code_value");
        if (code != null) {
            builder.token(new OAuth2AuthorizationCode(code, instant(rs, "authorization_code_issued_at"),
                    instant(rs, "authorization_code_expires_at")), metadata(rs, "authorization_code_metadata"));
        }
        String access = rs.getString("access_token_value");
        if (access != null) {
            builder.token(new OAuth2AccessToken(accessTokenType(rs.getString("access_token_type")), access,
                    instant(rs, "access_token_issued_at"), instant(rs, "access_token_expires_at"),
                    scopes(rs.getString("access_token_scopes"))), metadata(rs, "access_token_metadata"));
        }
        String idToken = rs.getString("oidc_id_token_value");
        if (idToken != null) {
            Map<String, Object> metadata = json.read(rs.getString("oidc_id_token_metadata"));
            @SuppressWarnings("unchecked")
            Map<String, Object> claims = (Map<String, Object>) metadata.getOrDefault(
                    OAuth2Authorization.Token.CLAIMS_METADATA_NAME, Map.of());
            builder.token(new OidcIdToken(idToken, instant(rs, "oidc_id_token_issued_at"),
                    instant(rs, "oidc_id_token_expires_at"), claims), m -> m.putAll(metadata));
        }
        String refresh = rs.getString("refresh_token_value");
        if (refresh != null) {
            builder.token(new OAuth2RefreshToken(refresh, instant(rs, "refresh_token_issued_at"),
                    instant(rs, "refresh_token_expires_at")), metadata(rs, "refresh_token_metadata"));
        }
        String userCode = rs.getString("user_code_value");
        if (userCode != null) {
            builder.token(new OAuth2UserCode(userCode, instant(rs, "user_code_issued_at"),
                    instant(rs, "user_code_expires_at")), metadata(rs, "user_code_metadata"));
        }
        String deviceCode = rs.getString("device_code_value");
        if (deviceCode != null) {
            builder.token(new OAuth2DeviceCode(deviceCode, instant(rs, "device_code_issued_at"),
                    instant(rs, "device_code_expires_at")), metadata(rs, "device_code_metadata"));
        }
        return builder.build();
    }

    private Consumer<Map<String, Object>> metadata(ResultSet rs, String column) throws SQLException {
        Map<String, Object> metadata = json.read(rs.getString(column));
        return m -> m.putAll(metadata);
    }

    private static OAuth2AccessToken.TokenType accessTokenType(String value) {
        if (OAuth2AccessToken.TokenType.BEARER.getValue().equalsIgnoreCase(value)) {
            return OAuth2AccessToken.TokenType.BEARER;
        }
        if (OAuth2AccessToken.TokenType.DPOP.getValue().equalsIgnoreCase(value)) {
            return OAuth2AccessToken.TokenType.DPOP;
        }
        throw new DataRetrievalFailureException("access_token_type must be Bearer or DPoP, not " + value);
    }

    private static Set<String> scopes(String value) {
        return value == null || value.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(value.split(",")));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
