package dev.dr.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * How a JSON Schema fragment reads in a table: its type in words, with links to the named
 * types ({@code $defs}) of the page. Used for the plan schema and the steps' settings schemas.
 */
final class SchemaText {

    static final String DEFS = "#/$defs/";

    private final JsonNode root;

    /** @param root the schema whose {@code $defs} the {@code $ref}s point into (may be empty) */
    SchemaText(JsonNode root) {
        this.root = root;
    }

    /** The named type a {@code $ref} points at, or null. */
    String refName(JsonNode schema) {
        String ref = schema.path("$ref").asString("");
        return ref.startsWith(DEFS) ? ref.substring(DEFS.length()) : null;
    }

    JsonNode def(String name) {
        JsonNode d = root.path("$defs").path(name);
        if (d.isMissingNode()) {
            throw new IllegalArgumentException("no $defs/" + name + " in the schema");
        }
        return d;
    }

    static boolean isObject(JsonNode schema) {
        return "object".equals(schema.path("type").asString("")) || schema.has("properties");
    }

    /** Anchor of the table of an object type of $defs. */
    static String defAnchor(String name) {
        return "def-" + name.toLowerCase(Locale.ROOT);
    }

    /** Anchor of the row of a value type in the value types table. */
    static String valueAnchor(String name) {
        return "type-" + name.toLowerCase(Locale.ROOT);
    }

    String type(JsonNode s) {
        String ref = refName(s);
        if (ref != null) {
            JsonNode d = def(ref);
            return isObject(d) ? "[" + Markdown.code(ref) + "](#" + defAnchor(ref) + ") map"
                    : "[" + Markdown.code(ref) + "](#" + valueAnchor(ref) + ")";
        }
        if (s.has("const")) {
            return Markdown.code(s.get("const").asString(s.get("const").toString()));
        }
        if (s.has("enum")) {
            List<String> values = new ArrayList<>();
            s.get("enum").forEach(v -> values.add(Markdown.code(v.isString() ? v.asString() : v.toString())));
            return Markdown.either(values, "or");
        }
        if (s.has("anyOf")) {
            // e.g. an integer field that may be a ${VAR} expression
            List<String> alternatives = new ArrayList<>();
            s.get("anyOf").forEach(each -> alternatives.add(type(each)));
            return String.join(", or ", alternatives);
        }
        String t = s.path("type").asString("");
        switch (t) {
            case "object":
                return mapType(s);
            case "array": {
                StringBuilder b = new StringBuilder("list of ").append(s.has("items") ? type(s.get("items")) : "values");
                if (s.path("minItems").asInt(0) > 0) {
                    b.append(", at least ").append(s.get("minItems").asInt());
                }
                if (s.path("uniqueItems").asBoolean(false)) {
                    b.append(", no repeats");
                }
                return b.toString();
            }
            case "string":
                return s.has("pattern") ? "string matching " + Markdown.code(s.get("pattern").asString()) : "string";
            case "integer":
            case "number":
                return t + range(s);
            case "boolean":
                return "boolean";
            case "":
                return s.has("properties") ? "map" : "any";
            default:
                return t;
        }
    }

    private String mapType(JsonNode s) {
        JsonNode extra = s.path("additionalProperties");
        StringBuilder b = new StringBuilder();
        if (extra.isObject()) {
            b.append("map from ").append(s.has("propertyNames") ? type(s.get("propertyNames")) : "string")
                    .append(" to ").append(type(extra));
        } else if (s.has("properties") && !s.get("properties").isEmpty()) {
            List<String> keys = new ArrayList<>();
            s.get("properties").propertyNames().forEach(k -> keys.add(Markdown.code(k)));
            b.append("map with ").append(Markdown.either(keys, "and"));
        } else {
            b.append("map");
        }
        if (s.path("minProperties").asInt(0) > 0) {
            b.append(", at least ").append(s.get("minProperties").asInt()).append(s.get("minProperties").asInt() == 1
                    ? " entry" : " entries");
        }
        return b.toString();
    }

    private static String range(JsonNode s) {
        boolean min = s.has("minimum");
        boolean max = s.has("maximum");
        if (min && max) {
            return ", " + s.get("minimum").asString() + " to " + s.get("maximum").asString();
        }
        if (min) {
            return ", at least " + s.get("minimum").asString();
        }
        if (max) {
            return ", at most " + s.get("maximum").asString();
        }
        return "";
    }

    /** The description of a property, else of the type it refers to. */
    String description(JsonNode s) {
        if (s.has("description")) {
            return s.get("description").asString();
        }
        String ref = refName(s);
        return ref == null ? "" : def(ref).path("description").asString("");
    }

    /** A default written in the schema, as a code span of its JSON, or null. */
    static String schemaDefault(JsonNode s) {
        if (!s.has("default")) {
            return null;
        }
        JsonNode d = s.get("default");
        return Markdown.code(d.isString() ? d.asString() : dev.dr.json.JsonTrees.compact(d));
    }
}
