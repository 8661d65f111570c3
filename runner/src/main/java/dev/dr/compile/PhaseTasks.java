package dev.dr.compile;

import dev.dr.plan.model.Phase;
import dev.dr.plan.model.PhaseName;
import dev.dr.plan.model.Plan;
import dev.dr.plan.model.RetryPolicy;
import dev.dr.plan.model.StepUse;
import dev.dr.step.ErrorClass;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Task state of one phase: {@code dr apply FILE --phase NAME} on the worker, its Retry
 * from the phase's retry budget, its timeout, and its Catch.
 *
 * <h2>Why the Retry matches States.TaskFailed and not dr's error classes</h2>
 * A {@code .sync} CodeBuild build or ECS task fails the state with {@code States.TaskFailed}
 * whatever made dr exit non-zero: the integration reports the build's or the task's status,
 * and a worker has no way to name the error Step Functions raises. A retrier on
 * {@code image-pull-auth} could never match. So the worker runs a single attempt
 * ({@code --no-retry}) and Step Functions retries it with the phase's budget (attempts,
 * interval, backoff rate, MaxDelaySeconds) on {@code States.TaskFailed}, plus
 * {@code States.Timeout} when the budget names {@code timeout}. This retries every failed
 * attempt of a phase whose budget retries at all, not only the classes it names; the classes
 * are in the state's Comment and every attempt's failed receipt says which class it was. A
 * phase whose budget does not retry (one attempt, or no class) gets no Retry.
 */
final class PhaseTasks {
    /** Time the worker needs around one attempt: start the build or task, load the plan, print the plan-diff. */
    static final Duration WORKER_MARGIN = Duration.ofMinutes(10);

    private final Plan plan;
    private final CompileOptions options;
    private final String file;

    PhaseTasks(Plan plan, CompileOptions options) {
        this.plan = plan;
        this.options = options;
        this.file = plan.file();
    }

    static String stateName(PhaseName p) {
        StringBuilder b = new StringBuilder();
        for (String part : p.id().split("-")) {
            b.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
        }
        return b.toString();
    }

    static String failedState(PhaseName p) {
        return stateName(p) + " failed";
    }

    /**
     * The worker's receipts go to the receipt bucket, when the execution has one, at the runbook's
     * keys: dr apply uploads them itself once written, whether the phase succeeded or not.
     */
    static final String UPLOAD = " ${DR_RECEIPT_BUCKET:+--upload-receipts"
            + " \"s3://$DR_RECEIPT_BUCKET/$DR_RECEIPT_PREFIX/$DR_EXECUTION_ID\"}";

    /** The run id of the phase's dr apply: one run per phase and execution, so their receipts never mix. */
    static String runIdFormat(PhaseName p) {
        return "States.Format('{}-" + Shell.intrinsic(p.id()) + "', $$.Execution.Name)";
    }

    /** The receipts folder of that run, relative to the worker's working directory. */
    static String receiptsFormat(Plan plan, PhaseName p) {
        return "States.Format('" + Shell.intrinsic(plan.run().receiptDir()) + "/{}-" + Shell.intrinsic(p.id())
                + "', $$.Execution.Name)";
    }

    /** The dr apply command line of a phase, as the worker runs it (without the shell's additions). */
    List<String> applyArgs(PhaseName p) {
        List<String> args = new ArrayList<>(List.of("apply", file, "--phase", p.id(), "--yes", "--no-retry",
                "--receipt-dir", plan.run().receiptDir()));
        args.addAll(options.workerFlags());
        return args;
    }

    /** True when the phase may need outputs (the kubeconfig) of a bringup run in another worker. */
    static boolean readsEarlierReceipt(PhaseName p) {
        return p.ordinal() > PhaseName.BRINGUP.ordinal();
    }

    /**
     * The worker's shell script, on one line: asl-validator 4 refuses a multi-line string in an
     * array, and the ECS command is one.
     */
    String script(PhaseName p, boolean gated) {
        String apply = options.drCommand() + " " + Shell.words(applyArgs(p))
                + (readsEarlierReceipt(p) ? " ${DR_FROM_RECEIPT:+--from-receipt \"$DR_FROM_RECEIPT\"}" : "")
                + UPLOAD;
        if (!gated) {
            return apply;
        }
        String receipts = Shell.word(plan.run().receiptDir());
        // The orchestrator's gate opened already; dr apply holds the phase at its own gate until the
        // same approval is recorded there, so the promote receipt names the approver and the ticket.
        // Should that never succeed (5 minutes), dr apply is stopped rather than left waiting.
        return apply + " & apply=$!; approved=no; for i in $(seq 1 150); do if " + options.drCommand() + " approve \"$RUN_ID\""
                + " --receipt-dir " + receipts + " --approver \"$DR_APPROVER\" --ticket \"$DR_TICKET\"; then approved=yes;"
                + " break; fi; kill -0 \"$apply\" 2>/dev/null || break; sleep 2; done;"
                + " [ \"$approved\" = yes ] || kill \"$apply\" 2>/dev/null || true; wait \"$apply\"";
    }

    List<Worker.EnvVar> env(PhaseName p, boolean gated) {
        List<Worker.EnvVar> env = new ArrayList<>();
        env.add(new Worker.EnvVar("RUN_ID", runIdFormat(p), true));
        env.add(new Worker.EnvVar("DR_EXECUTION_ID", "$$.Execution.Name", true));
        env.add(new Worker.EnvVar("DR_RECEIPT_BUCKET", "$.run.receiptBucket", true));
        env.add(new Worker.EnvVar("DR_RECEIPT_PREFIX", "$.run.receiptPrefix", true));
        if (readsEarlierReceipt(p)) {
            env.add(new Worker.EnvVar("DR_FROM_RECEIPT", "$.run.fromReceipt", true));
        }
        if (gated) {
            env.add(new Worker.EnvVar("DR_APPROVER", "$.approval.approver", true));
            env.add(new Worker.EnvVar("DR_TICKET", "$.approval.ticket", true));
        }
        return env;
    }

    RetryPolicy budget(PhaseName p) {
        RetryPolicy policy = plan.retry().forPhase(p);
        return options.attemptCap().map(policy::capped).orElse(policy);
    }

    ObjectNode task(Phase phase, boolean gated, String next) {
        PhaseName p = phase.name();
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("Type", "Task");
        s.put("Comment", comment(phase));
        s.put("Resource", options.worker().resource());
        s.set("Parameters", options.worker().parameters(script(p, gated), env(p, gated)));
        if (phase.timeout() != null) {
            s.put("TimeoutSeconds", seconds(phase.timeout().plus(WORKER_MARGIN)));
        }
        s.putNull("ResultPath");
        ArrayNode retry = retry(budget(p));
        if (!retry.isEmpty()) {
            s.set("Retry", retry);
        }
        s.set("Catch", catchAll(failedState(p)));
        s.put("Next", next);
        return s;
    }

    static ArrayNode catchAll(String next) {
        ArrayNode c = JsonNodeFactory.instance.arrayNode();
        ObjectNode all = c.addObject();
        all.putArray("ErrorEquals").add("States.ALL");
        all.put("ResultPath", "$.caught");
        all.put("Next", next);
        return c;
    }

    static ArrayNode retry(RetryPolicy budget) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        if (budget.maxAttempts() < 2 || budget.retryOn().isEmpty()) {
            return out;
        }
        ObjectNode r = out.addObject();
        ArrayNode errors = r.putArray("ErrorEquals");
        errors.add("States.TaskFailed");
        if (budget.retryOn().contains(ErrorClass.TIMEOUT)) {
            errors.add("States.Timeout");
        }
        r.put("IntervalSeconds", Math.max(1, seconds(budget.backoff().initial())));
        r.put("MaxAttempts", budget.maxAttempts() - 1);
        double rate = budget.backoff().multiplier();
        if (rate == Math.rint(rate)) {
            r.put("BackoffRate", (long) rate);
        } else {
            r.put("BackoffRate", rate);
        }
        if (!budget.backoff().max().isZero()) {
            r.put("MaxDelaySeconds", Math.max(1, seconds(budget.backoff().max())));
        }
        return out;
    }

    private String comment(Phase phase) {
        PhaseName p = phase.name();
        StringBuilder b = new StringBuilder("Phase ").append(p.id()).append(": ")
                .append(options.drCommand()).append(' ').append(Shell.words(applyArgs(p)))
                .append(" on the worker (steps: ")
                .append(phase.steps().stream().map(StepUse::uses).collect(Collectors.joining(", "))).append(").");
        RetryPolicy budget = budget(p);
        if (budget.maxAttempts() > 1 && !budget.retryOn().isEmpty()) {
            b.append(" Retry budget: ").append(budget.maxAttempts()).append(" attempts on ")
                    .append(budget.retryOn().stream().map(ErrorClass::id).collect(Collectors.joining(", ")))
                    .append("; a .sync task fails as States.TaskFailed whatever the class, so every failed attempt is retried"
                            + " within the budget.");
        } else {
            b.append(" One attempt (the budget retries no error class).");
        }
        if (p == PhaseName.TEARDOWN) {
            b.append(phase.steps().stream().anyMatch(u -> u.uses().equals(StateMachineCompiler.TEARDOWN_CHECK))
                    ? " The phase fails unless " + StateMachineCompiler.TEARDOWN_CHECK + " finds zero DR runners."
                    : " The phase has no " + StateMachineCompiler.TEARDOWN_CHECK + " step: nothing verifies the teardown.");
        }
        return b.toString();
    }

    /** Whole seconds, rounded up: a wait or a timeout is never shorter than the plan's. */
    static long seconds(Duration d) {
        long s = d.getSeconds();
        return d.getNano() > 0 ? s + 1 : s;
    }
}
