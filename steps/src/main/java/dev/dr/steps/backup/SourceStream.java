package dev.dr.steps.backup;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/**
 * The archive object as read from S3: every byte that passes is counted (for the
 * decompression ratio and progress) and hashed, including those skipped or drained after the
 * tar's end, so the SHA-256 covers the whole object. Closing it leaves the object open: the
 * decompressor and tar reader close their input, but the rest must still be drained.
 */
final class SourceStream extends InputStream {
    /** Progress is reported at most this often, in compressed bytes. */
    static final long PROGRESS_STEP = 8L << 20;

    private final InputStream object;
    private final MessageDigest sha256;
    private final LongConsumer progress;
    private long count;
    private long reported;
    private boolean ended;
    private boolean failed;

    SourceStream(InputStream object, LongConsumer progress) {
        this.object = object;
        this.progress = progress;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public int read() throws IOException {
        int b = fromObject(() -> object.read());
        if (b < 0) {
            ended = true;
        } else {
            sha256.update((byte) b);
            advance(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = fromObject(() -> object.read(buf, off, len));
        if (n < 0) {
            ended = true;
        } else if (n > 0) {
            sha256.update(buf, off, n);
            advance(n);
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return object.available();
    }

    /** Leaves the object open; see the class comment. */
    @Override
    public void close() {}

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
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** Reports the final count. */
    void reportEnd() {
        reported = count;
        progress.accept(count);
    }

    private interface Read {
        int read() throws IOException;
    }

    private int fromObject(Read read) throws IOException {
        try {
            return read.read();
        } catch (IOException e) {
            failed = true;
            throw e;
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
