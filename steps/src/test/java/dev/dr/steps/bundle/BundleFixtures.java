package dev.dr.steps.bundle;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Control-plane folders and archives for the bundle tests. */
final class BundleFixtures {
    static final String GIT = "0123456789abcdef0123456789abcdef01234567";
    static final String IMAGE = "sha256:" + "d".repeat(64);
    static final String CREATED = "2024-05-01T12:00:00Z";
    /** Longer than the 100 bytes a plain tar header holds, so written with a PAX header. */
    static final String LONG = "candidates/" + "deep/".repeat(20) + "long-name.json";

    private BundleFixtures() {}

    /** A small control plane, files written in an order unlike the archive's. */
    static Path controlPlane(Path dir) throws IOException {
        write(dir, "scoring/weights.json", "{\"a\": 1}\n");
        write(dir, "providers/aws.yaml", "region: us-east-1\n");
        write(dir, "candidates/b.json", "[2]\n");
        write(dir, "candidates/a.json", "[1]\n");
        write(dir, "candidates/sub/c.json", "[3]\n");
        write(dir, LONG, "{}\n");
        write(dir, "candidates/é-unicode.txt", "ü\n");
        write(dir, "alerts/run.sh", "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(dir.resolve("alerts/run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(dir.resolve("alerts/empty-folder"));
        write(dir, "README.md", "not part of the control plane\n");
        return dir;
    }

    static void write(Path dir, String path, String content) throws IOException {
        Path f = dir.resolve(path);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content, StandardCharsets.UTF_8);
    }

    /** Entry names to contents (null for folders), in archive order. */
    static Map<String, byte[]> entries(Path archive) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive));
                TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8")) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                out.put(e.getName(), e.isDirectory() ? null : tar.readAllBytes());
            }
        }
        return out;
    }

    /** The archive with its entries changed by {@code change}, written anew (not deterministically). */
    static Path repack(Path archive, Path out, Consumer<Map<String, byte[]>> change) throws IOException {
        Map<String, byte[]> entries = entries(archive);
        change.accept(entries);
        Files.write(out, tarGz(entries));
        return out;
    }

    static byte[] tarGz(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gz, "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (var e : entries.entrySet()) {
                TarArchiveEntry t = new TarArchiveEntry(e.getKey(), true);
                t.setSize(e.getValue() == null ? 0 : e.getValue().length);
                tar.putArchiveEntry(t);
                if (e.getValue() != null) {
                    tar.write(e.getValue());
                }
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    static String sha256(byte[] bytes) {
        return Bundle.Layout.hex(Bundle.Layout.sha256(0).digest(bytes));
    }

    static String sha256(Path file) throws IOException {
        return sha256(Files.readAllBytes(file));
    }

    static InputStream stream(byte[] bytes) {
        return new ByteArrayInputStream(bytes);
    }
}
