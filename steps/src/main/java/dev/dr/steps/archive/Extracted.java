package dev.dr.steps.archive;

import java.nio.file.Path;

/**
 * A finished extraction.
 *
 * @param root  the staging folder the entries were written into
 * @param files regular files and hard links written
 * @param bytes bytes of file content written
 */
public record Extracted(Path root, long files, long bytes) {}
