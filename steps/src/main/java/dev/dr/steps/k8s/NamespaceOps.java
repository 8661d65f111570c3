package dev.dr.steps.k8s;

import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Ensures the plan's namespace exists (no manual pre-create step, as the runbook says). */
final class NamespaceOps {
    private NamespaceOps() {}

    static StepResult ensure(StepContext ctx) throws StepFailure {
        String ns = ctx.setting("target.namespace").orElseThrow(() -> StepFailure.permanent("target.namespace is not set"));
        try (KubernetesClient k = KubeClients.open(ctx)) {
            if (k.namespaces().withName(ns).get() != null) {
                ctx.log("namespace " + ns + ": exists");
                return StepResult.none();
            }
            k.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
                    .addToLabels("app.kubernetes.io/managed-by", "dr").endMetadata().build()).create();
            ctx.log("namespace " + ns + ": created");
            return StepResult.none();
        } catch (KubernetesClientException e) {
            throw ApiErrors.classify("namespace " + ns, e);
        }
    }

    /** Live: does the namespace exist already? */
    static java.util.Optional<java.util.List<dev.dr.step.Change>> preview(StepContext ctx) throws StepFailure {
        String ns = ctx.setting("target.namespace").orElseThrow(() -> StepFailure.permanent("target.namespace is not set"));
        try (KubernetesClient k = KubeClients.open(ctx)) {
            boolean exists = k.namespaces().withName(ns).get() != null;
            return java.util.Optional.of(java.util.List.of(new dev.dr.step.Change(exists ? "unchanged" : "create", "Namespace " + ns)));
        } catch (KubernetesClientException e) {
            throw ApiErrors.classify("namespace " + ns, e);
        }
    }
}
