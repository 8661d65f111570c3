package dev.dr.steps.archive;

import static dev.dr.steps.archive.EntryRules.refused;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** One run of {@link SafeExtract#extract}: the entries seen so far and the running totals. */
final class Extraction {
    static final int BUFFER = 128 * 1024;

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final Set<OpenOption> CREATE = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);
    private static final Set<PosixFilePermission> PLAIN = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> EXEC = PosixFilePermissions.fromString("rwxr-xr-x");

    private final Path root;
    private final EntryRules rules;
    private final boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    /** Regular files written, the only things a hard link may point at. */
    private final Set<String> files = new HashSet<>();
    /**
     * Folders below the root known to be real folders (made here, or checked once): nothing
     * replaces them later, since no entry may overwrite an existing name, so their files need
     * no further look at the file system.
     */
    private final Set<String> dirs = new HashSet<>();
    private final byte[] buffer = new byte[BUFFER];
    /**
     * Whether a file created with its mode already has it, the umask taking nothing away;
     * null until the first file tells. Otherwise each file's mode is set after it is written.
     */
    private Boolean modeAtCreation;
    private long fileCount;

    Extraction(Path root, ExtractLimits limits, LongSupplier compressedBytesRead) {
        this.root = root;
        this.rules = new EntryRules(limits, compressedBytesRead);
    }

    Extracted run(InputStream tar) throws IOException {
        EndAware source = new EndAware(tar);
        Reader in = new Reader(source);
        String last = null;
        while (true) {
            checkInterrupt(last == null ? "before the first entry" : "after entry ", last == null ? "" : last);
            TarArchiveEntry e;
            try {
                e = in.getNextEntry();
            } catch (IOException ex) {
                if (truncation(ex, source)) {
                    throw new ArchiveRefused("truncated: the archive ends inside the header after "
                            + (last == null ? "its start" : "entry " + last));
                }
                throw ex;
            }
            if (e == null) {
                break;
            }
            last = e.getName();
            extract(in, source, e);
        }
        if (in.endedWithoutMarker) {
            throw new ArchiveRefused("truncated: the archive ends " + (last == null ? "before its first entry" : "after entry " + last)
                    + " without its end-of-archive marker");
        }
        drain(source);
        return new Extracted(root, fileCount, rules.written());
    }

    private void extract(Reader in, EndAware source, TarArchiveEntry e) throws IOException {
        String name = e.getName();
        String rel = rules.name(e);
        if (!rules.claim(e, rel)) {
            return;
        }
        try {
            if (e.isDirectory()) {
                Path dir = prepare(name, rel);
                if (!dirs.contains(rel)) {
                    if (!Files.isDirectory(dir, NOFOLLOW)) {
                        Files.createDirectory(dir);
                    }
                    dirs.add(rel);
                }
            } else if (e.isSymbolicLink()) {
                EntryRules.checkSymlinkTarget(name, rel, e.getLinkName());
                Files.createSymbolicLink(prepare(name, rel), Path.of(e.getLinkName()));
            } else if (e.isLink()) {
                String target = EntryRules.hardlinkTarget(name, e.getLinkName());
                if (!files.contains(target)) {
                    throw refused(name, "hardlink target " + e.getLinkName() + " is not a file extracted before it");
                }
                Files.createLink(prepare(name, rel), root.resolve(target));
                files.add(rel);
                fileCount++;
            } else {
                EntryRules.requireRegular(e);
                writeFile(in, source, e, name, rel);
            }
        } catch (FileAlreadyExistsException ex) {
            throw refused(name, "already exists");
        }
    }

    private void writeFile(Reader in, EndAware source, TarArchiveEntry e, String name, String rel) throws IOException {
        long size = e.getRealSize();
        rules.reserve(name, size);
        Path file = prepare(name, rel);
        Set<PosixFilePermission> mode = posix ? ((e.getMode() & 0100) != 0 ? EXEC : PLAIN) : null;
        long copied = 0;
        // file channels close on an interrupt; reported as an interrupt, like the checks below
        try (FileChannel out = mode == null || Boolean.FALSE.equals(modeAtCreation)
                ? FileChannel.open(file, CREATE)
                : FileChannel.open(file, CREATE, PosixFilePermissions.asFileAttribute(mode))) {
            ByteBuffer bytes = ByteBuffer.wrap(buffer);
            while (true) {
                checkInterrupt("entry ", name);
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException ex) {
                    if (truncation(ex, source)) {
                        throw truncated(name);
                    }
                    throw ex;
                }
                if (n < 0) {
                    break;
                }
                checkInterrupt("entry ", name);
                bytes.clear().limit(n);
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                copied += n;
                rules.count(name, n);
            }
        } catch (ClosedByInterruptException ex) {
            InterruptedIOException i = new InterruptedIOException("interrupted while extracting, entry " + name);
            i.initCause(ex);
            throw i;
        }
        if (copied < size) {
            throw truncated(name);
        }
        if (mode != null) {
            if (modeAtCreation == null) {
                modeAtCreation = Files.getPosixFilePermissions(file, NOFOLLOW).equals(mode);
            }
            if (!modeAtCreation) {
                Files.setPosixFilePermissions(file, mode);
            }
        }
        files.add(rel);
        fileCount++;
    }

    /**
     * Creates the folders above an entry and returns its path. Every folder on the way must be
     * a real one: writing through a symlink the archive made would land wherever it points.
     */
    private Path prepare(String name, String rel) throws IOException {
        int slash = rel.lastIndexOf('/');
        if (slash < 0) {
            return root.resolve(rel);
        }
        String parent = rel.substring(0, slash);
        if (!dirs.contains(parent)) {
            Path dir = root;
            int from = 0;
            for (int to = rel.indexOf('/'); to >= 0; from = to + 1, to = rel.indexOf('/', from)) {
                String sofar = rel.substring(0, to);
                dir = dir.resolve(rel.substring(from, to));
                if (dirs.contains(sofar)) {
                    continue;
                }
                // one look: what is there, without following a symlink
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(dir, BasicFileAttributes.class, NOFOLLOW);
                } catch (NoSuchFileException missing) {
                    a = null;
                }
                if (a == null) {
                    Files.createDirectory(dir);
                } else if (a.isSymbolicLink()) {
                    throw refused(name, "writes through the symlink " + sofar);
                } else if (!a.isDirectory()) {
                    throw refused(name, sofar + " is not a directory");
                }
                dirs.add(sofar);
            }
        }
        return root.resolve(rel);
    }

    /**
     * Reads what follows the end-of-archive marker, so that a decompressor below reaches its
     * end and checks its checksum: a corrupt .tar.gz or .tar.zst fails here, not later.
     */
    private void drain(EndAware source) throws IOException {
        int n;
        while ((n = source.read(buffer)) >= 0) {
            checkInterrupt("after the end of the archive", "");
            rules.countTrailing(n);
        }
    }

    private static ArchiveRefused truncated(String name) {
        return refused(name, "truncated: the archive ends inside this entry");
    }

    /**
     * Reports an interrupt as Java I/O does; the thread's interrupt flag stays set. Where it was
     * comes in two parts, joined only then: this runs twice per buffer of every file.
     */
    private static void checkInterrupt(String where, String name) throws InterruptedIOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted while extracting, " + where + name);
        }
    }

    /** A failed read is a truncation when the stream had ended, or a decompressor found it cut short. */
    private static boolean truncation(IOException ex, EndAware source) {
        return !(ex instanceof InterruptedIOException) && (ex instanceof EOFException || source.ended);
    }

    /**
     * Tells a missing end-of-archive marker from a present one: the library reads both as the
     * end, but an archive cut at an entry boundary would otherwise lose its later entries unseen.
     */
    private static final class Reader extends TarArchiveInputStream {
        private boolean sawMarker;
        boolean endedWithoutMarker;

        Reader(InputStream in) {
            super(in, StandardCharsets.UTF_8.name());
        }

        @Override
        protected boolean isEOFRecord(byte[] record) {
            boolean end = super.isEOFRecord(record);
            if (record == null) {
                endedWithoutMarker |= !sawMarker; // no (complete) record left to read
            } else if (end) {
                sawMarker = true;
            }
            return end;
        }
    }

    /** Remembers whether the underlying stream reached its end; skips by reading, so that is seen too. */
    private static final class EndAware extends FilterInputStream {
        boolean ended;
        /** Skipped bytes land here: the tar reader skips every entry's padding, so one buffer for all. */
        private final byte[] scratch = new byte[8192];

        EndAware(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            ended |= b < 0;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            ended |= n < 0;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = 0;
            while (skipped < n) {
                int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        @Override
        public void close() {
            // the caller owns the stream
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
