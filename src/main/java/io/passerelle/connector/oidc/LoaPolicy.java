package io.passerelle.connector.oidc;

import java.util.Map;
import java.util.Optional;

import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.ConnectorException.Kind;
import io.passerelle.connector.Loa;

/**
 * Translates between Passerelle's levels of assurance and one provider's {@code acr} dialect (domain
 * facts 2.6: every scheme has its own strings): which {@code acr_values} to ask for, and which level an
 * answered {@code acr} is worth. Never more than the connector's configured {@code loa}.
 */
final class LoaPolicy {

    private final Loa cap;
    private final Map<Loa, String> requestAcr;
    private final Map<String, Loa> acrMapping;

    LoaPolicy(Loa cap, Map<Loa, String> requestAcr, Map<String, Loa> acrMapping) {
        this.cap = cap;
        this.requestAcr = requestAcr;
        this.acrMapping = acrMapping;
    }

    /**
     * The {@code acr_values} for a login requiring {@code required}: the configured value for the lowest
     * level that satisfies it (asking for more than needed would force a stronger method on the citizen
     * for nothing), or empty when none is configured.
     *
     * @throws ConnectorException LOA_NOT_MET when this connector cannot reach the level at all, so the
     *         citizen is not sent upstream for a login that would be refused on return
     */
    Optional<String> acrValuesFor(Loa required) {
        if (!cap.satisfies(required)) {
            throw new ConnectorException(Kind.LOA_NOT_MET, "LoaRequestable",
                    "this connector yields at most " + cap.configName() + ", " + required.configName() + " is required");
        }
        if (requestAcr.isEmpty()) {
            return Optional.empty();
        }
        for (Loa loa : Loa.values()) {
            if (loa.satisfies(required) && requestAcr.containsKey(loa)) {
                return Optional.of(requestAcr.get(loa));
            }
        }
        throw new ConnectorException(Kind.LOA_NOT_MET, "LoaRequestable",
                "no request_acr is configured at " + required.configName() + " or above");
    }

    /**
     * The level achieved: the mapped {@code acr} (OIDC Core 3.1.3.7 item 12: the client checks the acr is
     * appropriate), capped at the configured {@code loa}. With a mapping configured, a missing or unmapped
     * acr fails closed: we cannot tell what the citizen did. Without one, the configured {@code loa}.
     *
     * @throws ConnectorException INVALID_RESPONSE {@code IdTokenAcrMapped}, or LOA_NOT_MET {@code LoaMet}
     */
    Loa achieved(Object acr, Loa required) {
        Loa achieved;
        if (acrMapping.isEmpty()) {
            achieved = cap;
        } else {
            if (!(acr instanceof String value)) {
                throw new ConnectorException(Kind.INVALID_RESPONSE, "IdTokenAcrMapped",
                        acr == null ? "the ID token has no acr" : "acr is not a string");
            }
            Loa mapped = acrMapping.get(value);
            if (mapped == null) {
                throw new ConnectorException(Kind.INVALID_RESPONSE, "IdTokenAcrMapped", "acr '" + JoseChecks.safe(value)
                        + "' is not in acr_mapping");
            }
            achieved = mapped.satisfies(cap) ? cap : mapped;
        }
        if (!achieved.satisfies(required)) {
            throw new ConnectorException(Kind.LOA_NOT_MET, "LoaMet",
                    "achieved " + achieved.configName() + ", " + required.configName() + " is required");
        }
        return achieved;
    }
}
