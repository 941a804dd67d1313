package io.passerelle.broker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * The one record of a login in flight (table {@code login_in_flight}, shared by every node): the
 * portal's request to resume and what it demands, the key the citizen chose with the upstream state,
 * nonce and PKCE verifier, and the consent question waiting. Bound to the browser that started it by
 * the hash of an opaque cookie ({@link BrowserCookie}); its id travels in the gateway's own page
 * addresses, its upstream state to the provider and back. Each one-time part is taken once: the
 * upstream answer ({@link LoginTransactionStore#consume}) and the consent answer
 * ({@link LoginTransactionStore#answerConsent}).
 *
 * @param id            random; names the login on the key chooser, error and consent pages
 * @param browserHash   SHA-256 of the browser's login cookie
 * @param requestKey    SHA-256 of the request to resume, so that the resumed request finds its login
 * @param demand        the portal's request and what it demands (the request to resume included)
 * @param upstream      the key chosen and what was sent upstream, or null before the choice
 * @param consent       the consent question waiting, or null
 * @param failure       why the last attempt failed (a {@link LoginFailure#reason()}), or null: a citizen who
 *                      then goes back to the portal sends it the matching error
 * @param createdAt     when the portal's request needed the citizen
 * @param expiresAt     after this every step is refused: the login must start again from the portal
 */
public record LoginTransaction(String id, String browserHash, String requestKey, LoginDemand demand, Upstream upstream,
                               ConsentQuestion consent, String failure, Instant createdAt, Instant expiresAt) {

    /** This login with what went upstream. */
    public LoginTransaction withUpstream(Upstream sent) {
        return new LoginTransaction(id, browserHash, requestKey, demand, sent, consent, failure, createdAt, expiresAt);
    }

    /** This login with a consent question, living at least as long as the question may wait. */
    public LoginTransaction withConsent(ConsentQuestion question) {
        Instant until = expiresAt.isAfter(question.expiresAt()) ? expiresAt : question.expiresAt();
        return new LoginTransaction(id, browserHash, requestKey, demand, upstream, question, failure, createdAt, until);
    }

    /**
     * @param connectorId  the key the citizen chose
     * @param state        sent upstream, expected back on the callback; null once the callback took it
     * @param nonce        sent upstream, expected in the upstream ID token
     * @param codeVerifier the PKCE verifier of the upstream token request
     * @param uiLocale     the citizen's language, sent upstream
     * @param at           when the citizen left for the provider
     */
    public record Upstream(String connectorId, String state, String nonce, String codeVerifier, String uiLocale,
                           Instant at) {
    }

    /**
     * @param citizenId  the citizen the question was put to (another sign-in in the browser may not answer it)
     * @param claims     the claims asked, Passerelle names, in display order
     * @param expiresAt  when the question lapses
     * @param answeredAt when it was answered (once), or null
     */
    public record ConsentQuestion(String citizenId, List<String> claims, Instant expiresAt, Instant answeredAt) {
        public ConsentQuestion {
            claims = List.copyOf(claims);
        }
    }

    public String clientId() {
        return demand.clientId();
    }

    public String resumeUrl() {
        return demand.resumeUrl();
    }

    /** The key that finds the login of a resumed request: a hash of the request's address and parameters. */
    public static String requestKey(String resumeUrl) {
        return sha256(resumeUrl);
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
