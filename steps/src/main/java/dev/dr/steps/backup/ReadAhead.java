package dev.dr.steps.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An input stream that a thread of its own reads a few chunks ahead of this stream's reader
 * (at most {@link #CHUNKS} of {@link #CHUNK} bytes, so the memory is bounded whatever the
 * source's size): a restore's stages (reading and hashing the object, decompressing it,
 * writing the files) then run on different cores instead of one after the other.
 *
 * <p>Bytes, the end and a failure reach the reader in the order the source gave them; a failure
 * is rethrown as the object the source threw, on this read and every later one. The source is
 * touched by the reading thread only, and by nobody once {@link #close()} has returned. Closing
 * this stream ends the thread but leaves the source open: its owner closes it.
 */
class ReadAhead extends InputStream {
    /** Bytes the reading thread hands over at a time. */
    static final int CHUNK = 128 * 1024;
    /** Chunks read ahead at most. */
    static final int CHUNKS = 8;

    /** What the reading thread sees of each chunk before it hands it over (a hash, say); runs on that thread. */
    interface Observer {
        void chunk(byte[] buf, int len);
    }

    /** What the reading thread hands over: bytes, the end (no buffer), or a failure. */
    private record Chunk(byte[] buf, int len, Throwable failure) {}

    private static final Chunk END = new Chunk(null, 0, null);

    private final InputStream source;
    private final Observer observer;
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);
    private final BlockingQueue<Chunk> full = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile boolean stopped;

    // read and written by this stream's reader only
    private Chunk current;
    private int pos;
    private boolean ended;
    private boolean failed;

    /**
     * Starts reading {@code source} on a thread named {@code threadName}.
     *
     * @param observer sees every chunk on the reading thread before it is handed over; null for none
     */
    ReadAhead(InputStream source, String threadName, Observer observer) {
        this.source = source;
        this.observer = observer;
        for (int i = 0; i < CHUNKS; i++) {
            free.add(new byte[CHUNK]);
        }
        this.reader = new Thread(this::readAhead, threadName);
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public int read() throws IOException {
        if ((current == null || pos == current.len()) && !next()) {
            return -1;
        }
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
        return n;
    }

    @Override
    public int available() {
        return current == null ? 0 : current.len() - pos;
    }

    /**
     * Ends the reading thread and waits for it (ten seconds at most: it reads no further than the
     * read under way), so the caller may use or close the source afterwards. The thread is
     * interrupted, which ends a wait on another read-ahead below it at once. It waits even when
     * the caller's own thread is interrupted (an interrupted restore closes it so), whose flag
     * stays set. Idempotent.
     */
    @Override
    public void close() {
        stopped = true;
        reader.interrupt();
        if (current != null && current.buf() != null) {
            free.offer(current.buf());
        }
        current = null;
        for (Chunk c; (c = full.poll()) != null; ) {
            if (c.buf() != null) {
                free.offer(c.buf());
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        boolean interrupted = Thread.interrupted();
        for (long left; reader.isAlive() && (left = deadline - System.nanoTime()) > 0; ) {
            try {
                TimeUnit.NANOSECONDS.timedJoin(reader, left);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the source's end has been read. */
    boolean ended() {
        return ended;
    }

    /** Whether reading the source failed with an IOException (rather than this stream's reader being interrupted). */
    boolean failed() {
        return failed;
    }

    /** Moves to the next chunk; false at the end. Rethrows the reading thread's failure. */
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
            throw new InterruptedIOException("interrupted while reading " + reader.getName());
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
            return false;
        }
        current = c;
        pos = 0;
        return true;
    }

    /** The reading thread: fills chunks from the source and hands them over, until the end, a failure or close. */
    private void readAhead() {
        try {
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
                        int n = source.read(buf, len, buf.length - len);
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
                    if (observer != null) {
                        observer.chunk(buf, len);
                    }
                    full.add(new Chunk(buf, len, null));
                } else {
                    free.add(buf);
                }
                if (failure != null) {
                    full.add(new Chunk(null, 0, failure));
                    return;
                }
                if (end) {
                    full.add(END);
                    return;
                }
            }
        } catch (InterruptedException e) {
            full.add(new Chunk(null, 0, new InterruptedIOException("interrupted while reading ahead")));
        } catch (RuntimeException | Error e) {
            full.add(new Chunk(null, 0, e));
        }
    }
}
