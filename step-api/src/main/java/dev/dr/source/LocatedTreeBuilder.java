package dev.dr.source;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds a tree from a token stream, remembering the line and column of every key and value, so
 * that problems found in the tree later can point into the file. Both plans (YAML) and backup
 * metadata (JSON) are read with it. A databind mapper would lose the positions.
 *
 * <p>It refuses, as issues, what a reader could misread: a key twice (where the parser lets it
 * through), nesting past a limit, and token kinds outside plain values, lists and maps. One
 * instance per document.
 */
public final class LocatedTreeBuilder {

    /** A problem with the document: where, at which path, and what is wrong. */
    public record Issue(SourcePos at, NodePath path, String message) {}

    /** A check of each value before it is read, e.g. YAML's refusal of anchors and tags. */
    @FunctionalInterface
    public interface ValueCheck {
        void check(JsonParser p, NodePath path, SourcePos at, List<Issue> issues);
    }

    /** Ends reading at the nesting limit; the issue is already recorded. */
    public static final class TooDeep extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooDeep() {
            super(null, null, false, false);
        }
    }

    private final String origin;
    private final String format;
    private final int maxDepth;
    private final ValueCheck check;
    private final Map<NodePath, Located> positions = new HashMap<>();
    private final List<Issue> issues = new ArrayList<>();
    private final JsonNodeFactory nodes = JsonNodeFactory.instance;

    /**
     * @param origin   names the document in every position
     * @param format   the format's name for messages, e.g. {@code YAML}
     * @param maxDepth how deep values may nest below the root
     * @param check    run on every value before it is read
     */
    public LocatedTreeBuilder(String origin, String format, int maxDepth, ValueCheck check) {
        this.origin = origin;
        this.format = format;
        this.maxDepth = maxDepth;
        this.check = check;
    }

    public SourcePos pos(TokenStreamLocation loc) {
        return new SourcePos(origin, Math.max(1, loc.getLineNr()), Math.max(1, loc.getColumnNr()));
    }

    /** Where each node read so far stands. */
    public Map<NodePath, Located> positions() {
        return positions;
    }

    /** The issues found so far, in the order found. */
    public List<Issue> issues() {
        return issues;
    }

    /**
     * Reads the value at the parser's current token, and all below it.
     *
     * @throws TooDeep at the nesting limit: reading on would only hit the parser's own, vaguer limit
     */
    public JsonNode value(JsonParser p, NodePath path, int depth, SourcePos keyPos) {
        SourcePos at = pos(p.currentTokenLocation());
        positions.put(path, new Located(keyPos, at));
        check.check(p, path, at, issues);
        if (depth > maxDepth) {
            issues.add(new Issue(at, path, "nesting deeper than " + maxDepth + " levels"));
            throw new TooDeep();
        }
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                ObjectNode obj = nodes.objectNode();
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String key = p.currentName();
                    SourcePos kp = pos(p.currentTokenLocation());
                    p.nextToken();
                    NodePath child = path.child(key);
                    if (obj.has(key)) {
                        Located first = positions.get(child);
                        issues.add(new Issue(kp, child, "duplicate key '" + key + "' (first at line " + first.key().line()
                                + "); each key may appear once"));
                        p.skipChildren();
                        continue;
                    }
                    obj.set(key, value(p, child, depth + 1, kp));
                }
                return obj;
            }
            case START_ARRAY: {
                ArrayNode arr = nodes.arrayNode();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    arr.add(value(p, path.child(i), depth + 1, null));
                    i++;
                }
                return arr;
            }
            case VALUE_STRING:
                return nodes.stringNode(p.getString());
            case VALUE_NUMBER_INT:
                return nodes.numberNode(p.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT:
                return nodes.numberNode(p.getDecimalValue());
            case VALUE_TRUE:
            case VALUE_FALSE:
                return nodes.booleanNode(t == JsonToken.VALUE_TRUE);
            case VALUE_NULL:
                return nodes.nullNode();
            default:
                issues.add(new Issue(at, path, "unsupported " + format + " value (" + t
                        + "); use plain strings, numbers, booleans, lists and maps"));
                return nodes.nullNode();
        }
    }
}
