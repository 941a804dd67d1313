package io.passerelle.keys.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.passerelle.config.ConfigFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminKeysTest {

    @TempDir
    Path config;

    @Test
    void inlineKeysWinAndAbsentKeysMeanNone() throws Exception {
        ECKey key = key("alice", JWSAlgorithm.ES256);
        Files.writeString(config.resolve("admin.jwks.json"), "not json");

        assertThat(AdminKeys.load(new AdminProperties("passerelle-admin", json(key.toPublicJWK()), null), config)
                .getKeyByKeyId("alice")).isNotNull();
        assertThat(AdminKeys.load(new AdminProperties("passerelle-admin", null, config.resolve("absent.json")), config)
                .isEmpty()).isTrue();
    }

    @Test
    void theDefaultFileInTheConfigFolderIsRead() throws Exception {
        Files.writeString(config.resolve("admin.jwks.json"), json(key("alice", JWSAlgorithm.ES256).toPublicJWK()));

        assertThat(AdminKeys.load(new AdminProperties("passerelle-admin", null, null), config).size()).isEqualTo(1);
    }

    @Test
    void badKeysStopTheStartNamingTheKey() throws Exception {
        ECKey key = key("alice", JWSAlgorithm.ES256);
        assertRefused(json(key), "keys[0]", "private key");
        assertRefused(json(new ECKey.Builder(key.toPublicJWK().toECKey()).algorithm(null).build()), "keys[0].alg", "RS256");
        assertRefused(json(key("alice", JWSAlgorithm.RS256).toPublicJWK()), "keys[0].kty", "cannot verify");
        assertRefused(new JWKSet(java.util.List.of(key.toPublicJWK(), key("alice", JWSAlgorithm.ES256).toPublicJWK()))
                .toString(), "keys[1].kid", "unique");
        assertRefused("{\"keys\": 3}", "", "not a JWK Set");
    }

    private static void assertRefused(String jwks, String field, String reason) {
        assertThatThrownBy(() -> AdminKeys.load(new AdminProperties("passerelle-admin", jwks, null), Path.of("config")))
                .isInstanceOfSatisfying(ConfigFileException.class, e -> {
                    assertThat(e.file()).isEqualTo("passerelle.admin.jwks");
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.reason()).contains(reason);
                });
    }

    private static String json(com.nimbusds.jose.jwk.JWK key) {
        return new JWKSet(key).toString(false);
    }

    private static ECKey key(String kid, JWSAlgorithm alg) throws Exception {
        return new ECKeyGenerator(Curve.P_256).keyID(kid).algorithm(alg).generate();
    }
}
