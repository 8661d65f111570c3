package dev.dr.steps.backup;

import dev.dr.steps.archive.ArchiveRefused;
import dev.dr.steps.archive.ExtractLimits;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The rules {@code SafeExtract} applies to a folder, for a restore to S3: names stay below the
 * destination, no name twice, and the limits on entries, bytes and expansion ratio. Links are
 * refused too, since an S3 key cannot be one, and so are devices and FIFOs. Refusals read like
 * SafeExtract's: {@code entry <name>: <rule>}.
 *
 * <p>One instance per archive: it counts entries and bytes as they pass.
 */
final class EntryRules {
    /** Where a restore to S3 stages objects below the destination prefix; no entry may use it. */
    static final String STAGING = ".dr-staging";
    /** As SafeExtract: at the start a decompressor has read little, so a small regular file reads as a huge ratio. */
    static final long RATIO_AFTER = 1L << 20;

    private final ExtractLimits limits;
    private final LongSupplier compressedBytesRead;
    private final Set<String> seen = new HashSet<>();
    private long entries;
    private long written;

    EntryRules(ExtractLimits limits, LongSupplier compressedBytesRead) {
        this.limits = limits;
        this.compressedBytesRead = compressedBytesRead;
    }

    /**
     * Admits the next entry.
     *
     * @return the entry's path below the destination, {@code /}-separated; empty for a directory,
     *         which S3 does not need
     */
    Optional<String> admit(TarArchiveEntry e) throws ArchiveRefused {
        String name = e.getName();
        if (++entries > limits.maxEntries()) {
            throw refused(name, "more than " + limits.maxEntries() + " entries, the limit");
        }
        String rel = relative(name);
        if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
            String kind = e.isFIFO() ? "FIFO" : e.isBlockDevice() ? "block device" : "character device";
            throw refused(name, kind + " entries are not allowed");
        }
        if (e.isSymbolicLink() || e.isLink()) {
            throw refused(name, (e.isLink() ? "hard link" : "symlink") + " to " + e.getLinkName()
                    + ": links cannot be restored to S3");
        }
        if (rel.isEmpty()) {
            if (e.isDirectory()) {
                return Optional.empty();
            }
            throw refused(name, "names the destination itself");
        }
        if (rel.equals(STAGING) || rel.startsWith(STAGING + "/")) {
            throw refused(name, STAGING + " is where the restore stages objects");
        }
        if (!seen.add(rel)) {
            throw refused(name, "duplicate entry name");
        }
        if (e.isDirectory()) {
            return Optional.empty();
        }
        if (!isRegular(e)) {
            throw refused(name, "unsupported entry type '" + (char) e.getLinkFlag() + "'");
        }
        if (e.getRealSize() > limits.maxBytes() - written) {
            // refused before any of it is uploaded: the header says how big it is
            throw tooBig(name);
        }
        return Optional.of(rel);
    }

    /**
     * The current entry's bytes as the tar yields them, checked against the byte and ratio
     * limits as they pass. Closing it leaves the tar open.
     */
    InputStream body(InputStream tar, String name) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = tar.read(buf, off, len);
                if (n > 0) {
                    count(name, n);
                }
                return n;
            }

            @Override
            public void close() {}
        };
    }

    /** Bytes of file content passed so far. */
    long written() {
        return written;
    }

    /** Reads what follows the end-of-archive marker, so the decompressor reaches its end and checks its frame. */
    void drain(InputStream decompressed) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long trailing = 0;
        for (int n = decompressed.read(buf); n >= 0; n = decompressed.read(buf)) {
            trailing += n;
            if (trailing > limits.maxBytes() - written) {
                throw new ArchiveRefused("after the end-of-archive marker: the archive expands to more than "
                        + limits.maxBytes() + " bytes, the limit");
            }
        }
    }

    private void count(String name, int n) throws ArchiveRefused {
        written += n;
        if (written > limits.maxBytes()) {
            throw tooBig(name);
        }
        if (written > RATIO_AFTER) {
            long ratio = written / Math.max(1, compressedBytesRead.getAsLong());
            if (ratio > limits.maxRatio()) {
                throw refused(name, "the archive expands " + ratio + "× its compressed size, more than the limit of "
                        + limits.maxRatio() + "×");
            }
        }
    }

    private ArchiveRefused tooBig(String name) {
        return refused(name, "the archive expands to more than " + limits.maxBytes() + " bytes, the limit");
    }

    /**
     * An entry name as a normalized relative path ({@code /}-separated, no {@code .} or
     * {@code ..} left); the empty string is the destination itself. A {@code ..} that would
     * climb above the destination is refused, as is an absolute name.
     */
    static String relative(String name) throws ArchiveRefused {
        if (name.startsWith("/")) {
            throw refused(name, "absolute path");
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String seg : name.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (parts.isEmpty()) {
                    throw refused(name, "path escapes the destination");
                }
                parts.removeLast();
            } else {
                parts.addLast(seg);
            }
        }
        return String.join("/", parts);
    }

    private static boolean isRegular(TarArchiveEntry e) {
        byte flag = e.getLinkFlag();
        return flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM || flag == TarConstants.LF_CONTIG
                || e.isSparse();
    }

    private static ArchiveRefused refused(String name, String rule) {
        return new ArchiveRefused("entry " + name + ": " + rule);
    }
}
