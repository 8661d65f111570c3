package dev.dr.steps.digest;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * SHA-256 for the large things dr hashes: backup archives, bundles and their files.
 *
 * <p>dr's JVM runs C1 only, for the start-up of the preview, and C1 has none of the JDK's SHA
 * intrinsics: its SHA-256 runs as Java code at ~85 MB/s, the slowest part of a restore. The
 * Amazon Corretto Crypto Provider (AWS-LC, with the CPU's SHA instructions) hashes at ~1 GB/s
 * but costs ~0.4 s to load (its native library, its self-test), so it is loaded once per
 * process, on a thread of its own, when something large is about to be hashed. It is used for
 * SHA-256 only and never installed as a security provider, so TLS and everything else stay
 * on the JDK's. Where it cannot load (its native library is built for Linux on x86-64 here) the
 * JDK's digest is used: the same bytes give the same hash either way, only slower.
 */
public final class Sha256 {
    /**
     * From this many bytes on, {@link #forStream} waits for the native digest: the JDK's hashes
     * 32 MiB in about the time the native one takes to load.
     */
    public static final long NATIVE_FROM = 32L << 20;

    private Sha256() {}

    /** Starts loading the native digest in the background, once per process; returns at once. */
    public static void startLoading() {
        Native.LOAD.isDone(); // touching the holder starts its thread
    }

    /** The JDK's SHA-256. */
    public static MessageDigest jdk() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The native SHA-256 when it has loaded already, else the JDK's; never waits. */
    public static MessageDigest fast() {
        return Native.LOAD.isDone() ? create(loaded()) : jdk();
    }

    /**
     * A digest for a stream of about {@code bytes}: from {@link #NATIVE_FROM} on, the native one,
     * waiting for it to load (and starting the load when needed); the JDK's below, or where the
     * native one is not available.
     */
    public static MessageDigest forStream(long bytes) {
        return bytes >= NATIVE_FROM ? create(loaded()) : fast();
    }

    /** Whether the native digest loaded in this process; waits for the load. For reports and benchmarks. */
    public static boolean nativeAvailable() {
        return loaded().isPresent();
    }

    /** Lower-case hex, as sha256sum prints it. */
    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    private static MessageDigest create(Optional<Provider> provider) {
        if (provider.isPresent()) {
            try {
                return MessageDigest.getInstance("SHA-256", provider.get());
            } catch (NoSuchAlgorithmException e) {
                // checked when loaded; falls through to the JDK's
            }
        }
        return jdk();
    }

    private static Optional<Provider> loaded() {
        try {
            return Native.LOAD.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.empty();
        }
    }

    /**
     * The provider from {@code supplier}, when it loaded its native code and gives the right
     * SHA-256 of a known input; empty otherwise, whatever went wrong (no native library for
     * this platform, a library that cannot be written or linked, a failed self-test).
     */
    static Optional<Provider> load(Supplier<Provider> supplier) {
        try {
            Provider p = supplier.get();
            MessageDigest md = MessageDigest.getInstance("SHA-256", p);
            // FIPS 180-2, appendix B.1
            String abc = hex(md.digest("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            return abc.equals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
                    ? Optional.of(p) : Optional.empty();
        } catch (RuntimeException | LinkageError | NoSuchAlgorithmException e) {
            return Optional.empty();
        }
    }

    /**
     * The load, started the first time this class is touched. The task is run once; what it
     * holds is set once and never changes after.
     */
    private static final class Native {
        /**
         * The provider logs a failure to load its library on stderr (java.util.logging), which
         * would land among dr's own messages; the fallback says nothing, as nothing changes
         * but the speed. Held here so the setting outlives the load.
         */
        private static final Logger PROVIDER_LOG = Logger.getLogger("AmazonCorrettoCryptoProvider");
        static final FutureTask<Optional<Provider>> LOAD = new FutureTask<>(() -> load(Native::accp));

        static {
            PROVIDER_LOG.setLevel(Level.OFF);
            Thread t = new Thread(LOAD, "dr-sha256-load");
            t.setDaemon(true);
            t.start();
        }

        private static Provider accp() {
            AmazonCorrettoCryptoProvider p = AmazonCorrettoCryptoProvider.INSTANCE;
            if (p.getLoadingError() != null) {
                throw new IllegalStateException("native library not loaded", p.getLoadingError());
            }
            return p;
        }
    }
}
