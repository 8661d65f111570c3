package dev.dr.steps.k8s;

import dev.dr.step.Durations;
import dev.dr.step.ErrorClass;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Map;

/**
 * Waits until an object exists: restore passes only once {@code cronjob.batch/jobintel-daily}
 * is there, as the runbook's restore gates on it.
 */
final class Require {
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);
    static final Duration POLL = Duration.ofMillis(500);

    /** kind.group as written in plans (kubectl's form) to apiVersion and kind. */
    static final Map<String, String[]> KINDS = Map.ofEntries(
            Map.entry("cronjob.batch", new String[] {"batch/v1", "CronJob"}),
            Map.entry("job.batch", new String[] {"batch/v1", "Job"}),
            Map.entry("deployment.apps", new String[] {"apps/v1", "Deployment"}),
            Map.entry("statefulset.apps", new String[] {"apps/v1", "StatefulSet"}),
            Map.entry("configmap", new String[] {"v1", "ConfigMap"}),
            Map.entry("secret", new String[] {"v1", "Secret"}),
            Map.entry("serviceaccount", new String[] {"v1", "ServiceAccount"}),
            Map.entry("service", new String[] {"v1", "Service"}));

    private Require() {}

    static StepResult await(StepContext ctx) throws StepFailure, InterruptedException {
        String ns = ctx.setting("target.namespace").orElseThrow(() -> StepFailure.permanent("target.namespace is not set"));
        String ref = ctx.with().get("resource").asString();
        int slash = ref.indexOf('/');
        String[] kind = KINDS.get(ref.substring(0, slash));
        if (kind == null) {
            throw StepFailure.permanent("k8s.require does not know the kind " + ref.substring(0, slash)
                    + "; known: " + String.join(", ", new java.util.TreeSet<>(KINDS.keySet())));
        }
        String name = ref.substring(slash + 1);
        Duration timeout = ctx.with().has("timeout") ? Durations.parse(ctx.with().get("timeout").asString()) : DEFAULT_TIMEOUT;
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KubernetesClient k = KubeClients.open(ctx)) {
            while (true) {
                if (k.genericKubernetesResources(kind[0], kind[1]).inNamespace(ns).withName(name).get() != null) {
                    ctx.log(ref + " in " + ns + ": present");
                    return StepResult.none();
                }
                if (System.nanoTime() > deadline) {
                    throw new StepFailure(ErrorClass.NOT_FOUND, ref + " did not appear in namespace " + ns + " within "
                            + Durations.format(timeout));
                }
                Thread.sleep(POLL.toMillis());
            }
        } catch (KubernetesClientException e) {
            throw ApiErrors.classify(ref, e);
        }
    }
}
