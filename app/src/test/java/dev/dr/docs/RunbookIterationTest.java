package dev.dr.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.cli.CliProcess;
import dev.dr.json.JsonTrees;
import dev.dr.sandbox.SandboxProcesses;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The runbook's iteration commands, executed as written: each command of its "Cost Discipline"
 * block and of section G's iteration modes runs in bash with {@code scripts/ops/dr_drill.sh}
 * replaced by {@code dr apply examples/sandbox/drill.yaml --yes}, its flags untouched and its
 * placeholders filled for the sandbox (section H's receipts base under the test's folder). Each
 * must do what the runbook says against one sandbox cluster per block; KUBECONFIG names a
 * "primary" cluster no run may touch, and no sandbox outlives the block.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class RunbookIterationTest {

    static final String DRILL = "scripts/ops/dr_drill.sh";
    static final String DR = "dr apply examples/sandbox/drill.yaml --yes";
    static final String DIGEST = "5a3b7c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b";
    static final String IMAGE = "000000000000.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:" + DIGEST;

    /** The primary cluster KUBECONFIG names on the operator's shell. */
    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path tmp;

    /** Section H's receipts base, as the runbook writes it, under the test's folder. */
    Path base;
    Map<String, String> env;

    @BeforeEach
    void shell() throws Exception {
        base = tmp.resolve("signalcraft-m19-phasea-20260221/ops/proof/bundles");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path dr = bin.resolve("dr");
        // the dr command: what ./jbang dr@catalog runs, on the build's class path
        Files.writeString(dr, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '"
                + CliProcess.classpath(CliProcess.classesDir()) + "' dev.dr.cli.Main \"$@\"\n");
        assertThat(dr.toFile().setExecutable(true)).isTrue();
        Path primary = tmp.resolve("primary.kubeconfig");
        Files.writeString(primary, String.join("\n", "apiVersion: v1", "kind: Config",
                "clusters: [{name: primary, cluster: {server: \"" + client.getMasterUrl() + "\"}}]",
                "contexts: [{name: primary, context: {cluster: primary, user: primary}}]", "current-context: primary",
                "users: [{name: primary, user: {token: t}}]", ""));
        env = new LinkedHashMap<>(Map.of("PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                "HOME", tmp.toString(), "KUBECONFIG", primary.toString(), "RECEIPT_DIR", base.toString(),
                "DR_LOCK_DIR", tmp.resolve("locks").toString(), "DR_OPERATOR", "tester"));
    }

    @AfterEach
    void noSandboxLeft() {
        SandboxProcesses.under(tmp.toString()).forEach(ProcessHandle::destroy);
    }

    /** The runbook's block that holds {@code marker}, as runbook-commands.sh keeps it. */
    static String block(String marker) throws IOException {
        String all = Files.readString(RunbookCoverageTest.RUNBOOK_COMMANDS, StandardCharsets.UTF_8);
        for (String b : all.split("\n# --- block \\d+\n")) {
            if (b.contains(marker)) {
                return b;
            }
        }
        throw new AssertionError("no runbook block holds " + marker);
    }

    /** The block's commands, each as one line, in its order. */
    static List<String> commands(String block) {
        return RunbookCoverageTest.commands(block).stream().map(RunbookCoverageTest.Command::text).toList();
    }

    /** The placeholders filled for the sandbox. */
    String filled(String text, Map<String, String> more) {
        Map<String, String> fill = new LinkedHashMap<>(Map.of("<tmp>", tmp.toString(), "<bucket>", "sandbox-artifacts",
                "<prefix>", "jobintel", "<backup_id>", "sandbox-0001", "<account>", "000000000000", "<digest>", DIGEST));
        fill.putAll(more);
        String out = text;
        for (Map.Entry<String, String> e : fill.entrySet()) {
            out = out.replace(e.getKey(), e.getValue());
        }
        assertThat(out).as("every placeholder filled").doesNotContainPattern("<[a-z_]+>");
        return out;
    }

    record Ran(int exit, String out, String err, String runId) {}

    /**
     * Runs one command of the runbook in bash, the drill script replaced by the dr command and
     * nothing else changed; returns the run it started, found as the one new folder of the base.
     */
    Ran run(String command, Map<String, String> more) throws Exception {
        assertThat(command).contains(DRILL);
        String line = filled(command, more).replace(DRILL, DR);
        Set<String> before = runs();
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", line).directory(CliProcess.projectDir().toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(tmp.resolve("err.txt").toFile());
        Process p = pb.start();
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).as(line).isTrue();
        String out = Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8);
        String err = Files.readString(tmp.resolve("err.txt"), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(line + "\n" + err).isZero();
        Set<String> after = runs();
        after.removeAll(before);
        assertThat(after).as("one new run folder in the receipts base, for: " + line).hasSize(1);
        return new Ran(p.exitValue(), out, err, after.iterator().next());
    }

    /** The run folders in the receipts base (the sandbox's state folder is hidden beside them). */
    Set<String> runs() throws IOException {
        if (!Files.isDirectory(base)) {
            return new TreeSet<>();
        }
        try (Stream<Path> s = Files.list(base)) {
            return new TreeSet<>(s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList());
        }
    }

    JsonNode phase(String runId, String phase) throws IOException {
        return JsonTrees.read(Files.readString(base.resolve(runId).resolve("phases/" + phase + ".json"), StandardCharsets.UTF_8));
    }

    /** Each phase's status in the run's receipts. */
    Map<String, String> statuses(String runId) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : List.of("bringup", "restore", "validate", "promote", "teardown")) {
            out.put(p, phase(runId, p).get("status").asString());
        }
        return out;
    }

    static Map<String, String> only(String phase) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : List.of("bringup", "restore", "validate", "promote", "teardown")) {
            out.put(p, p.equals(phase) ? "success" : "skipped");
        }
        return out;
    }

    long sandboxes() {
        return SandboxProcesses.under(tmp.toString()).size();
    }

    KubernetesClient sandbox(String bringupId) throws IOException {
        String kubeconfig = Files.readString(base.resolve(bringupId).resolve("kubeconfig.yaml"), StandardCharsets.UTF_8);
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
    }

    /** Bringup-only: the cluster stays up, its kubeconfig at {@code <base>/<run id>/kubeconfig.yaml}. */
    void bringupOnlyLeftTheClusterUp(Ran up) throws IOException {
        assertThat(statuses(up.runId())).isEqualTo(only("bringup"));
        assertThat(base.resolve(up.runId()).resolve("kubeconfig.yaml")).isRegularFile();
        assertThat(sandboxes()).as("the cluster outlives the bringup").isEqualTo(1);
    }

    /** Restore-only: loaded the bringup receipt, restored into its cluster, wrote its own receipts beside it. */
    void restoreOnlyRestoredIntoTheBringupsCluster(Ran restore, String bringupId) throws IOException {
        Path bringup = base.resolve(bringupId);
        assertThat(restore.out()).contains("  run.fromReceipt = " + bringup + " (a bringup receipt: its outputs load from it)"
                + "  (--receipt-dir)\n", "  run.receiptDir = " + base + " (beside the bringup receipt)  (--receipt-dir)\n");
        assertThat(restore.out()).as("the preview reads the bringup's cluster").contains("+ k8s.namespace  preview: exact, live");
        assertThat(restore.err()).contains("dr: warning: KUBECONFIG is set but a DR plan does not read it; the DR cluster is"
                + " the one this run brings up, its bringup receipt's or --kubeconfig's\n");
        assertThat(statuses(restore.runId())).isEqualTo(only("restore"));
        JsonNode outputs = phase(restore.runId(), "restore").get("outputs");
        assertThat(outputs.get("control-plane.configmaps").asString()).isEqualTo("4");
        JsonNode started = JsonTrees.read(Files.readString(base.resolve(restore.runId()).resolve("run.json"), StandardCharsets.UTF_8));
        assertThat(started.get("fromReceipt").asString()).as("the run it reused").isEqualTo(bringup.toString());
        try (KubernetesClient k = sandbox(bringupId)) {
            assertThat(k.configMaps().inNamespace("jobintel").withName("jobintel-settings").get()).isNotNull();
            assertThat(k.batch().v1().cronjobs().inNamespace("jobintel").withName("jobintel-daily").get()).isNotNull();
        }
        try (Stream<Path> inside = Files.list(bringup)) {
            assertThat(inside.map(p -> p.getFileName().toString())).as("nothing written inside the bringup's receipt")
                    .doesNotContain(restore.runId());
        }
        assertThat(sandboxes()).as("the cluster stays up").isEqualTo(1);
    }

    /** Validate-only: ran the validate Job, with the runbook's image, in the bringup's cluster. */
    void validateOnlyRanTheJob(Ran validate, String bringupId) throws IOException {
        assertThat(validate.out()).contains("  run.startAt = not set (replaces the plan's bringup)  (--validate-only)\n");
        assertThat(statuses(validate.runId())).isEqualTo(only("validate"));
        try (KubernetesClient k = sandbox(bringupId)) {
            Job job = k.batch().v1().jobs().inNamespace("jobintel").withName("jobintel-validate").get();
            assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(IMAGE);
            assertThat(job.getStatus().getSucceeded()).isEqualTo(1);
        }
        assertThat(sandboxes()).as("the cluster stays up").isEqualTo(1);
    }

    /** The final teardown, without a receipt dir: found the sandbox from its state and stopped it. */
    void finalTeardownStoppedTheSandbox(String command) throws Exception {
        Ran down = run(command, Map.of());
        assertThat(statuses(down.runId())).isEqualTo(only("teardown"));
        assertThat(phase(down.runId(), "teardown").get("outputs").get("runners.left").asString()).isEqualTo("0");
        assertThat(sandboxes()).as("no runner left").isZero();
        assertThat(server.getRequestCount()).as("requests the primary cluster (KUBECONFIG) got").isZero();
    }

    @Test
    void theCostDisciplineBlockRunsVerbatimAgainstTheSandbox() throws Exception {
        List<String> block = commands(block("# bringup-only once"));
        assertThat(block).hasSize(4).allMatch(c -> c.startsWith(DRILL + " "));

        Ran up = run(block.get(0), Map.of());
        bringupOnlyLeftTheClusterUp(up);
        Map<String, String> receipt = Map.of("<bringup_run_id>", up.runId());
        restoreOnlyRestoredIntoTheBringupsCluster(run(block.get(1), receipt), up.runId());
        validateOnlyRanTheJob(run(block.get(2), receipt), up.runId());
        finalTeardownStoppedTheSandbox(block.get(3));
    }

    @Test
    void sectionGsIterationModesRunVerbatimThenTheFinalTeardown() throws Exception {
        String g = block("BRINGUP_RUN_ID=");
        List<String> block = commands(g);
        assertThat(block).hasSize(4);
        // BRINGUP_RUN_ID="m19-dr-bringup-$(date -u +%Y%m%dT%H%M%SZ)", evaluated by bash once
        assertThat(block.get(0)).startsWith("BRINGUP_RUN_ID=");
        Process p = new ProcessBuilder("bash", "-c", block.get(0) + "; printf %s \"$BRINGUP_RUN_ID\"").start();
        String bringupId = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(bringupId).matches("m19-dr-bringup-\\d{8}T\\d{6}Z");
        env.put("BRINGUP_RUN_ID", bringupId);

        Ran up = run(block.get(1), Map.of());
        assertThat(up.runId()).as("RUN_ID names the run").isEqualTo(bringupId);
        assertThat(up.out()).contains("  retry.*.maxAttempts = at most 1  (--max-attempts)\n");
        bringupOnlyLeftTheClusterUp(up);
        // "# kubeconfig saved at:" and the path on the comment line after it
        String saved = g.lines().dropWhile(l -> !l.equals("# kubeconfig saved at:")).skip(1).findFirst().orElseThrow();
        Path kubeconfig = Path.of(filled(saved.substring(2), Map.of()).replace("${BRINGUP_RUN_ID}", bringupId));
        assertThat(kubeconfig).isRegularFile().isEqualTo(base.resolve(bringupId).resolve("kubeconfig.yaml"));

        restoreOnlyRestoredIntoTheBringupsCluster(run(block.get(2), Map.of()), bringupId);
        validateOnlyRanTheJob(run(block.get(3), Map.of()), bringupId);
        List<String> costDiscipline = commands(block("# bringup-only once"));
        finalTeardownStoppedTheSandbox(costDiscipline.get(costDiscipline.size() - 1));
    }

    @Test
    void theQuickstartsFullRehearsalRunsVerbatimAgainstTheSandbox() throws Exception {
        // Quickstart 2: the variables its exports set, filled for the sandbox; the command as written
        String rehearsal = commands(block("--auto-promote false")).stream().filter(c -> c.startsWith(DRILL)).findFirst()
                .orElseThrow();
        assertThat(rehearsal).contains("--backup-uri \"$BACKUP_URI\"", "--auto-promote false", "--teardown true");
        env.put("BACKUP_URI", "s3://sandbox-artifacts/jobintel/backups/sandbox-0001");
        env.put("IMAGE_REF", IMAGE);
        Ran full = run(rehearsal, Map.of());
        Map<String, String> expected = new LinkedHashMap<>();
        List.of("bringup", "restore", "validate").forEach(p -> expected.put(p, "success"));
        expected.put("promote", "skipped");
        expected.put("teardown", "success");
        assertThat(statuses(full.runId())).as("bringup -> restore -> validate -> no promote -> teardown").isEqualTo(expected);
        assertThat(phase(full.runId(), "teardown").get("outputs").get("runners.left").asString()).isEqualTo("0");
        assertThat(sandboxes()).as("teardown leaves zero runners").isZero();
        assertThat(server.getRequestCount()).as("requests the primary cluster (KUBECONFIG) got").isZero();
    }
}
