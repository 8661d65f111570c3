package dev.dr.steps.failback;

import dev.dr.step.Change;
import dev.dr.step.ErrorClass;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import dev.dr.steps.DescribedStep;
import dev.dr.steps.k8s.ApiErrors;
import dev.dr.steps.k8s.KubeClients;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code failback.freeze}: suspends the DR CronJob, so no new run starts, then waits until no
 * Job in the namespace is active, so nothing is in flight while the pointers move back.
 */
public final class FailbackFreezeStep extends DescribedStep {
    public FailbackFreezeStep() {
        super("failback.freeze");
    }

    @Override
    public Optional<List<Change>> preview(StepContext ctx) throws StepFailure {
        String ns = namespace(ctx);
        String name = ctx.with().get("cronJob").asString();
        try (KubernetesClient k = KubeClients.open(ctx)) {
            CronJob cj = k.batch().v1().cronjobs().inNamespace(ns).withName(name).get();
            if (cj == null) {
                throw StepFailure.permanent("failback.freeze: no CronJob " + ns + "/" + name);
            }
            long active = active(k, ns).size();
            boolean suspended = Boolean.TRUE.equals(cj.getSpec().getSuspend());
            return Optional.of(List.of(new Change(suspended ? "unchanged" : "update", "CronJob " + ns + "/" + name
                    + " (suspended" + (suspended ? " already" : "") + "; " + active + " active Jobs now)")));
        } catch (KubernetesClientException e) {
            throw ApiErrors.classify("failback.freeze", e);
        }
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailure, InterruptedException {
        String ns = namespace(ctx);
        String name = ctx.with().get("cronJob").asString();
        Duration timeout = dev.dr.step.Durations.parse(ctx.with().path("timeout").asString("10m"));
        try (KubernetesClient k = KubeClients.open(ctx)) {
            if (k.batch().v1().cronjobs().inNamespace(ns).withName(name).get() == null) {
                throw StepFailure.permanent("failback.freeze: no CronJob " + ns + "/" + name);
            }
            k.batch().v1().cronjobs().inNamespace(ns).withName(name).edit(c -> {
                c.getSpec().setSuspend(true);
                return c;
            });
            FailbackSteps.transition(ctx, "freeze: CronJob " + ns + "/" + name + " suspended");
            long deadline = System.nanoTime() + timeout.toNanos();
            List<String> running = active(k, ns);
            while (!running.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw FailbackSteps.refused(ctx, "freeze", java.util.Map.of("cronjob", ns + "/" + name), new StepFailure(ErrorClass.TIMEOUT,
                            "failback.freeze: Jobs still active after " + dev.dr.step.Durations.format(timeout) + ": "
                            + String.join(", ", running)));
                }
                ctx.progress("waiting for " + running.size() + " active Jobs: " + String.join(", ", running));
                Thread.sleep(1000);
                running = active(k, ns);
            }
            FailbackSteps.transition(ctx, "freeze: no Job active in " + ns);
            return StepResult.of("failback.frozen", ns + "/" + name);
        } catch (KubernetesClientException e) {
            throw ApiErrors.classify("failback.freeze", e);
        }
    }

    private static List<String> active(KubernetesClient k, String ns) {
        return k.batch().v1().jobs().inNamespace(ns).list().getItems().stream()
                .filter(j -> j.getStatus() != null && j.getStatus().getActive() != null && j.getStatus().getActive() > 0)
                .map(Job::getMetadata).map(m -> m.getName()).sorted().toList();
    }

    private static String namespace(StepContext ctx) throws StepFailure {
        return ctx.setting("target.namespace").orElseThrow(() -> StepFailure.permanent("target.namespace is not set"));
    }
}
