package dev.dr.steps.backup;

import java.util.List;

/**
 * The outcome of checking a backup's objects against its metadata.json.
 *
 * @param metadata the parsed metadata.json
 * @param problems what is wrong, one message each, naming the object's s3:// URI; empty when
 *                 the backup may be restored
 */
public record ContractCheck(BackupMetadata metadata, List<String> problems) {
    public ContractCheck {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }

    /** Returns this check when it passed; otherwise refuses the restore with every problem, one per line. */
    public ContractCheck orRefuse() throws BackupRefused {
        if (!ok()) {
            throw new BackupRefused(String.join("\n", problems));
        }
        return this;
    }
}
