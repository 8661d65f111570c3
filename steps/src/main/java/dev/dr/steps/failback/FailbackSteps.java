package dev.dr.steps.failback;

import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.steps.RunbookReceipts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the failback steps share: the runbook's receipts. {@code state_transitions.log} gets a
 * line per state the failback reaches, a refusal included, and {@code failback.summary.json}
 * says how it ended; both in the run's receipt folder, where the runbook has them (the log
 * also in the work folder's {@code failback/}, where dr kept it first).
 */
final class FailbackSteps {
    static final String TRANSITIONS = "state_transitions.log";
    static final String SUMMARY = "failback.summary.json";

    private FailbackSteps() {}

    /** UTC, to the second: the time a transition or summary records. */
    static String now() {
        return Clock.systemUTC().instant().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Appends {@code <UTC time> <line>} to state_transitions.log (receipt and work folder) and the phase log. */
    static void transition(StepContext ctx, String line) throws StepFailure {
        String entry = now() + " " + line;
        Path log = ctx.workDir().resolve("failback").resolve(TRANSITIONS);
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, entry + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw StepFailure.permanent("cannot write " + log + ": " + e.getMessage());
        }
        RunbookReceipts.append(ctx, TRANSITIONS, entry);
        ctx.log(line);
    }

    /**
     * A refusal at {@code state} (precondition, freeze, divergence): the transition saying so and
     * a summary with the reason and {@code facts} (what was looked at), then the failure to
     * throw. Nothing has moved back.
     */
    static StepFailure refused(StepContext ctx, String state, Map<String, String> facts, StepFailure failure)
            throws StepFailure {
        transition(ctx, state + ": refused: " + failure.getMessage().lines().findFirst().orElse(""));
        Map<String, Object> summary = new TreeMap<>(facts);
        summary.put("status", "refused");
        summary.put("refused_at", state);
        summary.put("reason", failure.getMessage());
        summary.put("finished_at", now());
        RunbookReceipts.json(ctx, SUMMARY, summary);
        return failure;
    }

    /** The summary of a failback that handed the pointers back. */
    static void restored(StepContext ctx, String pointer, String before, String at) throws StepFailure {
        Map<String, Object> summary = new TreeMap<>();
        summary.put("status", "failed-back");
        summary.put("canonical_before", before);
        summary.put("canonical_after", "primary");
        summary.put("pointer", pointer);
        summary.put("restored_at", at);
        RunbookReceipts.json(ctx, SUMMARY, summary);
    }
}
