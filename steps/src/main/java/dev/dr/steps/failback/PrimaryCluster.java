package dev.dr.steps.failback;

import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.steps.k8s.ApiErrors;
import dev.dr.steps.k8s.KubeClients;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The primary cluster as the failback sees it: read only, through a client that refuses every
 * request but GET, opened from the step's {@code primaryKubeconfig} alone (never KUBECONFIG or
 * ~/.kube/config: an ambient kubeconfig is as likely the DR cluster's, and a check of the wrong
 * cluster would pass for a check of the primary).
 */
final class PrimaryCluster implements AutoCloseable {
    static final String SETTING = "primaryKubeconfig";
    static final String NOT_CHECKED = "primary cluster not checked (no primaryKubeconfig: dr failback --kubeconfig-primary)";

    private final KubernetesClient client;

    private PrimaryCluster(KubernetesClient client) {
        this.client = client;
    }

    /** The primary, when the step names its kubeconfig; empty when the setting is empty (not checked). */
    static Optional<PrimaryCluster> open(StepContext ctx) throws StepFailure {
        String file = ctx.with().path(SETTING).asString("");
        if (file.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new PrimaryCluster(KubeClients.openReadOnly(Path.of(file), SETTING)));
    }

    /**
     * The primary's CronJob {@code ns/name} and the Jobs it started that are still active.
     *
     * @param suspended the CronJob's spec.suspend; empty when the primary has no such CronJob
     */
    record View(String cronJob, Optional<Boolean> suspended, List<String> activeJobs) {
        String describe() {
            return "primary CronJob " + cronJob + " " + suspended.map(s -> s ? "suspended" : "not suspended")
                    .orElse("absent") + ", " + activeJobs.size() + " of its Jobs active"
                    + (activeJobs.isEmpty() ? "" : ": " + String.join(", ", activeJobs));
        }
    }

    View look(String ns, String name) throws StepFailure {
        try {
            CronJob cj = client.batch().v1().cronjobs().inNamespace(ns).withName(name).get();
            Optional<Boolean> suspended = cj == null ? Optional.empty()
                    : Optional.of(Boolean.TRUE.equals(cj.getSpec().getSuspend()));
            List<String> active = client.batch().v1().jobs().inNamespace(ns).list().getItems().stream()
                    .filter(j -> startedBy(j, name))
                    .filter(j -> j.getStatus() != null && j.getStatus().getActive() != null && j.getStatus().getActive() > 0)
                    .map(j -> j.getMetadata().getName()).sorted().toList();
            return new View(ns + "/" + name, suspended, active);
        } catch (KubernetesClientException e) {
            throw ApiErrors.classify("failback.freeze: primary cluster", e);
        }
    }

    /** A Job the CronJob started (by schedule or kubectl create job --from): the CronJob is its owner. */
    private static boolean startedBy(Job j, String cronJob) {
        List<OwnerReference> owners = j.getMetadata().getOwnerReferences();
        return owners != null && owners.stream().anyMatch(o -> "CronJob".equals(o.getKind()) && cronJob.equals(o.getName()));
    }

    @Override
    public void close() {
        client.close();
    }
}
