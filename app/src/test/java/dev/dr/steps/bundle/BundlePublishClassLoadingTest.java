package dev.dr.steps.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.cli.CliProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `dr bundle publish` loads in dr's own JVM: the bundle, picocli and the S3 client, not the YAML writer it never uses. */
class BundlePublishClassLoadingTest {

    @Test
    void aPublishChecksItsSourceWithoutBuildingTheYamlWriterOrLoadingOtherSystems(@TempDir Path dir) throws Exception {
        for (String folder : List.of("candidates", "alerts", "providers", "scoring")) {
            Files.createDirectories(dir.resolve("cp").resolve(folder));
            Files.writeString(dir.resolve("cp").resolve(folder).resolve("a.yaml"), folder + ": []\n");
        }
        Path classes = dir.resolve("classes.log");
        // a dry run whose pointer read fails (nothing listens on port 9): the source is checked, then bundled and hashed
        CliProcess.Result r = CliProcess.run(CliProcess.classesDir(), Map.of(),
                List.of("-XX:TieredStopAtLevel=1", "-Xlog:class+load:file=" + classes),
                "bundle", "publish", "--bucket", "artifacts", "--image-ref-digest", "r@sha256:" + "d".repeat(64),
                "--source", dir.resolve("cp").toString(), "--dry-run", "--endpoint-url", "http://127.0.0.1:9",
                "--no-sign-request", "--region", "us-east-1");
        assertThat(r.out()).as(r.err()).startsWith("Bundle: 4 files");
        // "[0.038s][info][class,load] java.lang.Object source: ..." -> java.lang.Object
        List<String> loaded = Files.readAllLines(classes).stream().map(l -> l.split(" ")).filter(f -> f.length > 1)
                .map(f -> f[1]).toList();
        assertThat(loaded).contains("dev.dr.steps.bundle.ConfigMapRenderer", "dev.dr.steps.bundle.BundleWriter",
                "software.amazon.awssdk.services.s3.S3Client");
        // ConfigMapRenderer's YAML writer: Jackson's databind and YAML modules, some 500 classes on the main thread;
        // nothing of the other systems, the plan's schema or a native SHA-256 either
        for (String prefix : List.of("dev.dr.steps.bundle.ConfigMapRenderer$Yaml", "tools.jackson.databind.",
                "tools.jackson.dataformat.yaml.", "org.snakeyaml.", "io.fabric8.", "dev.dr.steps.terraform.", "com.networknt.",
                "com.amazon.corretto.")) {
            assertThat(loaded.stream().filter(c -> c.startsWith(prefix))).as("loaded by dr bundle publish --dry-run").isEmpty();
        }
    }
}
