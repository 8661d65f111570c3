package dev.dr.steps.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.LongSupplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.commons.io.input.BoundedInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bombs, truncated and corrupt streams, interrupts: refused, and nothing left behind. */
class SafeExtractLimitsTest {
    static final int MIB = 1 << 20;

    @TempDir
    Path tmp;

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    Path staging() {
        return tmp.resolve("staging");
    }

    Extracted extract(InputStream tar, ExtractLimits limits, LongSupplier compressed) throws IOException {
        return SafeExtract.extract(tar, staging(), limits, compressed);
    }

    void assertRefused(InputStream tar, ExtractLimits limits, LongSupplier compressed, String message) {
        assertThatThrownBy(() -> extract(tar, limits, compressed)).isInstanceOf(ArchiveRefused.class).hasMessage(message);
        assertThat(staging()).doesNotExist();
    }

    static InputStream in(byte[] bytes) {
        return new ByteArrayInputStream(bytes);
    }

    @Test
    void moreEntriesThanTheLimitAreRefused() {
        byte[] tar = new TarBuilder().file("a", "1").dir("b").file("c", "3").build();
        assertRefused(in(tar), new ExtractLimits(2, MIB, 100), () -> Long.MAX_VALUE, "entry c: more than 2 entries, the limit");
    }

    @Test
    void moreBytesThanTheLimitAreRefusedBeforeWriting() {
        byte[] tar = new TarBuilder().file("small", "12345").file("big", "123456").build();
        assertRefused(in(tar), new ExtractLimits(10, 10, 100), () -> Long.MAX_VALUE,
                "entry big: the archive expands to more than 10 bytes, the limit");
    }

    @Test
    void exactlyTheByteLimitIsAllowed() throws IOException {
        byte[] tar = new TarBuilder().file("small", "12345").file("big", "12345").build();
        assertThat(extract(in(tar), new ExtractLimits(10, 10, 100), () -> Long.MAX_VALUE).bytes()).isEqualTo(10);
    }

    @Test
    void expandingMoreThanTheRatioIsRefused() {
        byte[] tar = new TarBuilder().file("zeros", new byte[2 * MIB], 0100644).build();
        // checked per 128 KiB written, from the first write past 1 MiB: 1,179,648 bytes against 1,000
        assertRefused(in(tar), new ExtractLimits(10, 1L << 30, 100), () -> 1000,
                "entry zeros: the archive expands 1179× its compressed size, more than the limit of 100×");
    }

    @Test
    void theRatioIsNotCheckedUpToOneMebibyte() throws IOException {
        byte[] tar = new TarBuilder().file("zeros", new byte[MIB], 0100644).build();
        assertThat(extract(in(tar), new ExtractLimits(10, 1L << 30, 100), () -> 1).bytes()).isEqualTo(MIB);
    }

    @Test
    void aGzipBombIsRefusedByItsRealRatio() throws IOException {
        byte[] gz = TarBuilder.gzip(new TarBuilder().file("zeros", new byte[8 * MIB], 0100644).build());
        BoundedInputStream counted = BoundedInputStream.builder().setInputStream(in(gz)).get();
        assertThatThrownBy(() -> extract(new GZIPInputStream(counted), new ExtractLimits(10, 1L << 30, 100), counted::getCount))
                .isInstanceOf(ArchiveRefused.class)
                .hasMessageMatching("entry zeros: the archive expands \\d+× its compressed size, more than the limit of 100×");
        assertThat(staging()).doesNotExist();
    }

    @Test
    void anArchiveEndingInsideAnEntryIsRefused() {
        byte[] tar = new TarBuilder().file("a", "0123456789").build();
        assertRefused(in(Arrays.copyOf(tar, 512 + 4)), ExtractLimits.bundle(), () -> Long.MAX_VALUE,
                "entry a: truncated: the archive ends inside this entry");
    }

    @Test
    void anArchiveEndingBetweenEntriesIsRefused() {
        byte[] tar = new TarBuilder().file("a", "0123456789").file("b", "later").build();
        // one header and one data record: cut where entry b's header would start
        assertRefused(in(Arrays.copyOf(tar, 1024)), ExtractLimits.bundle(), () -> Long.MAX_VALUE,
                "truncated: the archive ends after entry a without its end-of-archive marker");
    }

    @Test
    void anArchiveEndingInsideAHeaderIsRefused() {
        byte[] tar = new TarBuilder().file("a", "0123456789").file("b", "later").build();
        assertRefused(in(Arrays.copyOf(tar, 1024 + 100)), ExtractLimits.bundle(), () -> Long.MAX_VALUE,
                "truncated: the archive ends after entry a without its end-of-archive marker");
    }

    @Test
    void anEmptyStreamIsRefused() {
        assertRefused(in(new byte[0]), ExtractLimits.bundle(), () -> Long.MAX_VALUE,
                "truncated: the archive ends before its first entry without its end-of-archive marker");
    }

    @Test
    void aTruncatedGzipStreamIsRefusedAsTruncated() throws IOException {
        byte[] random = new byte[256 * 1024];
        new Random(7).nextBytes(random);
        byte[] gz = TarBuilder.gzip(new TarBuilder().file("big", random, 0100644).build());
        InputStream cut = new GZIPInputStream(in(Arrays.copyOf(gz, gz.length / 2)));
        assertRefused(cut, ExtractLimits.bundle(), () -> Long.MAX_VALUE, "entry big: truncated: the archive ends inside this entry");
    }

    @Test
    void aCorruptGzipTrailerFailsAfterTheLastEntry() throws IOException {
        byte[] gz = TarBuilder.gzip(new TarBuilder().file("a", "content").build());
        gz[gz.length - 6] ^= 0x55; // inside the CRC-32 of the trailer
        InputStream corrupt = new GZIPInputStream(in(gz));
        assertThatThrownBy(() -> extract(corrupt, ExtractLimits.bundle(), () -> Long.MAX_VALUE))
                .isInstanceOf(ZipException.class).hasMessageContaining("Corrupt GZIP trailer");
        assertThat(staging()).doesNotExist();
    }

    @Test
    void anInterruptBeforeTheFirstEntryStopsIt() {
        byte[] tar = new TarBuilder().file("a", "1").build();
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> extract(in(tar), ExtractLimits.bundle(), () -> Long.MAX_VALUE))
                .isInstanceOf(InterruptedIOException.class)
                .hasMessage("interrupted while extracting, before the first entry");
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
        assertThat(staging()).doesNotExist();
    }

    @Test
    void anInterruptDuringACopyStopsIt() {
        byte[] tar = new TarBuilder().file("first", "1").file("big", new byte[4 * MIB], 0100644).build();
        InputStream interrupting = new FilterInputStream(in(tar)) {
            long read;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                read += Math.max(n, 0);
                if (read > 2 * MIB) {
                    Thread.currentThread().interrupt();
                }
                return n;
            }
        };
        assertThatThrownBy(() -> extract(interrupting, ExtractLimits.bundle(), () -> Long.MAX_VALUE))
                .isInstanceOf(InterruptedIOException.class)
                .hasMessage("interrupted while extracting, entry big");
        assertThat(staging()).doesNotExist();
    }

    @Test
    void moreThanTheByteLimitAfterTheEndMarkerIsRefused() {
        byte[] tar = new TarBuilder().file("a", "12345").build();
        // the tar reader itself skips to the end of its 10 KiB block; the drain reads what follows
        byte[] padded = Arrays.copyOf(tar, 10240 + 20);
        assertRefused(in(padded), new ExtractLimits(10, 10, 100), () -> Long.MAX_VALUE,
                "after the end-of-archive marker: the archive expands to more than 10 bytes, the limit");
    }
}
