package dev.dr.steps.k8s;

import dev.dr.step.Durations;
import dev.dr.step.ErrorClass;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The validate Job: created with the plan's image and requests/limits, watched until it
 * completes, fails or the step's timeout passes. Image-pull auth errors and memory-starved
 * scheduling are reported as their error classes so the retry budget can retry them; the
 * Job of an earlier attempt is deleted first.
 */
final class JobRunner {
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(15);
    static final Duration POLL = Duration.ofMillis(500);
    static final int LOG_TAIL_LINES = 50;

    private JobRunner() {}

    static StepResult run(StepContext ctx) throws StepFailure, InterruptedException {
        String ns = required(ctx, "target.namespace");
        String image = required(ctx, "inputs.imageRef");
        String name = ctx.with().get("name").asString();
        Duration timeout = ctx.with().has("timeout") ? Durations.parse(ctx.with().get("timeout").asString()) : DEFAULT_TIMEOUT;
        try (KubernetesClient k = KubeClients.open(ctx)) {
            Resource<Job> job = k.batch().v1().jobs().inNamespace(ns).withName(name);
            if (job.get() != null) {
                ctx.log("job " + ns + "/" + name + ": deleting the Job of an earlier attempt");
                job.withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
                job.waitUntilCondition(j -> j == null, 60, TimeUnit.SECONDS);
            }
            String uid = k.batch().v1().jobs().inNamespace(ns).resource(build(ctx, ns, name, image)).create()
                    .getMetadata().getUid();
            ctx.log("job " + ns + "/" + name + ": created with image " + image);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Job j = job.get();
                if (j != null && j.getStatus() != null) {
                    if (positive(j.getStatus().getSucceeded())) {
                        logTail(ctx, k, ns, uid);
                        ctx.log("job " + ns + "/" + name + ": complete");
                        return StepResult.of("validate.job", ns + "/" + name);
                    }
                    if (positive(j.getStatus().getFailed())) {
                        logTail(ctx, k, ns, uid);
                        throw StepFailure.permanent("job " + ns + "/" + name + " failed: validation did not pass");
                    }
                }
                StepFailure transient_ = transientFailure(k, ns, name, uid);
                if (transient_ != null) {
                    throw transient_;
                }
                if (System.nanoTime() > deadline) {
                    throw new StepFailure(ErrorClass.TIMEOUT, "job " + ns + "/" + name + " did not complete within "
                            + Durations.format(timeout));
                }
                Thread.sleep(POLL.toMillis());
            }
        } catch (KubernetesClientException e) {
            throw ApiErrors.classify("job " + ns + "/" + name, e);
        }
    }

    /** Live: a Job left by an earlier run is deleted first, then the Job is created. */
    static java.util.Optional<List<dev.dr.step.Change>> preview(StepContext ctx) throws StepFailure {
        String ns = required(ctx, "target.namespace");
        String name = ctx.with().get("name").asString();
        try (KubernetesClient k = KubeClients.open(ctx)) {
            List<dev.dr.step.Change> out = new java.util.ArrayList<>();
            if (k.batch().v1().jobs().inNamespace(ns).withName(name).get() != null) {
                out.add(new dev.dr.step.Change("delete", "Job " + ns + "/" + name + " (left by an earlier run)"));
            }
            out.add(new dev.dr.step.Change("create", "Job " + ns + "/" + name));
            return java.util.Optional.of(out);
        } catch (KubernetesClientException e) {
            throw ApiErrors.classify("job " + ns + "/" + name, e);
        }
    }

    private static Job build(StepContext ctx, String ns, String name, String image) {
        Map<String, Quantity> requests = quantities(ctx, "requests");
        Map<String, Quantity> limits = quantities(ctx, "limits");
        return new JobBuilder()
                .withNewMetadata().withName(name).withNamespace(ns)
                .addToLabels("app.kubernetes.io/managed-by", "dr").endMetadata()
                .withNewSpec().withBackoffLimit(0)
                .withNewTemplate().withNewMetadata().addToLabels("job-name", name).endMetadata()
                .withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("validate").withImage(image)
                .withNewResources().withRequests(requests).withLimits(limits).endResources()
                .endContainer().endSpec().endTemplate().endSpec().build();
    }

    private static Map<String, Quantity> quantities(StepContext ctx, String which) {
        java.util.Map<String, Quantity> out = new java.util.TreeMap<>();
        ctx.setting("sizing.validateJob." + which + ".cpu").ifPresent(v -> out.put("cpu", new Quantity(v)));
        ctx.setting("sizing.validateJob." + which + ".memory").ifPresent(v -> out.put("memory", new Quantity(v)));
        return out;
    }

    /**
     * A pull the registry refused for lack of credentials, or a pod the scheduler cannot place
     * for lack of memory: the two transient conditions of the runbook's validate retries.
     */
    private static StepFailure transientFailure(KubernetesClient k, String ns, String name, String uid) {
        // Only this attempt's pods: the Job controller labels them with the Job's uid.
        List<Pod> pods = k.pods().inNamespace(ns).withLabel("controller-uid", uid).list().getItems();
        for (Pod p : pods) {
            if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null) {
                continue;
            }
            for (ContainerStatus cs : p.getStatus().getContainerStatuses()) {
                if (cs.getState() == null || cs.getState().getWaiting() == null) {
                    continue;
                }
                String reason = String.valueOf(cs.getState().getWaiting().getReason());
                String message = String.valueOf(cs.getState().getWaiting().getMessage()).toLowerCase(Locale.ROOT);
                if ((reason.equals("ErrImagePull") || reason.equals("ImagePullBackOff"))
                        && (message.contains("unauthorized") || message.contains("no basic auth") || message.contains("denied")
                        || message.contains("authorization") || message.contains("credentials"))) {
                    return new StepFailure(ErrorClass.IMAGE_PULL_AUTH, "pod " + p.getMetadata().getName() + ": " + reason
                            + " (registry refused the credentials)");
                }
            }
        }
        for (Event e : k.v1().events().inNamespace(ns).list().getItems()) {
            String object = e.getInvolvedObject() == null ? "" : String.valueOf(e.getInvolvedObject().getName());
            if ("FailedScheduling".equals(e.getReason()) && object.startsWith(name)
                    && String.valueOf(e.getMessage()).contains("Insufficient memory")) {
                return new StepFailure(ErrorClass.INSUFFICIENT_MEMORY, "pod " + object + ": FailedScheduling, Insufficient memory");
            }
        }
        return null;
    }

    private static void logTail(StepContext ctx, KubernetesClient k, String ns, String uid) {
        for (Pod p : k.pods().inNamespace(ns).withLabel("controller-uid", uid).list().getItems()) {
            try {
                String log = k.pods().inNamespace(ns).withName(p.getMetadata().getName()).tailingLines(LOG_TAIL_LINES).getLog();
                if (log != null) {
                    log.lines().forEach(l -> ctx.log(p.getMetadata().getName() + "| " + l));
                }
            } catch (KubernetesClientException e) {
                ctx.log(p.getMetadata().getName() + ": no log (" + e.getCode() + ")");
            }
        }
    }

    private static boolean positive(Integer n) {
        return n != null && n > 0;
    }

    private static String required(StepContext ctx, String path) throws StepFailure {
        return ctx.setting(path).orElseThrow(() -> StepFailure.permanent(path + " is not set"));
    }
}
