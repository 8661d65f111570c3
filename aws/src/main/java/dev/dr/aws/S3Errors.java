package dev.dr.aws;

import dev.dr.step.ErrorClass;
import dev.dr.step.StepFailure;
import java.io.InterruptedIOException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Classifies what is left of an S3 failure after the SDK's own retries, so that the phase's
 * retry budget can decide: throttling and 5xx are transient, access and missing objects are
 * not retried by the SDK and name the object. Failures of the credentials themselves (none,
 * expired, denied) are one line from {@link AwsErrors}.
 */
public final class S3Errors {
    private S3Errors() {}

    /** The failure of {@code what} (e.g. "GET s3://b/k") as a classified step failure. */
    public static StepFailure classify(String what, SdkException e) {
        // the SDK's exception is left out: a missing credential's carries the whole provider chain
        java.util.Optional<String> identity = AwsErrors.identityProblem(e);
        if (identity.isPresent()) {
            return StepFailure.permanent(what + ": " + identity.get());
        }
        if (e instanceof AwsServiceException s) {
            int status = s.statusCode();
            String code = s.awsErrorDetails() == null ? "" : s.awsErrorDetails().errorCode();
            String msg = what + ": " + (code == null || code.isEmpty() ? "HTTP " + status : code + " (HTTP " + status + ")");
            if (s.isThrottlingException() || status == 429 || "SlowDown".equals(code)) {
                return new StepFailure(ErrorClass.THROTTLED, msg + ", still throttled after the SDK's retries", e);
            }
            if (status == 404 || "NoSuchKey".equals(code) || "NoSuchBucket".equals(code)) {
                return new StepFailure(ErrorClass.NOT_FOUND, msg, e);
            }
            if (status == 409 || status == 412) {
                return new StepFailure(ErrorClass.CONFLICT, msg, e);
            }
            if (status >= 500) {
                return new StepFailure(ErrorClass.UNAVAILABLE, msg + ", still failing after the SDK's retries", e);
            }
            return StepFailure.permanent(msg);
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return new StepFailure(ErrorClass.TIMEOUT, what + ": timed out", e);
        }
        if (e instanceof SdkClientException && e.getCause() instanceof java.io.IOException io
                && !(io instanceof InterruptedIOException)) {
            return new StepFailure(ErrorClass.UNAVAILABLE, what + ": " + io.getMessage(), e);
        }
        if (e instanceof AbortedException) {
            return new StepFailure(ErrorClass.TIMEOUT, what + ": interrupted", e);
        }
        return StepFailure.permanent(what + ": " + e.getMessage());
    }
}
