package io.passerelle.connector.eid;

import java.net.URI;

/**
 * One {@code type: eid} connector, as validated by {@link EidConfigReader}.
 *
 * @param listenerUrl the eID TLS listener's base URL; {@code start} sends the browser to
 *                    {@code <listenerUrl>/broker/eid/<id>?state=...}
 * @param trust       anchors, issuing CAs and policy OIDs
 * @param revocation  OCSP / CRL settings
 */
public record EidConnectorConfig(URI listenerUrl, TrustSettings trust, RevocationSettings revocation) {
}
