package dev.dr.engine;

import dev.dr.aws.AwsClientRegistry;
import dev.dr.catalog.StepCatalog;
import dev.dr.diff.PhaseDecision;
import dev.dr.plan.model.Phase;
import dev.dr.plan.model.Plan;
import dev.dr.plan.model.RetryPolicy;
import dev.dr.step.Durations;
import dev.dr.step.ErrorClass;
import dev.dr.step.Step;
import dev.dr.step.StepFailure;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.JsonNode;

/**
 * Runs the phases a plan's decisions let run, in order. A phase is attempted as a whole (its
 * steps in order) within its timeout; a failure whose class is in the phase's retryOn is
 * retried after the backoff, up to maxAttempts; any other failure fails the phase at once.
 * After a failed or interrupted phase nothing downstream runs ({@code upstream-failed}).
 *
 * <p>Each attempt runs on a thread of its own ({@link AttemptThread}). An attempt that times
 * out (or is interrupted by the operator) is interrupted and given {@link #STOP_GRACE} to stop;
 * one that does not is left running, its record says so, and a retry starts beside it.
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
     * @param receiptDir     the run's receipt folder, where steps write the runbook-named files
     * @param handoff        the folders this run's live previews left for the same steps' applies, if any
     */
    public record Run(String runId, Optional<Integer> attemptCap, Map<String, String> earlierOutputs, Path workDir,
                      Map<dev.dr.plan.model.PhaseName, PhaseOutcome> succeeded, Path receiptDir,
                      Optional<StepHandoff> handoff) {
        public Run {
            succeeded = Map.copyOf(succeeded);
        }

        public Run(String runId, Optional<Integer> attemptCap, Map<String, String> earlierOutputs, Path workDir,
                   Map<dev.dr.plan.model.PhaseName, PhaseOutcome> succeeded, Path receiptDir) {
            this(runId, attemptCap, earlierOutputs, workDir, succeeded, receiptDir, Optional.empty());
        }

        public Run(String runId, Optional<Integer> attemptCap, Map<String, String> earlierOutputs, Path workDir,
                   Map<dev.dr.plan.model.PhaseName, PhaseOutcome> succeeded) {
            this(runId, attemptCap, earlierOutputs, workDir, succeeded, workDir);
        }

        public Run(String runId, Optional<Integer> attemptCap, Map<String, String> earlierOutputs, Path workDir) {
            this(runId, attemptCap, earlierOutputs, workDir, Map.of());
        }
    }

    public enum Verdict { SUCCESS, FAILED, INTERRUPTED }

    public record Outcome(Verdict verdict, List<PhaseOutcome> phases) {}

    /** How long an interrupted attempt gets to stop before the engine reports it as still running. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(2);

    private final StepCatalog steps;
    private final Clock clock;
    private final Sleeper sleeper;
    private final EngineListener listener;
    private final ApprovalGate gate;
    private final Duration stopGrace;
    private volatile boolean interrupted;
    private volatile AttemptThread current;
    private volatile Thread waiting;
    /**
     * Guards {@link #waiting} between {@link #interrupt} and the end of a backoff: an interrupt
     * that lands after the wait ended would leave the engine thread's flag set, and the next
     * receipt written through a FileChannel would then fail (ClosedByInterruptException).
     */
    private final Object waitLock = new Object();

    public Engine(StepCatalog steps, Clock clock, Sleeper sleeper, EngineListener listener) {
        this(steps, clock, sleeper, listener, ApprovalGate.OPEN);
    }

    public Engine(StepCatalog steps, Clock clock, Sleeper sleeper, EngineListener listener, ApprovalGate gate) {
        this(steps, clock, sleeper, listener, gate, STOP_GRACE);
    }

    /** @param stopGrace how long an interrupted attempt gets to stop (tests shorten it) */
    public Engine(StepCatalog steps, Clock clock, Sleeper sleeper, EngineListener listener, ApprovalGate gate,
                  Duration stopGrace) {
        if (stopGrace.isNegative() || stopGrace.isZero()) {
            throw new IllegalArgumentException("stopGrace must be > 0, was " + stopGrace);
        }
        this.steps = steps;
        this.clock = clock;
        this.sleeper = sleeper;
        this.listener = listener;
        this.gate = gate;
        this.stopGrace = stopGrace;
    }

    /** Ctrl-C: ends the running step (by interrupting it) and marks its phase interrupted. */
    public void interrupt() {
        interrupted = true;
        AttemptThread a = current;
        if (a != null) {
            a.giveUp();
        }
        synchronized (waitLock) {
            Thread w = waiting;
            if (w != null) {
                w.interrupt();
            }
        }
    }

    public Outcome run(Plan plan, List<PhaseDecision> decisions, Run run) {
        // one client per AWS service and settings for the whole run, closed at its end (an attempt
        // given up and still running then fails on its next request, as it would without)
        try (AwsClientRegistry clients = new AwsClientRegistry()) {
            return run(plan, decisions, run, clients);
        }
    }

    private Outcome run(Plan plan, List<PhaseDecision> decisions, Run run, AwsClientRegistry clients) {
        Map<String, String> outputs = new LinkedHashMap<>(run.earlierOutputs());
        List<PhaseOutcome> done = new ArrayList<>();
        Verdict verdict = Verdict.SUCCESS;
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
                o = runPhase(plan, d.phase(), run, outputs, clients);
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
        return new Outcome(verdict, done);
    }

    private PhaseOutcome skipped(Phase phase, String kind, String detail) {
        Instant now = clock.instant();
        return new PhaseOutcome(phase.name(), PhaseOutcome.Status.SKIPPED, kind, detail, List.of(), Map.of(), now, now);
    }

    private PhaseOutcome runPhase(Plan plan, Phase phase, Run run, Map<String, String> outputs,
                                AwsClientRegistry clients) {
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
                synchronized (waitLock) {
                    waiting = null;
                    Thread.interrupted(); // clear a flag set by interrupt() after the gate returned
                }
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
            Ended ended = attempt(plan, phase, n, run, outputs, phaseOutputs, clients);
            Attempt a = ended.attempt();
            attempts.add(a);
            listener.attemptFinished(name, a);
            listener.log(name, "attempt " + n + ": " + a.status().name().toLowerCase(java.util.Locale.ROOT)
                    + (a.errorClass() == null ? "" : " (" + a.errorClass() + ") " + a.message()));
            switch (a.status()) {
                case SUCCESS:
                    return new PhaseOutcome(phase.name(), PhaseOutcome.Status.SUCCESS, null, "", attempts,
                            phaseOutputs, started, clock.instant());
                case INTERRUPTED:
                    warnIfStillRunning(name, ended, "it may still be running");
                    return new PhaseOutcome(phase.name(), PhaseOutcome.Status.INTERRUPTED, "interrupted",
                            a.message(), attempts, phaseOutputs, started, clock.instant());
                default:
                    break;
            }
            ErrorClass cls = ErrorClass.of(a.errorClass());
            boolean retryable = policy.retryOn().contains(cls);
            if (!retryable || n >= policy.maxAttempts()) {
                String why = !retryable ? cls.id() + " is not in retryOn" : "no attempts left (" + policy.maxAttempts() + ")";
                warnIfStillRunning(name, ended, "it may still be running");
                return new PhaseOutcome(phase.name(), PhaseOutcome.Status.FAILED, cls.id(), a.message() + "; " + why,
                        attempts, phaseOutputs, started, clock.instant());
            }
            warnIfStillRunning(name, ended, "attempt " + (n + 1) + " runs beside it");
            Duration wait = Backoff.before(policy, n + 1, run.runId(), name);
            listener.log(name, "retrying " + cls.id() + " after " + wait.toMillis() + " ms");
            // Ctrl-C ends the wait: the hook of dr apply waits for the receipts only so long
            waiting = Thread.currentThread();
            try {
                if (!interrupted) {
                    sleeper.sleep(wait);
                }
            } catch (InterruptedException e) {
                interrupted = true;
            } finally {
                synchronized (waitLock) {
                    waiting = null;
                    Thread.interrupted(); // clear a flag set by interrupt() after the wait ended
                }
            }
        }
    }

    /** Tells the operator, in the phase log and the progress output, of a given-up attempt that did not stop. */
    private void warnIfStillRunning(String phase, Ended ended, String then) {
        if (ended.stillRunning()) {
            Attempt a = ended.attempt();
            String line = "attempt " + a.number() + " of " + phase + ": " + a.step()
                    + " did not stop when interrupted; " + then;
            listener.log(phase, line);
            listener.progress(phase, line);
        }
    }

    /** How an attempt ended, and whether its step may still be running after it was given up. */
    private record Ended(Attempt attempt, boolean stillRunning) {}

    /**
     * Runs the phase's steps in order on a thread of the attempt's own, within the phase
     * timeout. {@code phaseOutputs} becomes this attempt's: all its outputs when it succeeds, those
     * of the steps it completed when it fails (a failed bringup's receipt still says what it
     * created), never anything an attempt given up writes later.
     */
    private Ended attempt(Plan plan, Phase phase, int n, Run run, Map<String, String> outputs,
                          Map<String, String> phaseOutputs, AwsClientRegistry clients) {
        Instant start = clock.instant();
        String name = phase.name().id();
        // a snapshot: an abandoned attempt may still read it while later phases add to outputs
        Map<String, String> earlier = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        AttemptThread a = new AttemptThread(name, n, phase.steps(), line -> listener.log(name, line),
                line -> listener.progress(name, line), (use, own, log, progress) -> {
                    // the loader refuses a plan naming a step without a class: this is a plan built otherwise
                    Step step = steps.implementation(use.uses()).orElseThrow(() -> StepFailure.permanent(
                            "no step class for " + use.uses() + " on the class path"));
                    JsonNode with = steps.find(use.uses()).withDefaults(use.with());
                    Map<String, String> visible = new LinkedHashMap<>(earlier);
                    visible.putAll(own);
                    return step.apply(new SharedClientsContext(new PlanStepContext(plan, with, visible, run.workDir(),
                            run.receiptDir(), log, false, progress, run.handoff().flatMap(h -> h.forApply(phase, use))), clients))
                            .outputs();
                });
        current = a;
        a.start();
        if (interrupted) {
            a.giveUp(); // Ctrl-C came after runPhase looked and before current was set
        }
        Map<String, String> kept = null;
        try {
            Map<String, String> own = a.await(phase.timeout());
            kept = own;
            return new Ended(new Attempt(n, Attempt.Status.SUCCESS, a.step(), null, "", start, since(start)), false);
        } catch (TimeoutException e) {
            Duration took = since(start);
            String left = stillRunning(a);
            return new Ended(new Attempt(n, Attempt.Status.FAILED, a.step(), ErrorClass.TIMEOUT.id(),
                    "attempt exceeded the phase timeout of " + Durations.format(phase.timeout()) + left, start, took),
                    !left.isEmpty());
        } catch (CancellationException | InterruptedException e) {
            interrupted = true;
            Duration took = since(start);
            String left = stillRunning(a);
            return new Ended(new Attempt(n, Attempt.Status.INTERRUPTED, a.step(), null,
                    "interrupted by the operator" + left, start, took), !left.isEmpty());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InterruptedException) {
                interrupted = true;
                return new Ended(new Attempt(n, Attempt.Status.INTERRUPTED, a.step(), null,
                        "interrupted by the operator", start, since(start)), false);
            }
            StepFailure failure = cause instanceof StepFailure sf ? sf
                    : new StepFailure(ErrorClass.PERMANENT, "unexpected " + cause, cause);
            return new Ended(new Attempt(n, Attempt.Status.FAILED, a.step(), failure.errorClass().id(),
                    failure.getMessage(), start, since(start)), false);
        } finally {
            current = null;
            phaseOutputs.clear();
            phaseOutputs.putAll(kept != null ? kept : a.completedOutputs());
        }
    }

    /**
     * Gives the attempt up and waits the grace period for its step to stop.
     *
     * @return empty when it stopped, else the words that tell the operator it may still be running
     */
    private String stillRunning(AttemptThread a) {
        a.giveUp();
        boolean stopped;
        try {
            stopped = a.stopsWithin(stopGrace);
        } catch (InterruptedException e) {
            interrupted = true;
            stopped = false;
        }
        return stopped ? "" : "; " + a.step() + " did not stop when interrupted and may still be running";
    }

    private Duration since(Instant start) {
        return Duration.between(start, clock.instant());
    }
}
