package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.command.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failback's flags are dr failback's: its help lists them and apply's does not, yet apply
 * still takes them, for continuing a failback run with dr apply --resume. The runbook's section F
 * lines are taken flag for flag, each value reaching the plan-diff; bad values exit 2 before
 * anything is written. (FailbackRunbookLineTest runs the same lines against loopback servers.)
 */
class FailbackFlagsTest {
    @TempDir
    Path tmp;

    @Test
    void failbackListsItsFlagsAndApplyHidesThem() {
        DrRun failback = DrRun.inProject(Map.of(), "failback", "--help");
        assertThat(failback.exit()).isZero();
        assertThat(failback.out()).contains("--confirm1", "--confirm2", "--dr-run-id");
        DrRun apply = DrRun.inProject(Map.of(), "apply", "--help");
        assertThat(apply.exit()).isZero();
        assertThat(apply.out()).contains("--resume", "--kubeconfig").doesNotContain("--confirm1", "--confirm2",
                "--dr-run-id");
    }

    @Test
    void applyStillTakesThemAndBindsTheRunToTheDrRunId() {
        Map<String, String> env = Map.of("DR_LOCK_DIR", tmp.resolve("locks").toString(),
                "RECEIPT_DIR", tmp.resolve("receipts").toString(), "DR_OPERATOR", "tester", "RUN_ID", "one");
        DrRun r = DrRun.inProject(env, "apply", ApplyCommandTest.PLAN, "--yes", "--dr-run-id", "dr-1",
                "--confirm1", "FAILBACK", "--confirm2", "CONFIRM-dr-1");
        assertThat(r.exit()).as(r.err()).isZero();
        // a resume without the --dr-run-id the run was bound to is refused: the flag steers the run
        DrRun resumed = DrRun.inProject(env, "apply", ApplyCommandTest.PLAN, "--yes", "--resume",
                tmp.resolve("receipts/one").toString());
        assertThat(resumed.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(resumed.err()).contains("dr: cannot resume one: it was started under static digest");
    }

    static final String IMAGE = "048622080012.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:" + "a".repeat(64);

    Map<String, String> env() {
        return Map.of("DR_LOCK_DIR", tmp.resolve("locks").toString(), "RECEIPT_DIR", tmp.resolve("receipts").toString(),
                "DR_OPERATOR", "tester", "RUN_ID", "fb");
    }

    Path kubeconfig(String name) throws Exception {
        return Files.writeString(tmp.resolve(name), "apiVersion: v1\nkind: Config\n");
    }

    @Test
    void theRunbooksDryRunLineIsTakenAsWritten() throws Exception {
        Path dr = kubeconfig("k3s.public.yaml");
        Path primary = kubeconfig("primary.kubeconfig");
        DrRun r = DrRun.inProject(env(), "failback", "--bucket", "drill-artifacts", "--prefix", "jobintel",
                "--dr-run-id", "dr-run-7", "--kubeconfig-dr", dr.toString(), "--kubeconfig-primary", primary.toString(),
                "--confirm1", "FAILBACK", "--confirm2", "CONFIRM-dr-run-7", "--dry-run");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("bucket:   drill-artifacts (from BUCKET), prefix jobintel (from PREFIX)")
                .contains("primaryKubeconfig = \"" + primary + "\"")
                .contains("target.namespace  = \"jobintel\"").contains("provider      = \"\"");
        assertThat(tmp.resolve("receipts")).doesNotExist();
    }

    @Test
    void eachFlagOfTheRunbooksFailbackLineReachesThePlan() throws Exception {
        Path dr = kubeconfig("k3s.public.yaml");
        kubeconfig("primary.kubeconfig");
        // a relative path is the operator's folder's, and the plan-diff shows the file the steps will read
        DrRun r = DrRun.in(tmp, env(), "failback", "--plan", CliProcess.projectDir().resolve("plans/failback.yaml").toString(),
                "--bucket", "drill-artifacts", "--prefix", "jobintel", "--dr-run-id", "dr-run-7",
                "--kubeconfig-dr", dr.toString(), "--kubeconfig-primary", "primary.kubeconfig", "--image-ref", IMAGE,
                "--namespace", "jobintel-dr", "--provider", "openai", "--profile", "cs", "--dry-run");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("namespace jobintel-dr").contains("image:    " + IMAGE)
                .contains("primaryKubeconfig = \"" + tmp.resolve("primary.kubeconfig").toAbsolutePath() + "\"")
                .contains("target.namespace  = \"jobintel-dr\"").contains("~ update CronJob jobintel-dr/jobintel-daily")
                .contains("provider      = \"openai\"").contains("profile       = \"cs\"");
    }

    @Test
    void badValuesExitTwoAndWriteNothing() throws Exception {
        Path dr = kubeconfig("k3s.public.yaml");
        Path primary = kubeconfig("primary.kubeconfig");
        Map<List<String>, String> cases = new java.util.LinkedHashMap<>();
        cases.put(List.of("--kubeconfig-primary", tmp.resolve("nowhere.kubeconfig").toString()),
                "--kubeconfig-primary: no such file: " + tmp.resolve("nowhere.kubeconfig") + " (expected a kubeconfig file)");
        cases.put(List.of("--kubeconfig-primary", tmp.toString()),
                "--kubeconfig-primary: " + tmp + " is not a file (expected a kubeconfig file)");
        cases.put(List.of("--kubeconfig-primary", dr.toString()), "--kubeconfig-primary and --kubeconfig-dr are the same"
                + " file (" + dr + "): the primary's checks would look at the DR cluster");
        cases.put(List.of("--provider", ""), "--provider must name one provider of the publish layout"
                + " <publish prefix>/<provider>/<profile>/ (letters, digits, '.', '_' and '-', e.g. openai), was \"\"");
        cases.put(List.of("--provider", "open/ai"), "--provider must name one provider of the publish layout"
                + " <publish prefix>/<provider>/<profile>/ (letters, digits, '.', '_' and '-', e.g. openai), was \"open/ai\"");
        cases.put(List.of("--profile", ".."), "--profile must name one profile of the publish layout"
                + " <publish prefix>/<provider>/<profile>/ (letters, digits, '.', '_' and '-', e.g. cs), was \"..\"");
        cases.put(List.of("--profile", "cs", "--kubeconfig-primary", primary.toString()),
                "--profile cs needs --provider: profiles live below a provider (<publish prefix>/<provider>/<profile>/)");
        cases.put(List.of("--namespace", "Job_Intel"), "--namespace must be a Kubernetes namespace name (lower-case"
                + " letters, digits and '-', at most 63 characters, e.g. jobintel), was \"Job_Intel\"");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            for (boolean dryRun : List.of(false, true)) {
                List<String> argv = new ArrayList<>(List.of("failback", "--bucket", "drill-artifacts", "--dr-run-id",
                        "dr-run-7", "--kubeconfig-dr", dr.toString(), "--image-ref", IMAGE));
                argv.addAll(c.getKey());
                argv.addAll(dryRun ? List.of("--dry-run") : List.of("--yes", "--confirm1", "FAILBACK", "--confirm2",
                        "CONFIRM-dr-run-7"));
                DrRun r = DrRun.inProject(env(), argv.toArray(String[]::new));
                assertThat(r.exit()).as(c.getKey() + "\n" + r.err()).isEqualTo(ExitCodes.INVALID);
                assertThat(r.err().strip()).as(c.getKey().toString()).isEqualTo("dr: " + c.getValue() + "; nothing was run");
                assertThat(r.out()).as("no plan-diff: nothing was looked at").isEmpty();
                assertThat(tmp.resolve("receipts")).doesNotExist();
                assertThat(tmp.resolve("locks")).doesNotExist();
            }
        }
        // a missing DR kubeconfig too, and a bad value wins over a missing confirmation
        DrRun r = DrRun.inProject(env(), "failback", "--bucket", "drill-artifacts", "--dr-run-id", "dr-run-7",
                "--kubeconfig-dr", "nowhere.yaml", "--yes");
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.err().strip()).isEqualTo("dr: --kubeconfig-dr: no such file: nowhere.yaml (expected a kubeconfig file);"
                + " nothing was run");
    }
}
