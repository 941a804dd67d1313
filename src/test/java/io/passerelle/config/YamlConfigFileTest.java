package io.passerelle.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

class YamlConfigFileTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private YamlConfigFile read(String content) throws IOException {
        return YamlConfigFile.read(write("test.yml", content));
    }

    private static void assertError(Runnable action, String file, String field, String reasonPart) {
        assertThatThrownBy(action::run).isInstanceOfSatisfying(ConfigFileException.class, e -> {
            assertThat(e.file()).isEqualTo(file);
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.reason()).contains(reasonPart);
        });
    }

    private String file() {
        return dir.resolve("test.yml").toString();
    }

    @Test
    void exceptionMessageNamesFileFieldAndReason() {
        assertThat(new ConfigFileException("config/clients/a.yml", "redirect_uris[1]", "must use https"))
                .hasMessage("config/clients/a.yml: redirect_uris[1]: must use https");
        assertThat(new ConfigFileException("config/clients/a.yml", "", "is empty"))
                .hasMessage("config/clients/a.yml: is empty");
    }

    @Test
    void malformedYamlNamesTheLine() throws IOException {
        Path file = write("bad.yml", "client_id: a\nredirect_uris: [https://x\nscope: [openid]\n");
        assertThatThrownBy(() -> YamlConfigFile.read(file)).isInstanceOfSatisfying(ConfigFileException.class, e -> {
            assertThat(e.file()).isEqualTo(file.toString());
            assertThat(e.field()).isEmpty();
            assertThat(e.reason()).startsWith("is not valid YAML at line 3");
        });
    }

    @Test
    void duplicateKeysAreRejectedWithTheLine() throws IOException {
        Path file = write("dup.yml", "client_id: a\nscope: [openid]\nclient_id: b\n");
        assertThatThrownBy(() -> YamlConfigFile.read(file)).isInstanceOfSatisfying(ConfigFileException.class, e -> {
            assertThat(e.field()).isEmpty();
            assertThat(e.reason()).contains("line 3").contains("duplicate key client_id");
        });
    }

    @Test
    void emptyFileIsRejected() throws IOException {
        Path file = write("empty.yml", "# nothing here\n");
        assertError(() -> YamlConfigFile.read(file), file.toString(), "", "is empty");
    }

    @Test
    void topLevelMustBeAMapping() throws IOException {
        Path file = write("list.yml", "- a\n- b\n");
        assertError(() -> YamlConfigFile.read(file), file.toString(), "", "mapping");
    }

    @Test
    void oversizedFileIsRejected() throws IOException {
        Path file = write("big.yml", "a: " + "x".repeat(YamlConfigFile.MAX_BYTES) + "\n");
        assertError(() -> YamlConfigFile.read(file), file.toString(), "", "larger than 256 KiB");
    }

    @Test
    void nonUtf8FileIsRejected() throws IOException {
        Path file = Files.write(dir.resolve("latin1.yml"), "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertError(() -> YamlConfigFile.read(file), file.toString(), "", "UTF-8");
    }

    @Test
    void unsafeTagsAreRejected() throws IOException {
        Path file = write("tag.yml", "a: !!javax.script.ScriptEngineManager [x]\n");
        assertError(() -> YamlConfigFile.read(file), file.toString(), "", "is not valid YAML");
    }

    @Test
    void plainScalarsStayText() throws IOException {
        YamlConfigFile yaml = read("a: no\nb: 0123\nc: 2024-01-01\nd: 1e3\ne: true\n");
        assertThat(yaml.requiredString("a")).isEqualTo("no");
        assertThat(yaml.requiredString("b")).isEqualTo("0123");
        assertThat(yaml.requiredString("c")).isEqualTo("2024-01-01");
        assertThat(yaml.requiredString("d")).isEqualTo("1e3");
        assertThat(yaml.optionalBoolean("e", false)).isTrue();
        assertThat(yaml.optionalInt("b", 0)).isEqualTo(123);
    }

    @Test
    void requiredStringErrors() throws IOException {
        YamlConfigFile yaml = read("blank: '  '\nlist: [a]\nbool: false\nnothing:\n");
        assertError(() -> yaml.requiredString("missing"), file(), "missing", "is required");
        assertError(() -> yaml.requiredString("nothing"), file(), "nothing", "is required");
        assertError(() -> yaml.requiredString("blank"), file(), "blank", "must not be blank");
        assertError(() -> yaml.requiredString("list"), file(), "list", "must be text, not a list");
        assertError(() -> yaml.requiredString("bool"), file(), "bool", "quote it");
        assertThat(yaml.optionalString("missing")).isEmpty();
    }

    @Test
    void stringLists() throws IOException {
        YamlConfigFile yaml = read("ok: [a, b]\nempty: []\nscalar: a\nnested: [a, [b]]\n");
        assertThat(yaml.requiredStringList("ok")).containsExactly("a", "b");
        assertThat(yaml.optionalStringList("absent")).isEmpty();
        assertThat(yaml.optionalStringList("empty")).isEmpty();
        assertError(() -> yaml.requiredStringList("absent"), file(), "absent", "is required");
        assertError(() -> yaml.requiredStringList("empty"), file(), "empty", "must not be empty");
        assertError(() -> yaml.requiredStringList("scalar"), file(), "scalar", "must be a list");
        assertError(() -> yaml.requiredStringList("nested"), file(), "nested[1]", "must be text");
    }

    @Test
    void oneOfAndBooleanAndInt() throws IOException {
        YamlConfigFile yaml = read("mode: fast\nflag: yes\nn: ten\n");
        assertError(() -> yaml.requiredOneOf("mode", List.of("slow", "steady")), file(), "mode",
                "must be one of slow, steady (found 'fast')");
        assertThat(yaml.optionalOneOf("other", List.of("x", "y"), "y")).isEqualTo("y");
        assertError(() -> yaml.optionalBoolean("flag", false), file(), "flag", "must be true or false");
        assertThat(yaml.optionalBoolean("absent", true)).isTrue();
        assertError(() -> yaml.optionalInt("n", 1), file(), "n", "whole number");
    }

    @Test
    void languageMaps() throws IOException {
        YamlConfigFile yaml = read("""
                ok: {de: D, en: E}
                missing: {en: E}
                extra: {en: E, de: D, es: S}
                blank: {en: E, de: ' '}
                scalar: hello
                """);
        assertThat(yaml.requiredLanguageMap("ok", List.of("en", "de"))).containsExactly(
                Map.entry("en", "E"), Map.entry("de", "D"));
        assertError(() -> yaml.requiredLanguageMap("missing", List.of("en", "de")), file(), "missing.de", "is required");
        assertError(() -> yaml.requiredLanguageMap("extra", List.of("en", "de")), file(), "extra.es",
                "unknown language (expected en, de)");
        assertError(() -> yaml.requiredLanguageMap("blank", List.of("en", "de")), file(), "blank.de", "must not be blank");
        assertError(() -> yaml.requiredLanguageMap("scalar", List.of("en")), file(), "scalar", "must be a mapping");
        assertError(() -> yaml.requiredLanguageMap("absent", List.of("en")), file(), "absent", "is required");
    }

    @Test
    void nestedSectionsCarryTheFieldPath() throws IOException {
        YamlConfigFile yaml = read("""
                authentication:
                  method: private_key_jwt
                  jwks_uri: ''
                mappings:
                  - {claim: sub, from: id}
                  - {from: name}
                claims: {given_name: first, family_name: last}
                """);
        YamlConfigFile authentication = yaml.requiredSection("authentication");
        assertThat(authentication.path()).isEqualTo("authentication");
        assertError(() -> authentication.requiredString("jwks_uri"), file(), "authentication.jwks_uri", "must not be blank");
        assertError(() -> authentication.rejectUnknownFields(Set.of("method")), file(), "authentication.jwks_uri",
                "unknown field");
        List<YamlConfigFile> mappings = yaml.sections("mappings");
        assertThat(mappings.get(0).requiredString("claim")).isEqualTo("sub");
        assertError(() -> mappings.get(1).requiredString("claim"), file(), "mappings[1].claim", "is required");
        assertThat(yaml.optionalStringMap("claims")).containsEntry("given_name", "first").hasSize(2);
        assertThat(yaml.optionalSection("absent")).isEmpty();
        assertError(() -> yaml.requiredSection("mappings"), file(), "mappings", "must be a mapping");
    }

    @Test
    void unknownFieldsAreRejectedWithASuggestion() throws IOException {
        YamlConfigFile yaml = read("client_id: a\nredirect_uri: [https://x]\n");
        assertError(() -> yaml.rejectUnknownFields(Set.of("client_id", "redirect_uris")), file(), "redirect_uri",
                "unknown field; did you mean redirect_uris?");
        YamlConfigFile other = read("client_id: a\ncolour: blue\n");
        assertError(() -> other.rejectUnknownFields(Set.of("client_id", "scope")), file(), "colour",
                "unknown field (allowed: client_id, scope)");
    }

    @Test
    void secretsMustBePlaceholders() throws IOException {
        MockEnvironment environment = new MockEnvironment().withProperty("MY_SECRET", "s3cr3t");
        UnaryOperator<String> resolver = environment::resolveRequiredPlaceholders;
        YamlConfigFile yaml = read("""
                ok: ${MY_SECRET}
                literal: hunter2
                mixed: prefix-${MY_SECRET}
                defaulted: ${OTHER:fallback}
                unset: ${NOT_DEFINED}
                """);
        assertThat(yaml.optionalSecret("ok", resolver, "EXAMPLE")).contains("s3cr3t");
        assertThat(yaml.optionalSecret("absent", resolver, "EXAMPLE")).isEmpty();
        assertError(() -> yaml.optionalSecret("literal", resolver, "EXAMPLE"), file(), "literal",
                "secrets must be referenced from the environment, e.g. ${EXAMPLE}");
        assertError(() -> yaml.optionalSecret("mixed", resolver, "EXAMPLE"), file(), "mixed", "e.g. ${EXAMPLE}");
        assertError(() -> yaml.optionalSecret("defaulted", resolver, "EXAMPLE"), file(), "defaulted", "e.g. ${EXAMPLE}");
        assertError(() -> yaml.optionalSecret("unset", resolver, "EXAMPLE"), file(), "unset",
                "${NOT_DEFINED} is not set");
        assertThatThrownBy(() -> yaml.optionalSecret("literal", resolver, "EXAMPLE"))
                .message().doesNotContain("hunter2");
    }
}
