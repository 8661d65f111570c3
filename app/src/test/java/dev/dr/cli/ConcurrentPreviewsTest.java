package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.catalog.StepCatalog;
import dev.dr.diff.LivePreview;
import dev.dr.plan.load.Overrides;
import dev.dr.plan.load.PlanLoader;
import dev.dr.plan.model.Plan;
import dev.dr.step.Change;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live previews of a plan's steps run at the same time, and the plan-diff still reads them in plan order. */
class ConcurrentPreviewsTest {

    @TempDir
    Path dir;

    @Test
    void everyPreviewIsUnderWayBeforeAnyReturns() throws Exception {
        Path f = dir.resolve("plan.yaml");
        Files.writeString(f, String.join("\n", "apiVersion: dr/v1", "kind: DrillPlan", "metadata: {name: concurrent}",
                "target: {accountId: \"048622080012\", region: us-east-1, namespace: jobintel}",
                "sizing: {instanceType: t4g.medium}", "phases:",
                "  - name: restore", "    steps: [{uses: testing.ok}, {uses: testing.ok, name: second}]",
                "  - name: validate", "    steps: [{uses: testing.ok, name: third}, {uses: testing.ok, name: fourth}]", ""));
        StepCatalog steps = StepCatalog.load(getClass().getClassLoader());
        Plan plan = new PlanLoader(steps).load(f, "plan.yaml", Map.of(), Overrides.NONE).plan().orElseThrow();
        // each preview waits until all four have started: run one after another, the first would wait in vain
        CountDownLatch allStarted = new CountDownLatch(4);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        LivePreview one = (phase, use, info, with) -> {
            allStarted.countDown();
            try {
                if (!allStarted.await(30, TimeUnit.SECONDS)) {
                    return Optional.of(List.of(new Change("unknown", use.label() + " ran alone")));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.of(List.of(new Change("unchanged", use.label())));
        };
        LivePreview concurrent = StepPreviews.concurrently(dev.dr.diff.Planner.decide(plan), steps, one);
        for (var phase : plan.phases()) {
            for (var use : phase.steps()) {
                var info = steps.find(use.uses());
                order.add(concurrent.of(phase, use, info, info.withDefaults(use.with())).orElseThrow().get(0).resource());
            }
        }
        assertThat(order).containsExactly("testing.ok", "second", "third", "fourth");
    }
}
