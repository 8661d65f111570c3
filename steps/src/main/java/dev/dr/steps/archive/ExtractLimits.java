package dev.dr.steps.archive;

/**
 * What an archive may expand to before {@link SafeExtract} refuses it: a bomb (millions of
 * empty entries, or a few KiB that inflate to terabytes) fails fast instead of filling the disk.
 *
 * @param maxEntries entries of any kind, directories and links included
 * @param maxBytes   bytes of file content written, summed over all files
 * @param maxRatio   bytes written per compressed byte read, checked once 1 MiB has been written
 */
public record ExtractLimits(long maxEntries, long maxBytes, long maxRatio) {
    public ExtractLimits {
        if (maxEntries <= 0 || maxBytes <= 0 || maxRatio <= 0) {
            throw new IllegalArgumentException("extract limits must be positive: " + maxEntries + " entries, "
                    + maxBytes + " bytes, ratio " + maxRatio);
        }
    }

    /** A control-plane bundle: a few thousand small text files, compressing maybe 10×. */
    public static ExtractLimits bundle() {
        return new ExtractLimits(100_000, 1L << 30, 100);
    }

    /** A backup: large trees, and sparse or zero-filled database files compress very well. */
    public static ExtractLimits backup() {
        return new ExtractLimits(10_000_000, 2L << 40, 1000);
    }
}
