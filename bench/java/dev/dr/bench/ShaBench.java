package dev.dr.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.Provider;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Benchmark main: SHA-256 throughput of one provider in this JVM (run it under the JIT options to
 * compare). {@code jdk} is the JDK's MessageDigest; {@code accp} the Amazon Corretto Crypto
 * Provider (which must be on the class path), loaded as dr loaded it (its INSTANCE, its loading
 * error checked, a first digest), and that load timed.
 *
 * <p>{@code mem}: hashes MB of random bytes ROUNDS times in 128 KiB updates (a stream's chunks)
 * and prints each round's MB/s: the first round is cold (the JIT has not compiled the digest
 * yet), the median of the others warm. {@code file}: hashes one file once, read in 128 KiB
 * chunks as a restore reads its object, and prints the time and the hash.
 *
 * <p>usage: ShaBench jdk|accp mem MB ROUNDS  |  ShaBench jdk|accp file PATH
 */
public final class ShaBench {
    private static final int CHUNK = 128 << 10;

    private ShaBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || !(args[0].equals("jdk") || args[0].equals("accp"))
                || !(args[1].equals("mem") && args.length == 4 || args[1].equals("file") && args.length == 3)) {
            System.err.println("usage: ShaBench jdk|accp mem MB ROUNDS  |  ShaBench jdk|accp file PATH");
            System.exit(2);
        }
        long t0 = System.nanoTime();
        Provider p = args[0].equals("accp") ? accp() : MessageDigest.getInstance("SHA-256").getProvider();
        long loadMs = (System.nanoTime() - t0) / 1_000_000;
        if (args[1].equals("file")) {
            file(p, Path.of(args[2]), loadMs);
        } else {
            mem(p, Integer.parseInt(args[2]), Integer.parseInt(args[3]), loadMs);
        }
    }

    private static void mem(Provider p, int mb, int rounds, long loadMs) throws Exception {
        byte[] data = new byte[mb << 20];
        new SplittableRandom(1).nextBytes(data);
        double[] mbs = new double[rounds];
        byte[] first = null;
        for (int r = 0; r < rounds; r++) {
            long t = System.nanoTime();
            MessageDigest md = MessageDigest.getInstance("SHA-256", p);
            for (int off = 0; off < data.length; off += CHUNK) {
                md.update(data, off, Math.min(CHUNK, data.length - off));
            }
            byte[] d = md.digest();
            mbs[r] = data.length / 1e6 / ((System.nanoTime() - t) / 1e9);
            if (first == null) {
                first = d;
            } else if (!Arrays.equals(first, d)) {
                throw new IllegalStateException("round " + r + " gave another hash");
            }
        }
        double[] warm = Arrays.copyOfRange(mbs, 1, rounds);
        Arrays.sort(warm);
        System.out.printf("provider=%s load_ms=%d cold_mb_s=%.0f warm_mb_s=%.0f rounds=%s sha256=%s%n", p.getName(), loadMs, mbs[0],
                warm.length == 0 ? mbs[0] : warm[warm.length / 2], Arrays.toString(Arrays.stream(mbs).mapToLong(Math::round).toArray()),
                HexFormat.of().formatHex(first));
    }

    private static void file(Provider p, Path f, long loadMs) throws IOException, java.security.NoSuchAlgorithmException {
        long t = System.nanoTime();
        MessageDigest md = MessageDigest.getInstance("SHA-256", p);
        long n = 0;
        try (FileChannel in = FileChannel.open(f, StandardOpenOption.READ)) {
            ByteBuffer bb = ByteBuffer.allocate(CHUNK);
            while (in.read(bb.clear()) >= 0) {
                md.update(bb.array(), 0, bb.position());
                n += bb.position();
            }
        }
        long ms = (System.nanoTime() - t) / 1_000_000;
        System.out.printf("provider=%s load_ms=%d hash_ms=%d mb_s=%.0f sha256=%s%n", p.getName(), loadMs, ms, n / 1e3 / Math.max(1, ms),
                HexFormat.of().formatHex(md.digest()));
    }

    /** The provider as dr's Sha256 loaded it, by name, so this compiles without it. */
    private static Provider accp() throws Exception {
        Class<?> c = Class.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider");
        Provider p = (Provider) c.getField("INSTANCE").get(null);
        Throwable error = (Throwable) c.getMethod("getLoadingError").invoke(p);
        if (error != null) {
            throw new IllegalStateException("native library not loaded", error);
        }
        MessageDigest.getInstance("SHA-256", p).digest("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return p;
    }
}
