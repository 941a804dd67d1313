package io.passerelle.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

import io.passerelle.config.ConfigFileException;
import io.passerelle.connector.Loa;
import io.passerelle.portal.PortalConfig.AuthMethod;
import io.passerelle.portal.PortalConfig.ScopePolicy;
import io.passerelle.portal.PortalConfig.SubjectType;

class PortalConfigLoaderTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    private static RSAKey rsaKey;
    private static ECKey ecKey;

    @TempDir
    Path clientsDir;

    private final PortalConfigLoader loader = new PortalConfigLoader();
    private final UnaryOperator<String> resolver = new MockEnvironment()
            .withProperty("CITY_PORTAL_SECRET", SECRET)
            .withProperty("SHORT_SECRET", "too-short")
            .withProperty("passerelle.issuer", "http://localhost:9090/")::resolveRequiredPlaceholders;

    @BeforeAll
    static void generateKeys() throws Exception {
        rsaKey = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ecKey = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    }

    /** A valid private_key_jwt portal; tests change one field at a time. */
    private static Map<String, String> portal() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("client_id", "city-portal");
        fields.put("client_name", "{en: City of Example, fr: \"Ville d'Exemple\", nl: Stad Voorbeeld, de: Stadt Beispiel}");
        fields.put("redirect_uris", "[https://portal.example/callback]");
        fields.put("token_endpoint_auth_method", "private_key_jwt");
        fields.put("jwks_uri", "https://portal.example/jwks.json");
        fields.put("scope", "[openid, profile, email]");
        fields.put("purpose", "{en: To fill in your forms, fr: Pour vos formulaires, nl: Voor uw formulieren,"
                + " de: Für Ihre Formulare}");
        return fields;
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> fields = portal();
        fields.put(key, value);
        return fields;
    }

    private static Map<String, String> without(String key) {
        Map<String, String> fields = portal();
        fields.remove(key);
        return fields;
    }

    private static Map<String, String> secretPortal() {
        Map<String, String> fields = without("jwks_uri");
        fields.put("token_endpoint_auth_method", "client_secret_basic");
        fields.put("client_secret", "${CITY_PORTAL_SECRET}");
        return fields;
    }

    private static Map<String, String> publicPortal() {
        Map<String, String> fields = without("jwks_uri");
        fields.put("token_endpoint_auth_method", "none");
        return fields;
    }

    private Path write(String fileName, Map<String, String> fields) throws IOException {
        StringBuilder yaml = new StringBuilder("# portal\n");
        fields.forEach((key, value) -> yaml.append(key).append(": ").append(value).append('\n'));
        return Files.writeString(clientsDir.resolve(fileName), yaml);
    }

    private PortalConfig loadOne(Map<String, String> fields) throws IOException {
        write("city-portal.yml", fields);
        List<PortalConfig> portals = loader.load(clientsDir, resolver);
        assertThat(portals).hasSize(1);
        return portals.get(0);
    }

    private void assertInvalid(Map<String, String> fields, String field, String reasonPart) throws IOException {
        assertInvalid("city-portal.yml", fields, field, reasonPart);
    }

    private void assertInvalid(String fileName, Map<String, String> fields, String field, String reasonPart)
            throws IOException {
        write(fileName, fields);
        assertThatThrownBy(() -> loader.load(clientsDir, resolver)).isInstanceOfSatisfying(ConfigFileException.class, e -> {
            assertThat(e.file()).isEqualTo(clientsDir.resolve(fileName).toString());
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.reason()).contains(reasonPart);
        });
    }

    private static String inlineJwks(JWK... keys) {
        return new JWKSet(List.of(keys)).toString(false);
    }

    // ---- valid files ----

    @Test
    void loadsAPrivateKeyJwtPortalWithDefaults() throws IOException {
        PortalConfig portal = loadOne(portal());

        assertThat(portal.clientId()).isEqualTo("city-portal");
        assertThat(portal.clientName()).containsOnlyKeys("en", "fr", "nl", "de").containsEntry("fr", "Ville d'Exemple");
        assertThat(portal.redirectUris()).containsExactly(URI.create("https://portal.example/callback"));
        assertThat(portal.postLogoutRedirectUris()).isEmpty();
        assertThat(portal.authMethod()).isEqualTo(AuthMethod.PRIVATE_KEY_JWT);
        assertThat(portal.signingAlg()).isEqualTo("RS256");
        assertThat(portal.jwksUri()).isEqualTo(URI.create("https://portal.example/jwks.json"));
        assertThat(portal.jwks()).isNull();
        assertThat(portal.clientSecret()).isNull();
        assertThat(portal.scopes()).containsExactly("openid", "profile", "email");
        assertThat(portal.purpose()).containsEntry("de", "Für Ihre Formulare");
        assertThat(portal.legalBasis()).isNull();
        assertThat(portal.sector()).isEqualTo("city-portal");
        assertThat(portal.subjectType()).isEqualTo(SubjectType.PAIRWISE);
        assertThat(portal.minimumLoa()).isEqualTo(Loa.SUBSTANTIAL);
        assertThat(portal.idTokenSigningAlg()).isEqualTo("RS256");
        assertThat(portal.consentExempt()).isFalse();
        assertThat(portal.scopePolicy()).isEqualTo(ScopePolicy.REFUSE);
        assertThat(portal.sourceFile()).isEqualTo(clientsDir.resolve("city-portal.yml").toString());
    }

    @Test
    void loadsEveryOptionalField() throws IOException {
        Map<String, String> fields = without("jwks_uri");
        fields.put("token_endpoint_auth_signing_alg", "ES256");
        fields.put("jwks", inlineJwks(ecKey.toPublicJWK(), rsaKey.toPublicJWK()));
        fields.put("redirect_uris", "[https://portal.example/callback, 'http://localhost:8081/cb',"
                + " 'http://127.0.0.1/cb', 'http://[::1]:9000/cb']");
        fields.put("post_logout_redirect_uris", "[https://portal.example/]");
        fields.put("scope", "[openid, national_number, offline_access]");
        fields.put("legal_basis", "Decree of 1 January 2020, art. 5");
        fields.put("sector", "city-of-example");
        fields.put("subject_type", "public");
        fields.put("minimum_loa", "high");
        fields.put("id_token_signed_response_alg", "PS256");
        fields.put("consent_exempt", "true");
        fields.put("scope_policy", "trim");

        PortalConfig portal = loadOne(fields);

        assertThat(portal.signingAlg()).isEqualTo("ES256");
        assertThat(portal.jwks().getKeys()).extracting(JWK::getKeyID).containsExactly("ec-1", "rsa-1");
        assertThat(portal.jwks().getKeys()).noneMatch(JWK::isPrivate);
        assertThat(portal.redirectUris()).hasSize(4);
        assertThat(portal.postLogoutRedirectUris()).containsExactly(URI.create("https://portal.example/"));
        assertThat(portal.legalBasis()).isEqualTo("Decree of 1 January 2020, art. 5");
        assertThat(portal.sector()).isEqualTo("city-of-example");
        assertThat(portal.subjectType()).isEqualTo(SubjectType.PUBLIC);
        assertThat(portal.minimumLoa()).isEqualTo(Loa.HIGH);
        assertThat(portal.idTokenSigningAlg()).isEqualTo("PS256");
        assertThat(portal.consentExempt()).isTrue();
        assertThat(portal.scopePolicy()).isEqualTo(ScopePolicy.TRIM);
    }

    @Test
    void readsTheBackChannelLogoutUri() throws IOException {
        assertThat(loadOne(portal()).backchannelLogoutUri()).isNull();
        assertThat(loadOne(with("backchannel_logout_uri", "https://portal.example/logout?from=gateway"))
                .backchannelLogoutUri()).isEqualTo(URI.create("https://portal.example/logout?from=gateway"));
        assertThat(loadOne(with("backchannel_logout_uri", "'http://localhost:8081/logout'")).backchannelLogoutUri())
                .isEqualTo(URI.create("http://localhost:8081/logout"));
    }

    @Test
    void refusesABackChannelLogoutUriWithAFragmentOrWithoutHttps() throws IOException {
        assertInvalid(with("backchannel_logout_uri", "'https://portal.example/logout#now'"), "backchannel_logout_uri",
                "fragment");
        assertInvalid(with("backchannel_logout_uri", "http://portal.example/logout"), "backchannel_logout_uri", "https");
        assertInvalid(with("backchannel_logout_uri", "/logout"), "backchannel_logout_uri", "absolute");
    }

    @Test
    void loadsASecretPortalAndHidesTheSecret() throws IOException {
        PortalConfig portal = loadOne(secretPortal());

        assertThat(portal.authMethod()).isEqualTo(AuthMethod.CLIENT_SECRET_BASIC);
        assertThat(portal.clientSecret()).isEqualTo(SECRET);
        assertThat(portal.signingAlg()).isNull();
        assertThat(portal.toString()).doesNotContain(SECRET).contains("clientSecret=[hidden]");
    }

    @Test
    void loadsAPublicPortal() throws IOException {
        PortalConfig portal = loadOne(publicPortal());

        assertThat(portal.authMethod()).isEqualTo(AuthMethod.NONE);
        assertThat(portal.clientSecret()).isNull();
        assertThat(portal.jwks()).isNull();
        assertThat(portal.jwksUri()).isNull();
    }

    @Test
    void missingOrEmptyFolderGivesNoPortals() throws IOException {
        assertThat(loader.load(clientsDir.resolve("absent"), resolver)).isEmpty();
        assertThat(loader.load(clientsDir, resolver)).isEmpty();
    }

    @Test
    void readsYmlAndYamlSortedByNameAndSkipsOtherFiles() throws IOException {
        write("b-portal.yaml", with("client_id", "b-portal"));
        write("a-portal.yml", with("client_id", "a-portal"));
        Files.writeString(clientsDir.resolve("README.md"), "not a portal");
        Files.writeString(clientsDir.resolve(".hidden.yml"), "not: valid: yaml: [");
        Files.createDirectory(clientsDir.resolve("sub.yml"));

        assertThat(loader.load(clientsDir, resolver)).extracting(PortalConfig::clientId)
                .containsExactly("a-portal", "b-portal");
    }

    // ---- whole-file and cross-file problems ----

    @Test
    void folderThatIsAFileIsRejected() throws IOException {
        Path file = Files.writeString(clientsDir.resolve("clients"), "x");
        assertThatThrownBy(() -> loader.load(file, resolver)).isInstanceOfSatisfying(ConfigFileException.class,
                e -> assertThat(e.getMessage()).isEqualTo(file + ": is not a folder"));
    }

    @Test
    void malformedYamlNamesFileAndLine() throws IOException {
        Path file = Files.writeString(clientsDir.resolve("city-portal.yml"), "client_id: city-portal\nscope: [openid\n");
        assertThatThrownBy(() -> loader.load(clientsDir, resolver)).isInstanceOfSatisfying(ConfigFileException.class, e -> {
            assertThat(e.file()).isEqualTo(file.toString());
            assertThat(e.field()).isEmpty();
            assertThat(e.reason()).contains("is not valid YAML at line 3");
        });
    }

    @Test
    void duplicateClientIdAcrossFiles() throws IOException {
        write("city-portal.yaml", portal());
        String first = clientsDir.resolve("city-portal.yaml").toString();
        assertInvalid("city-portal.yml", portal(), "client_id", "is already defined in " + first);
    }

    @Test
    void unknownFieldIsNamed() throws IOException {
        Map<String, String> fields = without("redirect_uris");
        fields.put("redirect_uri", "[https://portal.example/callback]");
        assertInvalid(fields, "redirect_uri", "unknown field; did you mean redirect_uris?");
    }

    // ---- client_id, names and texts ----

    @Test
    void clientIdRules() throws IOException {
        assertInvalid(without("client_id"), "client_id", "is required");
        assertInvalid(with("client_id", "other-portal"), "client_id",
                "must equal the file name without extension ('city-portal'), found 'other-portal'");
        assertInvalid("City_Portal.yml", with("client_id", "City_Portal"), "client_id", "must be 2 to 64 characters");
    }

    @Test
    void clientNameNeedsAllFourLanguages() throws IOException {
        assertInvalid(without("client_name"), "client_name", "is required");
        assertInvalid(with("client_name", "{en: City, fr: Ville, nl: Stad}"), "client_name.de", "is required");
        assertInvalid(with("client_name", "{en: City, fr: Ville, nl: ' ', de: Stadt}"), "client_name.nl", "must not be blank");
        assertInvalid(with("client_name", "{en: City, fr: Ville, nl: Stad, de: Stadt, es: Ciudad}"), "client_name.es",
                "unknown language (expected en, fr, nl, de)");
        assertInvalid(with("client_name", "City"), "client_name", "must be a mapping");
    }

    @Test
    void purposeNeedsAllFourLanguages() throws IOException {
        assertInvalid(without("purpose"), "purpose", "is required");
        assertInvalid(with("purpose", "{en: a, fr: b, de: d}"), "purpose.nl", "is required");
    }

    // ---- URIs ----

    @Test
    void redirectUriRules() throws IOException {
        assertInvalid(without("redirect_uris"), "redirect_uris", "is required");
        assertInvalid(with("redirect_uris", "[]"), "redirect_uris", "must not be empty");
        assertInvalid(with("redirect_uris", "https://portal.example/callback"), "redirect_uris", "must be a list");
        assertInvalid(with("redirect_uris", "[http://portal.example/callback]"), "redirect_uris[0]",
                "must use https (http is allowed only for localhost)");
        assertInvalid(with("redirect_uris", "[https://portal.example/a, 'https://portal.example/b#top']"),
                "redirect_uris[1]", "must not contain a fragment");
        assertInvalid(with("redirect_uris", "['https://*.portal.example/callback']"), "redirect_uris[0]",
                "must not contain a wildcard '*'");
        assertInvalid(with("redirect_uris", "[/callback]"), "redirect_uris[0]", "must be an absolute URI");
        assertInvalid(with("redirect_uris", "['https://portal.example/a b']"), "redirect_uris[0]", "is not a valid URI");
        assertInvalid(with("redirect_uris", "[ftp://portal.example/callback]"), "redirect_uris[0]", "must use https");
        assertInvalid(with("redirect_uris", "['http://localhost.evil.example/cb']"), "redirect_uris[0]", "must use https");
        assertInvalid(with("redirect_uris", "[https://portal.example/a, https://portal.example/b, https://portal.example/a]"),
                "redirect_uris[2]", "duplicates redirect_uris[0]");
    }

    @Test
    void postLogoutRedirectUrisFollowTheSameRules() throws IOException {
        assertInvalid(with("post_logout_redirect_uris", "[https://portal.example/, http://portal.example/bye]"),
                "post_logout_redirect_uris[1]", "must use https (http is allowed only for localhost)");
        assertInvalid(with("post_logout_redirect_uris", "['https://portal.example/#x']"),
                "post_logout_redirect_uris[0]", "must not contain a fragment");
    }

    // ---- authentication ----

    @Test
    void authMethodRules() throws IOException {
        assertInvalid(without("token_endpoint_auth_method"), "token_endpoint_auth_method", "is required");
        assertInvalid(with("token_endpoint_auth_method", "client_secret_jwt"), "token_endpoint_auth_method",
                "must be one of private_key_jwt, client_secret_basic, client_secret_post, none (found 'client_secret_jwt')");
        assertInvalid(with("token_endpoint_auth_signing_alg", "HS256"), "token_endpoint_auth_signing_alg",
                "must be one of RS256, PS256, ES256");
    }

    @Test
    void privateKeyJwtNeedsExactlyOneKeySource() throws IOException {
        assertInvalid(without("jwks_uri"), "jwks_uri", "is required for private_key_jwt");
        assertInvalid(with("jwks", inlineJwks(rsaKey.toPublicJWK())), "jwks", "give either jwks_uri or jwks, not both");
        assertInvalid(with("jwks_uri", "http://portal.example/jwks.json"), "jwks_uri",
                "must use https (http is allowed only for localhost)");
    }

    @Test
    void inlineJwksRules() throws Exception {
        Map<String, String> fields = without("jwks_uri");

        fields.put("jwks", inlineJwks(rsaKey.toPublicJWK(), rsaKey));
        assertInvalid(fields, "jwks.keys[1]", "contains a private key; publish only public keys");

        fields.put("jwks", inlineJwks(ecKey.toPublicJWK()));
        assertInvalid(fields, "jwks", "has no key usable with RS256 (needs a public RSA signing key)");

        fields.put("token_endpoint_auth_signing_alg", "ES256");
        fields.put("jwks", inlineJwks(rsaKey.toPublicJWK()));
        assertInvalid(fields, "jwks", "has no key usable with ES256 (needs a public EC P-256 signing key)");

        fields.put("jwks", inlineJwks(new ECKeyGenerator(Curve.P_384).generate().toPublicJWK()));
        assertInvalid(fields, "jwks", "has no key usable with ES256");

        fields.remove("token_endpoint_auth_signing_alg");
        fields.put("jwks", "{keys: []}");
        assertInvalid(fields, "jwks.keys", "is required");

        fields.put("jwks", "{keys: [{kty: RSA, n: abc}]}");
        assertInvalid(fields, "jwks.keys[0]", "is not a valid JWK");

        fields.put("jwks", "not-a-key-set");
        assertInvalid(fields, "jwks", "must be a mapping");
    }

    @Test
    void rsaKeysShorterThan2048BitsAreRejected() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        RSAKey weak = new RSAKey.Builder((RSAPublicKey) generator.generateKeyPair().getPublic()).build();
        Map<String, String> fields = without("jwks_uri");
        fields.put("jwks", inlineJwks(weak));
        assertInvalid(fields, "jwks.keys[0]", "at least 2048 are required");
    }

    @Test
    void keyUseAndAlgorithmMustFit() throws Exception {
        Map<String, String> fields = without("jwks_uri");
        fields.put("jwks", inlineJwks(new RSAKey.Builder(rsaKey.toRSAPublicKey())
                .keyUse(com.nimbusds.jose.jwk.KeyUse.ENCRYPTION).build()));
        assertInvalid(fields, "jwks", "has no key usable with RS256");
    }

    @Test
    void clientSecretRules() throws IOException {
        Map<String, String> fields = secretPortal();
        fields.remove("client_secret");
        assertInvalid(fields, "client_secret", "is required for client_secret_basic");

        fields.put("client_secret", "correct-horse-battery-staple-0123456789");
        assertInvalid(fields, "client_secret",
                "secrets must be referenced from the environment, e.g. ${CITY_PORTAL_SECRET}");

        fields.put("client_secret", "${UNDEFINED_PORTAL_SECRET}");
        assertInvalid(fields, "client_secret", "${UNDEFINED_PORTAL_SECRET} is not set");

        fields.put("client_secret", "${SHORT_SECRET}");
        assertInvalid(fields, "client_secret", "at least 32 characters");
    }

    @Test
    void contradictionsBetweenMethodAndKeys() throws IOException {
        Map<String, String> secret = secretPortal();
        secret.put("jwks_uri", "https://portal.example/jwks.json");
        assertInvalid(secret, "jwks_uri", "is only used with token_endpoint_auth_method: private_key_jwt");

        secret = secretPortal();
        secret.put("jwks", inlineJwks(rsaKey.toPublicJWK()));
        assertInvalid(secret, "jwks", "is only used with token_endpoint_auth_method: private_key_jwt");

        secret = secretPortal();
        secret.put("token_endpoint_auth_signing_alg", "RS256");
        assertInvalid(secret, "token_endpoint_auth_signing_alg", "only used with token_endpoint_auth_method: private_key_jwt");

        assertInvalid(with("client_secret", "${CITY_PORTAL_SECRET}"), "client_secret",
                "is only used with token_endpoint_auth_method: client_secret_basic");

        Map<String, String> publicClient = publicPortal();
        publicClient.put("client_secret", "${CITY_PORTAL_SECRET}");
        assertInvalid(publicClient, "client_secret", "a public client (token_endpoint_auth_method: none) has no secret");

        publicClient = publicPortal();
        publicClient.put("jwks_uri", "https://portal.example/jwks.json");
        assertInvalid(publicClient, "jwks_uri", "a public client (token_endpoint_auth_method: none) has no keys");
    }

    // ---- scopes and the rest ----

    @Test
    void scopeRules() throws IOException {
        assertInvalid(without("scope"), "scope", "is required");
        assertInvalid(with("scope", "[profile, email]"), "scope", "must contain openid");
        assertInvalid(with("scope", "[openid, photos]"), "scope[1]", "unknown scope 'photos'");
        assertInvalid(with("scope", "[openid, email, email]"), "scope[2]", "duplicates scope[1] (email)");
        assertInvalid(with("scope", "openid profile"), "scope", "must be a list");
        Map<String, String> publicClient = publicPortal();
        publicClient.put("scope", "[openid, offline_access]");
        assertInvalid(publicClient, "scope[1]", "offline_access needs refresh tokens");
    }

    @Test
    void legalBasisIsRequiredForNationalNumber() throws IOException {
        assertInvalid(with("scope", "[openid, national_number]"), "legal_basis",
                "is required when scope contains national_number");
        Map<String, String> fields = with("scope", "[openid, national_number]");
        fields.put("legal_basis", "''");
        assertInvalid(fields, "legal_basis", "must not be blank");
        assertThat(loadOne(with("legal_basis", "Decree art. 5")).legalBasis()).isEqualTo("Decree art. 5");
    }

    @Test
    void enumLikeFieldsAndSector() throws IOException {
        assertInvalid(with("sector", "City Of Example"), "sector", "must be 2 to 64 characters");
        assertInvalid(with("subject_type", "Pairwise"), "subject_type", "must be one of pairwise, public");
        assertInvalid(with("minimum_loa", "medium"), "minimum_loa", "must be one of low, substantial, high");
        assertInvalid(with("id_token_signed_response_alg", "none"), "id_token_signed_response_alg",
                "must be one of RS256, PS256, ES256");
        assertInvalid(with("consent_exempt", "yes"), "consent_exempt", "must be true or false");
        assertInvalid(with("scope_policy", "ignore"), "scope_policy", "must be one of refuse, trim");
    }

    @Test
    void minorsAndAllowedKeys() throws IOException {
        PortalConfig defaults = loadOne(portal());
        assertThat(defaults.minors()).as("a portal that never said it serves children").isEqualTo(PortalConfig.Minors.REFUSE);
        assertThat(defaults.allowedKeys()).isEmpty();
        assertThat(defaults.acceptsKey("any-key")).isTrue();
        Map<String, String> fields = with("minors", "allow");
        fields.put("allowed_keys", "[eid, itsme]");
        PortalConfig portal = loadOne(fields);
        assertThat(portal.minors()).isEqualTo(PortalConfig.Minors.ALLOW);
        assertThat(portal.allowedKeys()).containsExactly("eid", "itsme");
        assertThat(portal.acceptsKey("mygov-be")).isFalse();
        assertInvalid(with("minors", "children"), "minors", "must be one of allow, refuse");
        assertInvalid(with("allowed_keys", "[eid, 'My Key']"), "allowed_keys[1]", "must be 2 to 64 characters");
    }

    @Test
    void aUriMayFollowTheIssuer() throws IOException {
        Map<String, String> fields = with("redirect_uris", "['${passerelle.issuer}/demo/portal/callback']");
        fields.put("backchannel_logout_uri", "${passerelle.issuer}/demo/portal/backchannel-logout");
        PortalConfig portal = loadOne(fields);
        assertThat(portal.redirectUris()).containsExactly(URI.create("http://localhost:9090/demo/portal/callback"));
        assertThat(portal.backchannelLogoutUri()).isEqualTo(URI.create("http://localhost:9090/demo/portal/backchannel-logout"));
        assertInvalid(with("redirect_uris", "['${OTHER}/cb']"), "redirect_uris[0]", "");
    }
}
