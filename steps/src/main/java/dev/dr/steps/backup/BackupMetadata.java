package dev.dr.steps.backup;

import dev.dr.json.JsonTrees;
import dev.dr.source.NodePath;
import dev.dr.source.Problem;
import dev.dr.source.SchemaCheck;
import dev.dr.source.SourceDoc;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * A backup's metadata.json, checked against {@code dr/schemas/backup-metadata.schema.json}.
 *
 * @param backupId  the backup's id, the last segment of its backupUri
 * @param createdAt when the backup was taken (RFC 3339), as written
 * @param state     state.tar.zst: the application state
 * @param manifests manifests.tar.zst: the Kubernetes manifests
 */
public record BackupMetadata(String backupId, String createdAt, BackupObject state, BackupObject manifests) {

    public static final String METADATA = "metadata.json";
    public static final String STATE = "state.tar.zst";
    public static final String MANIFESTS = "manifests.tar.zst";
    public static final String SCHEMA_RESOURCE = "dr/schemas/backup-metadata.schema.json";

    /** Both archives, state first. */
    public List<BackupObject> archives() {
        return List.of(state, manifests);
    }

    /**
     * Parses and checks a metadata.json.
     *
     * @param origin names the document in messages, e.g. its s3:// URI
     * @throws BackupRefused when it is not JSON or breaks the schema; the message lists every
     *                       problem, one per line, each as {@code origin:line:column: field: what was expected}
     */
    public static BackupMetadata parse(byte[] json, String origin) throws BackupRefused {
        SourceDoc doc = LocatedJson.read(json, origin);
        List<Problem> problems = new ArrayList<>(new SchemaCheck(schema(), Problem.Kind.SCHEMA)
                .check(doc.root(), NodePath.ROOT, doc::at));
        if (problems.isEmpty()) {
            // the schema allows any integer; a size must also fit in a long
            for (String name : List.of(STATE, MANIFESTS)) {
                JsonNode size = doc.root().at("/objects/" + name + "/size");
                if (!size.canConvertToLong()) {
                    NodePath at = NodePath.of("objects", name, "size");
                    problems.add(Problem.error(Problem.Kind.SCHEMA, doc.at(at).value(), at,
                            "expected a size in bytes below 2^63, was the number " + size.asString()));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new BackupRefused(problems.stream().sorted().map(Problem::toString).collect(Collectors.joining("\n")));
        }
        JsonNode root = doc.root();
        return new BackupMetadata(root.get("backup_id").asString(), root.get("created_at").asString(),
                object(root, STATE), object(root, MANIFESTS));
    }

    private static BackupObject object(JsonNode root, String name) {
        JsonNode o = root.get("objects").get(name);
        return new BackupObject(name, o.get("sha256").asString(), o.get("size").asLong());
    }

    /** The schema as shipped; read per parse, since a restore parses one document. */
    static JsonNode schema() {
        try (InputStream in = BackupMetadata.class.getClassLoader().getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + SCHEMA_RESOURCE);
            }
            return JsonTrees.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
