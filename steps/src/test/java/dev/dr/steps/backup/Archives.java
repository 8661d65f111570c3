package dev.dr.steps.backup;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Test archives built in memory: .tar.zst bytes as the backup job writes them, and their metadata. */
final class Archives {
    private Archives() {}

    /** Writes entries into an open tar. */
    interface Content {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    /** A .tar.zst of regular files, in the map's order. */
    static byte[] tarZst(Map<String, String> files) throws IOException {
        return tarZst(tar -> {
            for (Map.Entry<String, String> f : files.entrySet()) {
                file(tar, f.getKey(), f.getValue().getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    static byte[] tarZst(Content content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZstdOutputStream zstd = new ZstdOutputStream(out, 3);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(zstd)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            content.write(tar);
            tar.finish();
        }
        return out.toByteArray();
    }

    static void file(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(bytes.length);
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    /** A file of {@code size} zero bytes, written without holding them. */
    static void zeros(TarArchiveOutputStream tar, String name, long size) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(size);
        tar.putArchiveEntry(e);
        byte[] chunk = new byte[1 << 20];
        for (long left = size; left > 0; left -= chunk.length) {
            tar.write(chunk, 0, (int) Math.min(chunk.length, left));
        }
        tar.closeArchiveEntry();
    }

    static void entry(TarArchiveOutputStream tar, String name, byte type, String link) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, type);
        if (link != null) {
            e.setLinkName(link);
        }
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    /** zstd of raw bytes (not a tar): what may follow a tar in the same object. */
    static byte[] zstd(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = new ZstdOutputStream(out, 3)) {
            z.write(raw);
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The metadata entry that vouches for exactly these bytes. */
    static BackupObject object(String name, byte[] bytes) {
        return new BackupObject(name, sha256(bytes), bytes.length);
    }

    static String metadataJson(String backupId, BackupObject state, BackupObject manifests) {
        return "{\n"
                + "  \"schema_version\": 1,\n"
                + "  \"backup_id\": \"" + backupId + "\",\n"
                + "  \"created_at\": \"2025-01-31T02:00:00Z\",\n"
                + "  \"objects\": {\n"
                + "    \"state.tar.zst\": {\"sha256\": \"" + state.sha256() + "\", \"size\": " + state.size() + "},\n"
                + "    \"manifests.tar.zst\": {\"sha256\": \"" + manifests.sha256() + "\", \"size\": " + manifests.size() + "}\n"
                + "  }\n"
                + "}\n";
    }
}
