package dev.dr.steps.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dr.cli.DrRun;
import dev.dr.json.JsonTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * terraform.apply and terraform.destroy through dr plan and dr apply, with the real terraform
 * on a copy of the drill folder (terraform_data only, local backend: no provider, no network).
 * Skipped where terraform is not installed; the recorded-document tests cover parsing there.
 */
class TerraformStepsTest {
    static final Path DRILL = PlanJsonTest.RECORDED.resolve("drill");

    @TempDir
    Path dir;

    Path tf;

    @BeforeEach
    void needsTerraform() throws IOException {
        assumeTrue(Terraform.onPath(System.getenv("PATH")).isPresent(),
                "terraform is not on the PATH: the drill through dr apply needs the binary (PlanJsonTest covers the recorded plans)");
        assumeTrue(System.getenv().getOrDefault(RemoteBackend.BUCKET, "").isBlank(),
                "TF_BACKEND_BUCKET is set: the steps would init the test folder with the remote backend");
        tf = dir.resolve("tf");
        Files.createDirectories(tf);
        Files.copy(DRILL.resolve("main.tf"), tf.resolve("main.tf"));
    }

    Path plan(String name, String phase, String step, String instanceType, String run) throws IOException {
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, String.join("\n", "apiVersion: dr/v1", "kind: DrillPlan", "metadata: {name: " + name + "}",
                "target: {accountId: \"048622080012\", region: us-east-1, namespace: jobintel, environment: sandbox}",
                "sizing: {instanceType: " + instanceType + "}",
                "run: {receiptDir: \"" + dir.resolve("receipts") + "\"" + run + "}",
                "phases:",
                "  - name: " + phase,
                "    steps:",
                "      - uses: " + step,
                "        with: {dir: \"" + tf + "\"}", ""));
        return f;
    }

    DrRun dr(String runId, String... args) {
        return DrRun.in(dir, Map.of("DR_LOCK_DIR", dir.resolve("locks").toString(), "RUN_ID", runId), args);
    }

    JsonNode phase(String runId, String phase) throws IOException {
        return JsonTrees.read(Files.readString(dir.resolve("receipts/" + runId + "/phases/" + phase + ".json")));
    }

    JsonNode state() throws IOException {
        return JsonTrees.read(Files.readString(tf.resolve("terraform.tfstate")));
    }

    @Test
    void bringupCreatesAnotherInstanceTypeIsPreviewedAsUpdateAndReplaceTeardownDestroys() throws Exception {
        DrRun up = dr("up1", "apply", plan("bringup", "bringup", "terraform.apply", "t4g.medium", "").toString(), "--yes");
        assertThat(up.exit()).as(up.err()).isZero();
        assertThat(up.err()).contains("terraform apply: Apply complete! Resources: 5 added, 0 changed, 0 destroyed.");
        assertThat(state().get("resources")).hasSize(5);
        JsonNode outputs = phase("up1", "bringup").get("outputs");
        assertThat(outputs.get("public_ip").asString()).isEqualTo("203.0.113.10");
        Path kubeconfig = Path.of(outputs.get("kubeconfig").asString());
        assertThat(kubeconfig).startsWith(dir.resolve("receipts/up1/work/terraform")).content()
                .contains("current-context: dr");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kubeconfig))).isEqualTo("rw-------");
        String log = Files.readString(dir.resolve("receipts/up1/phases/bringup.log"));
        assertThat(log).as("the plan dr apply previewed is the one applied").contains("applying the plan-diff's saved plan sha256:")
                .doesNotContain("$ terraform plan", "$ terraform init");
        java.util.regex.Matcher applied = java.util.regex.Pattern.compile("\\$ terraform apply -input=false -no-color (\\S+)")
                .matcher(log);
        assertThat(applied.find()).as(log).isTrue();
        Path saved = Path.of(applied.group(1));
        assertThat(saved.startsWith(dir.resolve("receipts"))).as("the saved plan is kept outside the receipts: %s", saved).isFalse();
        assertThat(saved.getParent().getParent()).as("the run's handoff folder is gone when dr apply ends").doesNotExist();
        assertThat(log).contains("terraform plan: 5 to create, 0 to update, 0 to delete, 0 unchanged",
                "  + create terraform terraform_data.runner", "output kubeconfig: (sensitive value) written to " + kubeconfig);
        // the runbook's copy, where its later runs load it from: the same credential, owner-only
        Path runbookCopy = dir.resolve("receipts/up1/kubeconfig.yaml");
        assertThat(runbookCopy).hasSameBinaryContentAs(kubeconfig);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(runbookCopy))).isEqualTo("rw-------");
        assertThat(up.out() + up.err()).as("the kubeconfig is never printed").doesNotContain(PlanJsonTest.TOKEN);
        assertThat(receiptFilesBut(kubeconfig, runbookCopy)).as("the join token is in no receipt file but the kubeconfigs")
                .allSatisfy(f -> assertThat(Files.readString(f)).doesNotContain(PlanJsonTest.TOKEN));
        try (Stream<Path> left = Files.walk(dir.resolve("receipts/up1/work"))) {
            assertThat(left).as("the saved plan is deleted once applied").noneMatch(p -> p.toString().endsWith(".tfplan"));
        }

        // a second bringup with another instance type: the live preview is terraform's plan, and changes nothing
        Path larger = plan("bringup-large", "bringup", "terraform.apply", "t4g.large",
                ", fromReceipt: \"" + dir.resolve("receipts/up1") + "\"");
        String before = Files.readString(tf.resolve("terraform.tfstate"));
        DrRun preview = dr("unused", "plan", larger.toString());
        assertThat(preview.exit()).as(preview.err()).isZero();
        assertThat(preview.out()).contains("+ terraform.apply  preview: exact, live",
                "- delete terraform terraform_data.burst_credits[0]\n",
                "= unchanged terraform terraform_data.network\n",
                "- delete terraform terraform_data.root_volume (replace: triggers_replace)\n",
                "+ create terraform terraform_data.root_volume (replace: triggers_replace)\n",
                "~ update terraform terraform_data.runner (input.instance_type, output)\n");
        assertThat(tf.resolve("terraform.tfstate")).hasContent(before);
        try (Stream<Path> files = Files.list(tf)) {
            // no .terraform either: the applies ran in their previews' data folders, outside the terraform folder
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("main.tf", "terraform.tfstate");
        }

        DrRun up2 = dr("up2", "apply", larger.toString(), "--yes");
        assertThat(up2.exit()).as(up2.err()).isZero();
        assertThat(up2.err()).contains("Apply complete! Resources: 1 added, 1 changed, 2 destroyed.");
        assertThat(Files.readString(dir.resolve("receipts/up2/phases/bringup.log")))
                .contains("      input.instance_type: \"t4g.medium\" -> \"t4g.large\"");
        assertThat(phase("up2", "bringup").get("outputs").get("public_ip").asString()).isEqualTo("203.0.113.10");

        DrRun down = dr("down", "apply", plan("teardown", "teardown", "terraform.destroy", "t4g.large",
                ", teardown: true").toString(), "--yes");
        assertThat(down.exit()).as(down.err()).isZero();
        assertThat(state().get("resources")).isEmpty();
        assertThat(phase("down", "teardown").get("outputs").get("terraform.destroyed").asString()).isEqualTo("4");
        assertThat(Files.readString(dir.resolve("receipts/down/phases/teardown.log")))
                .contains("terraform plan: 0 to create, 0 to update, 4 to delete, 0 unchanged");
        assertThat(receiptFilesBut(kubeconfig, runbookCopy, dir.resolve("receipts/up2/kubeconfig.yaml"),
                Path.of(phase("up2", "bringup").get("outputs").get("kubeconfig").asString())))
                .allSatisfy(f -> assertThat(Files.readString(f)).doesNotContain(PlanJsonTest.TOKEN));

        DrRun again = dr("unused", "plan", plan("teardown-again", "teardown", "terraform.destroy", "t4g.large",
                ", teardown: true, fromReceipt: \"" + dir.resolve("receipts/down") + "\"").toString());
        assertThat(again.out()).contains("= unchanged terraform " + tf + " (nothing in the state to destroy)");
    }

    @Test
    void theTeardownPreviewListsWhatWouldBeDestroyed() throws Exception {
        DrRun up = dr("up1", "apply", plan("bringup", "bringup", "terraform.apply", "t4g.medium", "").toString(), "--yes");
        assertThat(up.exit()).as(up.err()).isZero();
        DrRun preview = dr("unused", "plan", plan("teardown", "teardown", "terraform.destroy", "t4g.medium",
                ", teardown: true, fromReceipt: \"" + dir.resolve("receipts/up1") + "\"").toString());
        assertThat(preview.exit()).as(preview.err()).isZero();
        assertThat(preview.out()).contains("+ terraform.destroy  preview: exact, live",
                "- delete terraform terraform_data.cluster\n", "- delete terraform output kubeconfig (sensitive)\n");
        assertThat(state().get("resources")).as("a preview destroys nothing").hasSize(5);
    }

    @Test
    void beforeAnyRunThePlanDiffListsWhatBringupWillCreate() throws Exception {
        // no run.fromReceipt: terraform's preview needs no earlier run, it plans the folder the plan names
        DrRun preview = dr("unused", "plan", plan("bringup", "bringup", "terraform.apply", "t4g.medium", "").toString());
        assertThat(preview.exit()).as(preview.err()).isZero();
        assertThat(preview.out()).contains("+ terraform.apply  preview: exact, live",
                "+ create terraform terraform_data.runner\n", "+ create terraform output kubeconfig (sensitive)\n");
        assertThat(tf.resolve("terraform.tfstate")).doesNotExist();
    }

    @Test
    void theShippedBringupAndTeardownPlansPreviewTheOperatorsTerraformFolderLive() throws Exception {
        // the operator's repository: the shipped plans, and ops/dr/terraform (here the local-backend drill folder)
        Path repo = dir.resolve("repo");
        Path shipped = Path.of(System.getProperty("dr.projectDir", ".")).toAbsolutePath().resolve("plans");
        try (Stream<Path> files = Files.walk(shipped)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path to = repo.resolve("plans").resolve(shipped.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
        }
        Files.createDirectories(repo.resolve("ops/dr"));
        Files.move(tf, repo.resolve("ops/dr/terraform"));
        // dr as the operator starts it, from the repository's root (the steps read folders from the process's)
        DrRun bringup = drFrom(repo, "plan", "plans/bringup-only.yaml");
        assertThat(bringup.exit()).as(bringup.err()).isZero();
        assertThat(bringup.out()).contains("+ terraform.apply  preview: exact, live",
                "+ create terraform terraform_data.runner\n", "+ create terraform terraform_data.cluster\n");
        assertThat(bringup.err()).doesNotContain("no folder");
        DrRun teardown = drFrom(repo, "plan", "plans/teardown.yaml");
        assertThat(teardown.exit()).as(teardown.err()).isZero();
        assertThat(teardown.out()).contains("+ terraform.destroy  preview: exact, live",
                "= unchanged terraform " + repo.resolve("ops/dr/terraform") + " (nothing in the state to destroy)");
        assertThat(repo.resolve("ops/dr/terraform/terraform.tfstate")).doesNotExist();
    }

    @Test
    void aStateThatMovesBetweenThePlanDiffAndItsApplyRefusesTheRunWithExit3() throws Exception {
        // another terraform folder whose local backend is this folder's state: its apply, first in
        // the run, moves the state the plan-diff of the second step was made from, as another
        // operator's apply would
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.copy(DRILL.resolve("main.tf"), other.resolve("main.tf"));
        Files.writeString(other.resolve("main_override.tf"), "terraform {\n  backend \"local\" {\n    path = \""
                + tf.resolve("terraform.tfstate") + "\"\n  }\n}\n");
        Path f = dir.resolve("moved.yaml");
        Files.writeString(f, String.join("\n", "apiVersion: dr/v1", "kind: DrillPlan", "metadata: {name: moved}",
                "target: {accountId: \"048622080012\", region: us-east-1, namespace: jobintel, environment: sandbox}",
                "sizing: {instanceType: t4g.medium}",
                "run: {receiptDir: \"" + dir.resolve("receipts") + "\"}",
                "phases:",
                "  - name: bringup",
                "    steps:",
                "      - uses: terraform.apply",
                "        name: elsewhere",
                "        with: {dir: \"" + other + "\", vars: {join_token: k3s-join-elsewhere}}",
                "      - uses: terraform.apply",
                "        with: {dir: \"" + tf + "\"}", ""));
        DrRun run = dr("moved", "apply", f.toString(), "--yes");
        assertThat(run.exit()).as(run.err()).isEqualTo(3);
        assertThat(run.err()).contains("dr: bringup: live state changed since the plan-diff was shown, so what it showed"
                + " was not applied; run dr apply again");
        JsonNode bringup = phase("moved", "bringup");
        assertThat(bringup.get("status").asString()).isEqualTo("failed");
        assertThat(bringup.get("reason").get("kind").asString()).isEqualTo("stale-preview");
        String log = Files.readString(dir.resolve("receipts/moved/phases/bringup.log"));
        assertThat(log).contains("changed since the plan-diff was shown (terraform: Saved plan is stale)")
                .doesNotContain("$ terraform plan");
        assertThat(log.split("Apply complete!", -1)).as("only the first step applied").hasSize(2);
        assertThat(state().toString()).contains("k3s-join-elsewhere").doesNotContain(PlanJsonTest.TOKEN);
        try (Stream<Path> all = Files.walk(dir.resolve("receipts"))) {
            assertThat(all).as("no saved plan in the receipts").noneMatch(p -> p.getFileName().toString().contains("tfplan"));
        }
    }

    @Test
    void aFullDrillsTeardownPlansAgainAfterItsOwnBringupAndSaysWhy() throws Exception {
        // the plan-diff of teardown was made before bringup created what it destroys
        Path f = dir.resolve("full.yaml");
        Files.writeString(f, String.join("\n", "apiVersion: dr/v1", "kind: DrillPlan", "metadata: {name: full}",
                "target: {accountId: \"048622080012\", region: us-east-1, namespace: jobintel, environment: sandbox}",
                "sizing: {instanceType: t4g.medium}",
                "run: {receiptDir: \"" + dir.resolve("receipts") + "\", teardown: true, allowFullDrill: true}",
                "phases:",
                "  - name: bringup",
                "    steps:",
                "      - uses: terraform.apply",
                "        with: {dir: \"" + tf + "\"}",
                "  - name: teardown",
                "    steps:",
                "      - uses: terraform.destroy",
                "        with: {dir: \"" + tf + "\"}", ""));
        DrRun run = dr("full", "apply", f.toString(), "--yes");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("= unchanged terraform " + tf + " (nothing in the state to destroy)");
        assertThat(Files.readString(dir.resolve("receipts/full/phases/bringup.log")))
                .contains("applying the plan-diff's saved plan sha256:");
        assertThat(Files.readString(dir.resolve("receipts/full/phases/teardown.log")))
                .contains("an earlier step of this run applied it after the plan-diff was made, so the plan-diff's saved"
                        + " plan predates this run's own change: planning now", "$ terraform plan",
                        "terraform plan: 0 to create, 0 to update, 5 to delete, 0 unchanged");
        assertThat(state().get("resources")).isEmpty();
    }

    /** dr in a JVM of its own whose working directory is {@code cwd}, on this test's class path. */
    private static DrRun drFrom(Path cwd, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.dr.cli.Main"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("dr-out", ".txt");
        Path err = Files.createTempFile("dr-err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("dr did not finish within 2 minutes: " + cmd);
        }
        return new DrRun(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private List<Path> receiptFilesBut(Path... kept) throws IOException {
        try (Stream<Path> all = Files.walk(dir.resolve("receipts"))) {
            return all.filter(Files::isRegularFile).filter(p -> !List.of(kept).contains(p)).toList();
        }
    }
}
