package dev.dr.steps.backup;

import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Uri;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;

/** What the backup steps share: where the backup is, and its contract checked. */
final class BackupSteps {
    private BackupSteps() {}

    static S3Objects s3(StepContext ctx) {
        return S3Objects.forStep(ctx);
    }

    static S3Uri backupUri(StepContext ctx) throws StepFailure {
        String uri = ctx.setting("inputs.backupUri").filter(s -> !s.isBlank())
                .orElseThrow(() -> StepFailure.permanent("inputs.backupUri is empty: expected s3://<bucket>/<prefix>/backups/<backup_id>"));
        try {
            return S3Uri.parse(uri);
        } catch (IllegalArgumentException e) {
            throw StepFailure.permanent("inputs.backupUri: " + e.getMessage());
        }
    }

    /** The contract, or a permanent failure listing every problem: nothing is restored from a backup that breaks it. */
    static ContractCheck contract(S3Objects s3, S3Uri backup) throws StepFailure {
        try {
            return BackupContract.check(s3, backup).orRefuse();
        } catch (BackupRefused e) {
            throw StepFailure.permanent("backup " + backup + " refused: " + e.getMessage());
        }
    }

    /** "1.2 MiB" style sizes for logs and previews. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
