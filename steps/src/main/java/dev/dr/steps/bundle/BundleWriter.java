package dev.dr.steps.bundle;

import dev.dr.steps.bundle.Bundle.Layout;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

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
 * a gzip header with no name, mtime 0 and OS "unknown". File mtimes, permissions other than the
 * owner exec bit, the umask, the time zone, the locale and directory listing order make no
 * difference. (The compressed bytes depend on the JDK's zlib; one JDK gives one archive.)
 */
public final class BundleWriter {
    private static final int DIR_MODE = 040755;
    private static final int FILE_MODE = 0100644;
    private static final int EXEC_MODE = 0100755;

    private BundleWriter() {}

    /** One entry to write: a folder when {@code file} is null. */
    private record Entry(String name, Path file, BundleFile meta, boolean exec) {}

    /**
     * Bundles {@code source}, which must hold the folders {@code alerts/}, {@code candidates/},
     * {@code providers/} and {@code scoring/}; anything else at the top level of {@code source}
     * (a README, a .git folder) is ignored. Inside the folders only regular files and folders
     * are allowed; a symlink or anything else is refused with its path. Each file is read twice,
     * once for the manifest and once into the archive; a file that changed in between is refused.
     * The archive is written next to {@code archiveOut} and renamed into place when complete.
     *
     * @throws BundleRefused when the source is not a control plane as described
     */
    public static Bundle write(Path source, Path archiveOut, String gitSha, String imageRefDigest, String createdAt)
            throws IOException {
        Objects.requireNonNull(archiveOut, "archiveOut");
        List<Entry> entries = new ArrayList<>();
        List<BundleFile> files = new ArrayList<>();
        for (String folder : folders(source)) {
            Path dir = source.resolve(folder);
            Layout.Tree tree = Layout.walk(dir);
            if (!tree.others().isEmpty()) {
                Path odd = dir.resolve(tree.others().get(0));
                throw new BundleRefused(odd + ": " + (Files.isSymbolicLink(odd) ? "a symlink" : "not a regular file or folder")
                        + "; a bundle holds regular files and folders only");
            }
            entries.add(new Entry(Layout.ROOT + "/" + folder + "/", null, null, false));
            for (String d : tree.dirs()) {
                entries.add(new Entry(Layout.ROOT + "/" + folder + "/" + d + "/", null, null, false));
            }
            for (String f : tree.files()) {
                BundleFile meta = Layout.hash(dir.resolve(f), folder + "/" + f);
                files.add(meta);
                entries.add(new Entry(Layout.ROOT + "/" + meta.path(), dir.resolve(f), meta, ownerMayExecute(dir.resolve(f))));
            }
        }
        entries.sort(Comparator.comparing(Entry::name, Layout.NAME_ORDER));
        Manifest manifest = new Manifest(files, gitSha, imageRefDigest, createdAt);

        Path out = archiveOut.toAbsolutePath().normalize();
        Files.createDirectories(out.getParent());
        Path tmp = out.resolveSibling("." + out.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            String sha = writeArchive(tmp, manifest, entries);
            long size = Files.size(tmp);
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new Bundle(archiveOut, sha, size, manifest);
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

    private static String writeArchive(Path tmp, Manifest manifest, List<Entry> entries) throws IOException {
        MessageDigest md = Layout.sha256();
        GzipParameters gzip = new GzipParameters();
        gzip.setModificationTime(0);
        gzip.setOS(GzipParameters.OS.UNKNOWN);
        gzip.setCompressionLevel(Deflater.BEST_COMPRESSION);
        try (OutputStream file = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                DigestOutputStream hashed = new DigestOutputStream(new BufferedOutputStream(file, Layout.BUFFER), md);
                GzipCompressorOutputStream gz = new GzipCompressorOutputStream(hashed, gzip);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gz, StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
            tar.putArchiveEntry(entry(Layout.ROOT + "/", DIR_MODE, 0));
            byte[] json = manifest.toJson().getBytes(StandardCharsets.UTF_8);
            tar.putArchiveEntry(entry(Layout.ROOT + "/" + Layout.MANIFEST, FILE_MODE, json.length));
            tar.write(json);
            tar.closeArchiveEntry();
            byte[] buf = new byte[Layout.BUFFER];
            for (Entry e : entries) {
                if (e.file() == null) {
                    tar.putArchiveEntry(entry(e.name(), DIR_MODE, 0));
                    continue;
                }
                tar.putArchiveEntry(entry(e.name(), e.exec() ? EXEC_MODE : FILE_MODE, e.meta().size()));
                copy(e, tar, buf);
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
        return Layout.hex(md.digest());
    }

    /** Streams a file into the archive, refusing it when it no longer matches the manifest. */
    private static void copy(Entry e, OutputStream tar, byte[] buf) throws IOException {
        MessageDigest md = Layout.sha256();
        long left = e.meta().size();
        try (InputStream in = Files.newInputStream(e.file())) {
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                md.update(buf, 0, n);
                tar.write(buf, 0, n);
                left -= n;
            }
            if (left != 0 || in.read() >= 0 || !Layout.hex(md.digest()).equals(e.meta().sha256())) {
                throw new BundleRefused(e.file() + " changed while the bundle was written; write the bundle again");
            }
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

    private static boolean ownerMayExecute(Path file) throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return false;
        }
        return Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).contains(PosixFilePermission.OWNER_EXECUTE);
    }
}
