package dev.dr.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * Opens the clients of the AWS APIs other than S3 (STS, EC2, ECR, Step Functions, DynamoDB)
 * the same way {@link S3Clients} opens S3's: the JDK's HTTP client, the SDK's standard
 * retries, the default credential chain unless {@link S3Settings#unsigned()}, the region of
 * the settings, and an endpoint override for a stand-in server. These APIs send every call as
 * a POST, so a read-only client tells reads by the operation's name instead of the method.
 */
public final class AwsClients {
    private AwsClients() {}

    /** Operations a preview may call: they only read. */
    static final Set<String> READ_PREFIXES = Set.of("Get", "Describe", "List", "BatchGet", "Query", "Scan");

    /** Reads that hand out a credential: a preview has no use for one, so it may not fetch it. */
    static final Set<String> CREDENTIALS = Set.of("GetAuthorizationToken", "GetSessionToken", "GetFederationToken");

    /**
     * Configures {@code builder} (e.g. {@code StsClient.builder()}) and builds it, with an HTTP
     * client and credential chain of its own.
     *
     * @param readOnly refuse, before sending, every operation whose name does not start with
     *                 Get, Describe, List, BatchGet, Query or Scan
     */
    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C open(B builder, S3Settings settings,
            boolean readOnly) {
        return open(builder, settings, readOnly, Shared.NONE);
    }

    /** The same with what a run's clients share ({@link AwsClientRegistry}). */
    static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C open(B builder, S3Settings settings,
            boolean readOnly, Shared shared) {
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
                .apiCallAttemptTimeout(Duration.ofMinutes(2));
        if (readOnly) {
            override.addExecutionInterceptor(new ReadOnly());
        }
        if (shared.http() != null) {
            builder.httpClient(shared.http());
        } else {
            builder.httpClientBuilder(httpClient());
        }
        builder.overrideConfiguration(override.build());
        settings.region().ifPresent(r -> builder.region(Region.of(r)));
        settings.endpoint().ifPresent(e -> {
            builder.endpointOverride(e);
            if (settings.region().isEmpty()) {
                builder.region(Region.US_EAST_1);
            }
        });
        if (settings.unsigned()) {
            builder.credentialsProvider(AnonymousCredentialsProvider.create());
        } else if (shared.credentials() != null) {
            builder.credentialsProvider(shared.credentials());
        }
        return builder.build();
    }

    /** The JDK's HTTP client as every AWS client of dr uses it. */
    static UrlConnectionHttpClient.Builder httpClient() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofMinutes(2));
    }

    /**
     * What the clients of one run share; a null part is the client's own.
     *
     * @param http        the HTTP client (a client does not close one it was given)
     * @param credentials the credential chain, for signed settings
     */
    record Shared(SdkHttpClient http, AwsCredentialsProvider credentials) {
        static final Shared NONE = new Shared(null, null);
    }

    /** Settings from receipt outputs: {@code aws.endpoint} (a stand-in server, unsigned) and the region. */
    public static S3Settings settings(Map<String, String> outputs, Optional<String> region) {
        Optional<URI> endpoint = Optional.ofNullable(outputs.get(ENDPOINT_OUTPUT)).filter(s -> !s.isBlank()).map(URI::create);
        return new S3Settings(region.filter(s -> !s.isBlank()), endpoint, endpoint.isPresent());
    }

    /** Receipt output naming a stand-in for the AWS APIs (the sandbox's, or a test's). */
    public static final String ENDPOINT_OUTPUT = "aws.endpoint";

    /** Stops a mutating operation before it is sent: previews only read. */
    static final class ReadOnly implements ExecutionInterceptor {
        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
            if (op == null || CREDENTIALS.contains(op) || READ_PREFIXES.stream().noneMatch(op::startsWith)) {
                throw new S3Clients.ReadOnlyViolation("a preview may only read: refused " + service + " " + op);
            }
        }
    }
}
