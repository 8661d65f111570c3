package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.command.Context;
import dev.dr.command.ExitCodes;
import dev.dr.command.ExitException;
import dev.dr.diff.PhaseDecision;
import dev.dr.diff.Planner;
import dev.dr.plan.load.Overrides;
import dev.dr.plan.model.Plan;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The failback's two confirmations, FAILBACK then CONFIRM-<dr_run_id>: given as flags or typed, never skipped. */
class FailbackConfirmationsTest {
    static final Map<String, String> ENV = Map.of("BUCKET", "artifacts", "PREFIX", "jobintel",
            "IMAGE_REF", "048622080012.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:"
                    + "0123456789012345678901234567890123456789012345678901234567890123");

    final StringWriter err = new StringWriter();

    static Plan failback(String fromReceipt) {
        return TestPlans.load("plans/failback.yaml", ENV,
                fromReceipt == null ? Overrides.NONE : TestPlans.fromReceipt(fromReceipt)).plan().orElseThrow();
    }

    Context ctx(boolean tty, String typed) {
        return new Context(new PrintWriter(new StringWriter()), new PrintWriter(err, true), Map.of(),
                CliProcess.projectDir(), tty, new BufferedReader(new StringReader(typed)));
    }

    static void refused(String message, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(ExitException.class, e -> assertThat(e.code()).isEqualTo(ExitCodes.GUARD_REFUSED))
                .hasMessage(message);
    }

    @Test
    void bothFlagsRightLetTheFailbackRun() {
        Plan plan = failback(null);
        assertThatCode(() -> FailbackConfirmations.check(ctx(false, ""), plan, Planner.decide(plan), "FAILBACK",
                "CONFIRM-dr-1", "dr-1")).doesNotThrowAnyException();
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aMissingOrWrongConfirmationRefuses() {
        Plan plan = failback(null);
        List<PhaseDecision> d = Planner.decide(plan);
        refused("failback refused: the first confirmation is missing (--confirm1 FAILBACK). Nothing was run.",
                () -> FailbackConfirmations.check(ctx(false, ""), plan, d, null, "CONFIRM-dr-1", "dr-1"));
        refused("failback refused: the first confirmation is 'failback', not FAILBACK. Nothing was run.",
                () -> FailbackConfirmations.check(ctx(false, ""), plan, d, "failback", "CONFIRM-dr-1", "dr-1"));
        refused("failback refused: the second confirmation is 'CONFIRM-dr-2', not CONFIRM-dr-1. Nothing was run.",
                () -> FailbackConfirmations.check(ctx(false, ""), plan, d, "FAILBACK", "CONFIRM-dr-2", "dr-1"));
    }

    @Test
    void theDrRunIdIsTheReusedRunsFolderUnlessGiven() {
        Plan noId = failback(null);
        refused("a failback needs the DR run id for its second confirmation: give --dr-run-id (or --from-receipt with"
                + " the DR bringup's receipt). Nothing was run.", () -> FailbackConfirmations.check(ctx(false, ""), noId,
                        Planner.decide(noId), "FAILBACK", "CONFIRM-x", null));
        Plan fromReceipt = failback("receipts/dr-7");
        assertThatCode(() -> FailbackConfirmations.check(ctx(false, ""), fromReceipt, Planner.decide(fromReceipt),
                "FAILBACK", "CONFIRM-dr-7", null)).doesNotThrowAnyException();
    }

    @Test
    void atATerminalBothAreTyped() {
        Plan plan = failback(null);
        assertThatCode(() -> FailbackConfirmations.check(ctx(true, "FAILBACK\nCONFIRM-dr-1\n"), plan,
                Planner.decide(plan), null, null, "dr-1")).doesNotThrowAnyException();
        assertThat(err.toString()).contains("Type FAILBACK: ").endsWith("Type CONFIRM-dr-1: ");
    }

    @Test
    void aPlanThatRunsNoFailbackAsksForNothing() {
        Plan plan = TestPlans.load(ApplyCommandTest.PLAN, Map.of(), Overrides.NONE).plan().orElseThrow();
        assertThatCode(() -> FailbackConfirmations.check(ctx(false, ""), plan, Planner.decide(plan), null, null, null))
                .doesNotThrowAnyException();
    }
}
