package io.passerelle.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** Every page is available in all four languages: no bundle misses a key another one has. */
class MessageBundlesTest {

    @Test
    void everyLanguageHasEveryMessage() throws Exception {
        Properties english = load("messages.properties");
        assertThat(english).isNotEmpty();
        for (String language : new String[] {"fr", "nl", "de"}) {
            Properties other = load("messages_" + language + ".properties");
            assertThat(other.keySet()).as(language).containsExactlyInAnyOrderElementsOf(english.keySet());
            other.forEach((key, value) -> assertThat(value.toString()).as(language + " " + key).isNotBlank());
        }
    }

    /** Literal keys in the templates, and the keys the pages build from claim names, levels and reasons. */
    @Test
    void everyKeyThePagesUseExists() throws Exception {
        Properties english = load("messages.properties");
        java.util.Set<String> used = new java.util.TreeSet<>();
        java.util.regex.Pattern literal = java.util.regex.Pattern.compile("#\\{([a-z][a-z0-9._-]*)");
        try (var templates = java.nio.file.Files.walk(java.nio.file.Path.of("src/main/resources/templates"))) {
            for (java.nio.file.Path template : templates.filter(p -> p.toString().endsWith(".html")).toList()) {
                var matcher = literal.matcher(java.nio.file.Files.readString(template));
                while (matcher.find()) {
                    used.add(matcher.group(1));
                }
            }
        }
        for (String claim : io.passerelle.portal.ScopeClaims.claimsOf(java.util.List.of("profile", "email", "address",
                "phone", "national_number"))) {
            used.add("claim." + claim);
        }
        for (String level : new String[] {"low", "substantial", "high"}) {
            used.add("level." + level);
            used.add("signin.choose." + level);
        }
        used.add("value.gender.female"); // ClaimValues: the genders OIDC Core 5.1 names
        used.add("value.gender.male");
        for (String reason : new String[] {"none", "answered", "other-citizen", "expired"}) {
            used.add("consent-error." + reason + ".what");
        }
        assertThat(used).isNotEmpty();
        assertThat(english.keySet()).containsAll(used);
    }

    private static Properties load(String name) throws Exception {
        Properties properties = new Properties();
        try (InputStream in = MessageBundlesTest.class.getResourceAsStream("/" + name)) {
            assertThat(in).as(name).isNotNull();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }
}
