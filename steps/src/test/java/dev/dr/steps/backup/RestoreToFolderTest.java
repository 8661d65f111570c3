package dev.dr.steps.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.steps.archive.ExtractLimits;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restoring an archive into a folder: in place only after the whole object's hash matched. */
class RestoreToFolderTest {
    @TempDir
    Path parent;
    Path dest;
    final List<Long> progress = new ArrayList<>();

    @BeforeEach
    void existingDestination() throws IOException {
        dest = parent.resolve("state");
        Files.createDirectories(dest);
        Files.writeString(dest.resolve("marker"), "before the restore");
    }

    @Test
    void restoresTheFilesAndReplacesTheDestinationWhole() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("db/jobs.sqlite", "jobs");
        files.put("db/wal/0001", "wal one");
        files.put("config.json", "{}");
        byte[] archive = Archives.tarZst(files);
        BackupObject expected = Archives.object("state.tar.zst", archive);

        RestoreResult r = restore(archive, expected);

        assertThat(r).isEqualTo(new RestoreResult(expected.sha256(), archive.length, 3, 4 + 7 + 2));
        assertThat(Files.readString(dest.resolve("db/jobs.sqlite"))).isEqualTo("jobs");
        assertThat(Files.readString(dest.resolve("db/wal/0001"))).isEqualTo("wal one");
        assertThat(Files.readString(dest.resolve("config.json"))).isEqualTo("{}");
        assertThat(dest.resolve("marker")).doesNotExist();
        assertThat(progress).containsExactly((long) archive.length);
        assertThat(siblings()).containsExactly("state");
    }

    @Test
    void aMissingDestinationAndItsParentsAreCreated() throws Exception {
        byte[] archive = Archives.tarZst(Map.of("a.txt", "a"));
        Path deep = parent.resolve("x/y/state");
        StreamedRestore.toFolder(new ByteArrayInputStream(archive), Archives.object("state.tar.zst", archive), deep,
                ExtractLimits.backup(), n -> {});
        assertThat(Files.readString(deep.resolve("a.txt"))).isEqualTo("a");
    }

    @Test
    void progressComesEvery8MiBAndOnceAtTheEnd() throws Exception {
        byte[] noise = new byte[20 << 20];
        new Random(7).nextBytes(noise); // incompressible: the archive is about as large
        byte[] archive = Archives.tarZst(tar -> Archives.file(tar, "noise.bin", noise));

        restore(archive, Archives.object("state.tar.zst", archive));

        assertThat(progress).hasSize(3);
        assertThat(progress.get(0)).isBetween(8L << 20, 9L << 20);
        assertThat(progress.get(1) - progress.get(0)).isBetween(8L << 20, 9L << 20);
        assertThat(progress.get(2)).isEqualTo(archive.length);
        assertThat(Files.size(dest.resolve("noise.bin"))).isEqualTo(noise.length);
    }

    @Test
    void aHashMismatchRefusesAndLeavesTheDestinationAsItWas() throws Exception {
        byte[] archive = Archives.tarZst(Map.of("a.txt", "a"));
        String actual = Archives.sha256(archive);
        String other = Archives.sha256("another archive".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> restore(archive, new BackupObject("state.tar.zst", other, archive.length)))
                .isInstanceOf(BackupRefused.class)
                .hasMessage("state.tar.zst: sha256 " + actual + " does not match metadata.json's " + other);
        assertUntouched();
    }

    @Test
    void aFlippedByteIsCaughtByTheHash() throws Exception {
        byte[] noise = new byte[256 << 10];
        new Random(11).nextBytes(noise); // stored raw by zstd: a flipped byte decompresses without error
        byte[] archive = Archives.tarZst(tar -> Archives.file(tar, "noise.bin", noise));
        BackupObject expected = Archives.object("state.tar.zst", archive);
        byte[] altered = archive.clone();
        altered[archive.length / 2] ^= 1;

        assertThatThrownBy(() -> restore(altered, expected))
                .isInstanceOf(BackupRefused.class)
                .hasMessage("state.tar.zst: sha256 " + Archives.sha256(altered) + " does not match metadata.json's "
                        + expected.sha256());
        assertUntouched();
    }

    @Test
    void aTruncatedObjectRefusesWithItsSize() throws Exception {
        byte[] noise = new byte[64 << 10];
        new Random(3).nextBytes(noise);
        byte[] archive = Archives.tarZst(tar -> Archives.file(tar, "noise.bin", noise));
        BackupObject expected = Archives.object("state.tar.zst", archive);
        byte[] half = Arrays.copyOf(archive, archive.length / 2);

        assertThatThrownBy(() -> restore(half, expected))
                .isInstanceOf(BackupRefused.class)
                .hasMessage("state.tar.zst: " + half.length + " bytes, metadata.json says " + archive.length + " (truncated?)");
        assertUntouched();
    }

    @Test
    void theHashCoversWhatFollowsTheTar() throws Exception {
        // a second zstd frame after the tar: the tar's end marker is not the object's end
        byte[] archive = Archives.concat(Archives.tarZst(Map.of("a.txt", "a")), Archives.zstd(new byte[4096]));
        restore(archive, Archives.object("state.tar.zst", archive));
        assertThat(Files.readString(dest.resolve("a.txt"))).isEqualTo("a");

        byte[] tarOnly = Archives.tarZst(Map.of("b.txt", "b"));
        byte[] longer = Archives.concat(tarOnly, Archives.zstd(new byte[4096]));
        assertThatThrownBy(() -> restore(longer, Archives.object("state.tar.zst", tarOnly)))
                .isInstanceOf(BackupRefused.class)
                .hasMessage("state.tar.zst: " + longer.length + " bytes, metadata.json says " + tarOnly.length);
        assertThat(Files.readString(dest.resolve("a.txt"))).isEqualTo("a");
        assertThat(siblings()).containsExactly("state");
    }

    @Test
    void anObjectLongerThanTheMetadataSaysIsNotReadToItsEnd() throws Exception {
        byte[] archive = Archives.tarZst(Map.of("a.txt", "a"));
        byte[] garbage = new byte[4 << 20];
        new Random(9).nextBytes(garbage);
        assertThatThrownBy(() -> restore(Archives.concat(archive, garbage), Archives.object("state.tar.zst", archive)))
                .isInstanceOf(BackupRefused.class)
                .hasMessage("state.tar.zst: more than " + archive.length + " bytes, metadata.json says " + archive.length);
        assertUntouched();
    }

    @Test
    void anEntryThatClimbsOutIsRefusedThoughTheHashMatches() throws Exception {
        byte[] archive = Archives.tarZst(tar -> {
            Archives.file(tar, "ok.txt", new byte[] {1});
            Archives.file(tar, "../evil", new byte[] {2});
        });
        assertThatThrownBy(() -> restore(archive, Archives.object("state.tar.zst", archive)))
                .isInstanceOf(BackupRefused.class)
                .hasMessage("state.tar.zst: entry ../evil: path escapes the destination");
        assertUntouched();
        assertThat(parent.getParent().resolve("evil")).doesNotExist();
    }

    @Test
    void aLinkOutIsRefused() throws Exception {
        byte[] archive = Archives.tarZst(tar -> Archives.entry(tar, "etc", TarConstants.LF_SYMLINK, "/etc"));
        assertThatThrownBy(() -> restore(archive, Archives.object("state.tar.zst", archive)))
                .isInstanceOf(BackupRefused.class)
                .hasMessage("state.tar.zst: entry etc: symlink target /etc is absolute");
        assertUntouched();
    }

    @Test
    void aZipBombIsRefusedByTheRatioLongBeforeItIsWritten() throws Exception {
        byte[] bomb = Archives.tarZst(tar -> Archives.zeros(tar, "zeros", 512L << 20));
        assertThat(bomb.length).as("512 MiB of zeros compress to a few KiB").isLessThan(64 << 10);

        long start = System.nanoTime();
        assertThatThrownBy(() -> restore(bomb, Archives.object("state.tar.zst", bomb)))
                .isInstanceOf(BackupRefused.class)
                .hasMessageMatching("state.tar\\.zst: entry zeros: the archive expands \\d+× its compressed size,"
                        + " more than the limit of 1000×")
                .satisfies(e -> assertThat(ratio(e.getMessage())).as("refused just past the limit, not after 512 MiB")
                        .isLessThan(1100));
        assertThat(System.nanoTime() - start).as("refused in seconds").isLessThan(30_000_000_000L);
        assertUntouched();
    }

    @Test
    void aFailureToReadTheObjectIsPassedOnForARetry() throws Exception {
        byte[] noise = new byte[256 << 10];
        new Random(5).nextBytes(noise);
        byte[] archive = Archives.tarZst(tar -> Archives.file(tar, "noise.bin", noise));
        InputStream dropping = new FilterInputStream(new ByteArrayInputStream(archive)) {
            long read;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (read > archive.length / 2) {
                    throw new IOException("connection reset");
                }
                int n = super.read(b, off, Math.min(len, 4096));
                read += Math.max(n, 0);
                return n;
            }
        };
        assertThatThrownBy(() -> StreamedRestore.toFolder(dropping, Archives.object("state.tar.zst", archive), dest,
                ExtractLimits.backup(), progress::add))
                .isNotInstanceOf(BackupRefused.class)
                .isInstanceOf(IOException.class)
                .hasMessageContaining("connection reset");
        assertUntouched();
    }

    @Test
    void anInterruptedRestoreStopsItsThreadsAndLeavesTheDestinationAsItWas() throws Exception {
        byte[] noise = new byte[4 << 20];
        new Random(9).nextBytes(noise);
        byte[] archive = Archives.tarZst(tar -> Archives.file(tar, "noise.bin", noise));
        java.util.concurrent.CountDownLatch stalled = new java.util.concurrent.CountDownLatch(1);
        InputStream stalling = new FilterInputStream(new ByteArrayInputStream(archive)) {
            long read;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (read > archive.length / 2) {
                    stalled.countDown();
                    try {
                        new java.util.concurrent.CountDownLatch(1).await(); // as a connection that stops sending
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException("read interrupted");
                    }
                }
                int n = super.read(b, off, Math.min(len, 4096));
                read += Math.max(n, 0);
                return n;
            }
        };
        java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        Thread restore = new Thread(() -> {
            try {
                StreamedRestore.toFolder(stalling, Archives.object("state.tar.zst", archive), dest, ExtractLimits.backup(),
                        progress::add);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        restore.start();
        assertThat(stalled.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        restore.interrupt();
        restore.join(15_000);
        assertThat(restore.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(java.io.InterruptedIOException.class);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("dr-restore-") && t.isAlive());
        assertUntouched();
    }

    RestoreResult restore(byte[] object, BackupObject expected) throws IOException {
        return StreamedRestore.toFolder(new ByteArrayInputStream(object), expected, dest, ExtractLimits.backup(), progress::add);
    }

    /** The destination still holds only its marker, and no staging folder is left beside it. */
    void assertUntouched() throws IOException {
        assertThat(Files.readString(dest.resolve("marker"))).isEqualTo("before the restore");
        try (Stream<Path> s = Files.list(dest)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("marker");
        }
        assertThat(siblings()).containsExactly("state");
    }

    List<String> siblings() throws IOException {
        try (Stream<Path> s = Files.list(parent)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static long ratio(String message) {
        Matcher m = Pattern.compile("expands (\\d+)×").matcher(message);
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }
}
