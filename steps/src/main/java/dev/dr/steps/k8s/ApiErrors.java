package dev.dr.steps.k8s;

import dev.dr.step.ErrorClass;
import dev.dr.step.StepFailure;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Kubernetes API failures as classified step failures, by HTTP status. */
public final class ApiErrors {
    private ApiErrors() {}

    public static StepFailure classify(String what, KubernetesClientException e) {
        int code = e.getCode();
        ErrorClass c = errorClass(code);
        String detail = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        return new StepFailure(c, what + ": " + (code == 0 ? "" : "HTTP " + code + ": ") + detail, e);
    }

    /**
     * The class of a Kubernetes API failure by its HTTP status; 0 is fabric8's code for no
     * answer at all (connection refused, timeout), which is as retryable as a 5xx.
     */
    public static ErrorClass errorClass(int code) {
        return code == 409 ? ErrorClass.CONFLICT
                : code == 404 ? ErrorClass.NOT_FOUND
                : code == 429 ? ErrorClass.THROTTLED
                : code >= 500 || code == 0 ? ErrorClass.UNAVAILABLE
                : ErrorClass.PERMANENT;
    }
}
