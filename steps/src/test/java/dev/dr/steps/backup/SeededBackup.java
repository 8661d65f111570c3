package dev.dr.steps.backup;

import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Uri;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A good backup in S3 for the backup steps' contract tests: state, one manifest, metadata.json. */
final class SeededBackup {
    static final S3Uri URI = S3Uri.parse("s3://drill-artifacts/jobintel/backups/b7");

    private SeededBackup() {}

    static void seed(S3Objects s3) throws Exception {
        byte[] state = Archives.tarZst(Map.of("db/snapshot.jsonl", "{\"id\": 1}\n", "cursors/daily.json", "{\"last\": 1}\n"));
        byte[] manifests = Archives.tarZst(Map.of("30-index.yaml", String.join("\n", "apiVersion: v1", "kind: ConfigMap",
                "metadata: {name: jobintel-state-index}", "data: {snapshot: db/snapshot.jsonl}", "")));
        s3.put(URI.resolve("state.tar.zst"), state, "application/zstd");
        s3.put(URI.resolve("manifests.tar.zst"), manifests, "application/zstd");
        s3.put(URI.resolve("metadata.json"), Archives.metadataJson("b7", Archives.object("state.tar.zst", state),
                Archives.object("manifests.tar.zst", manifests)).getBytes(StandardCharsets.UTF_8), "application/json");
    }
}
