package dev.dr.steps.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkedGzipTest {
    @TempDir
    Path tmp;

    /** Text that compresses, with stretches of noise that do not: matches across the seams count. */
    static byte[] data(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b = new byte[size];
        String words = "candidate provider alert score weight threshold region primary standby ";
        for (int i = 0; i < size; i++) {
            b[i] = (i / 4096) % 5 == 3 ? (byte) r.nextInt() : (byte) words.charAt((i * 7 + r.nextInt(3)) % words.length());
        }
        return b;
    }

    static long crc(byte[] b, int off, int len) {
        CRC32 c = new CRC32();
        c.update(b, off, len);
        return c.getValue();
    }

    @Test
    void combinedCrcIsTheCrcOfTheJoinedBytes() {
        byte[] b = data(3 * 1024 * 1024 + 17, 1);
        for (int split : new int[] {0, 1, 31, 1000, 1 << 20, b.length - 1, b.length}) {
            long joined = ChunkedGzip.crc32Combine(crc(b, 0, split), crc(b, split, b.length - split), b.length - split);
            assertThat(joined).as("split at %d", split).isEqualTo(crc(b, 0, b.length));
        }
    }

    @Test
    void theBytesAreTheSameWhateverTheNumberOfThreads() throws Exception {
        byte[] b = data(ChunkedGzip.CHUNK * 3 + 12_345, 2);
        byte[] one = body(b, 1);
        assertThat(body(b, 3)).isEqualTo(one);
        assertThat(body(b, 4)).isEqualTo(one);
        assertThat(one.length).isLessThan(b.length * 7 / 10);
    }

    @Test
    void headAndBodyReadAsOneGzipMemberOfTheJoinedBytes() throws Exception {
        byte[] head = data(70_000, 3);
        for (int size : new int[] {0, 1, ChunkedGzip.CHUNK, ChunkedGzip.CHUNK * 2 + 5}) {
            byte[] bodyBytes = data(size, 4);
            byte[] gz = gzip(head, bodyBytes, 2);
            byte[] expected = concat(head, bodyBytes);
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
                assertThat(in.readAllBytes()).as("body of %d bytes, java.util.zip", size).isEqualTo(expected);
            }
            // commons-compress reads a single member unless told otherwise: it must be one
            try (InputStream in = new GzipCompressorInputStream(new ByteArrayInputStream(gz))) {
                assertThat(in.readAllBytes()).as("body of %d bytes, commons-compress", size).isEqualTo(expected);
            }
        }
    }

    @Test
    void theTrailerCarriesTheCrcOfTheWhole() throws Exception {
        byte[] head = data(1000, 5);
        byte[] bodyBytes = data(ChunkedGzip.CHUNK + 1000, 6);
        byte[] gz = gzip(head, bodyBytes, 2);
        gz[gz.length - 8] ^= 1; // the CRC's lowest byte
        assertThatThrownBy(() -> {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
                in.readAllBytes();
            }
        }).isInstanceOf(ZipException.class).hasMessage("Corrupt GZIP trailer");
    }

    private byte[] body(byte[] b, int threads) throws Exception {
        Path f = tmp.resolve("body-" + threads + "-" + System.nanoTime());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ChunkedGzip gz = new ChunkedGzip(6, pool, threads, ch);
            // written in uneven pieces, as a tar stream writes
            for (int off = 0; off < b.length; ) {
                int n = Math.min(b.length - off, 1 + (off % 70_001));
                gz.write(b, off, n);
                off += n;
            }
            gz.finish();
            assertThat(gz.total()).isEqualTo(b.length);
            assertThat(gz.crc()).isEqualTo(crc(b, 0, b.length));
        } finally {
            pool.shutdownNow();
        }
        return Files.readAllBytes(f);
    }

    private byte[] gzip(byte[] head, byte[] bodyBytes, int threads) throws Exception {
        byte[] body = body(bodyBytes, threads);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ChunkedGzip.header(6));
        out.write(ChunkedGzip.deflate(6, null, head, head.length, false));
        out.write(body);
        long crc = ChunkedGzip.crc32Combine(crc(head, 0, head.length), crc(bodyBytes, 0, bodyBytes.length), bodyBytes.length);
        out.write(ChunkedGzip.trailer(crc, head.length + (long) bodyBytes.length));
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
