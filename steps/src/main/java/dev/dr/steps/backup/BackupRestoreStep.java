package dev.dr.steps.backup;

import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Uri;
import dev.dr.step.Change;
import dev.dr.step.ErrorClass;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import dev.dr.steps.DescribedStep;
import dev.dr.steps.k8s.Manifests;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * {@code backup.restore}: manifests.tar.zst is streamed and hash-checked into the work folder;
 * state.tar.zst is streamed through SHA-256, zstd and tar into the state destination (a folder,
 * or an s3:// prefix), moved into place only once its hash matches; then the manifests are
 * applied to the namespace. Neither archive is ever held whole in memory or on disk.
 */
public final class BackupRestoreStep extends DescribedStep {
    public BackupRestoreStep() {
        super("backup.restore");
    }

    @Override
    public Optional<List<Change>> preview(StepContext ctx) throws StepFailure {
        S3Uri backup = BackupSteps.backupUri(ctx);
        try (S3Objects s3 = BackupSteps.s3(ctx)) {
            ContractCheck c = BackupSteps.contract(s3, backup);
            String ns = ctx.setting("target.namespace").orElse("");
            return Optional.of(List.of(
                    new Change("unknown", "objects of " + backup.resolve(BackupMetadata.MANIFESTS) + " in namespace " + ns
                            + " (" + BackupSteps.size(c.metadata().manifests().size()) + " compressed; known once extracted)"),
                    new Change("update", "state at " + destination(ctx) + " from " + backup.resolve(BackupMetadata.STATE)
                            + " (" + BackupSteps.size(c.metadata().state().size()) + " compressed, sha256 "
                            + c.metadata().state().sha256() + ")")));
        }
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailure, InterruptedException {
        S3Uri backup = BackupSteps.backupUri(ctx);
        try (S3Objects s3 = BackupSteps.s3(ctx)) {
            String dest = destination(ctx);
            Path manifests = ctx.workDir().resolve("backup").resolve("manifests");
            BackupRestore.Restored r = BackupRestore.run(s3, backup, manifests, dest, (name, total) -> progress(ctx, name, total),
                    ctx::log);
            RestoreResult s = r.state();
            // checked by BackupRestore.run before the state was restored; read into the Kubernetes
            // client's model only now, to apply
            String label = "backup.restore " + BackupMetadata.MANIFESTS;
            int applied = Manifests.apply(ctx, Manifests.loadChecked(manifests, label), label);
            Map<String, String> outputs = new LinkedHashMap<>();
            outputs.put("backup.uri", backup.toString());
            outputs.put("state.destination", dest);
            outputs.put("state.sha256", s.sha256());
            outputs.put("state.files", Long.toString(s.files()));
            outputs.put("state.bytes", Long.toString(s.bytes()));
            outputs.put("manifests.applied", Integer.toString(applied));
            return new StepResult(outputs);
        } catch (BackupRefused | dev.dr.steps.archive.ArchiveRefused e) {
            throw StepFailure.permanent("backup " + backup + " refused: " + e.getMessage());
        } catch (java.io.InterruptedIOException e) {
            throw new InterruptedException("restore interrupted: " + e.getMessage());
        } catch (IOException e) {
            throw new StepFailure(ErrorClass.UNAVAILABLE, "backup.restore from " + backup + ": " + e.getMessage(), e);
        }
    }

    /** with.stateDestination, or the folder {@code backup/state} of the run's work folder. */
    static String destination(StepContext ctx) {
        String d = ctx.with().path("stateDestination").asString("");
        return d.isBlank() ? ctx.workDir().resolve("backup").resolve("state").toAbsolutePath().toString() : d;
    }

    private static LongConsumer progress(StepContext ctx, String name, long total) {
        return bytes -> ctx.progress(name + ": " + BackupSteps.size(bytes) + " of " + BackupSteps.size(total)
                + " (" + bytes + " bytes)");
    }
}
