package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.aws.S3Clients;
import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Settings;
import dev.dr.aws.S3Uri;
import dev.dr.command.ExitCodes;
import dev.dr.sandbox.LocalS3;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dr bundle publish, fetch and render, as the runbook's scripts are used, against S3Proxy on loopback. */
class BundleCommandTest {

    LocalS3 s3;

    @TempDir
    Path dir;

    Path source;

    @BeforeEach
    void setUp() throws Exception {
        s3 = LocalS3.start(null);
        s3.createBucket("artifacts");
        source = dir.resolve("primary");
        write(source, "candidates/boards.yaml", "boards: [greenhouse, lever]\n");
        write(source, "alerts/rules.yaml", "rules: []\n");
        write(source, "providers/providers.json", "{\"providers\": []}\n");
        write(source, "scoring/weights.yaml", "title: 0.4\n");
    }

    @AfterEach
    void stop() throws Exception {
        s3.close();
    }

    static void write(Path root, String rel, String content) throws Exception {
        Path f = root.resolve(rel);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content, StandardCharsets.UTF_8);
    }

    DrRun dr(String... args) {
        List<String> argv = new ArrayList<>(List.of(args));
        if (argv.size() > 1 && (argv.get(1).equals("publish") || argv.get(1).equals("fetch"))) {
            argv.addAll(List.of("--bucket", "artifacts", "--prefix", "jobintel", "--endpoint-url", s3.endpoint().toString(),
                    "--no-sign-request", "--region", "us-east-1"));
        }
        return DrRun.in(dir, Map.of(), argv.toArray(String[]::new));
    }

    static String sha(String out) {
        Matcher m = Pattern.compile("sha256 ([0-9a-f]{64})").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group(1);
    }

    Optional<byte[]> object(String key) throws Exception {
        try (S3Objects o = new S3Objects(S3Clients.open(new S3Settings(Optional.of("us-east-1"), Optional.of(s3.endpoint()), true), false))) {
            return o.readSmall(S3Uri.parse("s3://artifacts/" + key));
        }
    }

    @Test
    void publishingTheSameFolderTwiceGivesTheSameBundleAndMovesThePointerOnce() throws Exception {
        String image = "048622080012.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:" + "c".repeat(64);
        DrRun dry = dr("bundle", "publish", "--image-ref-digest", image, "--source", "primary", "--dry-run");
        assertThat(dry.exit()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("would move from none (bootstrap) to " + sha(dry.out())).contains("Dry run: nothing uploaded.");
        assertThat(object("jobintel/control-plane/current.json")).as("a dry run writes nothing").isEmpty();

        DrRun first = dr("bundle", "publish", "--image-ref-digest", image, "--source", "primary");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("4 files").contains("moved from none to " + sha(first.out()));
        assertThat(sha(first.out())).isEqualTo(sha(dry.out()));
        String pointer = new String(object("jobintel/control-plane/current.json").orElseThrow(), StandardCharsets.UTF_8);
        assertThat(pointer).contains("\"bundle_sha256\" : \"" + sha(first.out()) + "\"")
                .contains("\"image_ref_digest\" : \"" + image + "\"")
                .contains("\"bundle_uri\" : \"s3://artifacts/jobintel/control-plane/bundles/");

        // the same folder copied elsewhere, files rewritten later: the same bytes
        Path copy = dir.resolve("copy");
        for (String rel : List.of("candidates/boards.yaml", "alerts/rules.yaml", "providers/providers.json", "scoring/weights.yaml")) {
            write(copy, rel, Files.readString(source.resolve(rel)));
        }
        DrRun second = dr("bundle", "publish", "--image-ref-digest", image, "--source", "copy");
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(sha(second.out())).isEqualTo(sha(first.out()));
        assertThat(second.out()).contains("already names this bundle; nothing uploaded.");
    }

    @Test
    void aSourceThatIsNotAControlPlaneIsRefusedWhileTheClientIsBuiltInTheBackground() {
        DrRun r = dr("bundle", "publish", "--image-ref-digest", "r@sha256:" + "d".repeat(64), "--source", "missing", "--dry-run");
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.err()).startsWith("dr bundle publish: control-plane source ").contains("is not a folder");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aBucketS3CouldNotHaveIsRefusedBeforeAnythingIsBuiltOrWritten() throws Exception {
        for (String command : List.of("publish", "fetch")) {
            List<String> argv = new ArrayList<>(List.of("bundle", command, "--bucket", "b", "--region", "us-east-1",
                    "--endpoint-url", s3.endpoint().toString(), "--no-sign-request"));
            argv.addAll(command.equals("publish") ? List.of("--image-ref-digest", "r@sha256:" + "d".repeat(64), "--source",
                    "primary") : List.of("--dest-dir", "fetched"));
            DrRun r = DrRun.in(dir, Map.of(), argv.toArray(String[]::new));
            assertThat(r.exit()).as(command).isEqualTo(ExitCodes.INVALID);
            assertThat(r.out()).as("no bundle was built").isEmpty();
            assertThat(r.err().strip()).isEqualTo("dr bundle " + command
                    + ": --bucket: 'b' is not an S3 bucket name (3 to 63 lower-case letters, digits, dots and hyphens)");
        }
        assertThat(dir.resolve("fetched")).doesNotExist();
    }

    /** What the restore's render or a real API server would refuse, refused at publish: exit 2, nothing uploaded. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "a key outside [-._a-zA-Z0-9]+ | scoring/größe.txt | scoring/größe.txt: its ConfigMap key größe.txt is not valid;",
        "a key over 253 characters | alerts/LONG | : its ConfigMap key",
        "two files, one key | scoring/a/b.txt | scoring/a/b.txt and scoring/a__b.txt both become the ConfigMap key a__b.txt",
        "a binary file over a ConfigMap | providers/blob.bin | providers/blob.bin: 800000 bytes, 1066676 with its key once"
                + " base64-encoded, more than the limit of 1000000 bytes per ConfigMap"})
    void aControlPlaneTheRestoreCouldNotApplyIsRefusedAtPublish(String rule, String file, String message) throws Exception {
        String image = "r@sha256:" + "d".repeat(64);
        assertThat(dr("bundle", "publish", "--image-ref-digest", image, "--source", "primary").exit()).isZero();
        byte[] pointer = object("jobintel/control-plane/current.json").orElseThrow();
        List<String> bundles = bundleKeys();
        String path = file.equals("alerts/LONG") ? "alerts/" + "x".repeat(254) : file;
        if (file.endsWith(".bin")) {
            byte[] blob = new byte[800_000];
            new java.util.Random(7).nextBytes(blob);
            Files.write(source.resolve(path), blob);
        } else {
            write(source, path, "content\n");
            if (file.equals("scoring/a/b.txt")) {
                write(source, "scoring/a__b.txt", "content\n");
            }
        }
        for (boolean dryRun : List.of(true, false)) {
            DrRun r = dryRun ? dr("bundle", "publish", "--image-ref-digest", image, "--source", "primary", "--dry-run")
                    : dr("bundle", "publish", "--image-ref-digest", image, "--source", "primary");
            assertThat(r.exit()).as(rule + (dryRun ? " (dry run) " : " ") + r.err()).isEqualTo(ExitCodes.INVALID);
            assertThat(r.err()).startsWith("dr bundle publish: ").contains(message);
            assertThat(r.out()).isEmpty();
        }
        assertThat(object("jobintel/control-plane/current.json")).as("the pointer").hasValue(pointer);
        assertThat(bundleKeys()).as("bundles uploaded").isEqualTo(bundles);
    }

    List<String> bundleKeys() throws Exception {
        try (S3Objects o = new S3Objects(S3Clients.open(new S3Settings(Optional.of("us-east-1"), Optional.of(s3.endpoint()), true), false))) {
            return o.list(S3Uri.parse("s3://artifacts/jobintel/control-plane/bundles/")).stream()
                    .map(software.amazon.awssdk.services.s3.model.S3Object::key).toList();
        }
    }

    @Test
    void aPointerThatCannotBeReadFailsTheDryRunAfterTheBundleIsBuilt() {
        // port 9 (discard) on loopback: nothing listens, the connection is refused
        DrRun r = DrRun.in(dir, Map.of(), "bundle", "publish",
                "--image-ref-digest", "r@sha256:" + "d".repeat(64), "--source", "primary", "--dry-run", "--bucket", "artifacts",
                "--endpoint-url", "http://127.0.0.1:9", "--no-sign-request", "--region", "us-east-1");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.PHASE_FAILED);
        assertThat(r.out()).startsWith("Bundle: 4 files").doesNotContain("Pointer");
        assertThat(r.err()).startsWith("dr bundle publish: ").contains("current.json");
    }

    @Test
    void fetchStatesTheBootstrapRuleWhenNothingWasPublished() {
        DrRun r = dr("bundle", "fetch", "--dest-dir", "fetched");
        assertThat(r.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(r.err()).isEqualTo("dr bundle fetch: s3://artifacts/jobintel/control-plane/current.json does not exist:"
                + " run `dr bundle publish` (or the publish-bundle plan) once from the primary before a DR restore\n");
    }

    @Test
    void fetchVerifiesThenRenderGivesTheSameYamlEveryTime() throws Exception {
        assertThat(dr("bundle", "publish", "--image-ref-digest", "r@sha256:" + "d".repeat(64), "--source", "primary").exit()).isZero();
        DrRun f = dr("bundle", "fetch", "--dest-dir", "fetched");
        assertThat(f.exit()).as(f.err()).isZero();
        assertThat(f.out()).contains("4 files verified against manifest.json");
        Path bundleDir = dir.resolve("fetched/bundle/control-plane");
        assertThat(bundleDir.resolve("scoring/weights.yaml")).hasContent("title: 0.4");

        DrRun a = dr("bundle", "render", "--bundle-dir", "fetched/bundle/control-plane", "--namespace", "jobintel", "--render-only");
        DrRun b = dr("bundle", "render", "--bundle-dir", "fetched/bundle/control-plane", "--namespace", "jobintel",
                "--output-yaml", "configmaps.yaml");
        assertThat(a.exit()).as(a.err()).isZero();
        assertThat(a.out()).contains("name: control-plane-scoring").contains("namespace: jobintel")
                // quoted only when a YAML 1.1 reader could take the digest for a number, as some digests look
                .containsPattern("dr\\.dev/bundle-sha256: (\"" + sha(f.out()) + "\"|" + sha(f.out()) + ")\n");
        assertThat(Files.readString(dir.resolve("configmaps.yaml"))).isEqualTo(a.out());
    }

    @Test
    void aBundleThatDoesNotMatchThePointerIsRefusedAndNothingIsExtracted() throws Exception {
        DrRun p = dr("bundle", "publish", "--image-ref-digest", "r@sha256:" + "d".repeat(64), "--source", "primary");
        assertThat(p.exit()).isZero();
        String pointer = new String(object("jobintel/control-plane/current.json").orElseThrow(), StandardCharsets.UTF_8);
        String wrong = "0".repeat(64);
        try (S3Objects o = new S3Objects(S3Clients.open(new S3Settings(Optional.of("us-east-1"), Optional.of(s3.endpoint()), true), false))) {
            o.put(S3Uri.parse("s3://artifacts/jobintel/control-plane/current.json"),
                    pointer.replace(sha(p.out()), wrong).getBytes(StandardCharsets.UTF_8), "application/json");
        }
        DrRun r = dr("bundle", "fetch", "--dest-dir", "fetched");
        assertThat(r.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(r.err()).contains("bundle sha256 " + sha(p.out()) + " does not match the pointer's " + wrong);
        assertThat(dir.resolve("fetched/bundle")).doesNotExist();
    }
}
