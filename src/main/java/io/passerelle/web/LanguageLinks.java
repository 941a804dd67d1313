package io.passerelle.web;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * The language switcher's four links ({@code languages} in every page's model): the same address with the
 * same query, only {@code lang} changed, so switching language never loses what the page is about. A
 * page rendered by a POST links to its address without the form's fields (a GET of it shows the page
 * that belongs there); error pages link to their recorded copy instead ({@link ErrorPages}).
 */
@ControllerAdvice
public class LanguageLinks {

    private static final String[] LANGUAGES = {"fr", "nl", "de", "en"};

    @ModelAttribute("languages")
    public Map<String, String> languages(HttpServletRequest request) {
        Object errorUri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = errorUri instanceof String uri ? uri : request.getRequestURI();
        String query = errorUri != null ? (String) request.getAttribute("jakarta.servlet.error.query_string")
                : "GET".equals(request.getMethod()) ? request.getQueryString() : null;
        StringBuilder kept = new StringBuilder(path).append('?');
        if (query != null && query.length() <= 4000) {
            for (String parameter : query.split("&")) {
                if (!parameter.isEmpty() && !parameter.equals("lang") && !parameter.startsWith("lang=")) {
                    kept.append(parameter).append('&');
                }
            }
        }
        return links(kept.toString());
    }

    /** Links to {@code page} (our own path, without a query) in each language. */
    static Map<String, String> to(String page) {
        return links(page + "?");
    }

    private static Map<String, String> links(String prefix) {
        Map<String, String> links = new LinkedHashMap<>();
        for (String language : LANGUAGES) {
            links.put(language, prefix + "lang=" + language);
        }
        return links;
    }
}
