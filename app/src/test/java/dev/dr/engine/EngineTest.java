package dev.dr.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.catalog.StepCatalog;
import dev.dr.diff.Planner;
import dev.dr.json.JsonTrees;
import dev.dr.plan.load.LoadedPlan;
import dev.dr.plan.load.Overrides;
import dev.dr.plan.load.PlanLoader;
import dev.dr.plan.model.Plan;
import dev.dr.receipt.ReceiptRecorder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The engine with test steps: boundaries, typed retries, timeouts, interruption, receipts. */
class EngineTest {

    static final StepCatalog STEPS = StepCatalog.load(EngineTest.class.getClassLoader());

    @TempDir
    Path dir;

    final List<Duration> waits = new ArrayList<>();

    /** What the engine reported as progress (the operator's eyes), in order. */
    final List<String> progress = Collections.synchronizedList(new ArrayList<>());

    /** Passes every event on to the receipts and keeps the progress reports. */
    record Reporting(EngineListener receipts, List<String> progress) implements EngineListener {
        @Override public void phaseStarted(String phase) { receipts.phaseStarted(phase); }
        @Override public void attemptFinished(String phase, Attempt a) { receipts.attemptFinished(phase, a); }
        @Override public void phaseFinished(PhaseOutcome o) { receipts.phaseFinished(o); }
        @Override public void log(String phase, String line) { receipts.log(phase, line); }
        @Override public void progress(String phase, String line) { progress.add(phase + ": " + line); }
    }

    /**
     * A plan of bringup, restore, validate and teardown; validate runs {@code validateSteps}.
     * {@code run} is the body of the run map (default: no teardown).
     */
    Plan plan(String validateSteps, String retry, String extraRun) throws Exception {
        return plan(validateSteps, retry, extraRun, "2s");
    }

    /** The same plan, with validate's timeout {@code validateTimeout}. */
    Plan plan(String validateSteps, String retry, String extraRun, String validateTimeout) throws Exception {
        Path f = dir.resolve("plan.yaml");
        Files.writeString(f, String.join("\n",
                "apiVersion: dr/v1",
                "kind: DrillPlan",
                "metadata: {name: engine-test}",
                "target: {accountId: \"048622080012\", region: us-east-1, namespace: jobintel}",
                "sizing: {instanceType: t4g.medium}",
                "run: {" + (extraRun.isEmpty() ? "teardown: false" : extraRun) + "}",
                "retry:",
                "  default: {maxAttempts: 1}",
                "  phases:",
                "    validate: " + retry,
                "phases:",
                "  - name: bringup",
                "    steps: [{uses: testing.ok, with: {output: kubeconfig}}]",
                "  - name: restore",
                "    steps: [{uses: testing.ok}]",
                "  - name: validate",
                "    timeout: " + validateTimeout,
                "    steps: " + validateSteps,
                "  - name: teardown",
                "    steps: [{uses: testing.ok}]",
                ""), StandardCharsets.UTF_8);
        LoadedPlan lp = new PlanLoader(STEPS).load(f, "plan.yaml", Map.of(), Overrides.NONE);
        assertThat(lp.errors()).as("test plan is valid").isEmpty();
        return lp.plan().orElseThrow();
    }

    record Ran(Engine.Outcome outcome, Path runDir) {}

    Ran run(Plan plan, Optional<Integer> cap) {
        return run(plan, cap, Engine.STOP_GRACE);
    }

    Ran run(Plan plan, Optional<Integer> cap, Duration stopGrace) {
        Path runDir = dir.resolve("receipts").resolve("run-1");
        ReceiptRecorder rec = new ReceiptRecorder(runDir,
                new ReceiptRecorder.RunInfo("run-1", plan.metadata().name(), plan.file(), "sha256:test", "tester"),
                Clock.systemUTC());
        Engine engine = new Engine(STEPS, Clock.systemUTC(), waits::add, new Reporting(rec, progress),
                ApprovalGate.OPEN, stopGrace);
        Engine.Outcome o = engine.run(plan, Planner.decide(plan), new Engine.Run("run-1", cap, Map.of(), runDir.resolve("work")));
        rec.writeSummary(o.verdict());
        return new Ran(o, runDir);
    }

    static JsonNode json(Path p) throws Exception {
        return JsonTrees.read(Files.readString(p, StandardCharsets.UTF_8));
    }

    @Test
    void theStepsOfARunShareOneS3ClientAcrossSteps() throws Exception {
        Ran r = run(plan("[{uses: testing.s3-client, with: {output: a}}, {uses: testing.s3-client, with: {output: b}}]",
                "{maxAttempts: 1}", ""), Optional.empty());
        assertThat(r.outcome().verdict()).isEqualTo(Engine.Verdict.SUCCESS);
        Map<String, String> out = r.outcome().phases().stream().filter(o -> o.phase().id().equals("validate"))
                .findFirst().orElseThrow().outputs();
        assertThat(out.get("s3.a")).isNotBlank().isEqualTo(out.get("s3.b"));
    }

    @Test
    void runsThePhasesWithinTheBoundariesAndWritesAReceiptForEach() throws Exception {
        Ran r = run(plan("[{uses: testing.ok}]", "{maxAttempts: 1}", ""), Optional.empty());
        assertThat(r.outcome().verdict()).isEqualTo(Engine.Verdict.SUCCESS);
        assertThat(r.outcome().phases()).extracting(o -> o.phase().id() + "=" + o.status())
                .containsExactly("bringup=SUCCESS", "restore=SUCCESS", "validate=SUCCESS", "teardown=SKIPPED");
        JsonNode teardown = json(r.runDir().resolve("phases/teardown.json"));
        assertThat(teardown.get("status").asString()).isEqualTo("skipped");
        assertThat(teardown.get("reason").get("kind").asString()).isEqualTo("teardown-not-requested");
        JsonNode bringup = json(r.runDir().resolve("phases/bringup.json"));
        assertThat(bringup.get("outputs").get("kubeconfig").asString()).isEqualTo("jobintel");
        assertThat(bringup.get("planDigest").asString()).isEqualTo("sha256:test");
        assertThat(Files.readString(r.runDir().resolve("phases/bringup.log"))).contains("ok in jobintel");
        JsonNode summary = json(r.runDir().resolve("drill.summary.json"));
        assertThat(summary.get("verdict").asString()).isEqualTo("success");
        assertThat(summary.get("phases")).hasSize(4);
        try (var s = Files.walk(r.runDir())) {
            assertThat(s.map(Path::toString).filter(p -> p.endsWith(".tmp"))).as("no temp files left").isEmpty();
        }
    }

    @Test
    void retriesOnlyAClassInRetryOnWithinTheBudget() throws Exception {
        Ran r = run(plan("[{uses: testing.flaky, with: {failWith: image-pull-auth, failures: 2}}]",
                "{maxAttempts: 3, backoff: {initial: 15s, multiplier: 2, max: 2m}, retryOn: [image-pull-auth]}", ""),
                Optional.empty());
        PhaseOutcome validate = r.outcome().phases().get(2);
        assertThat(validate.status()).isEqualTo(PhaseOutcome.Status.SUCCESS);
        assertThat(validate.attempts()).extracting(Attempt::status)
                .containsExactly(Attempt.Status.FAILED, Attempt.Status.FAILED, Attempt.Status.SUCCESS);
        assertThat(validate.attempts().get(0).errorClass()).isEqualTo("image-pull-auth");
        assertThat(waits).hasSize(2);
        assertThat(waits.get(0)).isBetween(Duration.ofSeconds(12), Duration.ofSeconds(15));
        assertThat(waits.get(1)).isBetween(Duration.ofSeconds(24), Duration.ofSeconds(30));
        assertThat(json(r.runDir().resolve("phases/validate.json")).get("attempts")).hasSize(3);
    }

    @Test
    void theSameRunWaitsTheSameJitter() throws Exception {
        Plan p = plan("[{uses: testing.flaky, with: {failWith: throttled, failures: 2}}]",
                "{maxAttempts: 3, backoff: {initial: 10s, multiplier: 2, max: 1m}, retryOn: [throttled]}", "");
        run(p, Optional.empty());
        List<Duration> first = List.copyOf(waits);
        waits.clear();
        Files.delete(dir.resolve("receipts/run-1/work/flaky.count"));
        run(p, Optional.empty());
        assertThat(waits).isEqualTo(first);
    }

    @Test
    void aClassNotInRetryOnFailsAtOnceAndNothingDownstreamRuns() throws Exception {
        Ran r = run(plan("[{uses: testing.flaky, with: {failWith: permanent, failures: 5}}]",
                "{maxAttempts: 3, retryOn: [image-pull-auth]}", "teardown: true, allowFullDrill: true"),
                Optional.empty());
        assertThat(r.outcome().verdict()).isEqualTo(Engine.Verdict.FAILED);
        PhaseOutcome validate = r.outcome().phases().get(2);
        assertThat(validate.status()).isEqualTo(PhaseOutcome.Status.FAILED);
        assertThat(validate.attempts()).hasSize(1);
        assertThat(validate.reasonKind()).isEqualTo("permanent");
        assertThat(waits).isEmpty();
        PhaseOutcome teardown = r.outcome().phases().get(3);
        assertThat(teardown.status()).isEqualTo(PhaseOutcome.Status.SKIPPED);
        assertThat(teardown.reasonKind()).isEqualTo("upstream-failed");
        assertThat(json(r.runDir().resolve("drill.summary.json")).get("verdict").asString()).isEqualTo("failed");
    }

    @Test
    void aRetryableClassFailsWhenTheAttemptsAreUsedUp() throws Exception {
        Ran r = run(plan("[{uses: testing.flaky, with: {failWith: insufficient-memory, failures: 9}}]",
                "{maxAttempts: 3, retryOn: [insufficient-memory]}", ""), Optional.empty());
        PhaseOutcome validate = r.outcome().phases().get(2);
        assertThat(validate.status()).isEqualTo(PhaseOutcome.Status.FAILED);
        assertThat(validate.attempts()).hasSize(3);
        assertThat(validate.detail()).contains("no attempts left (3)");
    }

    @Test
    void maxAttemptsOnTheCommandLineCapsTheBudget() throws Exception {
        Ran r = run(plan("[{uses: testing.flaky, with: {failWith: image-pull-auth, failures: 9}}]",
                "{maxAttempts: 3, retryOn: [image-pull-auth]}", ""), Optional.of(1));
        assertThat(r.outcome().phases().get(2).attempts()).hasSize(1);
    }

    @Test
    void anAttemptLongerThanThePhaseTimeoutFailsAsTimeout() throws Exception {
        Ran r = run(plan("[{uses: testing.sleep, with: {millis: 60000}}]", "{maxAttempts: 1}", ""), Optional.empty());
        PhaseOutcome validate = r.outcome().phases().get(2);
        assertThat(validate.status()).isEqualTo(PhaseOutcome.Status.FAILED);
        assertThat(validate.reasonKind()).isEqualTo("timeout");
        assertThat(validate.duration()).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void anUnexpectedExceptionIsPermanent() throws Exception {
        Ran r = run(plan("[{uses: testing.broken}]", "{maxAttempts: 3, retryOn: [timeout]}", ""), Optional.empty());
        PhaseOutcome validate = r.outcome().phases().get(2);
        assertThat(validate.reasonKind()).isEqualTo("permanent");
        assertThat(validate.attempts()).hasSize(1);
        assertThat(validate.attempts().get(0).message()).contains("bug in a step");
    }

    @Test
    void interruptingEndsTheRunningStepAndMarksThePhaseInterrupted() throws Exception {
        Plan p = plan("[{uses: testing.sleep, with: {millis: 60000}}]", "{maxAttempts: 1}", "");
        Path runDir = dir.resolve("receipts").resolve("run-1");
        ReceiptRecorder rec = new ReceiptRecorder(runDir,
                new ReceiptRecorder.RunInfo("run-1", "engine-test", "plan.yaml", "sha256:test", "tester"), Clock.systemUTC());
        Engine engine = new Engine(STEPS, Clock.systemUTC(), waits::add, rec);
        // what the Ctrl-C hook of dr apply does, half a second into the validate phase
        Thread ctrlC = new Thread(() -> {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
            engine.interrupt();
        });
        ctrlC.start();
        long t0 = System.nanoTime();
        Engine.Outcome o = engine.run(p, Planner.decide(p), new Engine.Run("run-1", Optional.empty(), Map.of(), runDir));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
        assertThat(o.verdict()).isEqualTo(Engine.Verdict.INTERRUPTED);
        assertThat(o.phases().get(2).status()).isEqualTo(PhaseOutcome.Status.INTERRUPTED);
        assertThat(json(runDir.resolve("phases/validate.json")).get("status").asString()).isEqualTo("interrupted");
    }

    @Test
    void aRetryRunsBesideAnAttemptWhoseStepIgnoresItsInterruptWithItsWholeTimeout() throws Exception {
        // generous beside the work, so a loaded machine does not time attempt 2 out as well
        Duration timeout = Duration.ofSeconds(2);
        Duration work = Duration.ofMillis(200);
        Plan p = plan("[{uses: testing.stubborn, with: {millis: " + work.toMillis() + "}}]",
                "{maxAttempts: 2, retryOn: [timeout]}", "", "2s");
        Path workDir = dir.resolve("receipts/run-1/work");
        try {
            Ran r = run(p, Optional.empty(), Duration.ofMillis(100));
            PhaseOutcome validate = r.outcome().phases().get(2);
            assertThat(validate.status()).as(validate.attempts().toString()).isEqualTo(PhaseOutcome.Status.SUCCESS);
            assertThat(validate.attempts()).hasSize(2);
            Attempt first = validate.attempts().get(0);
            Attempt second = validate.attempts().get(1);
            assertThat(first.errorClass()).isEqualTo("timeout");
            assertThat(first.message()).isEqualTo("attempt exceeded the phase timeout of 2s; "
                    + "testing.stubborn did not stop when interrupted and may still be running");
            // Attempt 1's step stops only when attempt 2 releases it: on a thread shared by the
            // attempts, attempt 2 would wait behind it and time out without having run.
            assertThat(validate.outputs()).containsEntry("stubborn.attempt", "2")
                    .containsEntry("stubborn.besideStuck", "true");
            assertThat(second.startedAt()).isAfterOrEqualTo(first.startedAt().plus(timeout));
            assertThat(second.duration()).as("attempt 2 worked %s of its own %s", work, timeout)
                    .isGreaterThanOrEqualTo(work).isLessThan(timeout);
            // attempt 2 waited until attempt 1's thread had ended: its late output had been written
            assertThat(validate.outputs()).doesNotContainKey("stubborn.late");
            assertThat(json(r.runDir().resolve("phases/validate.json")).get("outputs").has("stubborn.late")).isFalse();
            String beside = "attempt 1 of validate: testing.stubborn did not stop when interrupted; attempt 2 runs beside it";
            assertThat(progress).contains("validate: " + beside);
            String log = Files.readString(r.runDir().resolve("phases/validate.log"));
            assertThat(log).contains(beside)
                    .containsPattern("attempt 1 \\(given up, still running\\): released after ignoring [1-9][0-9]* interrupt");
            assertThat(Files.readString(workDir.resolve(TestSteps.Stubborn.THREAD))).isEqualTo("dr validate attempt 1");
        } finally {
            release(workDir);
        }
    }

    @Test
    void interruptingARunWhoseStepIgnoresItSaysTheStepMayStillBeRunning() throws Exception {
        Plan p = plan("[{uses: testing.stubborn}]", "{maxAttempts: 2, retryOn: [timeout]}", "", "1m");
        Path runDir = dir.resolve("receipts").resolve("run-1");
        Path workDir = runDir.resolve("work");
        ReceiptRecorder rec = new ReceiptRecorder(runDir,
                new ReceiptRecorder.RunInfo("run-1", "engine-test", "plan.yaml", "sha256:test", "tester"), Clock.systemUTC());
        Engine engine = new Engine(STEPS, Clock.systemUTC(), waits::add, new Reporting(rec, progress), ApprovalGate.OPEN,
                Duration.ofMillis(100));
        // Ctrl-C once the step is in its loop
        Thread ctrlC = new Thread(() -> {
            try {
                while (!Files.exists(workDir.resolve(TestSteps.Stubborn.THREAD))) {
                    Thread.sleep(10);
                }
            } catch (InterruptedException e) {
                return;
            }
            engine.interrupt();
        });
        ctrlC.start();
        try {
            Engine.Outcome o = engine.run(p, Planner.decide(p), new Engine.Run("run-1", Optional.empty(), Map.of(), workDir));
            assertThat(o.verdict()).isEqualTo(Engine.Verdict.INTERRUPTED);
            PhaseOutcome validate = o.phases().get(2);
            assertThat(validate.status()).isEqualTo(PhaseOutcome.Status.INTERRUPTED);
            assertThat(validate.attempts()).extracting(Attempt::message).containsExactly("interrupted by the operator; "
                    + "testing.stubborn did not stop when interrupted and may still be running");
            assertThat(progress).containsExactly("validate: attempt 1 of validate: testing.stubborn did not stop when "
                    + "interrupted; it may still be running");
        } finally {
            ctrlC.interrupt();
            release(workDir);
        }
    }

    @Test
    void interruptingDuringTheBackoffEndsTheWaitAtOnce() throws Exception {
        Plan p = plan("[{uses: testing.flaky, with: {failWith: throttled, failures: 5}}]",
                "{maxAttempts: 3, backoff: {initial: 1m, multiplier: 2, max: 2m}, retryOn: [throttled]}", "");
        Path runDir = dir.resolve("receipts").resolve("run-1");
        ReceiptRecorder rec = new ReceiptRecorder(runDir,
                new ReceiptRecorder.RunInfo("run-1", "engine-test", "plan.yaml", "sha256:test", "tester"), Clock.systemUTC());
        java.util.concurrent.CountDownLatch waiting = new java.util.concurrent.CountDownLatch(1);
        Engine engine = new Engine(STEPS, Clock.systemUTC(), d -> {
            waiting.countDown();
            Thread.sleep(d.toMillis());
        }, rec);
        // Ctrl-C while the engine waits a minute before attempt 2
        Thread ctrlC = new Thread(() -> {
            try {
                waiting.await();
            } catch (InterruptedException e) {
                return;
            }
            engine.interrupt();
        });
        ctrlC.start();
        long t0 = System.nanoTime();
        Engine.Outcome o = engine.run(p, Planner.decide(p), new Engine.Run("run-1", Optional.empty(), Map.of(), runDir));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
        assertThat(o.verdict()).isEqualTo(Engine.Verdict.INTERRUPTED);
        PhaseOutcome validate = o.phases().get(2);
        assertThat(validate.status()).isEqualTo(PhaseOutcome.Status.INTERRUPTED);
        assertThat(validate.detail()).isEqualTo("interrupted before attempt 2");
        assertThat(validate.attempts()).hasSize(1);
    }

    /**
     * Lets a testing.stubborn step that is still running end, and waits until its thread has
     * (its last log line must be written before the test's folder is deleted).
     */
    static void release(Path workDir) throws Exception {
        Files.createDirectories(workDir);
        Files.writeString(workDir.resolve(TestSteps.Stubborn.RELEASE), "");
        Path holder = workDir.resolve(TestSteps.Stubborn.THREAD);
        if (Files.exists(holder)) {
            String name = Files.readString(holder);
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals(name)) {
                    t.join(10_000);
                }
            }
        }
    }

    @Test
    void aFailedPhaseKeepsWhatTheStepsOfItsLastAttemptCreatedBeforeTheFailure() throws Exception {
        // what a failed bringup created (a cluster, a kubeconfig) must stay findable in its receipt
        Plan p = plan("[{uses: testing.ok, with: {output: created}}, {uses: testing.broken}]",
                "{maxAttempts: 1}", "");
        Ran r = run(p, Optional.empty());
        PhaseOutcome validate = r.outcome().phases().get(2);
        assertThat(validate.status()).isEqualTo(PhaseOutcome.Status.FAILED);
        assertThat(validate.outputs()).containsExactly(Map.entry("created", "jobintel"));
        assertThat(json(r.runDir().resolve("phases/validate.json")).get("outputs").get("created").asString())
                .isEqualTo("jobintel");
    }
}
