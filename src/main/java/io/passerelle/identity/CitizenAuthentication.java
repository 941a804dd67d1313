package io.passerelle.identity;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.servlet.http.HttpSession;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;

/**
 * A citizen signed in through a connector: what the broker puts in the browser session and what the
 * issuer turns into {@code sub}, {@code acr}, {@code amr} and {@code auth_time}.
 *
 * <p>Spring Authorization Server stores the principal inside each authorization (JSON, allowlisted
 * types only), so every field is a plain string or number and serialisation is field-based: nothing
 * derived is written. {@code auth_time} comes from the factor authority's issue instant, which is
 * where the server's own ID token generator looks for it.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonIgnoreProperties(ignoreUnknown = true)
public final class CitizenAuthentication implements Authentication {

    /** Fixed: sign-ins live Java-serialised in the shared session store; a compatible change must not sign everybody out. */
    private static final long serialVersionUID = 1L;

    /** The authority naming how the citizen proved who they are: an upstream identity provider. */
    public static final String FACTOR = "FEDERATED";

    private final String citizenId;
    private final String connectorId;
    private final String acr;
    private final String amr;
    private final long authTime;
    /** Verified attributes from the connector, in Passerelle's vocabulary, sealed ({@link AttributeSeal}); "{}" when none. */
    private final String claims;
    /**
     * The browser session this sign-in belongs to, as ID tokens and logout tokens name it ({@code sid},
     * OIDC Front-/Back-Channel Logout): random, one per browser (see {@link #browserSid}), so two
     * browsers of one citizen never share it. Null only in authorizations stored before it existed.
     */
    private final String sid;

    @JsonCreator
    public CitizenAuthentication(@JsonProperty("citizenId") String citizenId,
                                 @JsonProperty("connectorId") String connectorId,
                                 @JsonProperty("acr") String acr,
                                 @JsonProperty("amr") String amr,
                                 @JsonProperty("authTime") long authTime,
                                 @JsonProperty("claims") String claims,
                                 @JsonProperty("sid") String sid) {
        this.citizenId = requireText(citizenId, "citizenId");
        this.connectorId = requireText(connectorId, "connectorId");
        this.acr = requireText(acr, "acr");
        this.amr = amr == null ? "" : amr.trim();
        this.authTime = authTime;
        this.claims = claims == null || claims.isBlank() ? "{}" : claims;
        this.sid = sid;
    }

    public static CitizenAuthentication of(String citizenId, String connectorId, String acr, List<String> amr,
                                           Instant authTime) {
        return new CitizenAuthentication(citizenId, connectorId, acr, String.join(" ", amr), authTime.getEpochSecond(),
                "{}", newSid());
    }

    public static CitizenAuthentication of(String citizenId, String connectorId, String acr, List<String> amr,
                                           Instant authTime, Map<String, Object> claims, AttributeSeal seal) {
        return new CitizenAuthentication(citizenId, connectorId, acr, String.join(" ", amr), authTime.getEpochSecond(),
                claims.isEmpty() ? "{}" : seal.seal(claims), newSid());
    }

    /** The same sign-in, in the browser session {@code sid}. */
    public CitizenAuthentication inBrowser(String browserSid) {
        return new CitizenAuthentication(citizenId, connectorId, acr, amr, authTime, claims, requireText(browserSid, "sid"));
    }

    /**
     * This browser's {@code sid}: made at its first sign-in and kept for as long as the session lives
     * (a step-up or {@code prompt=login} in the same browser keeps it; the session id itself changes at
     * every sign-in, so it cannot serve). It is read from the sign-in the session already holds, so it
     * costs the shared session store no attribute of its own at a first sign-in; a session whose
     * sign-in was cleared for a new one keeps it in {@code passerelle.sid} ({@link #keepBrowserSid}).
     * Sign-out ends the session and with it the sid.
     */
    public static String browserSid(HttpSession session) {
        String signedIn = signedInSid(session);
        if (signedIn != null) {
            return signedIn;
        }
        return session.getAttribute(SID_ATTRIBUTE) instanceof String kept ? kept : newSid();
    }

    /**
     * Before a new sign-in replaces the session's sign-in (a step-up, {@code prompt=login}), the
     * browser's sid is kept in the session, so that the next sign-in in this browser has the same.
     */
    public static void keepBrowserSid(HttpSession session) {
        String signedIn = signedInSid(session);
        if (signedIn != null) {
            session.setAttribute(SID_ATTRIBUTE, signedIn);
        }
    }

    /** The sid of the sign-in the session holds, or null. */
    private static String signedInSid(HttpSession session) {
        return session.getAttribute(SECURITY_CONTEXT) instanceof SecurityContext context
                && context.getAuthentication() instanceof CitizenAuthentication signedIn ? signedIn.sid() : null;
    }

    /** Where Spring Security keeps a session's sign-in (HttpSessionSecurityContextRepository's key). */
    private static final String SECURITY_CONTEXT = "SPRING_SECURITY_CONTEXT";
    private static final String SID_ATTRIBUTE = "passerelle.sid";
    private static final SecureRandom RANDOM = new SecureRandom();

    private static String newSid() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    public String citizenId() {
        return citizenId;
    }

    public String connectorId() {
        return connectorId;
    }

    /** The eIDAS LoA URI actually achieved upstream. */
    public String acr() {
        return acr;
    }

    /** Authentication method references (RFC 8176) reported for this sign-in. */
    public List<String> amr() {
        return amr.isEmpty() ? List.of() : Arrays.asList(amr.split(" "));
    }

    /** The browser session's {@code sid}; null only for sign-ins stored before sids were per browser. */
    public String sid() {
        return sid;
    }

    public Instant authTime() {
        return Instant.ofEpochSecond(authTime);
    }

    /** The verified attributes the connector returned; what a portal gets of them is the consent package's decision. */
    public Map<String, Object> claims(AttributeSeal seal) {
        return seal.open(claims);
    }

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
        return List.of(FactorGrantedAuthority.withFactor(FACTOR).issuedAt(authTime()).build());
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getDetails() {
        return null;
    }

    @Override
    public Object getPrincipal() {
        return citizenId;
    }

    @Override
    public boolean isAuthenticated() {
        return true;
    }

    @Override
    public void setAuthenticated(boolean authenticated) {
        if (authenticated) {
            throw new IllegalArgumentException("a citizen authentication is created authenticated by the broker only");
        }
        throw new IllegalArgumentException("sign the citizen out instead of de-authenticating the token");
    }

    @Override
    public String getName() {
        return citizenId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CitizenAuthentication other && citizenId.equals(other.citizenId)
                && connectorId.equals(other.connectorId) && acr.equals(other.acr) && amr.equals(other.amr)
                && authTime == other.authTime && claims.equals(other.claims) && Objects.equals(sid, other.sid);
    }

    @Override
    public int hashCode() {
        return Objects.hash(citizenId, connectorId, acr, amr, authTime);
    }

    @Override
    public String toString() {
        return "CitizenAuthentication[connector=" + connectorId + ", acr=" + acr + ", authTime=" + authTime + "]";
    }
}
