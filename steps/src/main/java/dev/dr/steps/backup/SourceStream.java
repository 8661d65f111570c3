package dev.dr.steps.backup;

import dev.dr.steps.digest.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * The archive object as read from S3: every byte that passes is counted (for the
 * decompression ratio and progress) and hashed, including those skipped or drained after the
 * tar's end, so the SHA-256 covers the whole object. Closing it leaves the object open: the
 * decompressor and tar reader close their input, but the rest must still be drained.
 *
 * <p>A thread of its own reads the object and hashes it, a few chunks ahead of the reader of
 * this stream (at most {@link #CHUNKS} of {@link #CHUNK} bytes), so the hash costs no time on
 * the thread that decompresses and writes the files. Bytes, the end and a failure to read reach this stream in
 * the order the object gave them. {@link #stop()} ends the thread; call it once done.
 */
final class SourceStream extends InputStream {
    /** Progress is reported at most this often, in compressed bytes. */
    static final long PROGRESS_STEP = 8L << 20;
    /** Bytes the reading thread hands over at a time. */
    static final int CHUNK = 128 * 1024;
    /** Chunks read ahead at most: the memory used is bounded whatever the object's size. */
    static final int CHUNKS = 8;

    /** What the reading thread hands over: bytes, the end (with the hash) or a failure. */
    private record Chunk(byte[] buf, int len, String sha256, Throwable failure) {}

    private final InputStream object;
    private final LongConsumer progress;
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);
    private final BlockingQueue<Chunk> full = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile boolean stopped;

    // read and written by the consuming thread only
    private Chunk current;
    private int pos;
    private long count;
    private long reported;
    private boolean ended;
    private boolean failed;
    private String sha256;

    /**
     * @param expectedBytes the object's size as metadata.json gives it: a large object is
     *     hashed with the native SHA-256 (see {@link Sha256})
     */
    SourceStream(InputStream object, long expectedBytes, LongConsumer progress) {
        this.object = object;
        this.progress = progress;
        for (int i = 0; i < CHUNKS; i++) {
            free.add(new byte[CHUNK]);
        }
        this.reader = new Thread(() -> readAhead(expectedBytes), "dr-restore-read");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public int read() throws IOException {
        if ((current == null || pos == current.len()) && !next()) {
            return -1;
        }
        advance(1);
        return current.buf()[pos++] & 0xff;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if ((current == null || pos == current.len()) && !next()) {
            return -1;
        }
        int n = Math.min(len, current.len() - pos);
        System.arraycopy(current.buf(), pos, buf, off, n);
        pos += n;
        advance(n);
        return n;
    }

    @Override
    public int available() {
        return current == null ? 0 : current.len() - pos;
    }

    /** Leaves the object open; see the class comment. */
    @Override
    public void close() {}

    /**
     * Ends the reading thread: it reads no further than the read under way, and is waited for
     * (a few seconds at most) so the caller may close the object afterwards. Idempotent.
     */
    void stop() {
        stopped = true;
        if (current != null && current.buf() != null) {
            free.offer(current.buf());
        }
        current = null;
        for (Chunk c; (c = full.poll()) != null; ) {
            if (c.buf() != null) {
                free.offer(c.buf());
            }
        }
        try {
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether reading the object itself failed (as opposed to its contents being wrong). */
    boolean failed() {
        return failed;
    }

    /** Bytes read so far. */
    long count() {
        return count;
    }

    /** Whether the object's end has been seen. */
    boolean ended() {
        return ended;
    }

    /**
     * Reads on to the object's end, or until more than {@code limit} bytes have been read in
     * all, so an object longer than metadata.json says is not read without end.
     */
    void drain(long limit) throws IOException {
        byte[] buf = new byte[64 * 1024];
        while (!ended && count <= limit) {
            read(buf, 0, buf.length);
        }
    }

    /** The SHA-256 of the bytes read; call once, at the end. */
    String sha256() {
        if (!ended) {
            throw new IllegalStateException("the object has not been read to its end");
        }
        return sha256;
    }

    /** Reports the final count. */
    void reportEnd() {
        reported = count;
        progress.accept(count);
    }

    /** Moves to the next chunk; false at the end. Rethrows the reading thread's failure where it happened. */
    private boolean next() throws IOException {
        if (ended) {
            return false;
        }
        if (current != null && current.buf() != null) {
            free.offer(current.buf());
            current = null;
        }
        Chunk c;
        try {
            c = full.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the archive");
        }
        if (c.failure() != null) {
            full.offer(c); // a later read fails the same way
            Throwable t = c.failure();
            if (t instanceof IOException io) {
                failed = true;
                throw io;
            }
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(t);
        }
        if (c.buf() == null) {
            ended = true;
            sha256 = c.sha256();
            return false;
        }
        current = c;
        pos = 0;
        return true;
    }

    /** The reading thread: fills chunks from the object, hashes them and hands them over, until the end or a failure. */
    private void readAhead(long expectedBytes) {
        try {
            MessageDigest md = Sha256.forStream(expectedBytes);
            while (!stopped) {
                byte[] buf = free.poll(100, TimeUnit.MILLISECONDS);
                if (buf == null) {
                    continue;
                }
                int len = 0;
                Throwable failure = null;
                boolean end = false;
                try {
                    while (len < buf.length) {
                        int n = object.read(buf, len, buf.length - len);
                        if (n < 0) {
                            end = true;
                            break;
                        }
                        len += n;
                    }
                } catch (IOException | RuntimeException | Error e) {
                    failure = e;
                }
                if (stopped) {
                    return;
                }
                if (len > 0) {
                    md.update(buf, 0, len);
                    full.add(new Chunk(buf, len, null, null));
                } else {
                    free.add(buf);
                }
                if (failure != null) {
                    full.add(new Chunk(null, 0, null, failure));
                    return;
                }
                if (end) {
                    full.add(new Chunk(null, 0, Sha256.hex(md.digest()), null));
                    return;
                }
            }
        } catch (InterruptedException e) {
            full.add(new Chunk(null, 0, null, new InterruptedIOException("interrupted while reading the archive")));
        } catch (RuntimeException | Error e) {
            full.add(new Chunk(null, 0, null, e));
        }
    }

    private void advance(long n) {
        count += n;
        if (count - reported >= PROGRESS_STEP) {
            reported = count;
            progress.accept(count);
        }
    }
}
