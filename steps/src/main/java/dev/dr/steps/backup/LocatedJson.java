package dev.dr.steps.backup;

import dev.dr.plan.source.Located;
import dev.dr.plan.source.NodePath;
import dev.dr.plan.source.SourceDoc;
import dev.dr.plan.source.SourcePos;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a small JSON document into a tree that remembers the line and column of every key and
 * value, so schema problems point into the file. Strict JSON, not YAML: a document the backup
 * job wrote must parse as JSON everywhere, and a duplicate key would make one of its values
 * silently win.
 */
final class LocatedJson {
    private static final int MAX_DEPTH = 32;

    private LocatedJson() {}

    /** The document as a tree with positions; {@code origin} names it in every message. */
    static SourceDoc read(byte[] bytes, String origin) throws BackupRefused {
        JsonFactory factory = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        Map<NodePath, Located> positions = new HashMap<>();
        try (JsonParser p = factory.createParser(ObjectReadContext.empty(), bytes)) {
            if (p.nextToken() == null) {
                throw new BackupRefused(origin + ": empty; expected a JSON object with schema_version, backup_id, created_at and objects");
            }
            JsonNode root = value(p, NodePath.ROOT, null, positions, origin, 0);
            if (p.nextToken() != null) {
                throw new BackupRefused(at(origin, p.currentTokenLocation())
                        + ": more after the end of the JSON document; it holds exactly one object");
            }
            if (!(root instanceof ObjectNode obj)) {
                // the schema would say the same, but the tree below must be an object
                throw new BackupRefused(positions.get(NodePath.ROOT).value()
                        + ": expected a JSON object with schema_version, backup_id, created_at and objects");
            }
            return new SourceDoc(null, origin, obj, positions);
        } catch (JacksonException e) {
            TokenStreamLocation loc = e.getLocation();
            String where = loc == null ? origin : at(origin, loc);
            throw new BackupRefused(where + ": not valid JSON: " + firstLine(e.getOriginalMessage()), e);
        }
    }

    private static JsonNode value(JsonParser p, NodePath path, SourcePos keyPos, Map<NodePath, Located> positions,
            String origin, int depth) throws BackupRefused {
        TokenStreamLocation loc = p.currentTokenLocation();
        SourcePos here = pos(origin, loc);
        positions.put(path, new Located(keyPos, here));
        if (depth > MAX_DEPTH) {
            throw new BackupRefused(here + ": nested deeper than " + MAX_DEPTH + " levels");
        }
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                ObjectNode obj = nodes.objectNode();
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String key = p.currentName();
                    SourcePos kp = pos(origin, p.currentTokenLocation());
                    p.nextToken();
                    obj.set(key, value(p, path.child(key), kp, positions, origin, depth + 1));
                }
                return obj;
            }
            case START_ARRAY: {
                ArrayNode arr = nodes.arrayNode();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    arr.add(value(p, path.child(i++), null, positions, origin, depth + 1));
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
                throw new BackupRefused(here + ": unexpected JSON token " + t);
        }
    }

    private static SourcePos pos(String origin, TokenStreamLocation loc) {
        return new SourcePos(origin, Math.max(1, loc.getLineNr()), Math.max(1, loc.getColumnNr()));
    }

    private static String at(String origin, TokenStreamLocation loc) {
        return pos(origin, loc).toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable input";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip();
    }
}
