package dev.dr.bench;

import dev.dr.steps.bundle.Bundle;
import dev.dr.steps.bundle.BundleWriter;
import java.nio.file.Path;

/**
 * Benchmark main: BundleWriter.write of a control-plane folder, timed in the process. The git
 * SHA and time are those `dr bundle publish` records for a folder outside any git work tree
 * ("unknown", the epoch), so with the same image ref the SHA-256 equals the command's.
 *
 * <p>usage: BundleBench SOURCE ARCHIVE_OUT IMAGE_REF
 */
public final class BundleBench {
    private BundleBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: BundleBench SOURCE ARCHIVE_OUT IMAGE_REF");
            System.exit(2);
        }
        long t0 = System.nanoTime();
        Bundle b = BundleWriter.write(Path.of(args[0]), Path.of(args[1]), "unknown", args[2], "1970-01-01T00:00:00Z");
        long t1 = System.nanoTime();
        System.out.printf("in_process_ms=%d files=%d size=%d sha256=%s%n",
                (t1 - t0) / 1_000_000, b.manifest().fileCount(), b.size(), b.sha256());
    }
}
