package dev.dr.steps.backup;

import com.github.luben.zstd.ZstdInputStream;
import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Uri;
import dev.dr.step.StepFailure;
import dev.dr.steps.archive.ExtractLimits;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * One restore of an archive below an S3 prefix (see {@link StreamedRestore#toS3}). S3 has no
 * rename, so the verified staging is copied object by object; until the hash matches nothing
 * but the staging prefix is written.
 */
final class S3Restore {
    private final S3Objects s3;
    private final S3Uri destPrefix;
    private final S3Uri staging;
    private final List<String> staged = new ArrayList<>();

    S3Restore(S3Objects s3, S3Uri destPrefix, String runId) {
        if (runId == null || !runId.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("run id '" + runId + "' cannot name a staging prefix"
                    + " (letters, digits, dots, dashes and underscores)");
        }
        this.s3 = s3;
        this.destPrefix = destPrefix;
        this.staging = destPrefix.resolve(S3Entries.STAGING).resolve(runId);
    }

    RestoreResult restore(InputStream object, BackupObject expected, ExtractLimits limits, LongConsumer progress)
            throws IOException, StepFailure {
        SourceStream source = new SourceStream(object, expected.size(), progress);
        S3Entries rules = new S3Entries(limits, source::count);
        String sha256;
        try {
            // decompressing on a thread of its own (see StreamedRestore.toFolder)
            try (ZstdInputStream zstd = new ZstdInputStream(source);
                    ReadAhead decompressed = new ReadAhead(zstd, "dr-restore-zstd", null);
                    TarArchiveInputStream tar = new TarArchiveInputStream(decompressed)) {
                for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                    Optional<String> path = rules.admit(e);
                    if (path.isPresent()) {
                        stage(path.get(), rules.body(tar, e.getName()), e.getRealSize(), e.getName());
                    }
                }
                rules.drain(decompressed);
            } catch (IOException e) {
                throw StreamedRestore.explain(source, expected, e);
            }
            sha256 = StreamedRestore.verify(source, expected);
        } catch (IOException | StepFailure | RuntimeException e) {
            source.stop();
            unstage(e);
            throw e;
        } finally {
            source.stop();
        }
        promote();
        source.reportEnd();
        return new RestoreResult(sha256, source.count(), staged.size(), rules.written());
    }

    private void stage(String path, InputStream body, long size, String entry) throws IOException, StepFailure {
        staged.add(path); // before the upload: a failed one may still have left an object
        EntryUpload.upload(s3, staging.resolve(path), body, size, entry);
    }

    /** Copies the verified objects into place, then deletes the staging. */
    private void promote() throws StepFailure {
        int copied = 0;
        try {
            for (String path : staged) {
                s3.copy(staging.resolve(path), destPrefix.resolve(path));
                copied++;
            }
        } catch (StepFailure f) {
            unstage(f);
            throw new StepFailure(f.errorClass(), f.getMessage() + "; " + copied + " of " + staged.size()
                    + " verified objects were copied to " + destPrefix + " before; restoring again completes it", f);
        }
        for (String path : staged) {
            s3.delete(staging.resolve(path));
        }
    }

    /** Deletes what was staged; failures to delete are added to {@code failure}, which is reported. */
    private void unstage(Throwable failure) {
        for (String path : staged) {
            try {
                s3.delete(staging.resolve(path));
            } catch (StepFailure e) {
                failure.addSuppressed(e);
            }
        }
    }
}
