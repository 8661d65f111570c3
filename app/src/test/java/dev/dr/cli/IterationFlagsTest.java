package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.diff.PhaseDecision;
import dev.dr.diff.Planner;
import dev.dr.plan.load.AppliedOverride;
import dev.dr.plan.load.LoadedPlan;
import dev.dr.plan.load.Overrides;
import dev.dr.plan.model.Plan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runbook's iteration flags as dr takes them: a boundary flag replaces all the plan's
 * boundaries, and --receipt-dir naming a bringup's receipt folder reuses that run.
 */
class IterationFlagsTest {

    static final String SANDBOX = "examples/sandbox/drill.yaml";

    @TempDir
    Path tmp;

    static Overrides boundaries(String startAt, String stopAfter, Boolean validateOnly, Boolean teardown) {
        return new Overrides(startAt, stopAfter, validateOnly, teardown, null, null, null, null, null, null, null, false);
    }

    static List<String> running(LoadedPlan loaded) {
        return Planner.decide(loaded.plan().orElseThrow()).stream().filter(PhaseDecision::runs).map(d -> d.phase().name().id())
                .toList();
    }

    @Test
    void validateOnlyReplacesThePlansStartAtAndThePlanDiffSaysSo() {
        // the sandbox plan says startAt: bringup; the runbook's --validate-only is the whole of the boundaries
        LoadedPlan loaded = TestPlans.load(SANDBOX, Map.of(), boundaries(null, null, true, false));
        assertThat(loaded.errors()).isEmpty();
        assertThat(running(loaded)).containsExactly("validate");
        assertThat(loaded.overrides()).containsExactly(
                new AppliedOverride("--validate-only", "run.startAt", "not set (replaces the plan's bringup)"),
                new AppliedOverride("--validate-only", "run.validateOnly", "true"),
                new AppliedOverride("--teardown", "run.teardown", "false"));
    }

    @Test
    void aStopAfterAloneStartsAtTheFirstPhaseWhateverThePlansStartAt() {
        LoadedPlan loaded = TestPlans.load("plans/restore-only.yaml", Map.of(), boundaries(null, "validate", null, null));
        assertThat(running(loaded)).containsExactly("bringup", "restore", "validate");
        assertThat(loaded.overrides()).containsExactly(
                new AppliedOverride("--stop-after", "run.startAt", "not set (replaces the plan's restore)"),
                new AppliedOverride("--stop-after", "run.stopAfter", "validate"));
        // a plan's validateOnly is replaced too, and named with the flags that replaced it
        LoadedPlan validate = TestPlans.load("plans/validate-only.yaml", Map.of(), boundaries("restore", "validate", null, null));
        assertThat(validate.errors()).isEmpty();
        assertThat(running(validate)).containsExactly("restore", "validate");
        assertThat(validate.overrides()).startsWith(new AppliedOverride("--start-at, --stop-after", "run.validateOnly",
                "not set (replaces the plan's true)"));
    }

    @Test
    void withoutABoundaryFlagThePlansOwnHold() {
        LoadedPlan loaded = TestPlans.load("plans/restore-only.yaml", Map.of(), boundaries(null, null, null, true));
        assertThat(running(loaded)).containsExactly("restore");
        assertThat(loaded.overrides()).containsExactly(new AppliedOverride("--teardown", "run.teardown", "true"));
    }

    @Test
    void theFullDrillOptInStillGuardsAFullDrillTheFlagsMake() {
        // bringup-only's boundaries replaced by --stop-after teardown --teardown true: a full drill, not opted in
        Plan full = TestPlans.load("plans/bringup-only.yaml", Map.of(), boundaries(null, "teardown", null, true)).plan().orElseThrow();
        assertThat(Planner.isFullDrill(full)).isTrue();
        assertThat(Planner.refusal(full)).contains(PhaseDecision.SkipReason.FULL_DRILL_NOT_ALLOWED);
        // the runbook's iteration commands on the sandbox plan are none
        for (Overrides o : List.of(boundaries("bringup", "bringup", null, false), boundaries("restore", "restore", null, false),
                boundaries(null, null, true, false), boundaries("teardown", null, null, true))) {
            Plan p = TestPlans.load(SANDBOX, Map.of(), o).plan().orElseThrow();
            assertThat(Planner.isFullDrill(p)).as(o.toString()).isFalse();
        }
    }

    /** --receipt-dir and --from-receipt as the command line gives them, from {@code tmp}. */
    Overrides receiptFlags(String receiptDir, String fromReceipt) {
        OverrideOptions o = new OverrideOptions();
        o.receiptDir = receiptDir;
        o.fromReceipt = fromReceipt;
        return o.toOverrides(Map.of(), tmp);
    }

    @Test
    void aReceiptDirThatIsABringupsReceiptIsReusedAndTheNewRunGoesBesideIt() throws Exception {
        Path bringup = tmp.resolve("bundles/m19-dr-bringup-1");
        Files.createDirectories(bringup.resolve("phases"));
        Overrides o = receiptFlags("bundles/m19-dr-bringup-1", null);
        assertThat(o.fromReceipt()).isEqualTo("bundles/m19-dr-bringup-1");
        assertThat(o.receiptDirIsBringupReceipt()).isTrue();
        LoadedPlan loaded = TestPlans.load(SANDBOX, Map.of(), o);
        Plan plan = loaded.plan().orElseThrow();
        assertThat(plan.run().fromReceipt()).isEqualTo("bundles/m19-dr-bringup-1");
        assertThat(plan.run().receiptDir()).isEqualTo("bundles");
        assertThat(loaded.overrides()).containsExactly(
                new AppliedOverride("--receipt-dir", "run.fromReceipt",
                        "bundles/m19-dr-bringup-1 (a bringup receipt: its outputs load from it)"),
                new AppliedOverride("--receipt-dir", "run.receiptDir", "bundles (beside the bringup receipt)"));
        // a saved plan keeps the meaning
        dev.dr.diff.PlanDiff diff = SavedPlanFileTest.diff();
        SavedPlan saved = SavedPlan.parse(new SavedPlan(SANDBOX, o, diff.planDigest(), diff).toJson(), "x.json");
        assertThat(saved.overrides()).isEqualTo(o);
    }

    @Test
    void aRunFolderIsKnownByWhatEveryRunOrABringupLeaves() throws Exception {
        for (String file : List.of("run.json", "drill.summary.json", "kubeconfig.yaml")) {
            Path run = tmp.resolve("runs-" + file + "/r1");
            Files.createDirectories(run);
            Files.writeString(run.resolve(file), "{}");
            assertThat(receiptFlags(tmp.relativize(run).toString(), null).receiptDirIsBringupReceipt()).as(file).isTrue();
        }
    }

    @Test
    void aReceiptDirThatIsNoRunFolderIsWhereReceiptsGo() throws Exception {
        Files.createDirectories(tmp.resolve("bundles/r1/phases"));
        Overrides base = receiptFlags("bundles", null);
        assertThat(base.receiptDirIsBringupReceipt()).isFalse();
        assertThat(base.fromReceipt()).isNull();
        assertThat(receiptFlags("not-yet", null).receiptDirIsBringupReceipt()).isFalse();
        Overrides both = receiptFlags("bundles", "bundles/r1");
        LoadedPlan loaded = TestPlans.load(SANDBOX, Map.of(), both);
        assertThat(loaded.plan().orElseThrow().run().receiptDir()).isEqualTo("bundles");
        assertThat(loaded.overrides()).containsExactly(new AppliedOverride("--receipt-dir", "run.receiptDir", "bundles"),
                new AppliedOverride("--from-receipt", "run.fromReceipt", "bundles/r1"));
    }

    @Test
    void aBringupReceiptAndAnotherFromReceiptAreRefused() throws Exception {
        Files.createDirectories(tmp.resolve("bundles/r1/phases"));
        assertThatThrownBy(() -> receiptFlags("bundles/r1", "bundles/r0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--receipt-dir bundles/r1 is an earlier run's receipt folder, whose outputs this run would reuse,"
                        + " and --from-receipt bundles/r0 names another; give one of them");
    }
}
