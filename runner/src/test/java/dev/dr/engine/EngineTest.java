package dev.dr.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.diff.Planner;
import dev.dr.json.JsonTrees;
import dev.dr.plan.load.LoadedPlan;
import dev.dr.plan.load.Overrides;
import dev.dr.plan.load.PlanLoader;
import dev.dr.plan.model.Plan;
import dev.dr.receipt.ReceiptRecorder;
import dev.dr.step.StepCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
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

    /**
     * A plan of bringup, restore, validate and teardown; validate runs {@code validateSteps}.
     * {@code run} is the body of the run map (default: no teardown).
     */
    Plan plan(String validateSteps, String retry, String extraRun) throws Exception {
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
                "    timeout: 2s",
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
        Path runDir = dir.resolve("receipts").resolve("run-1");
        ReceiptRecorder rec = new ReceiptRecorder(runDir,
                new ReceiptRecorder.RunInfo("run-1", plan.metadata().name(), plan.file(), "sha256:test", "tester"),
                Clock.systemUTC());
        Engine engine = new Engine(STEPS, Clock.systemUTC(), waits::add, rec);
        Engine.Outcome o = engine.run(plan, Planner.decide(plan), new Engine.Run("run-1", cap, Map.of(), runDir.resolve("work")));
        rec.writeSummary(o.verdict());
        return new Ran(o, runDir);
    }

    static JsonNode json(Path p) throws Exception {
        return JsonTrees.read(Files.readString(p, StandardCharsets.UTF_8));
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
}
