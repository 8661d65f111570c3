package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Color only on a terminal, and never with NO_COLOR. */
class ColorTest {

    static String preview(Map<String, String> env, boolean tty) {
        return DrRun.in(CliProcess.projectDir(), env, tty, "", "plans/validate-only.yaml").out();
    }

    @Test
    void colorOnATerminal() {
        assertThat(preview(Map.of(), true)).contains("\u001b[");
    }

    @Test
    void noColorWhenPipedOrWithNoColor() {
        assertThat(preview(Map.of(), false)).doesNotContain("\u001b[");
        assertThat(preview(Map.of("NO_COLOR", "1"), true)).doesNotContain("\u001b[");
        assertThat(preview(Map.of("NO_COLOR", ""), true)).as("an empty NO_COLOR does not count (no-color.org)")
                .contains("\u001b[");
    }

    @Test
    void coloredAndPlainTextDifferOnlyInEscapes() {
        assertThat(preview(Map.of(), true).replaceAll("\u001b\\[[0-9;]*m", "")).isEqualTo(preview(Map.of(), false));
    }
}
