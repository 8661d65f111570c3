package dev.dr.steps.terraform;

import dev.dr.step.ErrorClass;
import dev.dr.step.StepFailure;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A failed terraform command as a classified step failure, from what it wrote to stderr
 * (terraform's exit status is 1 for every error):
 *
 * <ul>
 *   <li>{@code throttled}: the AWS API or the lock table asked to slow down, or the state lock
 *       could not be taken or released for another reason (the lock table answered badly); a
 *       later attempt usually gets through;</li>
 *   <li>{@code conflict}: someone holds the state lock (its "Lock Info" names who), or the state
 *       moved between the step's own plan and its apply ("Saved plan is stale"); the next attempt
 *       plans again (for the plan-diff's saved plan, see {@link #stale});</li>
 *   <li>{@code permanent}: anything else.</li>
 * </ul>
 *
 * The message carries the last lines of stderr, already masked.
 */
final class TerraformFailures {
    static final int MESSAGE_LINES = 8;

    private static final List<String> THROTTLING = List.of("throttlingexception", "throttling:", "rate exceeded",
            "provisionedthroughputexceeded", "requestlimitexceeded", "toomanyrequestsexception", "slowdown",
            "slow down", "request limit exceeded");

    /** The holder's lock info, as terraform prints it under a lock it could not take. */
    private static final Pattern HOLDER = Pattern.compile("lock info:\\s*\\n\\s*id:");

    private TerraformFailures() {}

    /**
     * Terraform refused a saved plan because the state moved since it was made. Classified
     * {@code conflict} (the step's own plan, made just before: the next attempt plans again); the
     * apply of a plan-diff's saved plan makes it {@code stale-preview} instead.
     */
    static boolean stale(StepFailure f) {
        return f.getMessage() != null && f.getMessage().toLowerCase(Locale.ROOT).contains("saved plan is stale");
    }

    static ErrorClass classify(String stderr) {
        String s = stderr.toLowerCase(Locale.ROOT);
        if (THROTTLING.stream().anyMatch(s::contains)) {
            return ErrorClass.THROTTLED;
        }
        if (s.contains("saved plan is stale")) {
            return ErrorClass.CONFLICT;
        }
        if (s.contains("state lock") || s.contains("acquiring the lock")) {
            // held by someone: terraform prints the holder's lock info (or DynamoDB's refusal)
            return HOLDER.matcher(s).find() || s.contains("conditionalcheckfailed") ? ErrorClass.CONFLICT : ErrorClass.THROTTLED;
        }
        return ErrorClass.PERMANENT;
    }

    /**
     * {@code terraform plan failed (exit 1): Error: ... | ...}: up to {@link #MESSAGE_LINES} lines of
     * the masked stderr, from the first error on (the last lines when there is none).
     */
    static StepFailure failure(String command, int exit, List<String> maskedStderr) {
        String all = String.join("\n", maskedStderr);
        List<String> lines = maskedStderr.stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.equals("╷") && !l.equals("╵") && !l.equals("│")).toList();
        // from terraform's first "Error:" on: warnings before it and the advice after it say less
        int first = 0;
        while (first < lines.size() && !lines.get(first).replaceFirst("^│\\s*", "").startsWith("Error")) {
            first++;
        }
        List<String> tail = first < lines.size()
                ? lines.subList(first, Math.min(lines.size(), first + MESSAGE_LINES))
                : lines.subList(Math.max(0, lines.size() - MESSAGE_LINES), lines.size());
        String detail = tail.isEmpty() ? "no error output" : String.join(" | ", tail);
        return new StepFailure(classify(all), "terraform " + command + " failed (exit " + exit + "): " + detail);
    }
}
