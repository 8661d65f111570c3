package dev.dr.steps.backup;

import dev.dr.aws.S3Errors;
import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Uri;
import dev.dr.step.StepFailure;
import dev.dr.steps.archive.ArchiveRefused;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Uploads one tar entry to S3 as it streams, holding at most one part in memory.
 *
 * <p>Why parts rather than one PUT of the stream: the SDK reads a request body twice (once to
 * checksum it while signing, once to send it), so a one-pass stream cannot be a body. A part
 * is a buffer it can read twice. Entries up to one part go in a single PUT; larger ones in a
 * multipart upload, which is aborted on any failure so no parts are left behind.
 */
final class EntryUpload {
    /** Part size: above S3's 5 MiB minimum, and small enough to hold in memory. */
    static final int PART = 8 << 20;
    private static final String TYPE = "application/octet-stream";

    private EntryUpload() {}

    /**
     * Uploads exactly {@code size} bytes of {@code body} to {@code uri}.
     *
     * @param entry the tar entry's name, for a truncation message
     */
    static void upload(S3Objects s3, S3Uri uri, InputStream body, long size, String entry) throws IOException, StepFailure {
        if (size <= PART) {
            s3.put(uri, read(body, (int) size, entry), TYPE);
            return;
        }
        S3Client c = s3.client();
        String uploadId;
        try {
            uploadId = c.createMultipartUpload(r -> r.bucket(uri.bucket()).key(uri.key()).contentType(TYPE)).uploadId();
        } catch (SdkException e) {
            throw S3Errors.classify("PUT " + uri + " (start multipart upload)", e);
        }
        try {
            List<CompletedPart> parts = new ArrayList<>();
            byte[] buffer = new byte[PART];
            for (long left = size; left > 0; ) {
                int n = (int) Math.min(PART, left);
                fill(body, buffer, n, entry);
                int number = parts.size() + 1;
                String etag = c.uploadPart(r -> r.bucket(uri.bucket()).key(uri.key()).uploadId(uploadId).partNumber(number)
                                .contentLength((long) n),
                        RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, n), n, TYPE)).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                left -= n;
            }
            c.completeMultipartUpload(r -> r.bucket(uri.bucket()).key(uri.key()).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (SdkException e) {
            StepFailure f = S3Errors.classify("PUT " + uri + " (multipart upload)", e);
            abort(c, uri, uploadId, f);
            throw f;
        } catch (IOException | RuntimeException e) {
            abort(c, uri, uploadId, e);
            throw e;
        }
    }

    private static byte[] read(InputStream body, int size, String entry) throws IOException {
        byte[] bytes = new byte[size];
        fill(body, bytes, size, entry);
        return bytes;
    }

    private static void fill(InputStream body, byte[] buffer, int n, String entry) throws IOException {
        if (body.readNBytes(buffer, 0, n) < n) {
            throw new ArchiveRefused("entry " + entry + ": truncated: the archive ends inside this entry");
        }
    }

    private static void abort(S3Client c, S3Uri uri, String uploadId, Throwable failure) {
        try {
            c.abortMultipartUpload(r -> r.bucket(uri.bucket()).key(uri.key()).uploadId(uploadId));
        } catch (SdkException e) {
            failure.addSuppressed(S3Errors.classify("abort multipart upload of " + uri, e));
        }
    }
}
