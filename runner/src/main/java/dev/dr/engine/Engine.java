package dev.dr.engine;

import dev.dr.diff.PhaseDecision;
import dev.dr.plan.model.ErrorClass;
import dev.dr.plan.model.Phase;
import dev.dr.plan.model.Plan;
import dev.dr.plan.model.RetryPolicy;
import dev.dr.plan.model.StepUse;
import dev.dr.step.Step;
import dev.dr.step.StepCatalog;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.JsonNode;

/**
 * Runs the phases a plan's decisions let run, in order. A phase is attempted as a whole (its
 * steps in order) within its timeout; a failure whose class is in the phase's retryOn is
 * retried after the backoff, up to maxAttempts; any other failure fails the phase at once.
 * After a failed or interrupted phase nothing downstream runs ({@code upstream-failed}).
 */
public final class Engine {

    /** Waits between attempts; tests pass one that does not sleep. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /**
     * @param runId          the run's id (receipts, jitter)
     * @param attemptCap     --max-attempts / --no-retry
     * @param earlierOutputs outputs of the run named by fromReceipt
     * @param workDir        folder of this run's receipt, where steps may keep files
     * @param succeeded      phases that succeeded in the run being resumed: kept, not run again
     */
    public record Run(String runId, Optional<Integer> attemptCap, Map<String, String> earlierOutputs, Path workDir,
                      Map<dev.dr.plan.model.PhaseName, PhaseOutcome> succeeded) {
        public Run {
            succeeded = Map.copyOf(succeeded);
        }

        public Run(String runId, Optional<Integer> attemptCap, Map<String, String> earlierOutputs, Path workDir) {
            this(runId, attemptCap, earlierOutputs, workDir, Map.of());
        }
    }

    public enum Verdict { SUCCESS, FAILED, INTERRUPTED }

    public record Outcome(Verdict verdict, List<PhaseOutcome> phases) {}

    private final StepCatalog steps;
    private final Clock clock;
    private final Sleeper sleeper;
    private final EngineListener listener;
    private final ApprovalGate gate;
    private volatile boolean interrupted;
    private volatile Future<?> current;
    private volatile Thread waiting;

    public Engine(StepCatalog steps, Clock clock, Sleeper sleeper, EngineListener listener) {
        this(steps, clock, sleeper, listener, ApprovalGate.OPEN);
    }

    public Engine(StepCatalog steps, Clock clock, Sleeper sleeper, EngineListener listener, ApprovalGate gate) {
        this.steps = steps;
        this.clock = clock;
        this.sleeper = sleeper;
        this.listener = listener;
        this.gate = gate;
    }

    /** Ctrl-C: ends the running step (by interrupting it) and marks its phase interrupted. */
    public void interrupt() {
        interrupted = true;
        Future<?> f = current;
        if (f != null) {
            f.cancel(true);
        }
        Thread w = waiting;
        if (w != null) {
            w.interrupt();
        }
    }

    public Outcome run(Plan plan, List<PhaseDecision> decisions, Run run) {
        Map<String, String> outputs = new LinkedHashMap<>(run.earlierOutputs());
        List<PhaseOutcome> done = new ArrayList<>();
        Verdict verdict = Verdict.SUCCESS;
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "dr-step");
            t.setDaemon(true);
            return t;
        });
        try {
            for (PhaseDecision d : decisions) {
                PhaseOutcome o;
                if (verdict != Verdict.SUCCESS && d.runs()) {
                    o = skipped(d.phase(), "upstream-failed", "an earlier phase "
                            + (verdict == Verdict.INTERRUPTED ? "was interrupted" : "failed"));
                } else if (!d.runs()) {
                    o = skipped(d.phase(), d.reason().id(), d.detail());
                } else if (run.succeeded().containsKey(d.phase().name())) {
                    o = run.succeeded().get(d.phase().name());
                    outputs.putAll(o.outputs());
                    listener.phaseReused(o);
                    done.add(o);
                    continue;
                } else {
                    o = runPhase(plan, d.phase(), run, outputs, worker);
                    if (o.status() == PhaseOutcome.Status.FAILED) {
                        verdict = Verdict.FAILED;
                    } else if (o.status() == PhaseOutcome.Status.INTERRUPTED) {
                        verdict = Verdict.INTERRUPTED;
                    }
                    outputs.putAll(o.outputs());
                }
                listener.phaseFinished(o);
                done.add(o);
            }
        } finally {
            worker.shutdownNow();
        }
        return new Outcome(verdict, done);
    }

    private PhaseOutcome skipped(Phase phase, String kind, String detail) {
        Instant now = clock.instant();
        return new PhaseOutcome(phase.name(), PhaseOutcome.Status.SKIPPED, kind, detail, List.of(), Map.of(), now, now);
    }

    private PhaseOutcome runPhase(Plan plan, Phase phase, Run run, Map<String, String> outputs, ExecutorService worker) {
        String name = phase.name().id();
        RetryPolicy policy = plan.retry().forPhase(phase.name());
        if (run.attemptCap().isPresent()) {
            policy = policy.capped(run.attemptCap().get());
        }
        listener.phaseStarted(name);
        Instant started = clock.instant();
        List<Attempt> attempts = new ArrayList<>();
        Map<String, String> phaseOutputs = new LinkedHashMap<>();
        if (phase.approval() != null && phase.approval().required()) {
            String shut;
            waiting = Thread.currentThread();
            try {
                shut = interrupted ? "interrupted" : gate.await(phase, run.runId());
            } catch (InterruptedException e) {
                interrupted = true;
                shut = "interrupted";
            } finally {
                waiting = null;
                Thread.interrupted(); // clear a flag set by interrupt() after the gate returned
            }
            if (interrupted) {
                return new PhaseOutcome(phase.name(), PhaseOutcome.Status.INTERRUPTED, "interrupted",
                        "interrupted while waiting for approval", attempts, phaseOutputs, started, clock.instant());
            }
            if (shut != null) {
                listener.log(name, "approval gate shut: " + shut);
                return new PhaseOutcome(phase.name(), PhaseOutcome.Status.FAILED, "approval", shut, attempts,
                        phaseOutputs, started, clock.instant());
            }
        }
        for (int n = 1; ; n++) {
            if (interrupted) {
                return new PhaseOutcome(phase.name(), PhaseOutcome.Status.INTERRUPTED, "interrupted",
                        "interrupted before attempt " + n, attempts, phaseOutputs, started, clock.instant());
            }
            Attempt a = attempt(plan, phase, n, run, outputs, phaseOutputs, worker);
            attempts.add(a);
            listener.attemptFinished(name, a);
            listener.log(name, "attempt " + n + ": " + a.status().name().toLowerCase(java.util.Locale.ROOT)
                    + (a.errorClass() == null ? "" : " (" + a.errorClass() + ") " + a.message()));
            switch (a.status()) {
                case SUCCESS:
                    return new PhaseOutcome(phase.name(), PhaseOutcome.Status.SUCCESS, null, "", attempts,
                            phaseOutputs, started, clock.instant());
                case INTERRUPTED:
                    return new PhaseOutcome(phase.name(), PhaseOutcome.Status.INTERRUPTED, "interrupted",
                            a.message(), attempts, phaseOutputs, started, clock.instant());
                default:
                    break;
            }
            ErrorClass cls = ErrorClass.of(a.errorClass());
            boolean retryable = policy.retryOn().contains(cls);
            if (!retryable || n >= policy.maxAttempts()) {
                String why = !retryable ? cls.id() + " is not in retryOn" : "no attempts left (" + policy.maxAttempts() + ")";
                return new PhaseOutcome(phase.name(), PhaseOutcome.Status.FAILED, cls.id(), a.message() + "; " + why,
                        attempts, phaseOutputs, started, clock.instant());
            }
            Duration wait = Backoff.before(policy, n + 1, run.runId(), name);
            listener.log(name, "retrying " + cls.id() + " after " + wait.toMillis() + " ms");
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
    }

    /** Runs the phase's steps in order on the worker thread, within the phase timeout. */
    private Attempt attempt(Plan plan, Phase phase, int n, Run run, Map<String, String> outputs,
                            Map<String, String> phaseOutputs, ExecutorService worker) {
        Instant start = clock.instant();
        // the step the worker is in, for the attempt's record (set on the worker, read here)
        java.util.concurrent.atomic.AtomicReference<String> currentStep =
                new java.util.concurrent.atomic.AtomicReference<>(phase.steps().isEmpty() ? "" : phase.steps().get(0).label());
        Future<?> f = worker.submit(() -> {
            for (StepUse use : phase.steps()) {
                currentStep.set(use.label());
                Step step = steps.implementation(use.uses()).orElseThrow(() -> StepFailure.permanent(
                        "step " + use.uses() + " is not implemented yet"));
                JsonNode with = steps.find(use.uses()).withDefaults(use.with());
                Map<String, String> visible = new LinkedHashMap<>(outputs);
                visible.putAll(phaseOutputs);
                StepResult r = step.apply(context(plan, phase, with, visible, run.workDir()));
                phaseOutputs.putAll(r.outputs());
            }
            return null;
        });
        current = f;
        try {
            if (phase.timeout() == null) {
                f.get();
            } else {
                f.get(phase.timeout().toMillis(), TimeUnit.MILLISECONDS);
            }
            return new Attempt(n, Attempt.Status.SUCCESS, currentStep.get(), null, "", start, since(start));
        } catch (TimeoutException e) {
            f.cancel(true);
            return new Attempt(n, Attempt.Status.FAILED, currentStep.get(), ErrorClass.TIMEOUT.id(),
                    "attempt exceeded the phase timeout of " + phase.timeout().toSeconds() + "s", start, since(start));
        } catch (java.util.concurrent.CancellationException | InterruptedException e) {
            f.cancel(true);
            interrupted = true;
            return new Attempt(n, Attempt.Status.INTERRUPTED, currentStep.get(), null, "interrupted by the operator",
                    start, since(start));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InterruptedException) {
                interrupted = true;
                return new Attempt(n, Attempt.Status.INTERRUPTED, currentStep.get(), null, "interrupted by the operator",
                        start, since(start));
            }
            StepFailure failure = cause instanceof StepFailure sf ? sf
                    : new StepFailure(ErrorClass.PERMANENT, "unexpected " + cause, cause);
            return new Attempt(n, Attempt.Status.FAILED, currentStep.get(), failure.errorClass().id(), failure.getMessage(),
                    start, since(start));
        } finally {
            current = null;
        }
    }

    private Duration since(Instant start) {
        return Duration.between(start, clock.instant());
    }

    private StepContext context(Plan plan, Phase phase, JsonNode with, Map<String, String> outputs, Path workDir) {
        String name = phase.name().id();
        return new PlanStepContext(plan, with, outputs, workDir, line -> listener.log(name, line), false,
                line -> listener.progress(name, line));
    }
}
