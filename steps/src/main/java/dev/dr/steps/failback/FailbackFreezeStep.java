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
 * Job in the namespace is active, so nothing is in flight while the pointers move back. With
 * {@code primaryKubeconfig} it also waits, read-only, until no Job the primary's CronJob of the
 * same name started is active: the primary must not be publishing while the divergence check
 * compares its outputs with DR's. The primary is never changed: its CronJob's suspend state is
 * reported, not set.
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
                    + " (suspended" + (suspended ? " already" : "") + "; " + active + " active Jobs now)"),
                    primaryPreview(ctx, ns, name)));
        } catch (KubernetesClientException e) {
            throw ApiErrors.classify("failback.freeze", e);
        }
    }

    private static Change primaryPreview(StepContext ctx, String ns, String name) throws StepFailure {
        Optional<PrimaryCluster> primary = PrimaryCluster.open(ctx);
        if (primary.isEmpty()) {
            return new Change("unchanged", PrimaryCluster.NOT_CHECKED);
        }
        try (PrimaryCluster p = primary.get()) {
            return new Change("unchanged", "read " + p.look(ns, name).describe() + " now (read-only, never changed)");
        }
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailure, InterruptedException {
        String ns = namespace(ctx);
        String name = ctx.with().get("cronJob").asString();
        Duration timeout = dev.dr.step.Durations.parse(ctx.with().path("timeout").asString("10m"));
        // the primary's kubeconfig is opened first: one that cannot be used refuses before DR changes
        try (PrimaryCluster p = PrimaryCluster.open(ctx).orElse(null); KubernetesClient k = KubeClients.open(ctx)) {
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
            if (p == null) {
                FailbackSteps.transition(ctx, "freeze: " + PrimaryCluster.NOT_CHECKED);
            } else {
                waitForPrimary(ctx, p, ns, name, deadline, timeout);
            }
            return StepResult.of("failback.frozen", ns + "/" + name);
        } catch (KubernetesClientException e) {
            throw ApiErrors.classify("failback.freeze", e);
        }
    }

    /** Waits, within the same deadline, until no Job of the primary's CronJob is active; the primary is only read. */
    private static void waitForPrimary(StepContext ctx, PrimaryCluster p, String ns, String name, long deadline,
            Duration timeout) throws StepFailure, InterruptedException {
        PrimaryCluster.View v = p.look(ns, name);
        while (!v.activeJobs().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw FailbackSteps.refused(ctx, "freeze", java.util.Map.of("cronjob", ns + "/" + name),
                        new StepFailure(ErrorClass.TIMEOUT, "failback.freeze: Jobs of the primary's CronJob " + v.cronJob()
                                + " still active after " + dev.dr.step.Durations.format(timeout) + ": "
                                + String.join(", ", v.activeJobs()) + " (the primary runs the same scheduled work)"));
            }
            ctx.progress("waiting for " + v.activeJobs().size() + " active Jobs on the primary: "
                    + String.join(", ", v.activeJobs()));
            Thread.sleep(1000);
            v = p.look(ns, name);
        }
        FailbackSteps.transition(ctx, "freeze: " + v.describe() + " (read-only, not changed)");
        if (v.suspended().equals(Optional.of(false))) {
            // not a refusal: the primary resumes its schedule after failback anyway, but a run it
            // starts before the pointers move back publishes while DR is still canonical
            ctx.log("warning: primary CronJob " + v.cronJob() + " is not suspended: a run it starts now publishes"
                    + " to the primary's prefix before the pointers move back");
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
