package dev.dr.steps.backup;

import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Uri;
import dev.dr.step.StepFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a backup must hold before a restore may start: a valid metadata.json and both archives,
 * each of the size metadata.json records. Only sizes can be checked up front; the SHA-256 is
 * checked by {@link StreamedRestore} while the archive streams, before anything is moved into place.
 */
public final class BackupContract {

    static final String HOLDS = "a backup holds metadata.json, state.tar.zst and manifests.tar.zst";

    private BackupContract() {}

    /**
     * Reads {@code backupUri/metadata.json} and HEADs both archives.
     *
     * @throws BackupRefused when metadata.json is missing or invalid: nothing else can be checked then
     * @throws StepFailure   when S3 cannot be read
     */
    public static ContractCheck check(S3Objects s3, S3Uri backupUri) throws BackupRefused, StepFailure {
        S3Uri metadataUri = backupUri.resolve(BackupMetadata.METADATA);
        Optional<byte[]> json = s3.readSmall(metadataUri);
        if (json.isEmpty()) {
            throw new BackupRefused(metadataUri + ": missing; " + HOLDS);
        }
        BackupMetadata metadata = BackupMetadata.parse(json.get(), metadataUri.toString());
        Map<String, Optional<Long>> sizes = new LinkedHashMap<>();
        for (BackupObject o : metadata.archives()) {
            sizes.put(o.name(), s3.size(backupUri.resolve(o.name())));
        }
        return check(metadata, backupUri, sizes);
    }

    /**
     * The check on sizes already looked up.
     *
     * @param sizes each archive's size in S3 by object name, empty when the object is missing
     */
    public static ContractCheck check(BackupMetadata metadata, S3Uri backupUri, Map<String, Optional<Long>> sizes) {
        List<String> problems = new ArrayList<>();
        if (!metadata.backupId().equals(backupUri.name())) {
            // a metadata.json copied from another backup would vouch for the wrong archives
            problems.add(backupUri.resolve(BackupMetadata.METADATA) + ": backup_id is '" + metadata.backupId()
                    + "', but the backup is at " + backupUri + "; a backup lives at .../backups/<backup_id>");
        }
        for (BackupObject o : metadata.archives()) {
            S3Uri uri = backupUri.resolve(o.name());
            Optional<Long> size = sizes.getOrDefault(o.name(), Optional.empty());
            if (size.isEmpty()) {
                problems.add(uri + ": missing; " + HOLDS);
            } else if (size.get() != o.size()) {
                problems.add(uri + ": " + size.get() + " bytes, metadata.json says " + o.size()
                        + (size.get() < o.size() ? " (truncated?)" : ""));
            }
        }
        return new ContractCheck(metadata, problems);
    }
}
