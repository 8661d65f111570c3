package dev.dr.engine;

import dev.dr.plan.model.StepUse;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One attempt of a phase, on a daemon thread of its own (named after the phase and attempt,
 * so a thread dump says whose it is). A step that ignores its interrupt keeps only this
 * thread: the next attempt starts beside it at once, with its whole timeout.
 *
 * <p>The attempt's outputs are its own map, handed over as the result of its task, or, when it
 * fails, as what its completed steps put out; once the attempt is given up neither is updated,
 * so nothing the abandoned attempt writes later reaches the phase.
 */
final class AttemptThread {

    /** Runs one step of the attempt; returns the step's outputs. */
    interface StepCall {
        Map<String, String> apply(StepUse use, Map<String, String> attemptOutputs, Consumer<String> log,
                                  Consumer<String> progress) throws Exception;
    }

    private final int number;
    private final FutureTask<Map<String, String>> task;
    private final Thread thread;
    private final AtomicReference<String> step;
    private volatile boolean givenUp;
    /** The outputs of the steps that completed, for the receipt of an attempt that fails after them. */
    private volatile Map<String, String> completed = Map.of();

    /**
     * @param log      where the phase's log lines go; once the attempt is given up its lines are
     *                 marked, since they now interleave with the next attempt's
     * @param progress where the phase's progress reports go, marked the same way
     */
    AttemptThread(String phase, int number, List<StepUse> uses, Consumer<String> log, Consumer<String> progress,
                  StepCall call) {
        this.number = number;
        this.step = new AtomicReference<>(uses.isEmpty() ? "" : uses.get(0).label());
        Consumer<String> markedLog = line -> log.accept(mark(line));
        Consumer<String> markedProgress = line -> progress.accept(mark(line));
        this.task = new FutureTask<>(() -> {
            Map<String, String> own = new LinkedHashMap<>();
            for (StepUse use : uses) {
                if (givenUp) {
                    // its next step must not run beside the attempt that replaced it
                    throw new CancellationException("attempt " + number + " of " + phase + " was given up");
                }
                step.set(use.label());
                own.putAll(call.apply(use, Collections.unmodifiableMap(own), markedLog, markedProgress));
                if (!givenUp) {
                    completed = Map.copyOf(own);
                }
            }
            return own;
        });
        this.thread = new Thread(task, "dr " + phase + " attempt " + number);
        this.thread.setDaemon(true);
    }

    private String mark(String line) {
        return givenUp ? "attempt " + number + " (given up, still running): " + line : line;
    }

    void start() {
        thread.start();
    }

    /**
     * The attempt's outputs once all its steps succeeded.
     *
     * @param timeout null to wait as long as it takes
     * @throws CancellationException when the attempt was given up (Ctrl-C)
     */
    Map<String, String> await(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        return timeout == null ? task.get() : task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Interrupts the attempt's step and lets no further step of it start. Safe from any thread, more than once. */
    void giveUp() {
        givenUp = true;
        task.cancel(true);
    }

    /** Waits up to {@code grace} for the attempt's thread to end; true when it did. */
    boolean stopsWithin(Duration grace) throws InterruptedException {
        thread.join(Math.max(1, grace.toMillis()));
        return !thread.isAlive();
    }

    /**
     * What the steps that completed before the attempt failed or was given up put out (what a
     * failed bringup did create, say), as of now: read once when the attempt ends.
     */
    Map<String, String> completedOutputs() {
        return completed;
    }

    /** The label of the step the attempt is in (or ended in). */
    String step() {
        return step.get();
    }
}
