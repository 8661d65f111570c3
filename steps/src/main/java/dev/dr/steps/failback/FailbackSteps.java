package dev.dr.steps.failback;

import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

/** What the failback steps share: the runbook's state_transitions.log. */
final class FailbackSteps {
    private FailbackSteps() {}

    /** Appends a line to {@code failback/state_transitions.log} in the work folder, as the runbook's receipts have it. */
    static void transition(StepContext ctx, String line) throws StepFailure {
        Path log = ctx.workDir().resolve("failback").resolve("state_transitions.log");
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, Clock.systemUTC().instant() + " " + line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw StepFailure.permanent("cannot write " + log + ": " + e.getMessage());
        }
        ctx.log(line);
    }
}
