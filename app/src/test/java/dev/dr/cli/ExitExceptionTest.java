package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.command.ExitCodes;
import dev.dr.command.ExitException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Each factory's exit code, and the one line Main prints for it. */
class ExitExceptionTest {

    static String said(ExitException e, int[] code) {
        StringWriter err = new StringWriter();
        code[0] = e.report(new PrintWriter(err, true));
        return err.toString();
    }

    @Test
    void eachFactoryCarriesItsExitCodeAndSaysOneLine() {
        int[] code = new int[1];
        assertThat(said(ExitException.invalidInput("x.yaml is invalid; nothing was run"), code))
                .isEqualTo("dr: x.yaml is invalid; nothing was run" + System.lineSeparator());
        assertThat(code[0]).isEqualTo(ExitCodes.INVALID);
        assertThat(said(ExitException.guardRefused("apply cancelled"), code)).startsWith("dr: apply cancelled");
        assertThat(code[0]).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(said(ExitException.phaseFailed("the copy failed"), code)).startsWith("dr: the copy failed");
        assertThat(code[0]).isEqualTo(ExitCodes.PHASE_FAILED);
    }

    @Test
    void aCommandCanSayTheLineUnderItsOwnName() {
        int[] code = new int[1];
        assertThat(said(ExitException.invalidInput("no such target").as("dr compile"), code))
                .isEqualTo("dr compile: no such target" + System.lineSeparator());
        assertThat(code[0]).isEqualTo(ExitCodes.INVALID);
    }

    @Test
    void mainMapsACommandsExceptionToItsCodeAndLine() {
        DrRun r = DrRun.inProject(java.util.Map.of(), "force-unlock", "not-a-lock-id");
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.err()).startsWith("dr: ").doesNotContain("internal error", "ExitException")
                .hasLineCount(1);
        DrRun approve = DrRun.inProject(java.util.Map.of(), "approve", "--approver", "alice");
        assertThat(approve.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(approve.err()).isEqualTo("dr approve: give exactly one of RUN (a run of dr apply) or --execution-arn"
                + " (an execution of the orchestrator's state machine)" + System.lineSeparator());
    }

    @Test
    void whatTheCommandAlreadySaidIsNotSaidAgain() {
        int[] code = new int[1];
        assertThat(said(ExitException.reported(ExitCodes.GUARD_REFUSED), code)).isEmpty();
        assertThat(code[0]).isEqualTo(ExitCodes.GUARD_REFUSED);
    }
}
