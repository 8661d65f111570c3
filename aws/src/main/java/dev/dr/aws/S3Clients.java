package dev.dr.aws;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Opens S3 clients. The HTTP client is the JDK's (URL connection): no netty, which would
 * clash with the Kubernetes client's. Retries are the SDK's standard ones (throttling and
 * 5xx, with backoff); what is left after them is classified by {@link S3Errors}.
 */
public final class S3Clients {
    private S3Clients() {}

    /**
     * A client for {@code settings}. With {@code readOnly} (a preview) it refuses every request
     * but GET and HEAD before the request leaves the process.
     */
    public static S3Client open(S3Settings settings, boolean readOnly) {
        return open(settings, readOnly, AwsClients.Shared.NONE);
    }

    /** The same with what a run's clients share ({@link AwsClientRegistry}). */
    static S3Client open(S3Settings settings, boolean readOnly, AwsClients.Shared shared) {
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
                .apiCallAttemptTimeout(Duration.ofMinutes(10));
        if (readOnly) {
            override.addExecutionInterceptor(new ReadOnly());
        }
        S3ClientBuilder b = S3Client.builder();
        if (shared.http() != null) {
            b.httpClient(shared.http());
        } else {
            b.httpClientBuilder(AwsClients.httpClient());
        }
        b.overrideConfiguration(override.build())
                // dr checks the SHA-256 of everything it writes and reads itself; the SDK's
                // CRC checksums are then redundant, and S3-compatible servers reject them.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        settings.region().ifPresent(r -> b.region(Region.of(r)));
        settings.endpoint().ifPresent(e -> {
            b.endpointOverride(e).forcePathStyle(true);
            if (settings.region().isEmpty()) {
                b.region(Region.US_EAST_1);
            }
        });
        if (settings.unsigned()) {
            b.credentialsProvider(AnonymousCredentialsProvider.create());
        } else if (shared.credentials() != null) {
            b.credentialsProvider(shared.credentials());
        }
        return b.build();
    }

    /** Stops a mutating request before it is sent: previews only read. */
    static final class ReadOnly implements ExecutionInterceptor {
        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            SdkHttpMethod m = context.httpRequest().method();
            if (m != SdkHttpMethod.GET && m != SdkHttpMethod.HEAD) {
                throw new ReadOnlyViolation("a preview may only read: refused " + m + " "
                        + context.httpRequest().encodedPath());
            }
        }
    }

    /** A preview tried to change something. */
    public static final class ReadOnlyViolation extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        ReadOnlyViolation(String message) {
            super(message);
        }
    }
}
