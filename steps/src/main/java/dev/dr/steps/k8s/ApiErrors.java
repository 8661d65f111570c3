package dev.dr.steps.k8s;

import dev.dr.plan.model.ErrorClass;
import dev.dr.step.StepFailure;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Kubernetes API failures as classified step failures, by HTTP status. */
public final class ApiErrors {
    private ApiErrors() {}

    public static StepFailure classify(String what, KubernetesClientException e) {
        int code = e.getCode();
        ErrorClass c = code == 409 ? ErrorClass.CONFLICT
                : code == 404 ? ErrorClass.NOT_FOUND
                : code == 429 ? ErrorClass.THROTTLED
                : code >= 500 || code == 0 ? ErrorClass.UNAVAILABLE
                : ErrorClass.PERMANENT;
        String detail = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        return new StepFailure(c, what + ": " + (code == 0 ? "" : "HTTP " + code + ": ") + detail, e);
    }
}
