package io.passerelle.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * DESIGN.md, "Packages": arrows run down the table, no package cycle (a package and its sub-packages
 * count as different packages). Read from the sources: every reference to a type of another Passerelle
 * package, imported or fully qualified, outside comments and string literals.
 */
class PackageCyclesTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.passerelle(?:\\.[a-z][a-z0-9]*)+)\\.[A-Z]\\w*");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);

    @Test
    void noPackageDependsOnItselfThroughOthers() throws IOException {
        Map<String, Map<String, Set<String>>> graph = dependencies();
        assertThat(graph).as("the sources were found").containsKeys("io.passerelle.broker", "io.passerelle.web");
        List<List<String>> cycles = stronglyConnected(graph).stream().filter(c -> c.size() > 1).toList();
        StringBuilder why = new StringBuilder();
        for (List<String> cycle : cycles) {
            why.append("\ncycle ").append(cycle);
            for (String from : cycle) {
                graph.get(from).forEach((to, files) -> {
                    if (cycle.contains(to)) {
                        why.append("\n  ").append(from).append(" -> ").append(to).append(" in ").append(files);
                    }
                });
            }
        }
        assertThat(cycles).as(why.toString()).isEmpty();
    }

    @Test
    void nothingOutsideTheDemoImportsIt() throws IOException {
        Map<String, Map<String, Set<String>>> graph = dependencies();
        graph.forEach((from, to) -> {
            if (!from.startsWith("io.passerelle.demo")) {
                assertThat(to.keySet()).as(from + " uses the demo package: " + to.get("io.passerelle.demo"))
                        .noneMatch(p -> p.startsWith("io.passerelle.demo"));
            }
        });
    }

    /** Package to the packages it uses, with the files that use each. */
    private static Map<String, Map<String, Set<String>>> dependencies() throws IOException {
        Map<Path, String> sources = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                sources.put(file, Files.readString(file));
            }
        }
        Set<String> packages = new TreeSet<>();
        Map<Path, String> packageOf = new HashMap<>();
        sources.forEach((file, text) -> {
            Matcher m = PACKAGE.matcher(text);
            if (m.find()) {
                packages.add(m.group(1));
                packageOf.put(file, m.group(1));
            }
        });
        Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
        packages.forEach(p -> graph.put(p, new TreeMap<>()));
        sources.forEach((file, text) -> {
            String from = packageOf.get(file);
            Matcher m = REFERENCE.matcher(code(text));
            while (m.find()) {
                String to = m.group(1);
                if (!to.equals(from) && packages.contains(to)) {
                    graph.get(from).computeIfAbsent(to, k -> new TreeSet<>()).add(file.getFileName().toString());
                }
            }
        });
        return graph;
    }

    /** The text without comments and string literals (text blocks included). */
    static String code(String text) {
        return text.replaceAll("(?s)\"\"\".*?\"\"\"", "\"\"")
                .replaceAll("(?s)/\\*.*?\\*/", " ")
                .replaceAll("\"(?:\\\\.|[^\"\\\\\\n])*\"", "\"\"")
                .replaceAll("//[^\\n]*", " ");
    }

    /** Tarjan's strongly connected components. */
    private static List<List<String>> stronglyConnected(Map<String, Map<String, Set<String>>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> components = new ArrayList<>();
        int[] counter = {0};
        for (String node : graph.keySet()) {
            if (!index.containsKey(node)) {
                visit(node, graph, index, low, stack, onStack, components, counter);
            }
        }
        return components;
    }

    private static void visit(String node, Map<String, Map<String, Set<String>>> graph, Map<String, Integer> index,
                              Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                              List<List<String>> components, int[] counter) {
        index.put(node, counter[0]);
        low.put(node, counter[0]++);
        stack.push(node);
        onStack.add(node);
        for (String next : graph.get(node).keySet()) {
            if (!index.containsKey(next)) {
                visit(next, graph, index, low, stack, onStack, components, counter);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (onStack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            List<String> component = new ArrayList<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(node));
            components.add(component);
        }
    }
}
