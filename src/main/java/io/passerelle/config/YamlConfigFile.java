package io.passerelle.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * One mapping of an operator YAML file (the whole file, or a nested section of it) with typed
 * accessors that fail with a {@link ConfigFileException} naming the file and the exact field path.
 *
 * <p>Plain scalars are read as text, except {@code true}/{@code false} and null: YAML 1.1 would turn
 * {@code no} into false, {@code 0123} into 83 and {@code 2024-01-01} into a date, which silently
 * changes what an operator wrote. Numbers are therefore parsed by the accessors that want them.
 */
public final class YamlConfigFile {

    /** Operator files are small; anything bigger is a mistake (or an attack on the parser). */
    public static final int MAX_BYTES = 256 * 1024;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)}");

    private final String file;
    private final String path;
    private final Map<String, Object> values;

    private YamlConfigFile(String file, String path, Map<String, Object> values) {
        this.file = file;
        this.path = path;
        this.values = values;
    }

    /** Reads and parses {@code file}; errors name the file as given (not made absolute). */
    public static YamlConfigFile read(Path file) {
        String name = file.toString();
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new ConfigFileException(name, "", "is larger than " + MAX_BYTES / 1024 + " KiB");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigFileException(name, "", "cannot be read: " + e, e);
        }
        return parse(name, bytes);
    }

    /** Parses a file's content as read once (a reload hashes and parses the same bytes); UTF-8 only. */
    public static YamlConfigFile parse(String name, byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new ConfigFileException(name, "", "is larger than " + MAX_BYTES / 1024 + " KiB");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ConfigFileException(name, "", "is not valid UTF-8 text", e);
        }
        return parse(name, text);
    }

    /** Parses YAML text that came from {@code fileName}; the top level must be a mapping. */
    public static YamlConfigFile parse(String fileName, String yamlText) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(MAX_BYTES);
        options.setMaxAliasesForCollections(20);
        options.setNestingDepthLimit(20);
        Yaml yaml = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()),
                new DumperOptions(), options, new LiteralResolver());
        Object document;
        try {
            document = yaml.load(yamlText);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
            String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
            throw new ConfigFileException(fileName, "", "is not valid YAML" + where + ": " + problem, e);
        } catch (YAMLException e) {
            throw new ConfigFileException(fileName, "", "is not valid YAML: " + e.getMessage(), e);
        }
        if (document == null) {
            throw new ConfigFileException(fileName, "", "is empty");
        }
        return new YamlConfigFile(fileName, "", asStringKeyedMap(fileName, "", document,
                "must contain a mapping of fields (key: value) at the top level"));
    }

    /** The file as given, for error messages. */
    public String file() {
        return file;
    }

    /** The path of this section inside the file; empty for the top level. */
    public String path() {
        return path;
    }

    /** The full field path of {@code relative} ({@code key}, {@code key[2]}, {@code key.sub}) in this section. */
    public String field(String relative) {
        if (relative.isEmpty()) {
            return path;
        }
        if (path.isEmpty()) {
            return relative;
        }
        return relative.startsWith("[") ? path + relative : path + "." + relative;
    }

    /** An exception for {@code relative} (see {@link #field(String)}) in this section. */
    public ConfigFileException error(String relative, String reason) {
        return new ConfigFileException(file, field(relative), reason);
    }

    /** True when the key is present with a non-null value. */
    public boolean has(String key) {
        return values.get(key) != null;
    }

    /** The keys in document order. */
    public Set<String> keys() {
        return Collections.unmodifiableSet(values.keySet());
    }

    /** The raw values (text, Boolean, List, Map), for handing to a library parser such as a JWK Set parser. */
    public Map<String, Object> asMap() {
        return Collections.unmodifiableMap(values);
    }

    /** Fails on the first key (in document order) that is not allowed, so typos stop the start. */
    public void rejectUnknownFields(Set<String> allowed) {
        for (String key : values.keySet()) {
            if (!allowed.contains(key)) {
                String suggestion = closest(key, allowed);
                throw error(key, "unknown field" + (suggestion == null
                        ? " (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")"
                        : "; did you mean " + suggestion + "?"));
            }
        }
    }

    public String requiredString(String key) {
        return optionalString(key).orElseThrow(() -> error(key, "is required"));
    }

    /** Empty when absent; when present the value must be non-blank text. */
    public Optional<String> optionalString(String key) {
        Object value = values.get(key);
        return value == null ? Optional.empty() : Optional.of(text(key, value));
    }

    /** A non-empty list of non-blank texts. */
    public List<String> requiredStringList(String key) {
        if (!has(key)) {
            throw error(key, "is required");
        }
        List<String> list = optionalStringList(key);
        if (list.isEmpty()) {
            throw error(key, "must not be empty");
        }
        return list;
    }

    /** Empty when absent; otherwise a (possibly empty) list of non-blank texts. */
    public List<String> optionalStringList(String key) {
        Object value = values.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw error(key, "must be a list, e.g. [a, b]");
        }
        List<String> result = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            result.add(text(key + "[" + i + "]", list.get(i)));
        }
        return List.copyOf(result);
    }

    /** One of {@code allowed} (exact, case-sensitive: the file shows the canonical spelling). */
    public String requiredOneOf(String key, List<String> allowed) {
        String value = requiredString(key);
        return checkOneOf(key, value, allowed);
    }

    public String optionalOneOf(String key, List<String> allowed, String defaultValue) {
        return optionalString(key).map(value -> checkOneOf(key, value, allowed)).orElse(defaultValue);
    }

    public boolean optionalBoolean(String key, boolean defaultValue) {
        Object value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (!(value instanceof Boolean b)) {
            throw error(key, "must be true or false");
        }
        return b;
    }

    public int optionalInt(String key, int defaultValue) {
        Optional<String> value = optionalString(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.get().trim());
        } catch (NumberFormatException e) {
            throw error(key, "must be a whole number");
        }
    }

    /**
     * A text per language, with exactly the given languages, each non-blank. The result keeps the
     * order of {@code languages}.
     */
    public Map<String, String> requiredLanguageMap(String key, List<String> languages) {
        YamlConfigFile section = requiredSection(key);
        for (String language : section.keys()) {
            if (!languages.contains(language)) {
                throw section.error(language, "unknown language (expected " + String.join(", ", languages) + ")");
            }
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (String language : languages) {
            result.put(language, section.requiredString(language));
        }
        return Collections.unmodifiableMap(result);
    }

    /** A mapping of text to text (e.g. a claim mapping); empty when absent. */
    public Map<String, String> optionalStringMap(String key) {
        Optional<YamlConfigFile> section = optionalSection(key);
        if (section.isEmpty()) {
            return Map.of();
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (String name : section.get().keys()) {
            result.put(name, section.get().requiredString(name));
        }
        return Collections.unmodifiableMap(result);
    }

    public YamlConfigFile requiredSection(String key) {
        return optionalSection(key).orElseThrow(() -> error(key, "is required"));
    }

    public Optional<YamlConfigFile> optionalSection(String key) {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        return Optional.of(new YamlConfigFile(file, field(key), asStringKeyedMap(file, field(key), value, "must be a mapping (key: value)")));
    }

    /** A list of mappings, each addressed as {@code key[i]}; empty when absent. */
    public List<YamlConfigFile> sections(String key) {
        Object value = values.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw error(key, "must be a list");
        }
        List<YamlConfigFile> result = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String itemField = field(key + "[" + i + "]");
            result.add(new YamlConfigFile(file, itemField, asStringKeyedMap(file, itemField, list.get(i), "must be a mapping (key: value)")));
        }
        return List.copyOf(result);
    }

    /**
     * A secret, which must be written as a single {@code ${NAME}} reference so that no secret is
     * ever committed with the configuration; resolves it with {@code resolver} (typically
     * {@code environment::resolveRequiredPlaceholders}). Empty when the key is absent.
     *
     * @param example the variable name suggested when a literal is found, e.g. {@code CITY_PORTAL_SECRET}
     */
    public Optional<String> optionalSecret(String key, UnaryOperator<String> resolver, String example) {
        Object raw = values.get(key);
        if (raw == null) {
            return Optional.empty();
        }
        // Do not echo the value in errors: it may be a real secret pasted by mistake.
        if (!(raw instanceof String reference) || !PLACEHOLDER.matcher(reference.trim()).matches()) {
            throw error(key, "secrets must be referenced from the environment, e.g. ${" + example + "}");
        }
        Matcher matcher = PLACEHOLDER.matcher(reference.trim());
        matcher.matches();
        String variable = matcher.group(1);
        String resolved;
        try {
            resolved = resolver.apply(reference.trim());
        } catch (IllegalArgumentException e) {
            resolved = null;
        }
        if (resolved == null || PLACEHOLDER.matcher(resolved).find()) {
            throw error(key, "${" + variable + "} is not set: define the environment variable or property " + variable);
        }
        if (resolved.isBlank()) {
            throw error(key, "${" + variable + "} is empty");
        }
        return Optional.of(resolved);
    }

    private String text(String relative, Object value) {
        if (!(value instanceof String s)) {
            throw error(relative, value == null ? "must not be empty" : "must be text, not " + describe(value));
        }
        if (s.isBlank()) {
            throw error(relative, "must not be blank");
        }
        return s;
    }

    private String checkOneOf(String key, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            throw error(key, "must be one of " + String.join(", ", allowed) + " (found '" + value + "')");
        }
        return value;
    }

    private static Map<String, Object> asStringKeyedMap(String file, String field, Object value, String reason) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new ConfigFileException(file, field, reason);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new ConfigFileException(file, field, "has a key that is not text: " + entry.getKey());
            }
            result.put(key, entry.getValue());
        }
        return result;
    }

    private static String describe(Object value) {
        if (value instanceof Map<?, ?>) {
            return "a mapping";
        }
        if (value instanceof List<?>) {
            return "a list";
        }
        if (value instanceof Boolean) {
            return "true/false (quote it to use it as text)";
        }
        return value.getClass().getSimpleName();
    }

    /** Suggests an allowed name within two edits of a misspelt one. */
    private static String closest(String key, Set<String> allowed) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : new TreeSet<>(allowed)) {
            int distance = distance(key, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** Resolves plain scalars to text except YAML 1.2 booleans, null and merge keys (see class comment). */
    private static final class LiteralResolver extends Resolver {

        private static final Pattern BOOLEAN = Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");

        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, BOOLEAN, "tTfF", 10);
            addImplicitResolver(Tag.MERGE, MERGE, "<", 10);
            addImplicitResolver(Tag.NULL, NULL, "~nN\0", 10);
            addImplicitResolver(Tag.NULL, EMPTY, null, 10);
        }
    }
}
