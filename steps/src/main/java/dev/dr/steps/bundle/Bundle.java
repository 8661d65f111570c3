package dev.dr.steps.bundle;

import dev.dr.steps.digest.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A bundle written by {@link BundleWriter}.
 *
 * @param archive  the .tar.gz
 * @param sha256   of the archive's bytes, lower-case hex: what the pointer names
 * @param size     of the archive in bytes
 * @param manifest the manifest inside it
 */
public record Bundle(Path archive, String sha256, long size, Manifest manifest) {

    /** What writer, reader and renderer agree on: the folders, the order of names, hashing, walking. */
    static final class Layout {
        /** The control plane's folders (the runbook's), in name order. */
        static final List<String> FOLDERS = List.of("alerts", "candidates", "providers", "scoring");
        static final String ROOT = "control-plane";
        static final String MANIFEST = "manifest.json";
        static final int BUFFER = 128 * 1024;

        /**
         * Byte order of the UTF-8 names: what {@code LC_ALL=C sort} gives, and unlike
         * {@link String#compareTo} the same for names outside the Basic Multilingual Plane. It is
         * the names' code point order, compared char by char without encoding them: a publish
         * sorts its 10,000 names more than once.
         */
        static final Comparator<String> NAME_ORDER = Layout::compareCodePoints;

        private Layout() {}

        private static int compareCodePoints(String a, String b) {
            int n = Math.min(a.length(), b.length());
            for (int i = 0; i < n; i++) {
                int x = a.charAt(i);
                int y = b.charAt(i);
                if (x != y) {
                    // UTF-16 puts the surrogates (code points above U+FFFF) below U+E000..U+FFFF, UTF-8 above
                    if (x >= 0xD800 && y >= 0xD800) {
                        x = x >= 0xE000 ? x - 0x800 : x + 0x2000;
                        y = y >= 0xE000 ? y - 0x800 : y + 0x2000;
                    }
                    return x - y;
                }
            }
            return a.length() - b.length();
        }

        static boolean isSha256(String s) {
            return s.length() == 64 && s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
        }

        /** A digest for the next file of a bundle, after {@code hashedSoFar} bytes (see {@link Sha256#forNext}). */
        static MessageDigest sha256(long hashedSoFar) {
            return Sha256.forNext(hashedSoFar);
        }

        static String hex(byte[] digest) {
            return Sha256.hex(digest);
        }

        /** A file's SHA-256 and size, read once, in a fixed buffer. */
        static BundleFile hash(Path file, String path, long hashedSoFar) throws IOException {
            MessageDigest md = sha256(hashedSoFar);
            byte[] buf = new byte[BUFFER];
            long size = 0;
            try (InputStream in = Files.newInputStream(file)) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    md.update(buf, 0, n);
                    size += n;
                }
            }
            return new BundleFile(path, hex(md.digest()), size);
        }

        /**
         * The folders and regular files below {@code dir}, relative to it and {@code /}-separated,
         * in {@link #NAME_ORDER}; symlinks are not followed but listed in {@code others}, with
         * anything else that is neither file nor folder. {@code executable} holds the files
         * whose owner may execute them; {@code sizes} each file's size and {@code bytes} their sum, as
         * listed.
         */
        record Tree(List<String> dirs, List<String> files, List<String> others, Set<String> executable, Map<String, Long> sizes,
                long bytes) {}

        static Tree walk(Path dir) throws IOException {
            List<String> dirs = new ArrayList<>();
            List<String> files = new ArrayList<>();
            List<String> others = new ArrayList<>();
            Set<String> executable = new TreeSet<>();
            Map<String, Long> sizes = new HashMap<>();
            long[] bytes = {0};
            boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    if (!d.equals(dir)) {
                        dirs.add(relative(dir, d));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    String rel = relative(dir, f);
                    (attrs.isRegularFile() ? files : others).add(rel);
                    if (attrs.isRegularFile()) {
                        sizes.put(rel, attrs.size());
                        bytes[0] += attrs.size();
                    }
                    if (attrs.isRegularFile() && posix && ownerMayExecute(f, attrs)) {
                        executable.add(rel);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
            dirs.sort(NAME_ORDER);
            files.sort(NAME_ORDER);
            others.sort(NAME_ORDER);
            return new Tree(dirs, files, others, executable, sizes, bytes[0]);
        }

        /** The walk's attributes already hold the mode on Unix; elsewhere it takes a look-up of its own. */
        private static boolean ownerMayExecute(Path f, BasicFileAttributes attrs) throws IOException {
            Set<PosixFilePermission> perms = attrs instanceof PosixFileAttributes p ? p.permissions()
                    : Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS);
            return perms.contains(PosixFilePermission.OWNER_EXECUTE);
        }

        /** {@code /}-separated whatever the platform's separator. */
        static String relative(Path base, Path p) {
            List<String> parts = new ArrayList<>();
            base.relativize(p).forEach(part -> parts.add(part.toString()));
            return String.join("/", parts);
        }
    }
}
