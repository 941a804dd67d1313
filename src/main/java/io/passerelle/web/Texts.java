package io.passerelle.web;

import java.util.Locale;
import java.util.Map;

/** Configured texts per language (portal names, purposes): the citizen's language, else English. */
final class Texts {

    private Texts() {
    }

    static String inLanguage(Map<String, String> texts, Locale locale) {
        String text = texts.get(locale.getLanguage());
        return text != null ? text : texts.getOrDefault("en", texts.values().stream().findFirst().orElse(""));
    }
}
