package dev.dr.steps.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** metadata.json: the schema's checks, with messages that point at the line, column and field. */
class BackupMetadataTest {
    static final Path SAMPLE = Path.of(System.getProperty("dr.projectDir", "."))
            .resolve("steps/src/test/resources/dr/backup/metadata.json");
    static final String ORIGIN = "s3://drill-artifacts/jobintel/backups/20250131T020000Z/metadata.json";
    static final String SHA_A = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    static final String SHA_B = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";

    @Test
    void aValidDocumentParses() throws Exception {
        BackupMetadata m = BackupMetadata.parse(Files.readAllBytes(SAMPLE), ORIGIN);
        assertThat(m.backupId()).isEqualTo("20250131T020000Z");
        assertThat(m.createdAt()).isEqualTo("2025-01-31T02:00:00Z");
        assertThat(m.state()).isEqualTo(new BackupObject("state.tar.zst", SHA_A, 1048576));
        assertThat(m.manifests()).isEqualTo(new BackupObject("manifests.tar.zst", SHA_B, 2048));
        assertThat(m.archives()).containsExactly(m.state(), m.manifests());
    }

    @Test
    void sourceIsOptional() throws Exception {
        BackupMetadata m = parse(doc("\"sha256\": \"" + SHA_A + "\", \"size\": 0", false));
        assertThat(m.state().size()).isZero();
        assertThat(m.createdAt()).isEqualTo("2025-01-31T02:00:00.250+01:00");
    }

    @Test
    void aShaThatIsNotLowerCaseHex() {
        assertThatThrownBy(() -> parse(doc("\"sha256\": \"" + SHA_A.toUpperCase() + "\", \"size\": 10", false)))
                .isInstanceOf(BackupRefused.class)
                .hasMessage(ORIGIN + ":6:33: objects.state.tar.zst.sha256: expected the SHA-256 of the object's bytes,"
                        + " as 64 lower-case hex digits; was '" + SHA_A.toUpperCase() + "'");
    }

    @Test
    void aMissingObject() {
        String json = """
                {
                  "schema_version": 1,
                  "backup_id": "b1",
                  "created_at": "2025-01-31T02:00:00Z",
                  "objects": {
                    "state.tar.zst": {"sha256": "%s", "size": 10}
                  }
                }
                """.formatted(SHA_A);
        assertThatThrownBy(() -> parse(json)).isInstanceOf(BackupRefused.class)
                .hasMessage(ORIGIN + ":5:14: objects: missing required key 'manifests.tar.zst'");
    }

    @Test
    void anExtraKey() {
        String json = doc("\"sha256\": \"" + SHA_A + "\", \"size\": 10", false).replace("\"schema_version\": 1,",
                "\"schema_version\": 1,\n  \"retention_days\": 30,");
        assertThatThrownBy(() -> parse(json)).isInstanceOf(BackupRefused.class)
                .hasMessage(ORIGIN + ":3:3: retention_days: unknown key 'retention_days'"
                        + " (expected one of: backup_id, created_at, objects, schema_version, source)");
    }

    @Test
    void anExtraKeyInAnObject() {
        assertThatThrownBy(() -> parse(doc("\"sha256\": \"" + SHA_A + "\", \"size\": 10, \"md5\": \"x\"", false)))
                .isInstanceOf(BackupRefused.class)
                .hasMessage(ORIGIN + ":6:113: objects.state.tar.zst.md5: unknown key 'md5' (expected one of: sha256, size)");
    }

    @Test
    void aWrongType() {
        assertThatThrownBy(() -> parse(doc("\"sha256\": \"" + SHA_A + "\", \"size\": \"10\"", false)))
                .isInstanceOf(BackupRefused.class)
                .hasMessage(ORIGIN + ":6:109: objects.state.tar.zst.size: expected an integer, was '10'");
    }

    @Test
    void everyProblemIsListedOnItsOwnLine() {
        String json = """
                {
                  "schema_version": 2,
                  "backup_id": "",
                  "created_at": "yesterday",
                  "objects": {
                    "state.tar.zst": {"sha256": "%s", "size": -1},
                    "manifests.tar.zst": {"size": 1.5}
                  }
                }
                """.formatted(SHA_A);
        assertThatThrownBy(() -> parse(json)).isInstanceOf(BackupRefused.class).hasMessage(String.join("\n",
                ORIGIN + ":2:21: schema_version: expected '1', was the number 2",
                ORIGIN + ":3:16: backup_id: must not be empty",
                ORIGIN + ":4:17: created_at: expected an RFC 3339 timestamp with a time zone, e.g. 2025-01-31T02:00:00Z,"
                        + " when the backup was taken; was 'yesterday'",
                ORIGIN + ":6:109: objects.state.tar.zst.size: must be >= 0, was -1",
                ORIGIN + ":7:26: objects.manifests.tar.zst: missing required key 'sha256'",
                ORIGIN + ":7:35: objects.manifests.tar.zst.size: expected an integer, was the number 1.5"));
    }

    @Test
    void notJson() {
        assertThatThrownBy(() -> parse("{\n  \"schema_version\": 1,\n  backup_id: \"b1\"\n}"))
                .isInstanceOf(BackupRefused.class)
                .hasMessage(ORIGIN + ":3:3: not valid JSON: Unexpected character ('b' (code 98)):"
                        + " was expecting double-quote to start property name");
        assertThatThrownBy(() -> parse("")).isInstanceOf(BackupRefused.class)
                .hasMessage(ORIGIN + ": empty; expected a JSON object with schema_version, backup_id, created_at and objects");
        assertThatThrownBy(() -> parse("[]")).isInstanceOf(BackupRefused.class)
                .hasMessage(ORIGIN + ":1:1: expected a JSON object with schema_version, backup_id, created_at and objects");
        assertThatThrownBy(() -> parse("{} {}")).isInstanceOf(BackupRefused.class)
                .hasMessage(ORIGIN + ":1:4: more after the end of the JSON document; it holds exactly one object");
    }

    @Test
    void aDuplicateKeyIsRefusedRatherThanOneValueWinning() {
        assertThatThrownBy(() -> parse("{\"backup_id\": \"a\",\n \"backup_id\": \"b\"}"))
                .isInstanceOf(BackupRefused.class)
                .hasMessage(ORIGIN + ":2:13: not valid JSON: Duplicate Object property \"backup_id\"");
    }

    @Test
    void nestingPastTheLimitIsRefusedWhereItStarts() {
        String deep = "{\"a\": " + "[".repeat(40) + "]".repeat(40) + "}";
        assertThatThrownBy(() -> parse(deep)).isInstanceOf(BackupRefused.class)
                .hasMessage(ORIGIN + ":1:39: nesting deeper than 32 levels");
    }

    @Test
    void aSizeBeyondALong() {
        assertThatThrownBy(() -> parse(doc("\"sha256\": \"" + SHA_A + "\", \"size\": 9223372036854775808", false)))
                .isInstanceOf(BackupRefused.class)
                .hasMessage(ORIGIN + ":6:109: objects.state.tar.zst.size: expected a size in bytes below 2^63,"
                        + " was the number 9223372036854775808");
    }

    static BackupMetadata parse(String json) throws BackupRefused {
        return BackupMetadata.parse(json.getBytes(StandardCharsets.UTF_8), ORIGIN);
    }

    /** A document whose state.tar.zst entry holds {@code state}; manifests.tar.zst is valid. */
    static String doc(String state, boolean withSource) {
        return "{\n"
                + "  \"schema_version\": 1,\n"
                + "  \"backup_id\": \"b1\",\n"
                + "  \"created_at\": \"2025-01-31T02:00:00.250+01:00\",\n"
                + (withSource ? "  \"source\": {\"region\": \"us-east-1\"},\n" : "")
                + "  \"objects\": {\n"
                + "    \"state.tar.zst\": {" + state + "},\n"
                + "    \"manifests.tar.zst\": {\"sha256\": \"" + SHA_B + "\", \"size\": 2048}\n"
                + "  }\n"
                + "}\n";
    }
}
