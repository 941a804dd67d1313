package io.passerelle.connector;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A citizen as a connector verified them.
 *
 * @param connectorId the connector that authenticated them
 * @param subject     the provider's stable identifier for them (never shown to portals)
 * @param loa         the level of assurance actually achieved upstream
 * @param amr         authentication method references (RFC 8176), e.g. hwk, pin, mfa
 * @param authTime    when the citizen authenticated upstream
 * @param attributes  verified attributes in Passerelle's claim vocabulary (given_name, family_name,
 *                    birthdate, gender, locale, email, email_verified, phone_number, address,
 *                    national_number...), already mapped from the provider's names; nothing else
 */
public record UpstreamIdentity(String connectorId, String subject, Loa loa, List<String> amr, Instant authTime,
                               Map<String, Object> attributes) {

    public UpstreamIdentity {
        Objects.requireNonNull(connectorId, "connectorId");
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("an upstream identity needs a subject");
        }
        Objects.requireNonNull(loa, "loa");
        Objects.requireNonNull(authTime, "authTime");
        amr = amr == null ? List.of() : List.copyOf(amr);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    @Override
    public String toString() {
        // Attributes may hold a national number: never print them.
        return "UpstreamIdentity[connector=" + connectorId + ", loa=" + loa + ", amr=" + amr + "]";
    }
}
