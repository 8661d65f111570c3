package dev.dr.steps.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.aws.S3Clients;
import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Settings;
import dev.dr.aws.S3Uri;
import dev.dr.sandbox.LocalS3;
import dev.dr.steps.archive.ExtractLimits;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** Restoring an archive below an S3 prefix: staged, verified, then copied into place. */
class RestoreToS3Test {
    static LocalS3 server;

    S3Objects s3;
    S3Uri dest;
    final List<Long> progress = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = LocalS3.start(null);
        server.createBucket("restored");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @BeforeEach
    void client(TestInfo test) throws Exception {
        s3 = new S3Objects(S3Clients.open(new S3Settings(Optional.of("us-east-1"), Optional.of(server.endpoint()), true), false));
        dest = S3Uri.parse("s3://restored/" + test.getTestMethod().orElseThrow().getName() + "/state");
        s3.put(dest.resolve("db/jobs.sqlite"), "before the restore".getBytes(StandardCharsets.UTF_8), "application/octet-stream");
    }

    @AfterEach
    void close() {
        s3.close();
    }

    @Test
    void uploadsEachFileThenMovesItIntoPlace() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("./db/", "");
        files.put("db/jobs.sqlite", "jobs");
        files.put("db/wal/0001", "wal one");
        files.put("empty", "");
        byte[] archive = Archives.tarZst(tar -> {
            Archives.entry(tar, "db/", TarConstants.LF_DIR, null);
            Archives.file(tar, "./db/jobs.sqlite", "jobs".getBytes(StandardCharsets.UTF_8));
            Archives.file(tar, "db/wal/0001", "wal one".getBytes(StandardCharsets.UTF_8));
            Archives.file(tar, "empty", new byte[0]);
        });
        BackupObject expected = Archives.object("state.tar.zst", archive);

        RestoreResult r = restore(archive, expected);

        assertThat(r).isEqualTo(new RestoreResult(expected.sha256(), archive.length, 3, 4 + 7));
        assertThat(keys()).containsExactly("db/jobs.sqlite", "db/wal/0001", "empty");
        assertThat(text("db/jobs.sqlite")).isEqualTo("jobs");
        assertThat(text("db/wal/0001")).isEqualTo("wal one");
        assertThat(text("empty")).isEmpty();
        assertThat(progress).containsExactly((long) archive.length);
    }

    @Test
    void aFileLargerThanOnePartGoesUpInParts() throws Exception {
        byte[] noise = new byte[EntryUpload.PART * 2 + 12345];
        new Random(2).nextBytes(noise);
        byte[] archive = Archives.tarZst(tar -> Archives.file(tar, "db/big.bin", noise));

        RestoreResult r = restore(archive, Archives.object("state.tar.zst", archive));

        assertThat(r.files()).isEqualTo(1);
        assertThat(r.bytes()).isEqualTo(noise.length);
        assertThat(keys()).containsExactly("db/big.bin", "db/jobs.sqlite");
        try (InputStream in = s3.open(dest.resolve("db/big.bin"))) {
            assertThat(Archives.sha256(in.readAllBytes())).isEqualTo(Archives.sha256(noise));
        }
        assertThat(progress).last().isEqualTo((long) archive.length);
    }

    @Test
    void aHashMismatchLeavesNeitherDestinationNorStagingObjects() throws Exception {
        byte[] archive = Archives.tarZst(Map.of("db/jobs.sqlite", "new jobs", "db/other", "other"));
        String other = Archives.sha256("another archive".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> restore(archive, new BackupObject("state.tar.zst", other, archive.length)))
                .isInstanceOf(BackupRefused.class)
                .hasMessage("state.tar.zst: sha256 " + Archives.sha256(archive) + " does not match metadata.json's " + other);
        assertUntouched();
    }

    @Test
    void aTruncatedObjectStagesNothingThatStays() throws Exception {
        byte[] noise = new byte[256 << 10];
        new Random(1).nextBytes(noise);
        byte[] archive = Archives.tarZst(tar -> {
            Archives.file(tar, "first", "first".getBytes(StandardCharsets.UTF_8));
            Archives.file(tar, "noise.bin", noise);
        });
        byte[] half = java.util.Arrays.copyOf(archive, archive.length / 2);
        assertThatThrownBy(() -> restore(half, Archives.object("state.tar.zst", archive)))
                .isInstanceOf(BackupRefused.class)
                .hasMessage("state.tar.zst: " + half.length + " bytes, metadata.json says " + archive.length + " (truncated?)");
        assertUntouched();
    }

    @Test
    void entriesThatCannotBeObjectsAreRefused() throws Exception {
        assertRefused(tar -> {
            Archives.file(tar, "ok", new byte[] {1});
            Archives.file(tar, "../evil", new byte[] {2});
        }, "state.tar.zst: entry ../evil: path escapes the destination");
        assertRefused(tar -> Archives.entry(tar, "current", TarConstants.LF_SYMLINK, "db"),
                "state.tar.zst: entry current: symlink to db: links cannot be restored to S3");
        assertRefused(tar -> Archives.file(tar, ".dr-staging/other-run/x", new byte[] {1}),
                "state.tar.zst: entry .dr-staging/other-run/x: .dr-staging is where the restore stages objects");
        assertUntouched();
    }

    @Test
    void aZipBombIsRefusedWhileItUploads() throws Exception {
        byte[] bomb = Archives.tarZst(tar -> {
            Archives.file(tar, "small", new byte[] {1});
            Archives.zeros(tar, "zeros", 512L << 20);
        });
        assertThatThrownBy(() -> restore(bomb, Archives.object("state.tar.zst", bomb)))
                .isInstanceOf(BackupRefused.class)
                .hasMessageMatching("state\\.tar\\.zst: entry zeros: the archive expands \\d+× its compressed size,"
                        + " more than the limit of 1000×")
                .satisfies(e -> assertThat(RestoreToFolderTest.ratio(e.getMessage())).isLessThan(1100));
        assertUntouched();
    }

    @Test
    void aRunIdMustBeASingleSegment() {
        assertThatThrownBy(() -> StreamedRestore.toS3(InputStream.nullInputStream(), Archives.object("state.tar.zst", new byte[0]),
                s3, dest, "../x", ExtractLimits.backup(), n -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("run id '../x' cannot name a staging prefix (letters, digits, dots, dashes and underscores)");
    }

    RestoreResult restore(byte[] object, BackupObject expected) throws Exception {
        return StreamedRestore.toS3(new ByteArrayInputStream(object), expected, s3, dest, "run-1", ExtractLimits.backup(), progress::add);
    }

    void assertRefused(Archives.Content content, String message) throws Exception {
        byte[] archive = Archives.tarZst(content);
        assertThatThrownBy(() -> restore(archive, Archives.object("state.tar.zst", archive)))
                .isInstanceOf(BackupRefused.class)
                .hasMessage(message);
    }

    /** Only the object from before the restore is there: nothing restored, nothing staged. */
    void assertUntouched() throws Exception {
        assertThat(keys()).containsExactly("db/jobs.sqlite");
        assertThat(text("db/jobs.sqlite")).isEqualTo("before the restore");
    }

    /** Every key below the destination's parent, relative to the destination. */
    List<String> keys() throws Exception {
        S3Uri top = S3Uri.parse("s3://restored/" + dest.key().substring(0, dest.key().indexOf('/')));
        return s3.list(top).stream().map(o -> o.key().substring(dest.key().length() + 1)).toList();
    }

    String text(String path) throws Exception {
        try (InputStream in = s3.open(dest.resolve(path))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
