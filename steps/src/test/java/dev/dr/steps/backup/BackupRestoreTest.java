package dev.dr.steps.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.aws.S3Clients;
import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Settings;
import dev.dr.aws.S3Uri;
import dev.dr.sandbox.LocalS3;
import dev.dr.step.StepFailure;
import dev.dr.steps.k8s.ManifestCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What backup.restore reads, in its order, against S3Proxy: the step and the restore benchmark both run it. */
class BackupRestoreTest {
    static final S3Uri BACKUP = S3Uri.parse("s3://drill-artifacts/jobintel/backups/b9");

    @TempDir
    Path dir;

    LocalS3 server;
    S3Objects s3;
    byte[] state;
    byte[] manifests;

    @BeforeEach
    void setUp() throws Exception {
        server = LocalS3.start(null);
        server.createBucket("drill-artifacts");
        s3 = new S3Objects(S3Clients.open(new S3Settings(Optional.of("us-east-1"), Optional.of(server.endpoint()), true), false));
        state = Archives.tarZst(Map.of("db/snapshot.jsonl", "{\"id\": 1}\n", "cursors/daily.json", "{\"last\": 1}\n"));
        manifests = Archives.tarZst(Map.of("30-index.yaml", String.join("\n", "apiVersion: v1", "kind: ConfigMap",
                "metadata: {name: jobintel-state-index}", "data: {snapshot: db/snapshot.jsonl}", "")));
        s3.put(BACKUP.resolve("manifests.tar.zst"), manifests, "application/zstd");
    }

    @AfterEach
    void stop() throws Exception {
        s3.close();
        server.close();
    }

    void seed(byte[] stateBytes, BackupObject stateMeta) throws Exception {
        s3.put(BACKUP.resolve("state.tar.zst"), stateBytes, "application/zstd");
        s3.put(BACKUP.resolve("metadata.json"), Archives.metadataJson("b9", stateMeta,
                Archives.object("manifests.tar.zst", manifests)).getBytes(StandardCharsets.UTF_8), "application/json");
    }

    @Test
    void restoresTheManifestsThenTheStateAndSaysHowLongTheStateTook() throws Exception {
        seed(state, Archives.object("state.tar.zst", state));
        List<String> log = new ArrayList<>();
        List<String> progress = new ArrayList<>();
        Path dest = dir.resolve("state");

        BackupRestore.Restored r = BackupRestore.run(s3, BACKUP, dir.resolve("manifests"), dest.toString(),
                (name, total) -> n -> progress.add(name + " " + n + "/" + total), log::add);

        assertThat(r.objects()).containsExactly(new ManifestCheck.Document("30-index.yaml", 1, 1, "v1", "ConfigMap", "jobintel-state-index"));
        assertThat(r.contract().ok()).isTrue();
        assertThat(r.manifests().files()).isEqualTo(1);
        assertThat(r.state()).isEqualTo(new RestoreResult(Archives.sha256(state), state.length, 2, 10 + 12));
        assertThat(Files.readString(dest.resolve("db/snapshot.jsonl"))).isEqualTo("{\"id\": 1}\n");
        assertThat(r.stateTook()).isPositive();
        assertThat(progress).containsExactly("manifests.tar.zst " + manifests.length + "/" + manifests.length,
                "state.tar.zst " + state.length + "/" + state.length);
        assertThat(log).hasSize(2);
        assertThat(log.get(0)).startsWith("manifests.tar.zst verified (sha256 " + Archives.sha256(manifests) + "): 1 files in ");
        assertThat(log.get(1)).matches("state\\.tar\\.zst verified \\(sha256 " + Archives.sha256(state)
                + "\\): 2 files, 22 bytes restored to .*state in [0-9]+\\.[0-9] s");
    }

    @Test
    void aStateThatDoesNotMatchItsMetadataLeavesTheDestinationAlone() throws Exception {
        byte[] other = Archives.tarZst(Map.of("db/snapshot.jsonl", "{\"id\": 2}\n"));
        seed(other, new BackupObject("state.tar.zst", Archives.sha256(state), other.length));
        Path dest = dir.resolve("state");
        Files.createDirectories(dest);
        Files.writeString(dest.resolve("kept.txt"), "before");
        List<String> log = new ArrayList<>();

        assertThatThrownBy(() -> BackupRestore.run(s3, BACKUP, dir.resolve("manifests"), dest.toString(),
                (name, total) -> n -> { }, log::add))
                .isInstanceOf(BackupRefused.class)
                .hasMessageContaining("state.tar.zst: sha256 " + Archives.sha256(other) + " does not match metadata.json's");
        assertThat(Files.readString(dest.resolve("kept.txt"))).isEqualTo("before");
        assertThat(log).hasSize(1); // the manifests only
    }

    @Test
    void aManifestThatIsNoKubernetesObjectStopsTheRestoreBeforeTheState() throws Exception {
        manifests = Archives.tarZst(Map.of("30-index.yaml", String.join("\n", "apiVersion: v1", "kind: ConfigMap",
                "metadata: {name: jobintel-state-index}", "---", "apiVersion: v1", "metadata: {name: other}", "")));
        s3.put(BACKUP.resolve("manifests.tar.zst"), manifests, "application/zstd");
        seed(state, Archives.object("state.tar.zst", state));
        List<String> progress = new ArrayList<>();

        assertThatThrownBy(() -> BackupRestore.run(s3, BACKUP, dir.resolve("manifests"), dir.resolve("state").toString(),
                (name, total) -> n -> progress.add(name), line -> { }))
                .isInstanceOf(StepFailure.class)
                .hasMessage("backup.restore manifests.tar.zst: 30-index.yaml:5:1: document 2: kind is missing;"
                        + " expected the object's kind, e.g. ConfigMap");
        assertThat(progress).containsExactly("manifests.tar.zst");
        assertThat(dir.resolve("state")).doesNotExist();
    }

    @Test
    void aBrokenContractReadsNoArchive() throws Exception {
        seed(state, new BackupObject("state.tar.zst", Archives.sha256(state), state.length + 1));
        List<String> progress = new ArrayList<>();

        assertThatThrownBy(() -> BackupRestore.run(s3, BACKUP, dir.resolve("manifests"), dir.resolve("state").toString(),
                (name, total) -> n -> progress.add(name), line -> { }))
                .isInstanceOf(StepFailure.class)
                .hasMessageContaining("state.tar.zst: " + state.length + " bytes, metadata.json says " + (state.length + 1));
        assertThat(progress).isEmpty();
        assertThat(dir.resolve("manifests")).doesNotExist();
    }
}
