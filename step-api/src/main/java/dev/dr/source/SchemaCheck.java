package dev.dr.source;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.dr.source.Located;
import dev.dr.source.NodePath;
import dev.dr.source.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * Checks a node against a JSON Schema (2020-12) with networknt and turns each error into a
 * {@link Problem} at the line and column of the offending key or value, in words an
 * operator reads without knowing JSON Schema.
 */
public final class SchemaCheck {

    private final JsonNode schemaJson;
    private final Schema schema;
    private final Problem.Kind kind;

    public SchemaCheck(JsonNode schemaJson, Problem.Kind kind) {
        this.schemaJson = schemaJson;
        this.schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schemaJson);
        this.kind = kind;
    }

    /**
     * @param instance the node to check
     * @param base     where the node stands in the plan (messages name full paths)
     * @param where    positions of plan paths
     */
    public List<Problem> check(JsonNode instance, NodePath base, Function<NodePath, Located> where) {
        List<Problem> out = new ArrayList<>();
        List<Error> errors = schema.validate(instance);
        java.util.Map<String, List<Error>> alternatives = new java.util.LinkedHashMap<>();
        for (Error e : errors) {
            String owner = anyOfOwner(e);
            if (owner != null) {
                alternatives.computeIfAbsent(e.getInstanceLocation() + "\n" + owner, k -> new ArrayList<>()).add(e);
            } else if (!"anyOf".equals(e.getKeyword())) {
                out.add(toProblem(e, instance, base, where));
            }
        }
        alternatives.values().forEach(group -> out.addAll(alternatives(group, instance, base, where)));
        return out;
    }

    /**
     * A value that none of the alternatives of an anyOf accepts (an integer or a ${VAR}
     * expression): the errors of the alternative of the value's own type, else one message
     * naming the types that would do.
     */
    private List<Problem> alternatives(List<Error> group, JsonNode instance, NodePath base,
                                       Function<NodePath, Located> where) {
        List<Problem> out = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (Error e : group) {
            if ("type".equals(e.getKeyword())) {
                types.add(articles(e.getSchemaNode()));
            } else {
                out.add(toProblem(e, instance, base, where));
            }
        }
        if (out.isEmpty()) {
            Error first = group.get(0);
            NodePath at = join(base, first.getInstanceLocation());
            out.add(Problem.error(kind, where.apply(at).value(), at,
                    "expected " + String.join(" or ", types) + ", was " + describe(first.getInstanceNode())));
        }
        return out;
    }

    /** The schema path of the anyOf an error comes from, or null when it comes from none. */
    private static String anyOfOwner(Error e) {
        com.networknt.schema.path.NodePath f = e.getSchemaLocation().getFragment();
        for (int i = f.getNameCount() - 1; i >= 0; i--) {
            if ("anyOf".equals(String.valueOf(f.getElement(i))) && i < f.getNameCount() - 1) {
                StringBuilder b = new StringBuilder();
                for (int j = 0; j < i; j++) {
                    b.append('/').append(f.getElement(j));
                }
                return b.toString();
            }
        }
        return null;
    }

    private Problem toProblem(Error e, JsonNode instance, NodePath base, Function<NodePath, Located> where) {
        NodePath at = join(base, e.getInstanceLocation());
        JsonNode node = e.getInstanceNode();
        JsonNode schemaNode = e.getSchemaNode();
        JsonNode schemaParent = schemaAt(e.getSchemaLocation().getFragment(), 1);
        String keyword = e.getKeyword();
        String message;
        switch (keyword == null ? "" : keyword) {
            case "additionalProperties": {
                String key = e.getProperty();
                NodePath keyPath = at.child(key);
                List<String> allowed = new ArrayList<>();
                JsonNode props = schemaParent == null ? null : schemaParent.get("properties");
                if (props != null) {
                    allowed.addAll(props.propertyNames());
                }
                message = "unknown key '" + key + "'" + Suggestions.hint(key, allowed)
                        + (allowed.isEmpty() ? "" : " (expected one of: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
                return Problem.error(kind, where.apply(keyPath).key(), keyPath, message);
            }
            case "propertyNames": {
                // The offending key is in getProperty(); its allowed values are the enum the
                // propertyNames schema (usually a $ref) names.
                String key = e.getProperty();
                NodePath keyPath = at.child(key);
                JsonNode names = resolve(schemaNode);
                List<String> allowed = new ArrayList<>();
                if (names != null && names.has("enum")) {
                    names.get("enum").forEach(v -> allowed.add(v.asString()));
                }
                message = (allowed.isEmpty() ? "key '" + key + "' is not allowed here"
                        : "expected one of " + String.join(", ", allowed) + "; was '" + key + "'"
                        + Suggestions.hint(key, allowed));
                return Problem.error(kind, where.apply(keyPath).key(), keyPath, message);
            }
            case "required": {
                String key = e.getProperty();
                message = "missing required key '" + key + "'";
                return Problem.error(kind, where.apply(at).value(), at, message);
            }
            case "type":
                message = "expected " + articles(schemaNode) + ", was " + describe(node) + quoteHint(schemaNode, node);
                break;
            case "enum": {
                List<String> values = new ArrayList<>();
                schemaNode.forEach(v -> values.add(v.asString()));
                message = "expected one of " + String.join(", ", values) + "; was " + describe(node)
                        + (node.isString() ? Suggestions.hint(node.asString(), values) : "");
                break;
            }
            case "const":
                message = "expected '" + schemaNode.asString() + "', was " + describe(node);
                break;
            case "pattern": {
                if (schemaParent != null && !schemaParent.has("description") && anyOfOwner(e) != null) {
                    schemaParent = schemaAt(e.getSchemaLocation().getFragment(), 3);
                }
                String expected = schemaParent != null && schemaParent.has("description")
                        ? lowerFirst(stripDot(schemaParent.get("description").asString()))
                        : "a value matching " + schemaNode.asString();
                message = "expected " + expected + "; was " + describe(node);
                break;
            }
            case "minimum":
            case "maximum": {
                JsonNode min = schemaParent == null ? null : schemaParent.get("minimum");
                JsonNode max = schemaParent == null ? null : schemaParent.get("maximum");
                if (min != null && max != null) {
                    message = "must be between " + min.asString() + " and " + max.asString() + ", was " + node.asString();
                } else {
                    message = "must be " + (min != null ? ">= " + min.asString() : "<= " + max.asString()) + ", was " + node.asString();
                }
                break;
            }
            case "minItems":
                message = "must have at least " + schemaNode.asString() + " item" + ("1".equals(schemaNode.asString()) ? "" : "s");
                break;
            case "uniqueItems":
                message = "items must be unique; " + describe(node) + " repeats a value";
                break;
            case "minLength":
                message = "must not be empty";
                break;
            default:
                message = e.getMessage().replaceFirst("^\\S+: ", "");
        }
        return Problem.error(kind, where.apply(at).value(), at, message);
    }

    /** Follows a local {@code $ref} ("#/$defs/x") inside this schema. */
    private JsonNode resolve(JsonNode node) {
        if (node != null && node.has("$ref") && node.get("$ref").asString().startsWith("#/")) {
            return schemaJson.at(node.get("$ref").asString().substring(1));
        }
        return node;
    }

    private JsonNode schemaAt(com.networknt.schema.path.NodePath fragment, int dropLast) {
        JsonNode n = schemaJson;
        for (int i = 0; i < fragment.getNameCount() - dropLast && n != null; i++) {
            Object el = fragment.getElement(i);
            n = el instanceof Integer idx ? n.get(idx) : n.get(el.toString());
        }
        return n;
    }

    private static NodePath join(NodePath base, com.networknt.schema.path.NodePath p) {
        NodePath out = base;
        for (int i = 0; i < p.getNameCount(); i++) {
            Object el = p.getElement(i);
            out = el instanceof Integer idx ? out.child(idx) : out.child(el.toString());
        }
        return out;
    }

    static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        if (n.isNull()) {
            return "null (an empty value)";
        }
        if (n.isString()) {
            return "'" + n.asString() + "'";
        }
        if (n.isNumber()) {
            return "the number " + n.asString();
        }
        if (n.isBoolean()) {
            return "the boolean " + n.asString();
        }
        if (n.isArray()) {
            return "a list [" + n.valueStream().map(SchemaCheck::describeShort).collect(Collectors.joining(", ")) + "]";
        }
        return "a map";
    }

    private static String describeShort(JsonNode n) {
        return n.isString() ? n.asString() : n.toString();
    }

    private static String quoteHint(JsonNode type, JsonNode node) {
        if ("string".equals(type.asString()) && node != null && (node.isNumber() || node.isBoolean())) {
            return " (quote it: \"" + node.asString() + "\")";
        }
        return "";
    }

    /** "an integer", or "an integer or a string" for a list of types. */
    private static String articles(JsonNode type) {
        if (!type.isArray()) {
            return article(type.asString());
        }
        List<String> out = new ArrayList<>();
        type.forEach(t -> out.add(article(t.asString())));
        return String.join(" or ", out);
    }

    private static String article(String type) {
        return switch (type) {
            case "object" -> "a map";
            case "array" -> "a list";
            case "integer" -> "an integer";
            case "string" -> "a string";
            case "boolean" -> "a boolean (true or false)";
            case "number" -> "a number";
            default -> type;
        };
    }

    private static String stripDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() || (s.length() > 1 && Character.isUpperCase(s.charAt(1)))
                ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
