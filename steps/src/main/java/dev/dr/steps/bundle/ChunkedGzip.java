package dev.dr.steps.bundle;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Deflates a stream in fixed chunks on several threads, as pigz does, into one raw deflate
 * stream: each chunk is compressed by a fresh {@link Deflater} primed with the 32 KiB before
 * it and ends with a sync flush, so the chunks joined in order decode as one stream. The
 * output depends only on the bytes, the level and {@link #CHUNK}, never on the number of
 * threads or their timing, so the archive stays byte-identical from run to run.
 *
 * <p>Written bytes become the body of a gzip member whose start, a {@link #head} compressed
 * later, goes in front of it: the bundle's manifest can only be written once every file has
 * been hashed, yet must come first in the archive. The head's chunk has no dictionary and the
 * body's first neither, so neither refers to the other's bytes; CRC-32s are joined with
 * {@link #crc32Combine}.
 */
final class ChunkedGzip extends OutputStream {
    /** Uncompressed bytes per chunk: large enough that the lost matches at the seams cost little (~0.1 %). */
    static final int CHUNK = 1 << 20;
    private static final int DICT = 32 * 1024;

    private final int level;
    private final ExecutorService pool;
    private final FileChannel bodyOut;
    /** Chunks handed to the pool and not yet written, oldest first. */
    private final Deque<Future<byte[]>> pending = new ArrayDeque<>();
    private final int window;
    private final CRC32 crc = new CRC32();
    private byte[] buf = new byte[CHUNK];
    private int len;
    private byte[] dict;
    private long total;
    private boolean finished;

    /**
     * @param bodyOut where the compressed body goes, in order
     * @param threads how many chunks may be compressed at once; the memory held is about twice
     *                this many chunks, whatever the size of the stream
     */
    ChunkedGzip(int level, ExecutorService pool, int threads, FileChannel bodyOut) {
        this.level = level;
        this.pool = pool;
        this.window = Math.max(1, threads) * 2;
        this.bodyOut = bodyOut;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int n) throws IOException {
        if (finished) {
            throw new IOException("the compressed body is finished");
        }
        crc.update(b, off, n);
        total += n;
        while (n > 0) {
            int take = Math.min(n, CHUNK - len);
            System.arraycopy(b, off, buf, len, take);
            len += take;
            off += take;
            n -= take;
            if (len == CHUNK) {
                submit(false);
            }
        }
    }

    /** Uncompressed bytes written so far. */
    long total() {
        return total;
    }

    /** Compresses what is left as the stream's last block and waits until the body is written. */
    void finish() throws IOException {
        if (!finished) {
            submit(true);
            finished = true;
            while (!pending.isEmpty()) {
                writeOldest();
            }
        }
    }

    /** CRC-32 of the body's uncompressed bytes; after {@link #finish()}. */
    long crc() {
        return crc.getValue();
    }

    /** Cancels chunks still queued; for a write that failed. */
    void abandon() {
        pending.forEach(f -> f.cancel(true));
        pending.clear();
    }

    private void submit(boolean last) throws IOException {
        byte[] chunk = buf;
        int n = len;
        byte[] prime = dict;
        if (!last) {
            dict = Arrays.copyOfRange(chunk, n - DICT, n);
            buf = new byte[CHUNK];
            len = 0;
        }
        pending.add(pool.submit(() -> deflate(level, prime, chunk, n, last)));
        while (pending.size() > window) {
            writeOldest();
        }
    }

    private void writeOldest() throws IOException {
        byte[] out;
        try {
            out = pending.removeFirst().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing the bundle");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("compressing the bundle failed", e.getCause());
        }
        ByteBuffer bb = ByteBuffer.wrap(out);
        while (bb.hasRemaining()) {
            bodyOut.write(bb);
        }
    }

    /**
     * One chunk as raw deflate: primed with {@code dict} when not null, ending with a sync
     * flush (byte-aligned, not final) or, for the {@code last}, with the final block.
     */
    static byte[] deflate(int level, byte[] dict, byte[] data, int len, boolean last) {
        Deflater d = new Deflater(level, true);
        try {
            if (dict != null) {
                d.setDictionary(dict);
            }
            d.setInput(data, 0, len);
            if (last) {
                d.finish();
            }
            byte[] out = new byte[Math.max(1024, len / 2)];
            int size = 0;
            while (true) {
                if (size == out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                int n = d.deflate(out, size, out.length - size, last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
                size += n;
                // done when the final block is out, or the flush fit with room to spare
                if (last ? d.finished() : size < out.length && d.needsInput()) {
                    return Arrays.copyOf(out, size);
                }
            }
        } finally {
            d.end();
        }
    }

    /** The 10 bytes of a gzip header with no name, mtime 0 and OS "unknown", as gzip -n writes them. */
    static byte[] header(int level) {
        byte xfl = (byte) (level == Deflater.BEST_COMPRESSION ? 2 : level == Deflater.BEST_SPEED ? 4 : 0);
        return new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, xfl, (byte) 0xff};
    }

    /** The gzip trailer: CRC-32 and length modulo 2^32 of the uncompressed bytes, little-endian. */
    static byte[] trailer(long crc, long length) {
        byte[] t = new byte[8];
        for (int i = 0; i < 4; i++) {
            t[i] = (byte) (crc >>> (8 * i));
            t[4 + i] = (byte) (length >>> (8 * i));
        }
        return t;
    }

    private static final int POLY = 0xedb88320; // CRC-32's polynomial, bit-reflected

    /**
     * The CRC-32 of {@code a} followed by {@code b}, from their CRC-32s and the length of
     * {@code b}: {@code crcA} times x^(8·lenB) modulo the polynomial, plus {@code crcB}
     * (the pre- and post-inversion cancel out in the sum).
     */
    static long crc32Combine(long crcA, long crcB, long lenB) {
        int x = 1 << 31; // x^0 in reflected order
        int power = 1 << 30; // x^1, squared each step: x^(2^k)
        for (long n = lenB * 8; n != 0; n >>>= 1) {
            if ((n & 1) != 0) {
                x = multiply(x, power);
            }
            power = multiply(power, power);
        }
        return (multiply(x, (int) crcA) ^ (int) crcB) & 0xffffffffL;
    }

    /** a·b modulo the polynomial, both bit-reflected. */
    private static int multiply(int a, int b) {
        int product = 0;
        for (int bit = 1 << 31; bit != 0; bit >>>= 1) {
            if ((a & bit) != 0) {
                product ^= b;
            }
            b = (b & 1) != 0 ? (b >>> 1) ^ POLY : b >>> 1;
        }
        return product;
    }
}
