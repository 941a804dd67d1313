package example.cityportal;

import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The portal's own settings (application.yml, prefix {@code portal}).
 *
 * @param clientKey  the PKCS#8 PEM file of the portal's RSA private key, which signs its private_key_jwt
 *                   client assertions; its public half is served at /jwks.json, the jwks_uri of the
 *                   portal's file at Passerelle
 * @param acrValues  the level of assurance asked for in every authorization request ({@code acr_values})
 * @param acceptedAcr the {@code acr} values an ID token may carry: the one asked for and any higher one;
 *                   an ID token with any other (or none) is refused
 */
@ConfigurationProperties("portal")
public record PortalProperties(Path clientKey, String acrValues, List<String> acceptedAcr) {

    public PortalProperties {
        if (clientKey == null || acrValues == null || acrValues.isBlank() || acceptedAcr == null || acceptedAcr.isEmpty()) {
            throw new IllegalArgumentException("portal.client-key, portal.acr-values and portal.accepted-acr are required");
        }
        if (!acceptedAcr.contains(acrValues)) {
            throw new IllegalArgumentException("portal.accepted-acr must contain portal.acr-values (" + acrValues + ")");
        }
    }
}
