package dev.dr.steps.backup;

/**
 * One archive of a backup as metadata.json describes it.
 *
 * @param name   the object's name in the backup, e.g. {@code state.tar.zst}
 * @param sha256 the SHA-256 of its bytes, 64 lower-case hex digits
 * @param size   its size in bytes
 */
public record BackupObject(String name, String sha256, long size) {
    public BackupObject {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a backup object needs a name");
        }
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(name + ": sha256 must be 64 lower-case hex digits, was " + sha256);
        }
        if (size < 0) {
            throw new IllegalArgumentException(name + ": size must be >= 0, was " + size);
        }
    }
}
