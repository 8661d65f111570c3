package dev.dr.steps.backup;

import com.github.luben.zstd.ZstdIOException;
import com.github.luben.zstd.ZstdInputStream;
import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Uri;
import dev.dr.step.StepFailure;
import dev.dr.steps.archive.ArchiveRefused;
import dev.dr.steps.archive.ExtractLimits;
import dev.dr.steps.archive.Extracted;
import dev.dr.steps.archive.SafeExtract;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.LongConsumer;
import org.apache.commons.io.file.PathUtils;

/**
 * Restores one archive of a backup (a zstd-compressed tar) from its object stream: the bytes
 * pass through SHA-256, zstd and tar straight into a staging location, never held whole in
 * memory or on disk, and are moved into place only once the whole object's size and SHA-256
 * match metadata.json. On any failure the staging is removed and the destination is as it was.
 */
public final class StreamedRestore {

    private StreamedRestore() {}

    /**
     * Restores into the folder {@code dest}, replacing it whole. The staging folder sits next to
     * it ({@code .<name>.dr-staging-<random>}), so the final move is a rename on one file system.
     *
     * @param object   the archive's bytes; the caller closes it
     * @param progress compressed bytes read so far, at most every 8 MiB and once at the end
     * @throws BackupRefused when the object's size or SHA-256 differ from {@code expected}, or
     *                       the archive is refused (unsafe names, links, limits)
     */
    public static RestoreResult toFolder(InputStream object, BackupObject expected, Path dest, ExtractLimits limits,
            LongConsumer progress) throws IOException {
        Path target = dest.toAbsolutePath().normalize();
        Path parent = target.getParent();
        if (parent == null) {
            throw new IllegalArgumentException("cannot restore " + expected.name() + " into " + target);
        }
        Files.createDirectories(parent);
        Path staging = parent.resolve("." + target.getFileName() + ".dr-staging-" + UUID.randomUUID().toString().substring(0, 8));
        SourceStream source = new SourceStream(object, expected.size(), progress);
        Extracted extracted;
        String sha256;
        try {
            // decompressing on a thread of its own, while this one writes the files; closing it
            // (before the catch below runs) stops that thread, so only this one reads the source after
            try (ZstdInputStream zstd = new ZstdInputStream(source);
                    ReadAhead tar = new ReadAhead(zstd, "dr-restore-zstd", null)) {
                extracted = SafeExtract.extract(tar, staging, limits, source::count);
            } catch (IOException e) {
                throw explain(source, expected, e);
            }
            sha256 = verify(source, expected);
            SafeExtract.moveIntoPlace(staging, target);
        } catch (IOException | RuntimeException e) {
            source.stop();
            removeStaging(staging, e);
            throw e;
        } finally {
            source.stop();
        }
        source.reportEnd();
        return new RestoreResult(sha256, source.count(), extracted.files(), extracted.bytes());
    }

    /**
     * Restores below the S3 prefix {@code destPrefix}: each regular file of the tar is uploaded
     * as it streams to {@code destPrefix/.dr-staging/<runId>/<path>}, then, once the hash
     * matches, copied to {@code destPrefix/<path>}; the staged objects are deleted either way.
     * Objects under {@code destPrefix} that the archive does not hold are left alone.
     *
     * @param object the archive's bytes; the caller closes it
     * @param runId  names the staging prefix, so concurrent or crashed runs do not mix
     * @throws BackupRefused as {@link #toFolder}; {@code destPrefix} is then untouched
     * @throws StepFailure   when S3 fails; before the copy {@code destPrefix} is untouched, during
     *                       it the message says how far it got and that repeating the restore completes it
     */
    public static RestoreResult toS3(InputStream object, BackupObject expected, S3Objects s3, S3Uri destPrefix,
            String runId, ExtractLimits limits, LongConsumer progress) throws IOException, StepFailure {
        return new S3Restore(s3, destPrefix, runId).restore(object, expected, limits, progress);
    }

    /**
     * Reads the object to its end (a tar's end marker is not the end of the object, and the hash
     * must cover every byte), then compares its size and SHA-256 with metadata.json's.
     *
     * @return the SHA-256
     */
    static String verify(SourceStream source, BackupObject expected) throws IOException {
        source.drain(expected.size());
        if (!source.ended()) {
            throw new BackupRefused(expected.name() + ": more than " + expected.size() + " bytes, metadata.json says "
                    + expected.size());
        }
        if (source.count() != expected.size()) {
            throw new BackupRefused(expected.name() + ": " + source.count() + " bytes, metadata.json says "
                    + expected.size() + (source.count() < expected.size() ? " (truncated?)" : ""));
        }
        String sha256 = source.sha256();
        if (!sha256.equals(expected.sha256())) {
            throw new BackupRefused(expected.name() + ": sha256 " + sha256 + " does not match metadata.json's " + expected.sha256());
        }
        return sha256;
    }

    /**
     * The failure to report when reading the archive failed part way. A cut or altered object
     * breaks the decompressor before its hash can be compared; its size or hash mismatch says
     * better what is wrong with the backup. So when the object has already ended, or zstd found
     * it corrupt, the rest is read (no further than metadata.json's size) and compared first.
     * A refusal of the archive's content is reported as it is, and so is a failure to read the
     * object or to write the staging, which retrying may mend.
     */
    static IOException explain(SourceStream source, BackupObject expected, IOException failure) {
        if (failure instanceof BackupRefused || source.failed()) {
            return failure;
        }
        boolean corrupt = zstdFailure(failure);
        if (source.ended() || corrupt) {
            try {
                verify(source, expected);
            } catch (BackupRefused mismatch) {
                mismatch.addSuppressed(failure);
                return mismatch;
            } catch (IOException readFailure) {
                failure.addSuppressed(readFailure);
                return failure;
            }
        }
        if (failure instanceof ArchiveRefused) {
            return new BackupRefused(expected.name() + ": " + failure.getMessage(), failure);
        }
        if (corrupt) {
            // the bytes are the ones the backup job hashed: it wrote a broken archive
            return new BackupRefused(expected.name() + ": matches metadata.json, but is not a readable zstd stream: "
                    + failure.getMessage(), failure);
        }
        return failure;
    }

    private static boolean zstdFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ZstdIOException) {
                return true;
            }
        }
        return false;
    }

    private static void removeStaging(Path staging, Throwable failure) {
        try {
            if (Files.exists(staging)) {
                PathUtils.deleteDirectory(staging);
            }
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
