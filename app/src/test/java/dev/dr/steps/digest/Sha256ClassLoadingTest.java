package dev.dr.steps.digest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.cli.CliProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the native SHA-256 provider costs a command that hashes little: nothing, in dr's own JVM. */
class Sha256ClassLoadingTest {

    @Test
    void aSmallBundleNeverLoadsTheProvidersClasses(@TempDir Path dir) throws Exception {
        for (String folder : List.of("candidates", "alerts", "providers", "scoring")) {
            Files.createDirectories(dir.resolve("cp").resolve(folder));
            Files.writeString(dir.resolve("cp").resolve(folder).resolve("a.yaml"), folder + ": []\n");
        }
        Path classes = dir.resolve("classes.log");
        // a dry run whose pointer read fails (nothing listens on port 9): the bundle is built and hashed first
        CliProcess.Result r = CliProcess.run(CliProcess.classesDir(), Map.of(),
                List.of("-XX:TieredStopAtLevel=1", "-Xlog:class+load:file=" + classes),
                "bundle", "publish", "--bucket", "artifacts", "--image-ref-digest", "r@sha256:" + "d".repeat(64),
                "--source", dir.resolve("cp").toString(), "--dry-run", "--endpoint-url", "http://127.0.0.1:9",
                "--no-sign-request", "--region", "us-east-1");
        assertThat(r.out()).as(r.err()).startsWith("Bundle: 4 files");
        String loaded = Files.readString(classes);
        assertThat(loaded).contains("dev.dr.steps.digest.Sha256 ");
        // its jar is signed: loading one of its classes makes the JVM check the jar's signature
        assertThat(loaded).doesNotContain("com.amazon.corretto");
    }
}
