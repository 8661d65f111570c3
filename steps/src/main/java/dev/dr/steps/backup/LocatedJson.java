package dev.dr.steps.backup;

import dev.dr.source.LocatedTreeBuilder;
import dev.dr.source.NodePath;
import dev.dr.source.SourceDoc;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
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
        LocatedTreeBuilder b = new LocatedTreeBuilder(origin, "JSON", MAX_DEPTH, (p, path, at, issues) -> { });
        try (JsonParser p = factory.createParser(ObjectReadContext.empty(), bytes)) {
            if (p.nextToken() == null) {
                throw new BackupRefused(origin + ": empty; expected a JSON object with schema_version, backup_id, created_at and objects");
            }
            JsonNode root = b.value(p, NodePath.ROOT, 0, null);
            refuseIssues(b);
            if (p.nextToken() != null) {
                throw new BackupRefused(b.pos(p.currentTokenLocation())
                        + ": more after the end of the JSON document; it holds exactly one object");
            }
            if (!(root instanceof ObjectNode obj)) {
                // the schema would say the same, but the tree below must be an object
                throw new BackupRefused(b.positions().get(NodePath.ROOT).value()
                        + ": expected a JSON object with schema_version, backup_id, created_at and objects");
            }
            return new SourceDoc(null, origin, obj, b.positions());
        } catch (LocatedTreeBuilder.TooDeep e) {
            refuseIssues(b);
            throw new IllegalStateException("nesting limit reached without an issue", e);
        } catch (JacksonException e) {
            TokenStreamLocation loc = e.getLocation();
            String where = loc == null ? origin : b.pos(loc).toString();
            throw new BackupRefused(where + ": not valid JSON: " + firstLine(e.getOriginalMessage()), e);
        }
    }

    private static void refuseIssues(LocatedTreeBuilder b) throws BackupRefused {
        if (!b.issues().isEmpty()) {
            LocatedTreeBuilder.Issue first = b.issues().get(0);
            throw new BackupRefused(first.at() + ": " + first.message());
        }
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
