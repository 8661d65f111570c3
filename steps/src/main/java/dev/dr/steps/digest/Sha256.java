package dev.dr.steps.digest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 for what dr hashes: backup archives, bundles and their files, plans and receipts.
 *
 * <p>The JDK's digest. Under the default tiered JIT, C2 compiles it with the JDK's SHA-256
 * intrinsics (the CPU's SHA instructions where it has them) and it hashes at 1–1.5 GB/s, as fast
 * as a native provider, which dr no longer loads (docs/performance.md, bench/sha256.sh). Under
 * C1 only it runs as Java code at ~100–150 MB/s: a command that hashes hundreds of MB wants the
 * tiered JIT. {@link #forStream} and {@link #forNext} say what a caller is about to hash; the
 * digest does not depend on it.
 */
public final class Sha256 {
    private Sha256() {}

    /** Nothing to prepare: the JDK's digest needs no loading. Kept for callers that announce a large hash. */
    public static void prepareFor(long bytes) {
        // the native provider this started loading is gone
    }

    /** A digest for a stream of about {@code bytes}. */
    public static MessageDigest forStream(long bytes) {
        return jdk();
    }

    /** A digest for the next of many hashes of one job (a bundle's files), after {@code hashedSoFar} bytes. */
    public static MessageDigest forNext(long hashedSoFar) {
        return jdk();
    }

    /** The JDK's SHA-256. */
    public static MessageDigest jdk() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Lower-case hex, as sha256sum prints it. */
    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
