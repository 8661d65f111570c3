package dev.dr.steps.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.aws.S3Clients;
import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Settings;
import dev.dr.aws.S3Uri;
import dev.dr.sandbox.LocalS3;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a restore that does not apply its manifests costs: not the Kubernetes client. Its model
 * and serializer are ~650 classes and, in a cold JVM under C1, about a second; a restore checks
 * the manifests as YAML and leaves them to the step's apply. Measured in a JVM of its own, as
 * the class-loading log of a test's JVM holds whatever earlier tests loaded.
 */
class RestoreClassLoadingTest {
    static final S3Uri BACKUP = S3Uri.parse("s3://drill-artifacts/jobintel/backups/b9");

    @Test
    void aRestoreThatAppliesNoManifestsLoadsNoFabric8Class(@TempDir Path dir) throws Exception {
        byte[] state = Archives.tarZst(Map.of("db/snapshot.jsonl", "{\"id\": 1}\n"));
        byte[] manifests = Archives.tarZst(Map.of("30-index.yaml", String.join("\n", "apiVersion: v1", "kind: ConfigMap",
                "metadata: {name: jobintel-state-index}", "data: {snapshot: db/snapshot.jsonl}", "---",
                "apiVersion: batch/v1", "kind: CronJob", "metadata: {name: jobintel-daily}", "")));
        try (LocalS3 server = LocalS3.start(null)) {
            server.createBucket("drill-artifacts");
            try (S3Objects s3 = new S3Objects(S3Clients.open(
                    new S3Settings(Optional.of("us-east-1"), Optional.of(server.endpoint()), true), false))) {
                s3.put(BACKUP.resolve("state.tar.zst"), state, "application/zstd");
                s3.put(BACKUP.resolve("manifests.tar.zst"), manifests, "application/zstd");
                s3.put(BACKUP.resolve("metadata.json"), Archives.metadataJson("b9", Archives.object("state.tar.zst", state),
                        Archives.object("manifests.tar.zst", manifests)).getBytes(StandardCharsets.UTF_8), "application/json");
            }
            Path classes = dir.resolve("classes.log");
            Path out = dir.resolve("out.txt");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-Xlog:class+load:file=" + classes,
                    "-cp", System.getProperty("java.class.path"), RestoreOnly.class.getName(),
                    server.endpoint().toString(), BACKUP.toString(), dir.resolve("manifests").toString(), dir.resolve("state").toString())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(out)).isZero();
        }
        assertThat(Files.readString(dir.resolve("out.txt"))).contains("objects=2 files=1");
        String loaded = Files.readString(dir.resolve("classes.log"));
        assertThat(loaded).contains("dev.dr.steps.backup.BackupRestore ").contains("org.snakeyaml.engine.v2.composer.Composer ");
        assertThat(loaded.lines().filter(l -> l.contains(" io.fabric8.")).limit(5).toList()).isEmpty();
    }

    /** The child JVM: the restore as the step runs it, up to where the step would apply the manifests. */
    public static final class RestoreOnly {
        public static void main(String[] args) throws Exception {
            try (S3Objects s3 = new S3Objects(S3Clients.open(
                    new S3Settings(Optional.of("us-east-1"), Optional.of(URI.create(args[0])), true), false))) {
                BackupRestore.Restored r = BackupRestore.run(s3, S3Uri.parse(args[1]), Path.of(args[2]), args[3],
                        (name, total) -> n -> { }, line -> { });
                System.out.println("objects=" + r.objects().size() + " files=" + r.state().files());
            }
        }
    }
}
