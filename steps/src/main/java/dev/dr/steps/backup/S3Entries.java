package dev.dr.steps.backup;

import static dev.dr.steps.archive.EntryRules.refused;

import dev.dr.steps.archive.ArchiveRefused;
import dev.dr.steps.archive.EntryRules;
import dev.dr.steps.archive.ExtractLimits;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * What a restore to S3 takes from an archive: the {@link EntryRules} every archive is held to,
 * and two of its own. Links are refused, since an S3 key cannot be one, and no entry may use the
 * prefix where the restore stages its objects.
 *
 * <p>One instance per archive: it counts entries and bytes as they pass.
 */
final class S3Entries {
    /** Where a restore to S3 stages objects below the destination prefix; no entry may use it. */
    static final String STAGING = ".dr-staging";

    private final EntryRules rules;

    S3Entries(ExtractLimits limits, LongSupplier compressedBytesRead) {
        this.rules = new EntryRules(limits, compressedBytesRead);
    }

    /**
     * Admits the next entry.
     *
     * @return the entry's path below the destination, {@code /}-separated; empty for a directory,
     *         which S3 does not need
     */
    Optional<String> admit(TarArchiveEntry e) throws ArchiveRefused {
        String name = e.getName();
        String rel = rules.name(e);
        if (e.isSymbolicLink() || e.isLink()) {
            throw refused(name, (e.isLink() ? "hard link" : "symlink") + " to " + e.getLinkName()
                    + ": links cannot be restored to S3");
        }
        if (rel.equals(STAGING) || rel.startsWith(STAGING + "/")) {
            throw refused(name, STAGING + " is where the restore stages objects");
        }
        if (!rules.claim(e, rel) || e.isDirectory()) {
            return Optional.empty();
        }
        EntryRules.requireRegular(e);
        // refused before any of it is uploaded: the header says how big it is
        rules.reserve(name, e.getRealSize());
        return Optional.of(rel);
    }

    /** The current entry's bytes, counted against the limits as they pass (see {@link EntryRules#body}). */
    InputStream body(InputStream tar, String name) {
        return rules.body(tar, name);
    }

    /** Bytes of file content passed so far. */
    long written() {
        return rules.written();
    }

    /** Reads what follows the end-of-archive marker, so the decompressor reaches its end and checks its frame. */
    void drain(InputStream decompressed) throws IOException {
        rules.drain(decompressed);
    }
}
