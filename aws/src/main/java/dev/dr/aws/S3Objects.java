package dev.dr.aws;

import dev.dr.step.StepFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.paginators.ListObjectsV2Iterable;

/**
 * The few S3 operations the steps use, on {@link S3Uri}s, with every failure classified and
 * naming the object. Large objects are streamed, never read whole.
 */
public final class S3Objects implements AutoCloseable {

    /** Objects read whole (pointers, metadata) are small; anything larger is refused. */
    public static final int SMALL_OBJECT_LIMIT = 1 << 20;

    private final S3Client s3;
    /** False for a run's shared client, which the run closes. */
    private final boolean owned;

    /** Operations on {@code s3}, which {@link #close} closes. */
    public S3Objects(S3Client s3) {
        this(s3, true);
    }

    private S3Objects(S3Client s3, boolean owned) {
        this.s3 = s3;
        this.owned = owned;
    }

    /**
     * For a step: the plan's region, the sandbox's endpoint after its bringup, read-only in a
     * preview. In a context that shares the run's clients ({@link AwsStepContext}: a live preview,
     * dr apply) this is the run's S3 client, left open by {@link #close}.
     */
    public static S3Objects forStep(dev.dr.step.StepContext ctx) {
        if (ctx instanceof AwsStepContext shared) {
            return new S3Objects(shared.awsClients().s3(S3Settings.of(ctx), ctx.readOnly()), false);
        }
        return new S3Objects(S3Clients.open(S3Settings.of(ctx), ctx.readOnly()));
    }

    public S3Client client() {
        return s3;
    }

    /** The object's size, or empty when it does not exist. */
    public Optional<Long> size(S3Uri uri) throws StepFailure {
        try {
            HeadObjectResponse h = s3.headObject(r -> r.bucket(uri.bucket()).key(uri.key()));
            return Optional.of(h.contentLength());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw S3Errors.classify("HEAD " + uri, e);
        } catch (SdkException e) {
            throw S3Errors.classify("HEAD " + uri, e);
        }
    }

    /** Opens the object as a stream; the caller closes it. */
    public ResponseInputStream<GetObjectResponse> open(S3Uri uri) throws StepFailure {
        try {
            return s3.getObject(r -> r.bucket(uri.bucket()).key(uri.key()));
        } catch (SdkException e) {
            throw S3Errors.classify("GET " + uri, e);
        }
    }

    /** A small object read whole, or empty when it does not exist. */
    public Optional<byte[]> readSmall(S3Uri uri) throws StepFailure {
        try (InputStream in = s3.getObject(r -> r.bucket(uri.bucket()).key(uri.key()))) {
            byte[] bytes = in.readNBytes(SMALL_OBJECT_LIMIT + 1);
            if (bytes.length > SMALL_OBJECT_LIMIT) {
                throw StepFailure.permanent(uri + " is larger than " + SMALL_OBJECT_LIMIT + " bytes; it is not a pointer or metadata document");
            }
            return Optional.of(bytes);
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw S3Errors.classify("GET " + uri, e);
        } catch (IOException e) {
            throw new StepFailure(dev.dr.step.ErrorClass.UNAVAILABLE, "GET " + uri + ": " + e.getMessage(), e);
        }
    }

    public void put(S3Uri uri, Path file, String contentType) throws StepFailure {
        try {
            s3.putObject(r -> r.bucket(uri.bucket()).key(uri.key()).contentType(contentType), RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw S3Errors.classify("PUT " + uri, e);
        }
    }

    public void put(S3Uri uri, byte[] bytes, String contentType) throws StepFailure {
        try {
            s3.putObject(r -> r.bucket(uri.bucket()).key(uri.key()).contentType(contentType), RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw S3Errors.classify("PUT " + uri, e);
        }
    }

    public void copy(S3Uri from, S3Uri to) throws StepFailure {
        try {
            s3.copyObject(r -> r.sourceBucket(from.bucket()).sourceKey(from.key())
                    .destinationBucket(to.bucket()).destinationKey(to.key()));
        } catch (SdkException e) {
            throw S3Errors.classify("COPY " + from + " to " + to, e);
        }
    }

    public void delete(S3Uri uri) throws StepFailure {
        try {
            s3.deleteObject(r -> r.bucket(uri.bucket()).key(uri.key()));
        } catch (SdkException e) {
            throw S3Errors.classify("DELETE " + uri, e);
        }
    }

    /** Keys below a prefix (the prefix and a slash, then anything), sorted as S3 lists them. */
    public List<S3Object> list(S3Uri prefix) throws StepFailure {
        try {
            String p = prefix.key().isEmpty() ? "" : prefix.key() + "/";
            ListObjectsV2Iterable pages = s3.listObjectsV2Paginator(r -> r.bucket(prefix.bucket()).prefix(p));
            List<S3Object> out = new ArrayList<>();
            pages.contents().forEach(out::add);
            return out;
        } catch (SdkException e) {
            throw S3Errors.classify("LIST " + prefix, e);
        }
    }

    @Override
    public void close() {
        if (owned) {
            s3.close();
        }
    }
}
