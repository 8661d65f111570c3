package dev.dr.steps.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.aws.S3Clients;
import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Settings;
import dev.dr.aws.S3Uri;
import dev.dr.cli.DrRun;
import dev.dr.json.JsonTrees;
import dev.dr.sandbox.DefaultingApiServer;
import dev.dr.sandbox.LocalS3;
import dev.dr.steps.EarlierRun;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * backup.verify-contract and backup.restore through dr apply, against S3Proxy and fabric8's
 * mock API server in CRUD mode: a good backup lands, a broken one is refused before the
 * phase's first mutation.
 */
@ExtendWith(DefaultingApiServer.class)
class BackupStepsTest {

    static final S3Uri BACKUP = S3Uri.parse("s3://drill-artifacts/jobintel/backups/b7");

    KubernetesMockServer server;
    KubernetesClient client;
    LocalS3 s3;

    @TempDir
    Path dir;

    Path earlier;
    byte[] state;
    byte[] manifests;

    @BeforeEach
    void setUp() throws Exception {
        s3 = LocalS3.start(null);
        s3.createBucket("drill-artifacts");
        Map<String, String> stateFiles = new TreeMap<>(Map.of("db/snapshot.jsonl", "{\"id\": 1}\n", "cursors/daily.json", "{\"last\": 1}\n"));
        state = Archives.tarZst(stateFiles);
        manifests = Archives.tarZst(Map.of("30-index.yaml", String.join("\n", "apiVersion: v1", "kind: ConfigMap",
                "metadata: {name: jobintel-state-index}", "data: {snapshot: db/snapshot.jsonl}", "")));
        earlier = earlierRun();
    }

    @AfterEach
    void stop() throws Exception {
        s3.close();
    }

    S3Objects objects() {
        return new S3Objects(S3Clients.open(new S3Settings(Optional.of("us-east-1"), Optional.of(s3.endpoint()), true), false));
    }

    void seed(byte[] stateBytes, BackupObject stateMeta) throws Exception {
        try (S3Objects o = objects()) {
            o.put(BACKUP.resolve("state.tar.zst"), stateBytes, "application/zstd");
            o.put(BACKUP.resolve("manifests.tar.zst"), manifests, "application/zstd");
            o.put(BACKUP.resolve("metadata.json"), Archives.metadataJson("b7", stateMeta,
                    Archives.object("manifests.tar.zst", manifests)).getBytes(StandardCharsets.UTF_8), "application/json");
        }
    }

    Path earlierRun() throws Exception {
        Path kubeconfig = EarlierRun.kubeconfig(dir.resolve("kubeconfig.yaml"), client.getMasterUrl().toString());
        return EarlierRun.write(dir.resolve("receipts"), "bringup-run",
                Map.of("kubeconfig", kubeconfig.toString(), "s3.endpoint", s3.endpoint().toString()));
    }

    Path plan() throws Exception {
        Path f = dir.resolve("restore.yaml");
        Files.writeString(f, String.join("\n", "apiVersion: dr/v1", "kind: DrillPlan", "metadata: {name: backup-test}",
                "target: {accountId: \"048622080012\", region: us-east-1, namespace: jobintel, environment: sandbox}",
                "inputs: {backupUri: \"" + BACKUP + "\"}",
                "sizing: {instanceType: t4g.medium}",
                "run: {fromReceipt: \"" + earlier + "\", receiptDir: \"" + dir.resolve("receipts") + "\"}",
                "phases:",
                "  - name: restore",
                "    steps:",
                "      - uses: backup.verify-contract",
                "      - uses: k8s.namespace",
                "      - uses: backup.restore",
                "        with: {stateDestination: \"" + dir.resolve("dr-state") + "\"}", ""));
        return f;
    }

    DrRun dr(String... args) {
        return DrRun.in(dir, Map.of("DR_LOCK_DIR", dir.resolve("locks").toString(), "RUN_ID", "r1"), args);
    }

    @Test
    void aGoodBackupIsPreviewedThenRestoredAndReceipted() throws Exception {
        seed(state, Archives.object("state.tar.zst", state));
        DrRun preview = dr("plan", plan().toString());
        assertThat(preview.exit()).as(preview.err()).isZero();
        assertThat(preview.out()).contains("= unchanged read " + BACKUP + "/state.tar.zst (" + state.length + " B, sha256 "
                        + Archives.sha256(state) + ")")
                .contains("~ update state at " + dir.resolve("dr-state") + " from " + BACKUP + "/state.tar.zst");

        DrRun r = dr("apply", plan().toString(), "--yes");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("restore: state.tar.zst: " + state.length + " B of " + state.length + " B");
        assertThat(dir.resolve("dr-state/db/snapshot.jsonl")).hasContent("{\"id\": 1}");
        assertThat(client.configMaps().inNamespace("jobintel").withName("jobintel-state-index").get().getData())
                .containsEntry("snapshot", "db/snapshot.jsonl");
        var outputs = JsonTrees.read(Files.readString(dir.resolve("receipts/r1/phases/restore.json"))).get("outputs");
        assertThat(outputs.get("state.sha256").asString()).isEqualTo(Archives.sha256(state));
        assertThat(outputs.get("state.files").asString()).isEqualTo("2");
        assertThat(outputs.get("manifests.applied").asString()).isEqualTo("1");
    }

    @Test
    void aTruncatedStateObjectIsRefusedBeforeTheFirstMutation() throws Exception {
        byte[] cut = java.util.Arrays.copyOf(state, state.length / 2);
        seed(cut, Archives.object("state.tar.zst", state));
        DrRun r = dr("apply", plan().toString(), "--yes");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("restore: attempt 1 failed (permanent: backup " + BACKUP + " refused: " + BACKUP
                + "/state.tar.zst: " + cut.length + " bytes, metadata.json says " + state.length + " (truncated?)");
        assertThat(client.namespaces().withName("jobintel").get()).as("nothing changed").isNull();
        assertThat(dir.resolve("dr-state")).doesNotExist();
    }

    @Test
    void aStateObjectWhoseHashDiffersLeavesTheDestinationUntouched() throws Exception {
        byte[] other = Archives.tarZst(Map.of("db/snapshot.jsonl", "{\"id\": 2}\n", "cursors/daily.json", "{\"last\": 9}\n"));
        // same size as metadata.json says, different bytes: only the streamed hash can tell
        BackupObject claimed = new BackupObject("state.tar.zst", Archives.sha256(state), other.length);
        seed(other, claimed);
        Files.createDirectories(dir.resolve("dr-state"));
        Files.writeString(dir.resolve("dr-state/kept.txt"), "from the last restore");
        DrRun r = dr("apply", plan().toString(), "--yes");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("state.tar.zst: sha256 " + Archives.sha256(other) + " does not match metadata.json's "
                + Archives.sha256(state));
        assertThat(dir.resolve("dr-state/kept.txt")).hasContent("from the last restore");
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("dr-staging"));
        }
        assertThat(client.configMaps().inNamespace("jobintel").withName("jobintel-state-index").get())
                .as("manifests are applied only after the state verified").isNull();
    }
}
