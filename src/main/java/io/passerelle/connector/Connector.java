package io.passerelle.connector;

import java.net.URI;
import java.util.Map;

/**
 * One configured upstream identity provider (an OIDC provider, mobile-ID, the eID card path), as a
 * translator with two steps, like Dex's CallbackConnector. The broker owns every piece of login state
 * (state, nonce, PKCE verifier, expiry, one-time use) and hands it in through {@link LoginContext};
 * a connector keeps no per-login state of its own and may be called from any node.
 */
public interface Connector {

    /** The id of config/connectors/&lt;id&gt;.yml; also the path segment of its callback. */
    String id();

    /** The configuration type ({@code oidc}, {@code eid}...). */
    String type();

    /** The name the key chooser shows, per language (en, fr, nl, de). */
    Map<String, String> displayName();

    /** A logo under /img/ (served by Passerelle), or null. */
    String logo();

    /** The highest level of assurance this connector can achieve; the chooser hides it below a demand. */
    Loa maxLoa();

    /**
     * Where to send the browser to authenticate upstream, for this login. May call the provider (for a
     * pushed or signed request); must not block beyond its configured timeouts.
     *
     * @throws ConnectorException when the provider cannot be reached or refuses the request
     */
    URI start(LoginContext login);

    /**
     * Verifies what came back on the callback and translates it. Every check fails closed.
     *
     * @throws ConnectorException with the reason, when anything is wrong or the citizen cancelled
     */
    UpstreamIdentity finish(LoginContext login, Callback callback);

    /**
     * Whether the key chooser may offer this key now. Must answer at once, from what is already known
     * (the page must not wait for a provider); a connector that has to ask its provider again does so in
     * the background, within its timeouts, and answers true once the provider has answered.
     */
    default boolean available() {
        return true;
    }

    /**
     * Called once when Passerelle has started (its own web server answers), off the request path: a
     * connector may fetch what it needs from its provider now, and log a warning if it cannot.
     */
    default void warmUp() {
    }
}
