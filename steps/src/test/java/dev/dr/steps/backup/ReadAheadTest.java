package dev.dr.steps.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The read-ahead stage between a restore's reading, decompressing and writing. */
class ReadAheadTest {

    static byte[] data(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    @Test
    void bytesArriveInOrderWhateverTheReadSizesAndTheObserverSeesEachOnceBeforeItIsHandedOver() throws IOException {
        byte[] data = data(ReadAhead.CHUNK * ReadAhead.CHUNKS * 2 + 12_345);
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (ReadAhead in = new ReadAhead(new ByteArrayInputStream(data), "test-read-ahead", (b, n) -> seen.write(b, 0, n))) {
            int[] sizes = {1, 7, 4096, ReadAhead.CHUNK + 3, 100_000};
            byte[] buf = new byte[ReadAhead.CHUNK + 3];
            for (int i = 0; ; i++) {
                if (i % 11 == 0) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    got.write(b);
                    continue;
                }
                int n = in.read(buf, 0, sizes[i % sizes.length]);
                if (n < 0) {
                    break;
                }
                got.write(buf, 0, n);
            }
            assertThat(in.ended()).isTrue();
            assertThat(in.read()).isEqualTo(-1);
            assertThat(in.failed()).isFalse();
        }
        assertThat(got.toByteArray()).isEqualTo(data);
        assertThat(seen.toByteArray()).isEqualTo(data);
    }

    @Test
    void aFailureComesAfterTheBytesBeforeItAsTheObjectTheSourceThrewOnEveryLaterRead() throws IOException {
        byte[] data = data(300_000);
        IOException reset = new IOException("connection reset");
        InputStream failing = new InputStream() {
            int pos;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos == data.length) {
                    throw reset;
                }
                int n = Math.min(len, data.length - pos);
                System.arraycopy(data, pos, b, off, n);
                pos += n;
                return n;
            }
        };
        try (ReadAhead in = new ReadAhead(failing, "test-read-ahead", null)) {
            byte[] got = in.readNBytes(data.length);
            assertThat(got).isEqualTo(data);
            assertThatThrownBy(in::read).isSameAs(reset);
            assertThatThrownBy(() -> in.read(new byte[10], 0, 10)).isSameAs(reset);
            assertThat(in.failed()).isTrue();
            assertThat(in.ended()).isFalse();
        }
    }

    @Test
    void aRuntimeFailureOfTheSourceIsRethrownButIsNotAReadFailure() {
        IllegalStateException broken = new IllegalStateException("decoder bug");
        InputStream source = new InputStream() {
            @Override
            public int read() {
                throw broken;
            }
        };
        try (ReadAhead in = new ReadAhead(source, "test-read-ahead", null)) {
            assertThatThrownBy(in::read).isSameAs(broken);
            assertThat(in.failed()).isFalse();
        }
    }

    @Test
    void closeEndsTheThreadAndNothingReadsTheSourceAfterIt() throws Exception {
        AtomicLong reads = new AtomicLong();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                reads.incrementAndGet();
                Arrays.fill(b, off, off + len, (byte) 1);
                return len;
            }
        };
        ReadAhead in = new ReadAhead(endless, "test-read-ahead-close", null);
        assertThat(in.readNBytes(1000)).hasSize(1000);
        in.close();
        long after = reads.get();
        Thread.sleep(300);
        assertThat(reads.get()).as("reads of the source after close").isEqualTo(after);
        assertThat(threadAlive("test-read-ahead-close")).isFalse();
        in.close(); // idempotent
    }

    @Test
    void aReaderInterruptedWhileItWaitsGetsAnInterruptedIOExceptionWithItsFlagSet() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        InputStream stalled = new InputStream() {
            @Override
            public int read() throws IOException {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    throw new InterruptedIOException("stalled source interrupted");
                }
                return -1;
            }
        };
        ReadAhead in = new ReadAhead(stalled, "test-read-ahead-stalled", null);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                in.read();
            } catch (Throwable e) {
                thrown.set(e);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        t.start();
        Thread.sleep(200);
        t.interrupt();
        t.join(5_000);
        assertThat(thrown.get()).isInstanceOf(InterruptedIOException.class).hasMessageContaining("test-read-ahead-stalled");
        assertThat(flag.get()).isTrue();
        assertThat(in.failed()).isFalse();
        // closing interrupts the reading thread, which the stalled source lets go of at once
        long start = System.nanoTime();
        in.close();
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(5);
        assertThat(threadAlive("test-read-ahead-stalled")).isFalse();
    }

    @Test
    void closeByAnInterruptedThreadStillWaitsForTheReaderAndKeepsTheFlag() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        AtomicLong readsAfterClose = new AtomicLong();
        AtomicReference<Boolean> closing = new AtomicReference<>(false);
        InputStream slowToLetGo = new InputStream() {
            @Override
            public int read() throws IOException {
                reading.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    // as a connection that takes a moment to give up its read
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                    if (closing.get()) {
                        readsAfterClose.incrementAndGet();
                    }
                    throw new InterruptedIOException("slow source interrupted");
                }
                return -1;
            }
        };
        ReadAhead in = new ReadAhead(slowToLetGo, "test-read-ahead-slow", null);
        assertThat(reading.await(5, TimeUnit.SECONDS)).isTrue();
        AtomicReference<Boolean> aliveAfterClose = new AtomicReference<>();
        AtomicReference<Boolean> flagAfterClose = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            Thread.currentThread().interrupt(); // as a restore interrupted by its run
            in.close();
            aliveAfterClose.set(threadAlive("test-read-ahead-slow"));
            flagAfterClose.set(Thread.currentThread().isInterrupted());
            closing.set(true);
        });
        caller.start();
        caller.join(15_000);
        assertThat(aliveAfterClose.get()).as("reader alive after close returned").isFalse();
        assertThat(flagAfterClose.get()).as("caller's interrupt flag").isTrue();
        assertThat(readsAfterClose.get()).isZero();
    }

    static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }
}
