package dev.dr.sandbox;

import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An S3 server on loopback: S3Proxy over an in-memory or folder blob store. The sandbox runs
 * one beside its Kubernetes API server; tests and benchmarks start their own. It takes
 * unsigned requests, so no credential is ever handed out.
 */
public final class LocalS3 implements AutoCloseable {

    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final URI endpoint;

    private LocalS3(S3Proxy proxy, BlobStoreContext context, URI endpoint) {
        this.proxy = proxy;
        this.context = context;
        this.endpoint = endpoint;
    }

    /** Starts a server that keeps objects in memory (or under {@code dir} when it is not null) on a free port. */
    public static LocalS3 start(Path dir) throws Exception {
        Properties props = new Properties();
        String provider = "transient-nio2";
        if (dir != null) {
            provider = "filesystem-nio2";
            props.setProperty("jclouds.filesystem.basedir", dir.toAbsolutePath().toString());
        }
        BlobStoreContext context = ContextBuilder.newBuilder(provider)
                .credentials("local", "local").overrides(props).build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.NONE, null, null)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                proxy.stop();
                context.close();
                throw new IllegalStateException("S3Proxy did not start within 30s (state " + proxy.getState() + ")");
            }
            Thread.sleep(5);
        }
        return new LocalS3(proxy, context, URI.create("http://127.0.0.1:" + proxy.getPort()));
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Creates a bucket (idempotent). */
    public void createBucket(String name) {
        context.getBlobStore().createContainerInLocation(null, name);
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not stop: " + e.getMessage(), e);
        } finally {
            context.close();
        }
    }
}
