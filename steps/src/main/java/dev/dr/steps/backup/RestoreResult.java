package dev.dr.steps.backup;

/**
 * What a verified restore of one archive put in place.
 *
 * @param sha256          the archive's SHA-256, as checked against metadata.json
 * @param compressedBytes bytes read from the archive object
 * @param files           regular files restored
 * @param bytes           bytes of those files
 */
public record RestoreResult(String sha256, long compressedBytes, long files, long bytes) {}
