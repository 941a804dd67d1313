package io.passerelle.issuer;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import io.passerelle.identity.FormerTypeNames;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;

/**
 * The JSON Passerelle writes into the authorization table's {@code attributes} and {@code *_metadata}
 * columns. Spring Authorization Server's own format types every value ({@code @class}) and reading it
 * back builds new Jackson deserializers for each typed map (they are not cacheable), which made
 * authorization reads one of the most expensive steps of a login. Here the values the server actually
 * stores (strings, numbers, booleans, lists, sets, maps, instants, dates, URLs, string arrays and the
 * authorization request) are written as plain JSON, with a one-key tag object ({@code {"@set": [...]}})
 * where plain JSON would lose the Java type. Anything else (the signed-in principal) is written by the
 * server's allowlisting mapper and read back through it, so no type is instantiated from the database
 * that the allowlist does not permit.
 *
 * <p>Rows written by the server's own service (values starting with {@code {"@class"}) are still read,
 * with the allowlisting mapper: authorizations stored before this format keep working.
 */
final class AuthorizationJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final TypeReference<Map<String, Object>> LEGACY_MAP = new TypeReference<>() { };
    private static final String LEGACY_PREFIX = "{\"@class\"";

    private final JsonMapper plain = JsonMapper.builder().build();
    private final JsonMapper typed;
    private final ObjectWriter typedWriter;
    private final ObjectReader typedReader;

    /** @param typed the allowlisting mapper (Spring Security's modules) for the values this class does not know */
    AuthorizationJson(JsonMapper typed) {
        this.typed = typed;
        this.typedWriter = typed.writerFor(Object.class);
        this.typedReader = typed.readerFor(Object.class);
    }

    String write(Map<String, Object> map) {
        return map == null || map.isEmpty() ? null : plain.writeValueAsString(object(map));
    }

    Map<String, Object> read(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        if (json.startsWith(LEGACY_PREFIX)) {
            for (Map.Entry<String, String> moved : FormerTypeNames.CURRENT.entrySet()) {
                json = json.replace('"' + moved.getKey() + '"', '"' + moved.getValue() + '"');
            }
            return typed.readValue(json, LEGACY_MAP);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value(plain.readTree(json));
        return map;
    }

    private ObjectNode object(Map<?, ?> map) {
        ObjectNode node = NODES.objectNode();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            node.set((String) entry.getKey(), node(entry.getValue()));
        }
        boolean tagLike = map.keySet().stream().anyMatch(key -> ((String) key).startsWith("@"));
        // A map with a key that looks like a tag (or the legacy format's @class) is wrapped, so that it
        // cannot be read back as a tag nor taken for a row the server wrote.
        return tagLike ? tag("@map", node) : node;
    }

    private JsonNode node(Object value) {
        return switch (value) {
            case null -> NODES.nullNode();
            case String s -> NODES.stringNode(s);
            case Boolean b -> NODES.booleanNode(b);
            case Integer i -> NODES.numberNode(i);
            case Long l -> NODES.numberNode(l);
            case Double d -> NODES.numberNode(d);
            case Instant i -> tag("@instant", NODES.arrayNode().add(i.getEpochSecond()).add(i.getNano()));
            case Date d -> tag("@date", NODES.numberNode(d.getTime()));
            case URL u -> tag("@url", NODES.stringNode(u.toExternalForm()));
            case String[] a -> tag("@strings", array(List.of(a)));
            case Set<?> s -> tag("@set", array(s));
            case List<?> l -> array(l);
            case Map<?, ?> m when m.keySet().stream().allMatch(String.class::isInstance) -> object(m);
            case OAuth2AuthorizationRequest r when AuthorizationGrantType.AUTHORIZATION_CODE.equals(
                    r.getGrantType()) -> tag("@authorizationRequest", request(r));
            // Embedded as JSON, not as a string: the principal's fields stay readable in the column.
            default -> tag("@typed", typedWriter.valueToTree(value));
        };
    }

    private ArrayNode array(Collection<?> values) {
        ArrayNode array = NODES.arrayNode();
        values.forEach(v -> array.add(node(v)));
        return array;
    }

    private static ObjectNode tag(String name, JsonNode value) {
        ObjectNode node = NODES.objectNode();
        node.set(name, value);
        return node;
    }

    private ObjectNode request(OAuth2AuthorizationRequest r) {
        ObjectNode node = NODES.objectNode();
        node.put("authorizationUri", r.getAuthorizationUri());
        node.put("clientId", r.getClientId());
        node.put("redirectUri", r.getRedirectUri());
        node.set("scopes", array(r.getScopes()));
        node.put("state", r.getState());
        node.set("additionalParameters", object(r.getAdditionalParameters()));
        node.put("authorizationRequestUri", r.getAuthorizationRequestUri());
        node.set("attributes", object(r.getAttributes()));
        return node;
    }

    private Object value(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isString()) {
            return node.stringValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToInt() ? (Object) node.intValue() : (Object) node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isArray()) {
            return Collections.unmodifiableList(list(node));
        }
        if (node.size() == 1) {
            Map.Entry<String, JsonNode> only = node.properties().iterator().next();
            if (only.getKey().startsWith("@")) {
                return tagged(only.getKey(), only.getValue());
            }
        }
        return map(node);
    }

    private Object tagged(String tag, JsonNode value) {
        return switch (tag) {
            case "@instant" -> Instant.ofEpochSecond(value.get(0).longValue(), value.get(1).intValue());
            case "@date" -> new Date(value.longValue());
            case "@url" -> url(value.stringValue());
            case "@strings" -> list(value).stream().map(String.class::cast).toArray(String[]::new);
            case "@set" -> Collections.unmodifiableSet(new LinkedHashSet<>(list(value)));
            case "@map" -> map(value);
            case "@authorizationRequest" -> request(value);
            case "@typed" -> typedReader.readValue(withCurrentTypeName(value));
            default -> throw new IllegalArgumentException("unknown stored value tag " + tag);
        };
    }

    /** A value stored under a type's former name ({@link FormerTypeNames}) is read as the current type. */
    private static JsonNode withCurrentTypeName(JsonNode value) {
        if (value instanceof ObjectNode object && object.get("@class") instanceof JsonNode name && name.isString()
                && FormerTypeNames.CURRENT.containsKey(name.stringValue())) {
            ObjectNode renamed = object.deepCopy();
            renamed.put("@class", FormerTypeNames.current(name.stringValue()));
            return renamed;
        }
        return value;
    }

    private List<Object> list(JsonNode array) {
        List<Object> list = new ArrayList<>(array.size());
        array.values().forEach(v -> list.add(value(v)));
        return list;
    }

    private Map<String, Object> map(JsonNode object) {
        Map<String, Object> map = new LinkedHashMap<>();
        object.properties().forEach(e -> map.put(e.getKey(), value(e.getValue())));
        return Collections.unmodifiableMap(map);
    }

    @SuppressWarnings("unchecked")
    private OAuth2AuthorizationRequest request(JsonNode node) {
        OAuth2AuthorizationRequest.Builder builder = OAuth2AuthorizationRequest.authorizationCode()
                .authorizationUri(text(node, "authorizationUri"))
                .clientId(text(node, "clientId"))
                .redirectUri(text(node, "redirectUri"))
                .scopes(new LinkedHashSet<>((List<String>) (List<?>) list(node.get("scopes"))))
                .state(text(node, "state"))
                .additionalParameters(map(node.get("additionalParameters")))
                .attributes(map(node.get("attributes")));
        String requestUri = text(node, "authorizationRequestUri");
        if (requestUri != null) {
            builder.authorizationRequestUri(requestUri);
        }
        return builder.build();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.stringValue();
    }

    private static URL url(String value) {
        try {
            return URI.create(value).toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("stored URL is malformed", e);
        }
    }
}
