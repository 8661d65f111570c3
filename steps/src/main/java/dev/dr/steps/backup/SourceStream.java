package dev.dr.steps.backup;

import dev.dr.steps.digest.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.function.LongConsumer;

/**
 * The archive object as read from S3: every byte that passes is counted (for the
 * decompression ratio and progress) and hashed, including those skipped or drained after the
 * tar's end, so the SHA-256 covers the whole object. Closing it leaves the object open: the
 * decompressor and tar reader close their input, but the rest must still be drained.
 *
 * <p>A thread of its own reads the object and hashes it a few chunks ahead (see
 * {@link ReadAhead}), so the hash costs no time on the thread that decompresses. Only one thread
 * at a time may read this stream; the count may be read from any.
 * {@link #stop()} ends the reading thread; call it once done.
 */
final class SourceStream extends InputStream {
    /** Progress is reported at most this often, in compressed bytes. */
    static final long PROGRESS_STEP = 8L << 20;

    private final ReadAhead object;
    private final LongConsumer progress;
    private final long expectedBytes;
    /** Used by the reading thread only, until it has handed over the end. */
    private MessageDigest md;

    private volatile long count;
    private long reported;

    /**
     * @param expectedBytes the object's size as metadata.json gives it: a large object is
     *     hashed with the native SHA-256 (see {@link Sha256})
     */
    SourceStream(InputStream object, long expectedBytes, LongConsumer progress) {
        this.progress = progress;
        this.expectedBytes = expectedBytes;
        this.object = new ReadAhead(object, "dr-restore-read", this::hash);
    }

    @Override
    public int read() throws IOException {
        int b = object.read();
        if (b >= 0) {
            advance(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = object.read(buf, off, len);
        if (n > 0) {
            advance(n);
        }
        return n;
    }

    @Override
    public int available() {
        return object.available();
    }

    /** Leaves the object open; see the class comment. */
    @Override
    public void close() {}

    /**
     * Ends the reading thread: it reads no further than the read under way, and is waited for
     * (a few seconds at most) so the caller may close the object afterwards. Idempotent.
     */
    void stop() {
        object.close();
    }

    /** Whether reading the object itself failed (as opposed to its contents being wrong). */
    boolean failed() {
        return object.failed();
    }

    /** Bytes read so far. */
    long count() {
        return count;
    }

    /** Whether the object's end has been seen. */
    boolean ended() {
        return object.ended();
    }

    /**
     * Reads on to the object's end, or until more than {@code limit} bytes have been read in
     * all, so an object longer than metadata.json says is not read without end.
     */
    void drain(long limit) throws IOException {
        byte[] buf = new byte[64 * 1024];
        while (!ended() && count <= limit) {
            read(buf, 0, buf.length);
        }
    }

    /**
     * The SHA-256 of the bytes read; call once, at the end. The reading thread handed the end
     * over after its last hash, so the digest is complete and no longer in its hands.
     */
    String sha256() {
        if (!ended()) {
            throw new IllegalStateException("the object has not been read to its end");
        }
        return Sha256.hex((md != null ? md : Sha256.forStream(expectedBytes)).digest());
    }

    /** Reports the final count. */
    void reportEnd() {
        reported = count;
        progress.accept(count);
    }

    /** On the reading thread: the digest is chosen there, as choosing the native one may wait for it to load. */
    private void hash(byte[] buf, int len) {
        if (md == null) {
            md = Sha256.forStream(expectedBytes);
        }
        md.update(buf, 0, len);
    }

    private void advance(long n) {
        long c = count + n; // one reader at a time: no lost update
        count = c;
        if (c - reported >= PROGRESS_STEP) {
            reported = c;
            progress.accept(c);
        }
    }
}
