package dev.dr.steps.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.aws.S3Clients;
import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Settings;
import dev.dr.aws.S3Uri;
import dev.dr.sandbox.LocalS3;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The backup contract: metadata.json and both archives present, at the sizes metadata.json records. */
class BackupContractTest {
    static final String SHA_A = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    static final String SHA_B = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";
    static final BackupMetadata METADATA = new BackupMetadata("b1", "2025-01-31T02:00:00Z",
            new BackupObject("state.tar.zst", SHA_A, 100), new BackupObject("manifests.tar.zst", SHA_B, 20));
    static final S3Uri B1 = S3Uri.parse("s3://drill-artifacts/jobintel/backups/b1");

    static LocalS3 server;

    @BeforeAll
    static void start() throws Exception {
        server = LocalS3.start(null);
        server.createBucket("drill-artifacts");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static S3Objects s3() {
        return new S3Objects(S3Clients.open(new S3Settings(Optional.of("us-east-1"), Optional.of(server.endpoint()), true), false));
    }

    @Test
    void allPresentAtTheirSizes() throws Exception {
        ContractCheck c = BackupContract.check(METADATA, B1,
                Map.of("state.tar.zst", Optional.of(100L), "manifests.tar.zst", Optional.of(20L)));
        assertThat(c.ok()).isTrue();
        assertThat(c.problems()).isEmpty();
        assertThat(c.orRefuse()).isSameAs(c);
        assertThat(c.metadata()).isEqualTo(METADATA);
    }

    @Test
    void aMissingArchive() {
        ContractCheck c = BackupContract.check(METADATA, B1, Map.of("state.tar.zst", Optional.of(100L), "manifests.tar.zst", Optional.empty()));
        assertThat(c.ok()).isFalse();
        assertThat(c.problems()).containsExactly("s3://drill-artifacts/jobintel/backups/b1/manifests.tar.zst: missing;"
                + " a backup holds metadata.json, state.tar.zst and manifests.tar.zst");
        // a size not looked up at all counts as missing too
        assertThat(BackupContract.check(METADATA, B1, Map.of("manifests.tar.zst", Optional.of(20L))).problems())
                .containsExactly("s3://drill-artifacts/jobintel/backups/b1/state.tar.zst: missing;"
                        + " a backup holds metadata.json, state.tar.zst and manifests.tar.zst");
    }

    @Test
    void sizesThatDifferFromTheMetadata() {
        ContractCheck c = BackupContract.check(METADATA, B1,
                Map.of("state.tar.zst", Optional.of(50L), "manifests.tar.zst", Optional.of(21L)));
        assertThat(c.problems()).containsExactly(
                "s3://drill-artifacts/jobintel/backups/b1/state.tar.zst: 50 bytes, metadata.json says 100 (truncated?)",
                "s3://drill-artifacts/jobintel/backups/b1/manifests.tar.zst: 21 bytes, metadata.json says 20");
        assertThatThrownBy(c::orRefuse).isInstanceOf(BackupRefused.class).hasMessage(String.join("\n", c.problems()));
    }

    @Test
    void metadataOfAnotherBackup() {
        ContractCheck c = BackupContract.check(METADATA, S3Uri.parse("s3://drill-artifacts/jobintel/backups/b2"),
                Map.of("state.tar.zst", Optional.of(100L), "manifests.tar.zst", Optional.of(20L)));
        assertThat(c.problems()).containsExactly("s3://drill-artifacts/jobintel/backups/b2/metadata.json: backup_id is 'b1',"
                + " but the backup is at s3://drill-artifacts/jobintel/backups/b2; a backup lives at .../backups/<backup_id>");
    }

    @Test
    void aCompleteBackupInS3() throws Exception {
        S3Uri backup = S3Uri.parse("s3://drill-artifacts/jobintel/backups/complete");
        try (S3Objects s3 = s3()) {
            BackupMetadata m = seed(s3, backup, new byte[100], new byte[20]);
            ContractCheck c = BackupContract.check(s3, backup);
            assertThat(c.problems()).isEmpty();
            assertThat(c.metadata()).isEqualTo(m);
        }
    }

    @Test
    void missingMetadataRefusesBeforeAnythingElse() throws Exception {
        S3Uri backup = S3Uri.parse("s3://drill-artifacts/jobintel/backups/nometadata");
        try (S3Objects s3 = s3()) {
            s3.put(backup.resolve("state.tar.zst"), new byte[100], "application/zstd");
            assertThatThrownBy(() -> BackupContract.check(s3, backup))
                    .isInstanceOf(BackupRefused.class)
                    .hasMessage("s3://drill-artifacts/jobintel/backups/nometadata/metadata.json: missing;"
                            + " a backup holds metadata.json, state.tar.zst and manifests.tar.zst");
        }
    }

    @Test
    void invalidMetadataInS3NamesItsUri() throws Exception {
        S3Uri backup = S3Uri.parse("s3://drill-artifacts/jobintel/backups/badmetadata");
        try (S3Objects s3 = s3()) {
            s3.put(backup.resolve("metadata.json"), "{\"schema_version\": 1}".getBytes(StandardCharsets.UTF_8), "application/json");
            assertThatThrownBy(() -> BackupContract.check(s3, backup))
                    .isInstanceOf(BackupRefused.class)
                    .hasMessage(String.join("\n",
                            "s3://drill-artifacts/jobintel/backups/badmetadata/metadata.json:1:1: missing required key 'backup_id'",
                            "s3://drill-artifacts/jobintel/backups/badmetadata/metadata.json:1:1: missing required key 'created_at'",
                            "s3://drill-artifacts/jobintel/backups/badmetadata/metadata.json:1:1: missing required key 'objects'"));
        }
    }

    @Test
    void aMissingArchiveInS3() throws Exception {
        S3Uri backup = S3Uri.parse("s3://drill-artifacts/jobintel/backups/nomanifests");
        try (S3Objects s3 = s3()) {
            seed(s3, backup, new byte[100], new byte[20]);
            s3.delete(backup.resolve("manifests.tar.zst"));
            assertThat(BackupContract.check(s3, backup).problems())
                    .containsExactly("s3://drill-artifacts/jobintel/backups/nomanifests/manifests.tar.zst: missing;"
                            + " a backup holds metadata.json, state.tar.zst and manifests.tar.zst");
        }
    }

    @Test
    void aSizeMismatchInS3() throws Exception {
        S3Uri backup = S3Uri.parse("s3://drill-artifacts/jobintel/backups/cut");
        try (S3Objects s3 = s3()) {
            seed(s3, backup, new byte[100], new byte[20]);
            s3.put(backup.resolve("state.tar.zst"), new byte[60], "application/zstd");
            assertThat(BackupContract.check(s3, backup).problems())
                    .containsExactly("s3://drill-artifacts/jobintel/backups/cut/state.tar.zst: 60 bytes, metadata.json says 100 (truncated?)");
        }
    }

    /** Puts a backup whose metadata.json vouches for exactly these bytes. */
    static BackupMetadata seed(S3Objects s3, S3Uri backup, byte[] state, byte[] manifests) throws Exception {
        BackupObject st = Archives.object("state.tar.zst", state);
        BackupObject mf = Archives.object("manifests.tar.zst", manifests);
        s3.put(backup.resolve("state.tar.zst"), state, "application/zstd");
        s3.put(backup.resolve("manifests.tar.zst"), manifests, "application/zstd");
        s3.put(backup.resolve("metadata.json"), Archives.metadataJson(backup.name(), st, mf).getBytes(StandardCharsets.UTF_8),
                "application/json");
        return new BackupMetadata(backup.name(), "2025-01-31T02:00:00Z", st, mf);
    }
}
