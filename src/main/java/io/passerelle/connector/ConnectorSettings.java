package io.passerelle.connector;

import java.net.URI;
import java.util.Map;

/**
 * The part of every config/connectors/&lt;id&gt;.yml that does not depend on its type.
 *
 * @param id          equals the file name; the callback path is /broker/callback/&lt;id&gt;
 * @param type        the connector type (oidc, eid)
 * @param displayName the name per language (en, fr, nl, de)
 * @param logo        an image path under /img/, or null
 * @param loa         the highest level of assurance this connector yields
 * @param callbackUri the broker's callback URL for this connector (issuer + /broker/callback/id)
 */
public record ConnectorSettings(String id, String type, Map<String, String> displayName, String logo, Loa loa,
                                URI callbackUri) {
}
