package io.passerelle.connector.eid;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.web.util.UriUtils;

import io.passerelle.connector.Callback;
import io.passerelle.connector.Connector;
import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.ConnectorSettings;
import io.passerelle.connector.Loa;
import io.passerelle.connector.LoginContext;
import io.passerelle.connector.UpstreamIdentity;

/**
 * The eID card: {@link #start} sends the browser to the eID TLS listener, which asks for the card's
 * authentication certificate; {@link #finish} verifies the chain the handshake proved possession of.
 */
public final class EidConnector implements Connector {

    public static final String PATH = "/broker/eid/";
    /** RFC 8176: hardware key, smart card, PIN (the card's authentication key is PIN-protected). */
    static final List<String> AMR = List.of("hwk", "sc", "pin");
    /** Set by {@link ClientCertificates#callbackFrom} (never from the query) when the proxy's header was unreadable. */
    static final String HEADER_PROBLEM = "eid_certificate_header_problem";
    /** The reverse proxy's certificate header must hold a certificate chain (see {@link ClientCertificates#parse}). */
    static final String HEADER_READABLE = "EidProxyCertificateHeader";

    private final ConnectorSettings common;
    private final EidConnectorConfig config;
    private final CertificateVerifier verifier;
    private final Clock clock;

    public EidConnector(ConnectorSettings common, EidConnectorConfig config, Clock clock) {
        this.common = common;
        this.config = config;
        this.verifier = new CertificateVerifier(config.trust(), new RevocationChecker(config.revocation(), clock), clock);
        this.clock = clock;
    }

    @Override
    public String id() {
        return common.id();
    }

    @Override
    public String type() {
        return EidConnectorFactory.TYPE;
    }

    @Override
    public Map<String, String> displayName() {
        return common.displayName();
    }

    @Override
    public String logo() {
        return common.logo();
    }

    @Override
    public Loa maxLoa() {
        return common.loa();
    }

    @Override
    public URI start(LoginContext login) {
        String base = config.listenerUrl().toString().replaceFirst("/+$", "");
        return URI.create(base + PATH + common.id() + "?state=" + UriUtils.encode(login.state(), StandardCharsets.UTF_8));
    }

    @Override
    public UpstreamIdentity finish(LoginContext login, Callback callback) {
        String problem = callback.parameter(HEADER_PROBLEM);
        if (problem != null) {
            throw new ConnectorException(ConnectorException.Kind.INVALID_RESPONSE, HEADER_READABLE,
                    "the reverse proxy's certificate header is unreadable: " + problem);
        }
        CardHolder holder;
        try {
            holder = verifier.verify(callback.certificateChain());
        } catch (ConnectorException refusal) {
            throw EidRefusals.explained(refusal);
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("national_number", holder.nationalNumber());
        attributes.put("given_name", holder.givenName());
        attributes.put("family_name", holder.surname());
        attributes.put("eid_card_type", holder.cardType().attributeValue());
        // The birth date the national number encodes: what tells minors apart (the card type alone cannot: a
        // Kids-ID stays valid after the 12th birthday, and an eID is issued from 12).
        NationalNumber.birthDate(holder.nationalNumber())
                .ifPresent(date -> attributes.put("birthdate", date.toString()));
        // The card gives LoA high (eIDAS); an operator may declare less, never more: the connector's loa, or the
        // level its card type rule gives (card_types[].loa, checked at start not to exceed the connector's).
        Loa declared = holder.loa() != null ? holder.loa() : common.loa();
        Loa loa = Loa.HIGH.satisfies(declared) ? declared : Loa.HIGH;
        return new UpstreamIdentity(common.id(), holder.nationalNumber(), loa, AMR, clock.instant(), attributes);
    }

    EidConnectorConfig config() {
        return config;
    }

    CertificateVerifier verifier() {
        return verifier;
    }
}
