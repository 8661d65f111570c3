package dev.dr.aws;

import dev.dr.step.StepContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The AWS clients of one run (a preview, a guard check), shared by every thread of it: one
 * client per service, settings and read-only flag, one HTTP client, and one credential chain
 * resolved once. Building an SDK client is not cheap (it scans the class path for interceptors,
 * sets up endpoint rules, resolves credentials); a preview whose guards and steps each built
 * their own spent more time on that than on its lookups.
 *
 * <p>The first caller of a key builds the client; callers that come meanwhile wait for that
 * one rather than building another. A read-only client is a different key from a writing one,
 * so a preview never gets a client that may change something. {@link #close} closes every
 * client, the HTTP client and the credential chain; the registry hands out nothing after it.
 */
public final class AwsClientRegistry implements AutoCloseable {

    /** What identifies a client: the same service with the same settings is the same client. */
    private record Key(Class<?> service, S3Settings settings, boolean readOnly) {}

    private final Supplier<AwsCredentialsProvider> credentialsChain;
    /** Insertion order, so clients close in the order they were asked for. */
    private final Map<Key, CompletableFuture<SdkClient>> clients = new LinkedHashMap<>();
    private SdkHttpClient http;
    private AwsCredentialsProvider credentials;
    private boolean closed;

    /** Clients that sign with the SDK's default credential chain (environment, profile, SSO, instance role). */
    public AwsClientRegistry() {
        this(() -> DefaultCredentialsProvider.builder().build());
    }

    /** Clients that sign with what {@code credentialsChain} gives (built once, on the first signed client). */
    AwsClientRegistry(Supplier<AwsCredentialsProvider> credentialsChain) {
        this.credentialsChain = credentialsChain;
    }

    /** The S3 client for {@code settings}; read-only ones refuse all but GET and HEAD. */
    public S3Client s3(S3Settings settings, boolean readOnly) {
        return client(new Key(S3Client.class, settings, readOnly), S3Client.class,
                () -> S3Clients.open(settings, readOnly, shared(settings)));
    }

    /**
     * The client of {@code service} (e.g. {@code Ec2Client.class, Ec2Client::builder}) for
     * {@code settings}; read-only ones refuse every operation but reads, as {@link AwsClients} says.
     */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C extends SdkClient> C client(Class<C> service,
            Supplier<B> builder, S3Settings settings, boolean readOnly) {
        return client(new Key(service, settings, readOnly), service,
                () -> AwsClients.open(builder.get(), settings, readOnly, shared(settings)));
    }

    private <C extends SdkClient> C client(Key key, Class<C> type, Supplier<C> open) {
        CompletableFuture<SdkClient> mine = new CompletableFuture<>();
        CompletableFuture<SdkClient> existing;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the AWS clients of this run are closed");
            }
            existing = clients.putIfAbsent(key, mine);
        }
        if (existing == null) {
            try {
                mine.complete(open.get());
            } catch (RuntimeException | Error e) {
                mine.completeExceptionally(e);
            }
            existing = mine;
        }
        try {
            return type.cast(existing.join());
        } catch (CompletionException e) {
            // the caller sees what building the client threw, as if it had built it itself
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** The HTTP client and credentials every client of the run uses. */
    private synchronized AwsClients.Shared shared(S3Settings settings) {
        if (http == null) {
            http = AwsClients.httpClient().build();
        }
        if (!settings.unsigned() && credentials == null) {
            credentials = credentialsChain.get();
        }
        AwsCredentialsProvider chain = credentials;
        // a client closes the credential provider it was given; this one outlives each client
        return new AwsClients.Shared(http, settings.unsigned() || chain == null ? null : chain::resolveCredentials);
    }

    /** Closes every client, then the HTTP client and the credential chain they shared. */
    @Override
    public void close() {
        List<CompletableFuture<SdkClient>> built;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            built = new ArrayList<>(clients.values());
            clients.clear();
        }
        for (CompletableFuture<SdkClient> f : built) {
            // one that is still being built is closed once it is done
            f.thenAccept(SdkAutoCloseable::close);
        }
        synchronized (this) {
            if (http != null) {
                http.close();
            }
            if (credentials instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // nothing is left to use it
                }
            }
        }
    }

    /** How many clients the run has built so far: one per service, settings and read-only flag. */
    public synchronized int clientCount() {
        return clients.size();
    }

    /**
     * A client for a step: the run's shared one when the step's context has a registry (a
     * preview, dr apply), else one of its own that {@link Lease#close} closes.
     */
    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C extends SdkClient> Lease<C> forStep(
            StepContext ctx, Class<C> service, Supplier<B> builder, S3Settings settings) {
        if (ctx instanceof AwsStepContext shared) {
            return new Lease<>(shared.awsClients().client(service, builder, settings, ctx.readOnly()), false);
        }
        return new Lease<>(AwsClients.open(builder.get(), settings, ctx.readOnly()), true);
    }

    /** A client for the length of a try block; closed at its end only if it was opened for it. */
    public record Lease<C extends SdkAutoCloseable>(C client, boolean owned) implements AutoCloseable {
        @Override
        public void close() {
            if (owned) {
                client.close();
            }
        }
    }
}
