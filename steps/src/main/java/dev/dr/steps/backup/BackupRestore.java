package dev.dr.steps.backup;

import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Uri;
import dev.dr.step.StepFailure;
import dev.dr.steps.archive.ExtractLimits;
import dev.dr.steps.digest.Sha256;
import dev.dr.steps.k8s.ManifestCheck;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * What {@code backup.restore} reads, in its order: the contract checked, manifests.tar.zst
 * restored into a folder and checked as Kubernetes objects, state.tar.zst restored into its
 * destination. Applying the manifests to the namespace is left to the step, which reads them into
 * the Kubernetes client's model only then: a restore that does not apply them loads none of it.
 * The restore benchmark (bench/restore.sh) runs this same sequence.
 */
public final class BackupRestore {

    /**
     * @param objects   the manifests' Kubernetes objects, in file name order, as checked
     * @param stateTook from the state archive's GET to its move into place
     */
    public record Restored(ContractCheck contract, RestoreResult manifests, List<ManifestCheck.Document> objects,
            RestoreResult state, Duration stateTook) {
        public Restored {
            objects = List.copyOf(objects);
        }
    }

    /** Where progress of one archive goes: a consumer of its compressed bytes read so far. */
    @FunctionalInterface
    public interface Progress {
        LongConsumer of(String object, long totalBytes);
    }

    private BackupRestore() {}

    /**
     * Restores the backup at {@code backup}: nothing is read but metadata.json and the archives'
     * sizes until the contract holds.
     *
     * @param dest a folder, or an s3:// prefix
     * @throws StepFailure   permanent when the contract fails or a manifest is not one; when S3
     *                       fails, classified as {@link dev.dr.aws.S3Errors} classifies it
     * @throws BackupRefused when an archive's size or SHA-256 differ from metadata.json, or the
     *                       archive is refused; nothing of it is left in place
     * @throws IOException   when reading or writing fails; the destination is as it was
     */
    public static Restored run(S3Objects s3, S3Uri backup, Path manifestsDir, String dest, Progress progress,
            Consumer<String> log) throws StepFailure, IOException {
        ContractCheck c = BackupSteps.contract(s3, backup);
        Sha256.prepareFor(c.metadata().state().size()); // loads while the manifests are restored and parsed
        RestoreResult m;
        try (InputStream in = s3.open(backup.resolve(BackupMetadata.MANIFESTS))) {
            m = StreamedRestore.toFolder(in, c.metadata().manifests(), manifestsDir, ExtractLimits.backup(),
                    progress.of(BackupMetadata.MANIFESTS, c.metadata().manifests().size()));
        }
        log.accept("manifests.tar.zst verified (sha256 " + m.sha256() + "): " + m.files() + " files in " + manifestsDir);
        List<ManifestCheck.Document> objects = ManifestCheck.check(manifestsDir, "backup.restore " + BackupMetadata.MANIFESTS);

        long start = System.nanoTime();
        RestoreResult s;
        try (InputStream in = s3.open(backup.resolve(BackupMetadata.STATE))) {
            LongConsumer p = progress.of(BackupMetadata.STATE, c.metadata().state().size());
            s = dest.startsWith("s3://")
                    ? StreamedRestore.toS3(in, c.metadata().state(), s3, S3Uri.parse(dest), UUID.randomUUID().toString(),
                            ExtractLimits.backup(), p)
                    : StreamedRestore.toFolder(in, c.metadata().state(), Path.of(dest), ExtractLimits.backup(), p);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        log.accept("state.tar.zst verified (sha256 " + s.sha256() + "): " + s.files() + " files, " + s.bytes()
                + " bytes restored to " + dest + " in " + seconds(took));
        return new Restored(c, m, objects, s, took);
    }

    /** "2.1 s": a log's measure of time, not a receipt's. */
    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
