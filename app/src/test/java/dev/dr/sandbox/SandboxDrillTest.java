package dev.dr.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.cli.CliProcess;
import dev.dr.json.JsonTrees;
import dev.dr.testing.RunbookReceiptFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The README's drill: examples/sandbox/drill.yaml applied by the built CLI as a process, whole
 * and in the runbook's cost-controlled pieces (bringup once, then restore/validate reusing its
 * receipt, then teardown). No sandbox process may outlive the test.
 */
class SandboxDrillTest {

    static final Path ROOT = Path.of(System.getProperty("dr.projectDir", ".")).toAbsolutePath();
    static final String PLAN = "examples/sandbox/drill.yaml";

    @TempDir
    Path tmp;

    /** dr apply as its own process, receipts and locks in the test's folder. */
    CliProcess.Result dr(Map<String, String> extra, String... args) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("RECEIPT_DIR", tmp.resolve("receipts").toString(),
                "DR_LOCK_DIR", tmp.resolve("locks").toString(), "DR_OPERATOR", "tester"));
        env.putAll(extra);
        return CliProcess.run(CliProcess.classesDir(), env, List.of(), args);
    }

    static JsonNode json(Path p) throws Exception {
        return JsonTrees.read(Files.readString(p, StandardCharsets.UTF_8));
    }

    /** This test's sandbox clusters (their folder is under the test's): others may run beside it. */
    long sandboxes() {
        return SandboxProcesses.under(tmp.toString()).size();
    }

    @AfterEach
    void noSandboxLeft() {
        SandboxProcesses.under(tmp.toString()).forEach(ProcessHandle::destroy);
    }

    @Test
    void aFullDrillBringupToTeardownLeavesFiveReceiptsAndNoRunner() throws Exception {
        long before = sandboxes();
        assertThat(before).isZero();
        CliProcess.Result r = dr(Map.of("RUN_ID", "full"), "apply", PLAN, "--yes");
        assertThat(r.exit()).as(r.err()).isZero();
        Path run = tmp.resolve("receipts/full");
        for (String phase : List.of("bringup", "restore", "validate", "promote", "teardown")) {
            assertThat(json(run.resolve("phases/" + phase + ".json")).get("status").asString()).as(phase).isEqualTo("success");
        }
        JsonNode summary = json(run.resolve("drill.summary.json"));
        assertThat(summary.get("verdict").asString()).isEqualTo("success");
        assertThat(summary.get("phases")).hasSize(5);
        assertThat(json(run.resolve("phases/teardown.json")).get("outputs").get("runners.left").asString()).isEqualTo("0");
        // restore took the bundle and the backup bringup published, verified, and receipted them
        JsonNode published = json(run.resolve("phases/bringup.json")).get("outputs");
        JsonNode restored = json(run.resolve("phases/restore.json")).get("outputs");
        assertThat(restored.get("control-plane.bundle.uri").asString())
                .matches("s3://sandbox-artifacts/jobintel/control-plane/bundles/\\d{8}T\\d{6}Z-[0-9a-z]{5,7}\\.tar\\.gz")
                .isEqualTo(published.get("control-plane.bundle.uri").asString());
        assertThat(restored.get("control-plane.bundle.sha256").asString()).matches("[0-9a-f]{64}")
                .isEqualTo(published.get("control-plane.bundle.sha256").asString());
        assertThat(restored.get("control-plane.configmaps").asString()).isEqualTo("4");
        assertThat(restored.get("state.sha256").asString()).matches("[0-9a-f]{64}");
        assertThat(restored.get("manifests.applied").asString()).isEqualTo("1");
        assertThat(Files.readString(Path.of(restored.get("state.destination").asString()).resolve("cursors/daily.json")))
                .isEqualTo(Files.readString(ROOT.resolve("examples/sandbox/backup/state/cursors/daily.json")));
        JsonNode approval = json(run.resolve("phases/promote.json")).get("approval");
        assertThat(approval.get("mode").asString()).isEqualTo("bypass-recorded");
        assertThat(approval.get("operator").asString()).isEqualTo("tester");
        assertThat(approval.get("planDigest").asString()).isEqualTo(summary.get("planDigest").asString());
        var schema = com.networknt.schema.SchemaRegistry.withDefaultDialect(com.networknt.schema.SpecificationVersion.DRAFT_2020_12)
                .getSchema(json(ROOT.resolve("schema/receipt.schema.json")));
        try (var files = Files.walk(run)) {
            // the receipts; work/ holds what the steps fetched and restored (e.g. the state's own JSON)
            for (Path f : files.filter(x -> x.toString().endsWith(".json") && !x.startsWith(run.resolve("work"))).toList()) {
                if (RunbookReceiptFiles.isRunbookJson(run, f)) {
                    assertThat(RunbookReceiptFiles.problems(f)).as(f.toString()).isEmpty();
                } else {
                    assertThat(schema.validate(json(f))).as(f.toString()).isEmpty();
                }
            }
        }
        runbookReceiptsAreWhereSectionHSays(run, published);
        assertThat(sandboxes()).as("teardown stopped the sandbox cluster").isZero();
    }

    @Test
    void withoutTheDrillBypassPromoteWaitsForDrApproveAndReceiptsTheApproval() throws Exception {
        var running = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return dr(Map.of("RUN_ID", "gated"), "apply", PLAN, "--yes", "--allow-promote-bypass=false");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Path run = tmp.resolve("receipts/gated");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Files.exists(run.resolve("approvals/promote.pending.json"))) {
            assertThat(running).as("apply waits at the gate").isNotDone();
            assertThat(System.nanoTime()).as("promote reached its gate").isLessThan(deadline);
            Thread.sleep(200);
        }
        assertThat(json(run.resolve("phases/validate.json")).get("status").asString()).isEqualTo("success");
        assertThat(run.resolve("phases/promote.json")).as("nothing promoted before the approval").doesNotExist();

        CliProcess.Result noTicket = dr(Map.of(), "approve", "gated", "--approver", "alice");
        assertThat(noTicket.exit()).isEqualTo(2);
        assertThat(noTicket.err()).contains("the plan requires a change ticket for promote: add --ticket");
        CliProcess.Result ok = dr(Map.of(), "approve", "gated", "--approver", "alice", "--ticket", "CHG-42");
        assertThat(ok.exit()).as(ok.err()).isZero();
        CliProcess.Result again = dr(Map.of(), "approve", "gated", "--approver", "mallory", "--ticket", "CHG-43");
        assertThat(again.exit()).isEqualTo(3);
        assertThat(again.err()).contains("was already approved by alice");

        CliProcess.Result r = running.get(3, TimeUnit.MINUTES);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("promote: waiting for approval (up to 1h): dr approve gated --approver NAME --ticket TICKET")
                .contains("promote: approved by alice (ticket CHG-42)");
        JsonNode approval = json(run.resolve("phases/promote.json")).get("approval");
        assertThat(approval.get("mode").asString()).isEqualTo("approved");
        assertThat(approval.get("operator").asString()).isEqualTo("alice");
        assertThat(approval.get("ticket").asString()).isEqualTo("CHG-42");
        assertThat(approval.get("planDigest").asString())
                .isEqualTo(json(run.resolve("drill.summary.json")).get("planDigest").asString());
    }

    @Test
    void bringupOnceThenRestoreAndValidateWithItsReceiptThenTeardown() throws Exception {
        String failing = "sandbox.local/jobintel-fail-pull@sha256:" + "5".repeat(64);
        Map<String, String> env = Map.of("SANDBOX_IMAGE_REF", failing);
        CliProcess.Result up = dr(Map.of("SANDBOX_IMAGE_REF", failing, "RUN_ID", "up"), "apply", PLAN, "--yes", "--stop-after", "bringup");
        assertThat(up.exit()).as(up.err()).isZero();
        Path bringup = tmp.resolve("receipts/up");
        assertThat(sandboxes()).as("the cluster outlives the bringup command").isEqualTo(1);
        assertThat(json(bringup.resolve("phases/bringup.json")).get("outputs").get("kubeconfig").asString()).endsWith("kubeconfig.yaml");
        assertThat(bringup.resolve("kubeconfig.yaml")).as("the runbook's stable kubeconfig path").isRegularFile();

        CliProcess.Result restore = dr(Map.of("SANDBOX_IMAGE_REF", failing, "RUN_ID", "restore"), "apply", PLAN, "--yes",
                "--start-at", "restore", "--stop-after", "validate", "--from-receipt", bringup.toString());
        assertThat(restore.exit()).as(restore.err()).isZero();
        assertThat(restore.out()).as("live preview from the bringup's cluster").contains("preview: exact, live");
        // as the runbook has it: the kubeconfig at <bringup receipt>/kubeconfig.yaml reaches the cluster
        kubectlSeesTheSandbox(bringup.resolve("kubeconfig.yaml").toString());
        JsonNode validate = json(tmp.resolve("receipts/restore/phases/validate.json"));
        assertThat(validate.get("attempts")).hasSize(2);
        assertThat(validate.get("attempts").get(0).get("errorClass").asString()).isEqualTo("image-pull-auth");

        // the shipped validate-only plan targets an AWS account: pointed at the sandbox's cluster
        // without AWS credentials, its guards refuse it before anything runs
        CliProcess.Result validateOnly = dr(Map.of("RUN_ID", "validate-only", "BRINGUP_RECEIPT", bringup.toString(),
                "IMAGE_REF", "sandbox.local/jobintel@sha256:" + "6".repeat(64), "BUCKET", "sandbox-artifacts",
                "BACKUP_URI", "s3://sandbox-artifacts/jobintel/backups/sandbox-0001"), "apply", "plans/validate-only.yaml", "--yes");
        assertThat(validateOnly.exit()).as(validateOnly.err()).isEqualTo(3);
        assertThat(validateOnly.out()).contains("+ k8s.run-job  preview: exact, live");
        assertThat(validateOnly.err()).contains("dr: guard refused: account: sts:GetCallerIdentity: ")
                .contains("dr: guard refused: image-digest: registry sandbox.local is not a private ECR registry");
        JsonNode refused = json(tmp.resolve("receipts/validate-only/phases/validate.json"));
        assertThat(refused.get("reason").get("kind").asString()).isEqualTo("guard");
        assertThat(refused.get("attempts")).as("nothing ran").isEmpty();

        CliProcess.Result down = dr(env, "apply", PLAN, "--yes", "--start-at", "teardown", "--from-receipt", bringup.toString());
        assertThat(down.exit()).as(down.err()).isZero();
        assertThat(down.err()).contains("teardown: success");
        assertThat(sandboxes()).as("teardown stopped it").isZero();
    }

    /**
     * The runbook's section H: beside dr's receipts, the files its operators look for, at its
     * paths in the run's receipt folder.
     */
    void runbookReceiptsAreWhereSectionHSays(Path run, JsonNode published) throws Exception {
        String bundle = published.get("control-plane.bundle.uri").asString();
        String sha = published.get("control-plane.bundle.sha256").asString();
        // the bringup's kubeconfig: a credential, owner-only, the same as the cluster's own
        Path kubeconfig = run.resolve("kubeconfig.yaml");
        assertThat(Files.getPosixFilePermissions(kubeconfig)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(Files.readString(kubeconfig)).isEqualTo(Files.readString(Path.of(
                json(run.resolve("phases/bringup.json")).get("outputs").get("kubeconfig").asString())));
        // fetch.summary.env: what a shell that sources it gets back
        Path env = run.resolve("control-plane/fetch/fetch.summary.env");
        assertThat(Files.readAllLines(env)).extracting(l -> l.substring(0, l.indexOf('=')))
                .containsExactly("BUNDLE_SHA256", "BUNDLE_URI", "FILES", "GIT_SHA", "POINTER");
        assertThat(sourced(env, "BUNDLE_URI", "BUNDLE_SHA256", "POINTER")).containsExactly(bundle, sha,
                "s3://sandbox-artifacts/jobintel/control-plane/current.json");
        JsonNode apply = json(run.resolve("control-plane/apply/apply.summary.json"));
        assertThat(apply.get("bundle_uri").asString()).isEqualTo(bundle);
        assertThat(apply.get("configmaps_applied").asInt()).isEqualTo(4);
        assertThat(apply.get("configmaps")).hasSize(4);
        assertThat(apply.get("namespace").asString()).isEqualTo("jobintel");
        JsonNode restore = json(run.resolve("dr_restore.control_plane.summary.json"));
        assertThat(restore.get("status").asString()).isEqualTo("applied");
        assertThat(restore.get("bundle_uri").asString()).isEqualTo(bundle);
        assertThat(restore.get("bundle_sha256").asString()).isEqualTo(sha);
        assertThat(restore.get("pointer").asString()).isEqualTo("s3://sandbox-artifacts/jobintel/control-plane/current.json");
        assertThat(restore.get("configmaps")).isEqualTo(apply.get("configmaps"));
        // what dr kept before is still there
        assertThat(run.resolve("work/control-plane/fetch/fetch.summary.json")).exists();
        assertThat(run.resolve("work/control-plane/apply/apply.summary.json")).exists();
    }

    /** The values of {@code names} after bash sources {@code file}. */
    List<String> sourced(Path file, String... names) throws Exception {
        StringBuilder script = new StringBuilder(". \"$1\"");
        for (String n : names) {
            script.append("; printf '%s\\n' \"$").append(n).append('"');
        }
        Process p = new ProcessBuilder("bash", "-c", script.toString(), "bash", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().toList();
    }

    /** An operator inspects the sandbox as any cluster (the README says so). */
    void kubectlSeesTheSandbox(String kubeconfig) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("kubectl", "--kubeconfig", kubeconfig, "get", "configmaps,cronjobs,jobs",
                "-n", "jobintel").redirectErrorStream(true).redirectOutput(tmp.resolve("kubectl.txt").toFile());
        pb.environment().put("KUBECACHEDIR", tmp.resolve("kube-cache").toString());
        Process p;
        try {
            p = pb.start();
        } catch (java.io.IOException e) {
            throw dev.dr.testing.MissingTool.skipOrFail("kubectl is not installed; .ci/run installs Debian's kubernetes-client", e);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(tmp.resolve("kubectl.txt"));
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("configmap/jobintel-settings").contains("cronjob.batch/jobintel-daily")
                .contains("job.batch/jobintel-validate");
    }
}
