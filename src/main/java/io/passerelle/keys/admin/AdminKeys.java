package io.passerelle.keys.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.HashSet;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import io.passerelle.config.ConfigFileException;
import org.springframework.util.StringUtils;

/**
 * Reads and checks the admin client's public keys (see {@link AdminProperties}). A malformed set stops the
 * start naming the property or file and the key at fault: an operator who configured admin access must not
 * find out at the first emergency that it never worked.
 */
final class AdminKeys {

    /** The algorithms an admin key may be pinned to: the gateway's own signing algorithms. */
    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256);

    private AdminKeys() {
    }

    /** The configured keys; an empty set when none are configured (the API then refuses every call). */
    static JWKSet load(AdminProperties properties, Path configDir) {
        if (StringUtils.hasText(properties.jwks())) {
            return parse(properties.jwks(), "passerelle.admin.jwks");
        }
        Path file = properties.jwksFile() != null ? properties.jwksFile() : configDir.resolve("admin.jwks.json");
        if (!Files.exists(file)) {
            return new JWKSet();
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new ConfigFileException(file.toString(), "", "cannot be read: " + e.getMessage(), e);
        }
    }

    private static JWKSet parse(String json, String source) {
        JWKSet set;
        try {
            set = JWKSet.parse(json);
        } catch (ParseException e) {
            throw new ConfigFileException(source, "", "is not a JWK Set: " + e.getMessage(), e);
        }
        Set<String> kids = new HashSet<>();
        for (int i = 0; i < set.getKeys().size(); i++) {
            JWK key = set.getKeys().get(i);
            String field = "keys[" + i + "]";
            if (key.isPrivate()) {
                throw new ConfigFileException(source, field, "holds a private key; configure the public key only and"
                        + " keep the private key with the admin tool");
            }
            JWSAlgorithm alg = key.getAlgorithm() == null ? null : JWSAlgorithm.parse(key.getAlgorithm().getName());
            if (alg == null || !ALGORITHMS.contains(alg)) {
                throw new ConfigFileException(source, field + ".alg", "must be one of RS256, PS256, ES256 (it pins the"
                        + " algorithm this key's assertions are verified with), not " + key.getAlgorithm());
            }
            if (!KeyType.forAlgorithm(alg).equals(key.getKeyType())) {
                throw new ConfigFileException(source, field + ".kty", "is " + key.getKeyType() + ", which cannot verify " + alg);
            }
            if (!StringUtils.hasText(key.getKeyID()) || !kids.add(key.getKeyID())) {
                throw new ConfigFileException(source, field + ".kid", "must be present and unique: it names the caller"
                        + " in the audit trail");
            }
        }
        return set;
    }
}
