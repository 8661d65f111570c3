package dev.dr.steps.digest;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * SHA-256 for the large things dr hashes: backup archives, bundles and their files.
 *
 * <p>dr's JVM runs C1 only, for the start-up of the preview, and C1 has none of the JDK's SHA
 * intrinsics: its SHA-256 runs as Java code at ~85 MB/s, the slowest part of a restore. The
 * Amazon Corretto Crypto Provider (AWS-LC, with the CPU's SHA instructions) hashes at ~1 GB/s
 * but costs ~0.4 s of CPU to load (its native library, its self-test), so it is loaded once per
 * process, on a thread of its own, and only when something large is about to be hashed: never
 * for a preview's small bundle, a plan or a receipt. It is used for SHA-256 only and never
 * installed as a security provider, so TLS and everything else stay on the JDK's. Where it
 * cannot load (the native library on dr's class path is Linux x86-64's) the JDK's digest is
 * used: the same bytes give the same hash either way, only slower.
 */
public final class Sha256 {
    /**
     * From this many bytes on, {@link #forStream} waits for the native digest: the JDK's hashes
     * 32 MiB in about the time the native one takes to load.
     */
    public static final long NATIVE_FROM = 32L << 20;
    /** A job of many hashes (a bundle's files) starts loading the native digest once it has hashed this much. */
    public static final long LOAD_AFTER = 8L << 20;
    /** How long a hash waits for the native digest to load before it takes the JDK's. */
    static final Duration LOAD_WAIT = Duration.ofSeconds(10);

    /** The load: run at most once per process (see {@link Starter}); what it yields never changes after. */
    private static final FutureTask<Optional<Provider>> LOAD = new FutureTask<>(() -> load(() -> Accp.provider()));

    private Sha256() {}

    /**
     * Starts loading the native digest in the background when {@code bytes} are about to be
     * hashed and that is at least {@link #NATIVE_FROM}; returns at once. Call it as soon as the
     * size is known, so the load overlaps other work.
     */
    public static void prepareFor(long bytes) {
        if (bytes >= NATIVE_FROM) {
            Starter.start();
        }
    }

    /**
     * A digest for a stream of about {@code bytes}: from {@link #NATIVE_FROM} on the native one,
     * waiting for it to load (and starting the load when needed); below, as {@link #forNext}(0).
     */
    public static MessageDigest forStream(long bytes) {
        if (bytes < NATIVE_FROM) {
            return forNext(0);
        }
        Starter.start();
        return create(loaded());
    }

    /**
     * A digest for the next of many hashes of one job (a bundle's files), after
     * {@code hashedSoFar} bytes: the native one once it has loaded, else the JDK's; never waits.
     * From {@link #LOAD_AFTER} bytes on, it starts the load for the hashes to come.
     */
    public static MessageDigest forNext(long hashedSoFar) {
        if (hashedSoFar >= LOAD_AFTER) {
            Starter.start();
        }
        return LOAD.isDone() ? create(loaded()) : jdk();
    }

    /** The JDK's SHA-256. */
    public static MessageDigest jdk() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Whether the native digest loads in this process; starts the load and waits for it. For reports and benchmarks. */
    public static boolean nativeAvailable() {
        Starter.start();
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
                // it had SHA-256 when it loaded; should that change, the JDK's is as good
            }
        }
        return jdk();
    }

    /**
     * The load's result, waiting for it; a load that has not finished within {@link #LOAD_WAIT}
     * (it takes well under a second) counts as failed for this caller, so a hash never waits on
     * a stuck native library.
     */
    private static Optional<Provider> loaded() {
        return await(LOAD, LOAD_WAIT);
    }

    /** What {@code load} gave within {@code wait}; empty when it failed, took longer or the wait was interrupted. */
    static Optional<Provider> await(Future<Optional<Provider>> load, Duration wait) {
        try {
            return load.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException e) {
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
            String abc = hex(md.digest("abc".getBytes(StandardCharsets.US_ASCII)));
            return abc.equals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
                    ? Optional.of(p) : Optional.empty();
        } catch (RuntimeException | LinkageError | NoSuchAlgorithmException e) {
            return Optional.empty();
        }
    }

    /**
     * Everything that names the provider's classes. Apart from this class, so that the JVM does
     * not load the provider's class (from a signed jar, whose signature it then checks) while it
     * verifies Sha256 itself on a path that never loads the native digest, such as a preview.
     */
    private static final class Accp {
        static Provider provider() {
            // The provider logs a failure to load its library on stderr (java.util.logging),
            // among dr's own messages; the fallback says nothing, as nothing changes but the
            // speed. Its loader holds the same logger from here on, so the level stays.
            Logger log = Logger.getLogger("AmazonCorrettoCryptoProvider");
            log.setLevel(Level.OFF);
            AmazonCorrettoCryptoProvider p = AmazonCorrettoCryptoProvider.INSTANCE;
            if (p.getLoadingError() != null) {
                throw new IllegalStateException("native library not loaded", p.getLoadingError());
            }
            return p;
        }
    }

    /** Runs the load on a thread of its own the first time {@link #start} is called: a class is initialized once. */
    private static final class Starter {
        static {
            Thread t = new Thread(LOAD, "dr-sha256-load");
            t.setDaemon(true);
            t.start();
        }

        static void start() {
            // initializing this class started the thread
        }
    }
}
