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

    private static Properties load(String name) throws Exception {
        Properties properties = new Properties();
        try (InputStream in = MessageBundlesTest.class.getResourceAsStream("/" + name)) {
            assertThat(in).as(name).isNotNull();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }
}
