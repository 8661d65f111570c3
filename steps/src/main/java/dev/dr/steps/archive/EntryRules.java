package dev.dr.steps.archive;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The rules every archive dr unpacks is held to, whether {@link SafeExtract} writes it to a folder
 * or a restore uploads it to S3: names stay below the destination, no name twice, no devices or
 * FIFOs, link targets stay inside, and the limits on entries, bytes and expansion ratio. The
 * path rules work on entry names as strings: the check must not depend on what already exists
 * on disk, which the archive itself controls. Refusals read {@code entry <name>: <rule>}.
 *
 * <p>One instance per archive: it counts entries and bytes as they pass.
 */
public final class EntryRules {
    /**
     * The ratio is checked only past this much output: at the start a decompressor has read
     * little and a small, very regular file reads as a huge ratio.
     */
    static final long RATIO_AFTER = 1L << 20;

    private final ExtractLimits limits;
    private final LongSupplier compressedBytesRead;
    /** Normalized names of all entries: a second entry of the same name would overwrite the first. */
    private final Set<String> seen = new HashSet<>();
    private long entries;
    private long written;
    private long trailing;

    public EntryRules(ExtractLimits limits, LongSupplier compressedBytesRead) {
        this.limits = limits;
        this.compressedBytesRead = compressedBytesRead;
    }

    /**
     * Counts the next entry against the limit and refuses names outside the destination and
     * device or FIFO entries.
     *
     * @return the entry's path below the destination, {@code /}-separated; empty for the
     *         destination itself
     */
    public String name(TarArchiveEntry e) throws ArchiveRefused {
        String name = e.getName();
        if (++entries > limits.maxEntries()) {
            throw refused(name, "more than " + limits.maxEntries() + " entries, the limit");
        }
        String rel = relative(name);
        if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
            String kind = e.isFIFO() ? "FIFO" : e.isBlockDevice() ? "block device" : "character device";
            throw refused(name, kind + " entries are not allowed");
        }
        return rel;
    }

    /**
     * Claims an entry's path: no other entry may use it, and only a directory may name the
     * destination itself ({@code ./}, as {@code tar -C dir .} writes it).
     *
     * @return false for that directory, which needs nothing done
     */
    public boolean claim(TarArchiveEntry e, String rel) throws ArchiveRefused {
        if (rel.isEmpty()) {
            if (e.isDirectory()) {
                return false;
            }
            throw refused(e.getName(), "names the destination itself");
        }
        if (!seen.add(rel)) {
            throw refused(e.getName(), "duplicate entry name");
        }
        return true;
    }

    /** Refuses a file before any of it is written when its header says it is too big. */
    public void reserve(String name, long size) throws ArchiveRefused {
        if (size > limits.maxBytes() - written) {
            throw tooBig(name);
        }
    }

    /** Counts {@code n} bytes of an entry's content against the byte and ratio limits. */
    public void count(String name, int n) throws ArchiveRefused {
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

    /** Counts {@code n} bytes read after the end-of-archive marker, which share the byte limit. */
    public void countTrailing(int n) throws ArchiveRefused {
        trailing += n;
        if (trailing > limits.maxBytes() - written) {
            throw new ArchiveRefused("after the end-of-archive marker: the archive expands to more than "
                    + limits.maxBytes() + " bytes, the limit");
        }
    }

    /** Bytes of file content passed so far. */
    public long written() {
        return written;
    }

    /**
     * The current entry's bytes as the tar yields them, checked against the byte and ratio
     * limits as they pass. Closing it leaves the tar open.
     */
    public InputStream body(InputStream tar, String name) {
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

    /** Reads what follows the end-of-archive marker, so the decompressor reaches its end and checks its frame. */
    public void drain(InputStream decompressed) throws IOException {
        byte[] buf = new byte[64 * 1024];
        for (int n = decompressed.read(buf); n >= 0; n = decompressed.read(buf)) {
            countTrailing(n);
        }
    }

    /**
     * An entry name as a normalized relative path ({@code /}-separated, no {@code .} or
     * {@code ..} left); the empty string is the destination itself. A {@code ..} that would
     * climb above the destination is refused, as is an absolute name.
     */
    public static String relative(String entry) throws ArchiveRefused {
        return relative(entry, entry, "path");
    }

    /** A hard link's target: like an entry name, relative to the top of the archive. */
    static String hardlinkTarget(String entry, String target) throws ArchiveRefused {
        String rel = relative(entry, target, "hardlink target " + target);
        if (rel.isEmpty()) {
            throw refused(entry, "hardlink target " + target + " is the destination itself");
        }
        return rel;
    }

    /**
     * Checks a symlink target, which is relative to the link's own folder. Leading {@code ..}
     * may climb as far as the top of the destination and no further. A {@code ..} after a name
     * is refused: the name may be (or later become) another symlink, and {@code ..} from where
     * that link points can leave the destination although the text stays inside.
     */
    static void checkSymlinkTarget(String entry, String rel, String target) throws ArchiveRefused {
        if (target.isEmpty()) {
            throw refused(entry, "empty symlink target");
        }
        if (target.startsWith("/")) {
            throw refused(entry, "symlink target " + target + " is absolute");
        }
        int depth = rel.isEmpty() ? 0 : rel.split("/").length - 1;
        int climbs = 0;
        boolean named = false;
        for (String seg : target.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (!seg.equals("..")) {
                named = true;
            } else if (named) {
                throw refused(entry, "symlink target " + target
                        + " has .. after a name, which another symlink could turn outside the destination");
            } else if (++climbs > depth) {
                throw refused(entry, "symlink target " + target + " escapes the destination");
            }
        }
    }

    /** Refuses an entry that is none of a directory, a link or a regular file. */
    public static void requireRegular(TarArchiveEntry e) throws ArchiveRefused {
        byte flag = e.getLinkFlag();
        if (!(flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM || flag == TarConstants.LF_CONTIG
                || e.isSparse())) {
            throw refused(e.getName(), "unsupported entry type '" + (char) flag + "'");
        }
    }

    public static ArchiveRefused refused(String entry, String rule) {
        return new ArchiveRefused("entry " + entry + ": " + rule);
    }

    private ArchiveRefused tooBig(String name) {
        return refused(name, "the archive expands to more than " + limits.maxBytes() + " bytes, the limit");
    }

    private static String relative(String entry, String name, String what) throws ArchiveRefused {
        if (name.startsWith("/")) {
            throw refused(entry, what.equals("path") ? "absolute path" : what + " is absolute");
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String seg : name.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (parts.isEmpty()) {
                    throw refused(entry, what + " escapes the destination");
                }
                parts.removeLast();
            } else {
                parts.addLast(seg);
            }
        }
        return String.join("/", parts);
    }
}
