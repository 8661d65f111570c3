package dev.dr.cli;

import dev.dr.command.Context;
import dev.dr.diff.PhaseDecision;
import dev.dr.engine.Engine;
import dev.dr.lock.LockStore;
import dev.dr.plan.model.Plan;
import dev.dr.receipt.ReceiptRecorder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The engine's run of the phases under the run's lock: Ctrl-C ends the running step, and the
 * JVM waits until the receipts are written and the lock released; the verdict and the receipts'
 * place go to stdout.
 */
final class EngineRun {
    private EngineRun() {}

    /** Runs the phases, then releases {@code lease} (which must not throw: see RunLock.releasedWithWarning). */
    static Engine.Outcome run(Context ctx, Engine engine, Progress progress, ReceiptRecorder recorder,
                              LockStore.Lease lease, Plan plan, List<PhaseDecision> decisions, Engine.Run run)
            throws IOException {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            engine.interrupt();
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "dr-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        Path runDir = recorder.runDir();
        try (lease) {
            ctx.err().println("dr: run " + run.runId() + " started; receipts in " + runDir);
            Engine.Outcome outcome = engine.run(plan, decisions, run);
            Engine.Verdict verdict = outcome.verdict();
            progress.close();
            Path summary = recorder.writeSummary(verdict);
            ctx.out().println();
            ctx.out().println("Run " + run.runId() + ": " + verdict.name().toLowerCase(Locale.ROOT));
            ctx.out().println("Receipts: " + runDir);
            ctx.out().println("Summary:  " + summary);
            ctx.out().flush();
            return outcome;
        } finally {
            // before the hook lets a Ctrl-C'd JVM end: the saved plans the previews kept hold secrets
            run.handoff().ifPresent(dev.dr.engine.StepHandoff::close);
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down (Ctrl-C): the hook is running
            }
        }
    }
}
