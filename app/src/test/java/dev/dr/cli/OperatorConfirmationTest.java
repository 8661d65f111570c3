package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.command.Context;
import dev.dr.command.ExitCodes;
import dev.dr.command.ExitException;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The general confirmation of dr apply: --yes, or 'yes' typed at a terminal, and nothing else. */
class OperatorConfirmationTest {
    final StringWriter err = new StringWriter();

    Context ctx(boolean tty, String typed) {
        return new Context(new PrintWriter(new StringWriter()), new PrintWriter(err, true), Map.of(), Path.of("."), tty,
                new BufferedReader(new StringReader(typed)));
    }

    @Test
    void yesConfirmsWithoutAPrompt() throws Exception {
        OperatorConfirmation.confirm(ctx(true, ""), true);
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void withoutATerminalOnlyYesConfirms() {
        assertThatThrownBy(() -> OperatorConfirmation.confirm(ctx(false, "yes\n"), false))
                .isInstanceOfSatisfying(ExitException.class, e -> assertThat(e.code()).isEqualTo(ExitCodes.INVALID))
                .hasMessageContaining("no terminal to confirm on; pass --yes");
    }

    @Test
    void atATerminalTheAnswerMustBeYes() throws Exception {
        OperatorConfirmation.confirm(ctx(true, "  yes \n"), false);
        assertThat(err.toString()).isEqualTo("Apply this plan? Only 'yes' is accepted: ");
        for (String answer : new String[] {"y\n", "YES\n", ""}) {
            assertThatThrownBy(() -> OperatorConfirmation.confirm(ctx(true, answer), false))
                    .isInstanceOfSatisfying(ExitException.class,
                            e -> assertThat(e.code()).isEqualTo(ExitCodes.GUARD_REFUSED))
                    .hasMessage("apply cancelled; nothing was run");
        }
    }
}
