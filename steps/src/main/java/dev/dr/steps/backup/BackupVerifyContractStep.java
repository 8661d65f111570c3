package dev.dr.steps.backup;

import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Uri;
import dev.dr.step.Change;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import dev.dr.steps.DescribedStep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code backup.verify-contract}: the backup at {@code inputs.backupUri} holds metadata.json
 * (schema-checked), state.tar.zst and manifests.tar.zst of the sizes metadata.json gives. Put
 * it before the first step that changes anything, so that a broken backup refuses the restore
 * before any mutation.
 */
public final class BackupVerifyContractStep extends DescribedStep {
    public BackupVerifyContractStep() {
        super("backup.verify-contract");
    }

    @Override
    public Optional<List<Change>> preview(StepContext ctx) throws StepFailure {
        S3Uri backup = BackupSteps.backupUri(ctx);
        try (S3Objects s3 = BackupSteps.s3(ctx)) {
            ContractCheck c = BackupSteps.contract(s3, backup);
            List<Change> out = new ArrayList<>();
            out.add(new Change("unchanged", "read " + backup.resolve(BackupMetadata.METADATA) + " (backup "
                    + c.metadata().backupId() + ", created " + c.metadata().createdAt() + ")"));
            for (BackupObject o : c.metadata().archives()) {
                out.add(new Change("unchanged", "read " + backup.resolve(o.name()) + " (" + BackupSteps.size(o.size())
                        + ", sha256 " + o.sha256() + ")"));
            }
            return Optional.of(out);
        }
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailure {
        S3Uri backup = BackupSteps.backupUri(ctx);
        try (S3Objects s3 = BackupSteps.s3(ctx)) {
            ContractCheck c = BackupSteps.contract(s3, backup);
            Map<String, String> outputs = new LinkedHashMap<>();
            outputs.put("backup.uri", backup.toString());
            outputs.put("backup.id", c.metadata().backupId());
            for (BackupObject o : c.metadata().archives()) {
                ctx.log("contract: " + backup.resolve(o.name()) + " present, " + o.size() + " bytes as metadata.json says");
                outputs.put("backup." + o.name() + ".sha256", o.sha256());
            }
            return new StepResult(outputs);
        }
    }
}
