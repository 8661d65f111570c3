package dev.dr.steps.bundle;

import dev.dr.steps.bundle.Bundle.Layout;
import dev.dr.steps.digest.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes the primary's control plane as a bundle: a .tar.gz whose entries live under
 * {@code control-plane/}, with {@code control-plane/manifest.json} listing every file.
 *
 * <p>The archive is deterministic, so the same files give the same SHA-256 and a publish of an
 * unchanged control plane is recognized as such: entries in byte order of their UTF-8 names
 * (folders included, with a trailing {@code /}), except that {@code control-plane/} and then
 * {@code control-plane/manifest.json} come first, so a streaming reader meets the manifest before
 * the files; mtime 0, uid/gid 0, empty user and group names, mode 0755 for folders and for files
 * whose owner may execute them, 0644 for other files; long and non-ASCII names as PAX headers;
 * a gzip header with no name, mtime 0 and OS "unknown"; deflate at level {@link #LEVEL} in chunks of
 * {@link ChunkedGzip#CHUNK}. File mtimes, permissions other than the
 * owner exec bit, the umask, the time zone, the locale and directory listing order make no
 * difference. (The compressed bytes depend on the JDK's zlib; one JDK gives one archive.)
 */
public final class BundleWriter {
    private static final int DIR_MODE = 040755;
    private static final int FILE_MODE = 0100644;
    private static final int EXEC_MODE = 0100755;
    /**
     * zlib's default level. Level 9 spent twice the CPU for an archive 3 % smaller: a bundle is
     * small (tens of MB) and written once per publish, while its CPU time is the publish's wall.
     */
    static final int LEVEL = 6;

    private BundleWriter() {}

    /** A check of one folder of the source as it was listed, before anything is written; it throws to refuse the source. */
    @FunctionalInterface
    interface FolderCheck {
        /** {@code dir} is e.g. {@code source/scoring}, {@code folder} its name, {@code tree} its listing. */
        void check(Path dir, String folder, Layout.Tree tree) throws IOException;
    }

    /** One entry to write: a folder when {@code file} is null; {@code path} as the manifest names it. */
    private record Entry(String name, Path file, String path, boolean exec) {}

    /**
     * Bundles {@code source}, which must hold the folders {@code alerts/}, {@code candidates/},
     * {@code providers/} and {@code scoring/}; anything else at the top level of {@code source}
     * (a README, a .git folder) is ignored. Inside the folders only regular files and folders
     * are allowed; a symlink or anything else is refused with its path. Each file is read once,
     * hashed for the manifest as it is copied into the archive; a file whose size changes while
     * it is read is refused. The archive is written next to {@code archiveOut} and renamed into
     * place when complete.
     *
     * @throws BundleRefused when the source is not a control plane as described
     */
    public static Bundle write(Path source, Path archiveOut, String gitSha, String imageRefDigest, String createdAt)
            throws IOException {
        return write(source, archiveOut, gitSha, imageRefDigest, createdAt, (dir, folder, tree) -> { });
    }

    /**
     * {@link #write(Path, Path, String, String, String)}, running {@code check} on each folder once
     * it is listed (after the refusal of what is not a file or folder), so that a source is listed
     * once whatever is checked: publishing checks that the restore could apply the ConfigMaps
     * ({@link ConfigMapRenderer#check}).
     */
    static Bundle write(Path source, Path archiveOut, String gitSha, String imageRefDigest, String createdAt,
            FolderCheck check) throws IOException {
        Objects.requireNonNull(archiveOut, "archiveOut");
        ManifestFields fields = new ManifestFields(Objects.requireNonNull(gitSha, "gitSha"),
                Objects.requireNonNull(imageRefDigest, "imageRefDigest"), Objects.requireNonNull(createdAt, "createdAt"));
        List<Entry> entries = new ArrayList<>();
        long bytes = 0;
        for (String folder : folders(source)) {
            Path dir = source.resolve(folder);
            Layout.Tree tree = Layout.walk(dir);
            bytes += tree.bytes();
            if (!tree.others().isEmpty()) {
                Path odd = dir.resolve(tree.others().get(0));
                throw new BundleRefused(odd + ": " + (Files.isSymbolicLink(odd) ? "a symlink" : "not a regular file or folder")
                        + "; a bundle holds regular files and folders only");
            }
            check.check(dir, folder, tree);
            entries.add(new Entry(Layout.ROOT + "/" + folder + "/", null, null, false));
            for (String d : tree.dirs()) {
                entries.add(new Entry(Layout.ROOT + "/" + folder + "/" + d + "/", null, null, false));
            }
            for (String f : tree.files()) {
                String path = folder + "/" + f;
                entries.add(new Entry(Layout.ROOT + "/" + path, dir.resolve(f), path, tree.executable().contains(f)));
            }
        }
        entries.sort(Comparator.comparing(Entry::name, Layout.NAME_ORDER));
        // a large control plane: the native digest loads while the first files are hashed by the
        // JDK's, rather than after 8 MiB of them (its load takes as long as the JDK's hashing of
        // ~30 MiB); a small one never loads it
        Sha256.prepareFor(bytes);

        Path out = archiveOut.toAbsolutePath().normalize();
        Files.createDirectories(out.getParent());
        Path tmp = out.resolveSibling("." + out.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            List<BundleFile> files = new ArrayList<>();
            String sha = writeArchive(tmp, entries, files, fields);
            long size = Files.size(tmp);
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new Bundle(archiveOut, sha, size, new Manifest(files, gitSha, imageRefDigest, createdAt));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The four folders, each present and a real folder, or a refusal naming what is wrong. */
    private static List<String> folders(Path source) throws BundleRefused {
        if (!Files.isDirectory(source)) {
            throw new BundleRefused("control-plane source " + source + " is not a folder");
        }
        List<String> missing = new ArrayList<>();
        for (String folder : Layout.FOLDERS) {
            Path dir = source.resolve(folder);
            if (Files.isSymbolicLink(dir)) {
                throw new BundleRefused(dir + ": a symlink; a bundle holds regular files and folders only");
            }
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new BundleRefused(dir + ": not a folder; a control plane has the folders "
                        + String.join("/, ", Layout.FOLDERS) + "/");
            }
            if (!Files.exists(dir)) {
                missing.add(folder + "/");
            }
        }
        if (!missing.isEmpty()) {
            throw new BundleRefused("control-plane source " + source + " has no " + String.join(", ", missing)
                    + "; a control plane has the folders " + String.join("/, ", Layout.FOLDERS) + "/");
        }
        return Layout.FOLDERS;
    }

    /**
     * Writes the archive in one pass over the files: each is read once, hashed for the manifest
     * as it goes into the tar, and the tar is deflated in chunks on other threads meanwhile (see
     * {@link ChunkedGzip}). The manifest, known only at the end, is compressed last and put in
     * front. The uncompressed tar is the one a single {@link TarArchiveOutputStream} would write.
     */
    private static String writeArchive(Path tmp, List<Entry> entries, List<BundleFile> files, ManifestFields fields)
            throws IOException {
        Path bodyFile = tmp.resolveSibling(tmp.getFileName() + ".body");
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "dr-bundle-deflate");
            t.setDaemon(true);
            return t;
        });
        try (FileChannel body = FileChannel.open(bodyFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            ChunkedGzip gz = new ChunkedGzip(LEVEL, pool, threads, body);
            byte[] head;
            long hashed = 0; // the files' bytes so far, which decides their digest (see Sha256#forNext)
            try {
                TarArchiveOutputStream tar = tarStream(gz);
                byte[] buf = new byte[Layout.BUFFER];
                for (Entry e : entries) {
                    if (e.file() == null) {
                        tar.putArchiveEntry(entry(e.name(), DIR_MODE, 0));
                    } else {
                        BundleFile f = copy(e, tar, buf, hashed);
                        files.add(f);
                        hashed += f.size();
                    }
                }
                tar.flush();
                Manifest manifest = new Manifest(files, fields.gitSha(), fields.imageRefDigest(), fields.createdAt());
                head = head(manifest);
                // the end-of-archive marker; like TarArchiveOutputStream, no padding beyond it
                gz.write(new byte[2 * TarConstants.DEFAULT_RCDSIZE]);
                gz.finish();
            } catch (IOException | RuntimeException e) {
                gz.abandon();
                throw e;
            }
            MessageDigest md = Layout.sha256(hashed);
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                byte[] deflatedHead = ChunkedGzip.deflate(LEVEL, null, head, head.length, false);
                writeHashed(out, md, ChunkedGzip.header(LEVEL));
                writeHashed(out, md, deflatedHead);
                body.position(0);
                ByteBuffer bb = ByteBuffer.allocate(Layout.BUFFER);
                while (body.read(bb) >= 0) {
                    bb.flip();
                    md.update(bb.array(), 0, bb.limit());
                    while (bb.hasRemaining()) {
                        out.write(bb);
                    }
                    bb.clear();
                }
                long crc = ChunkedGzip.crc32Combine(crc32(head), gz.crc(), gz.total());
                writeHashed(out, md, ChunkedGzip.trailer(crc, head.length + gz.total()));
            }
            return Layout.hex(md.digest());
        } finally {
            pool.shutdownNow();
            Files.deleteIfExists(bodyFile);
        }
    }

    private record ManifestFields(String gitSha, String imageRefDigest, String createdAt) {}

    private static TarArchiveOutputStream tarStream(OutputStream out) {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        return tar;
    }

    /** The tar's first entries: {@code control-plane/} and the manifest. */
    private static byte[] head(Manifest manifest) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // not closed: closing would write the end-of-archive marker, which belongs after the files
        TarArchiveOutputStream tar = tarStream(bytes);
        tar.putArchiveEntry(entry(Layout.ROOT + "/", DIR_MODE, 0));
        byte[] json = manifest.toJson().getBytes(StandardCharsets.UTF_8);
        tar.putArchiveEntry(entry(Layout.ROOT + "/" + Layout.MANIFEST, FILE_MODE, json.length));
        tar.write(json);
        tar.closeArchiveEntry();
        tar.flush();
        return bytes.toByteArray();
    }

    private static long crc32(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }

    private static void writeHashed(FileChannel out, MessageDigest md, byte[] b) throws IOException {
        md.update(b);
        ByteBuffer bb = ByteBuffer.wrap(b);
        while (bb.hasRemaining()) {
            out.write(bb);
        }
    }

    /**
     * Streams a file into the archive and hashes what went in, so the manifest lists exactly
     * the archived bytes. The size is taken when the file is opened; a file that grows or
     * shrinks while it is read is refused.
     */
    private static BundleFile copy(Entry e, TarArchiveOutputStream tar, byte[] buf, long hashedSoFar) throws IOException {
        MessageDigest md = Layout.sha256(hashedSoFar);
        try (FileChannel in = FileChannel.open(e.file(), StandardOpenOption.READ)) {
            long size = in.size();
            tar.putArchiveEntry(entry(e.name(), e.exec() ? EXEC_MODE : FILE_MODE, size));
            long left = size;
            ByteBuffer bb = ByteBuffer.wrap(buf);
            while (left > 0) {
                bb.clear().limit((int) Math.min(buf.length, left));
                int n = in.read(bb);
                if (n < 0) {
                    break;
                }
                md.update(buf, 0, n);
                tar.write(buf, 0, n);
                left -= n;
            }
            if (left != 0 || in.read(bb.clear().limit(1)) > 0) {
                throw new BundleRefused(e.file() + " changed while the bundle was written; write the bundle again");
            }
            tar.closeArchiveEntry();
            return new BundleFile(e.path(), Layout.hex(md.digest()), size);
        }
    }

    private static TarArchiveEntry entry(String name, int mode, long size) {
        TarArchiveEntry t = new TarArchiveEntry(name);
        t.setMode(mode);
        t.setSize(size);
        t.setLastModifiedTime(FileTime.fromMillis(0));
        t.setIds(0, 0);
        t.setNames("", "");
        return t;
    }
}
