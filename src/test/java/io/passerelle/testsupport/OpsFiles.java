package io.passerelle.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operations files under {@code ops/}: the Grafana dashboard's and the alert rules' PromQL
 * expressions, and the metric names each one reads (for a test to compare with a real scrape).
 */
public final class OpsFiles {

    public static final Path DASHBOARD = Path.of("ops/grafana/passerelle.json");
    public static final Path ALERTS = Path.of("ops/prometheus/alerts.yml");

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan", "group_left", "group_right");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private OpsFiles() {
    }

    public static JsonNode dashboard() throws IOException {
        return JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
    }

    /** Every {@code expr} of the dashboard's panel targets, and the metric of each {@code label_values} variable. */
    public static List<String> dashboardExpressions(JsonNode dashboard) {
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                expressions.add(target.get("expr").asString());
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            Matcher m = Pattern.compile("label_values\\(([a-zA-Z_:][a-zA-Z0-9_:]*)").matcher(variable.path("definition").asString(""));
            if (m.find()) {
                expressions.add(m.group(1));
            }
        }
        return expressions;
    }

    /** Alert name to expression, from every group of the rule file. */
    @SuppressWarnings("unchecked")
    public static Map<String, String> alertExpressions() throws IOException {
        Map<String, Object> file = new Yaml().load(Files.readString(ALERTS));
        Map<String, String> alerts = new java.util.LinkedHashMap<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                alerts.put((String) rule.get("alert"), (String) rule.get("expr"));
            }
        }
        return alerts;
    }

    /**
     * The metric names a PromQL expression reads: identifiers left once strings, label matchers, ranges,
     * grouping clauses and function calls are taken out.
     */
    public static Set<String> metricNames(String expression) {
        String rest = expression.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\b[a-zA-Z_]+\\s*\\(", "(")
                .replaceAll("\\b\\d+(\\.\\d+)?([eE][-+]?\\d+)?\\b", " ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(rest);
        while (m.find()) {
            if (!KEYWORDS.contains(m.group().toLowerCase(java.util.Locale.ROOT))) {
                names.add(m.group());
            }
        }
        return names;
    }
}
