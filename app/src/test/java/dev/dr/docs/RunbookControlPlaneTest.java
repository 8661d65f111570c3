package dev.dr.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.cli.CliProcess;
import dev.dr.json.JsonTrees;
import dev.dr.sandbox.LocalS3;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The runbook's control-plane commands (Quickstart 1 and section C: publish, fetch, render),
 * executed as written in bash: each script replaced by its dr command, pointed at an S3 server
 * on loopback, with the runbook's flags untouched and its placeholders filled. Each must do
 * what the runbook says: the first publish bootstraps current.json, the same bundle published
 * again moves nothing, fetch verifies and extracts, render writes the ConfigMaps of the
 * namespace without applying them.
 */
class RunbookControlPlaneTest {

    static final String DIGEST = "7".repeat(64);
    static final String IMAGE = "048622080012.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:" + DIGEST;

    @TempDir
    Path tmp;

    record Ran(String line, int exit, String out, String err) {}

    Ran bash(String line, Map<String, String> env, Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "set -euo pipefail; " + line).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(tmp.resolve("err.txt").toFile());
        Process p = pb.start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as(line).isTrue();
        return new Ran(line, p.exitValue(), Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(tmp.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void theControlPlaneCommandsDoWhatTheRunbookSays() throws Exception {
        List<RunbookCoverageTest.Command> all = RunbookCoverageTest.commands(
                Files.readString(RunbookCoverageTest.RUNBOOK_COMMANDS, StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        for (RunbookCoverageTest.Command c : all) {
            if (c.program() != null && List.of("publish_bundle.sh", "fetch_bundle.sh", "apply_bundle_k8s.sh").contains(c.program())) {
                lines.add(c.text());
            }
        }
        assertThat(lines).as("Quickstart's publish, then section C's publish, fetch and render").hasSize(4);

        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path dr = bin.resolve("dr");
        Files.writeString(dr, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '"
                + CliProcess.classpath(CliProcess.classesDir()) + "' dev.dr.cli.Main \"$@\"\n");
        assertThat(dr.toFile().setExecutable(true)).isTrue();
        // the primary's control plane: the runbook publishes from the folder that holds it
        Path primary = CliProcess.projectDir().resolve("examples/sandbox/control-plane");
        try (LocalS3 s3 = LocalS3.start(null)) {
            s3.createBucket("artifacts");
            String where = " --endpoint-url " + s3.endpoint() + " --no-sign-request --region us-east-1";
            Map<String, String> replaced = Map.of(
                    "scripts/control_plane/publish_bundle.sh", "dr bundle publish" + where,
                    "scripts/control_plane/fetch_bundle.sh", "dr bundle fetch" + where,
                    "scripts/control_plane/apply_bundle_k8s.sh", "dr bundle render");
            Map<String, String> env = new LinkedHashMap<>(Map.of(
                    "PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), "HOME", tmp.toString(),
                    "BUCKET", "artifacts", "PREFIX", "jobintel", "IMAGE_REF", IMAGE));
            List<Ran> ran = new ArrayList<>();
            for (String line : lines) {
                String cmd = line.replace("<bucket>", "artifacts").replace("<prefix>", "jobintel")
                        .replace("<account>", "048622080012").replace("<digest>", DIGEST).replace("<tmp>", tmp.toString());
                for (Map.Entry<String, String> e : replaced.entrySet()) {
                    cmd = cmd.replace(e.getKey(), e.getValue());
                }
                assertThat(cmd).as("every placeholder filled").doesNotContainPattern("<[a-z_-]+>").startsWith("dr bundle ");
                Ran r = bash(cmd, env, primary);
                assertThat(r.exit()).as(cmd + "\n" + r.err()).isZero();
                ran.add(r);
            }
            assertThat(ran.get(0).out()).as("Quickstart 1 bootstraps the pointer")
                    .contains("pointer s3://artifacts/jobintel/control-plane/current.json moved from none to ");
            assertThat(ran.get(1).out()).as("section C publishes the same bundle: nothing moves")
                    .contains("already names this bundle; nothing uploaded.");
            // the pointer in force, as fetch kept it beside the bundle
            JsonNode pointer = JsonTrees.read(Files.readString(tmp.resolve("control-plane-fetch/current.json"),
                    StandardCharsets.UTF_8));
            assertThat(pointer.get("image_ref_digest").asString()).isEqualTo(IMAGE);
            assertThat(ran.get(2).out()).contains("Fetched " + pointer.get("bundle_uri").asString())
                    .contains("files verified against manifest.json");
            assertThat(tmp.resolve("control-plane-fetch/bundle/control-plane/manifest.json")).isRegularFile();
            String yaml = Files.readString(tmp.resolve("control-plane.configmaps.yaml"), StandardCharsets.UTF_8);
            assertThat(yaml).contains("kind: ConfigMap", "namespace: jobintel",
                    pointer.get("bundle_sha256").asString());
        }
    }
}
