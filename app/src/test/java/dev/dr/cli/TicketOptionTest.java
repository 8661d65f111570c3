package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.command.ExitCodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

/** {@code dr plan --ticket}: what it accepts, what it refuses and with which message, and what it leaves alone. */
class TicketOptionTest {

    static DrRun dr(String... args) {
        return DrRun.inProject(Map.of(), args);
    }

    @Test
    void withoutFormatTheTicketDocumentIsMarkdown() throws Exception {
        DrRun r = dr("plan", "plans/full-drill.yaml", "--ticket", "CHG-1234");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(Files.readString(GoldenTicketTest.GOLDEN.resolve("full-drill.md"), StandardCharsets.UTF_8));
    }

    @Test
    void theDefaultCommandTakesItToo() {
        DrRun r = dr("plans/teardown.yaml", "--ticket", "INC0012345");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("# INC0012345: DR drill `teardown`\n");
    }

    @ParameterizedTest(name = "--ticket \"{0}\"")
    @CsvSource(delimiter = ';', quoteCharacter = '\'', value = {
            "'';--ticket needs a change ticket id such as CHG-1234, was empty",
            "'   ';--ticket needs a change ticket id such as CHG-1234, was empty",
            "CHG 1234;--ticket must be a change ticket id such as CHG-1234 (letters, digits, '.', '_' and '-', starting"
                    + " with a letter or digit, at most 64 characters), was \"CHG 1234\"",
            "CHG-1|rm;--ticket must be a change ticket id such as CHG-1234 (letters, digits, '.', '_' and '-', starting"
                    + " with a letter or digit, at most 64 characters), was \"CHG-1|rm\"",
            "`CHG`;--ticket must be a change ticket id such as CHG-1234 (letters, digits, '.', '_' and '-', starting"
                    + " with a letter or digit, at most 64 characters), was \"`CHG`\"",
            "-CHG-1;--ticket must be a change ticket id such as CHG-1234 (letters, digits, '.', '_' and '-', starting"
                    + " with a letter or digit, at most 64 characters), was \"-CHG-1\"",
            "<b>CHG</b>;--ticket must be a change ticket id such as CHG-1234 (letters, digits, '.', '_' and '-', starting"
                    + " with a letter or digit, at most 64 characters), was \"<b>CHG</b>\""})
    void aTicketIdThatIsNotOneIsRefusedBeforeThePlanIsRead(String id, String message) {
        // a plan that does not exist: the id is checked first, and nothing else is said
        DrRun r = dr("plan", "plans/no-such-plan.yaml", "--format", "markdown", "--ticket", id);
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("dr plan: " + message + "; nothing was rendered\n");
    }

    @Test
    void aTooLongIdOrAControlCharacterIsRefusedAndNotEchoedRaw() {
        String long65 = "CHG-" + "1".repeat(61);
        DrRun tooLong = dr("plan", "plans/full-drill.yaml", "--ticket", long65);
        assertThat(tooLong.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(tooLong.err()).contains("at most 64 characters), was \"" + long65 + "\"; nothing was rendered");
        assertThat(dr("plan", "plans/full-drill.yaml", "--ticket", "CHG-" + "1".repeat(60)).exit()).isZero();

        DrRun control = dr("plan", "plans/full-drill.yaml", "--ticket", "CHG-1\u001b[31m");
        assertThat(control.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(control.err()).contains("was \"CHG-1?[31m\"").doesNotContain("\u001b");
        assertThat(control.out()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"text", "json"})
    void aTicketDocumentIsMarkdownOnly(String format) {
        DrRun r = dr("plan", "plans/full-drill.yaml", "--format", format, "--ticket", "CHG-1234");
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("dr plan: --ticket renders the change-ticket document, which is Markdown: use"
                + " --format markdown (or no --format), not --format " + format + "; nothing was rendered\n");
    }

    @Test
    void aTicketThatIsNotTheOneThePlanRunsUnderIsRefused() {
        DrRun r = DrRun.inProject(Map.of("CHANGE_TICKET", "CHG-9"), "plan", "plans/full-drill.yaml", "--ticket", "CHG-1234");
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).endsWith("dr plan: --ticket CHG-1234 is not the ticket the plan runs under (metadata.ticket of"
                + " plans/full-drill.yaml or a plan it extends, which may take it from a variable such as CHANGE_TICKET);"
                + " give the same ticket to both; nothing was rendered\n");
    }

    @Test
    void anInvalidPlanIsReportedAsWithoutTheTicket() {
        DrRun with = dr("plan", "app/src/test/resources/cli/broken.yaml", "--ticket", "CHG-1234");
        DrRun without = dr("plan", "app/src/test/resources/cli/broken.yaml", "--format", "markdown");
        assertThat(with.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(with.out()).isEmpty();
        assertThat(with.err()).isEqualTo(without.err()).contains("broken.yaml:");
    }

    @Test
    void theTicketChangesNeitherThePlanDigestNorWhatIsSaved(@TempDir Path dir) throws Exception {
        DrRun json = dr("plan", "plans/full-drill.yaml", "--format", "json");
        String digest = JsonMapper.builder().build().readTree(json.out()).get("planDigest").asString();
        DrRun ticket = dr("plan", "plans/full-drill.yaml", "--ticket", "CHG-1234", "--out", dir.resolve("t.json").toString());
        DrRun plain = dr("plan", "plans/full-drill.yaml", "--out", dir.resolve("p.json").toString());
        assertThat(ticket.exit()).isZero();
        assertThat(ticket.out()).contains("| Plan digest | `" + digest + "` |");
        assertThat(Files.readString(dir.resolve("t.json"))).isEqualTo(Files.readString(dir.resolve("p.json")));
    }

    @Test
    void detailedExitcodeStillSaysChangesArePending() {
        assertThat(dr("plan", "plans/full-drill.yaml", "--ticket", "CHG-1234", "--detailed-exitcode").exit())
                .isEqualTo(ExitCodes.CHANGES_PENDING);
    }
}
