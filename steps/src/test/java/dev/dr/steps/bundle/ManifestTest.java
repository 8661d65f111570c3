package dev.dr.steps.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestTest {
    static final String A = "a".repeat(64);
    static final String B = "b".repeat(64);

    static Manifest parse(String json) throws IOException {
        return Manifest.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    static void assertRefused(String json, String message) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(BundleRefused.class).hasMessage(message);
    }

    /** A valid document with one field's text swapped for another. */
    static String valid(String field, String replacement) {
        String json = new Manifest(List.of(new BundleFile("alerts/x.yaml", A, 3)), "c0ffee", "sha256:d1", "2024-05-01T00:00:00Z").toJson();
        assertThat(json).contains(field);
        return json.replace(field, replacement);
    }

    @Test
    void printsTheRunbooksFieldsInAFixedOrderWithFilesSortedByPath() {
        Manifest m = new Manifest(List.of(new BundleFile("scoring/w.json", B, 12), new BundleFile("alerts/r.yaml", A, 0)),
                "0123456789abcdef0123456789abcdef01234567", "sha256:" + "e".repeat(64), "2024-05-01T12:00:00Z");
        assertThat(m.toJson()).isEqualTo("""
                {
                  "files": [
                    {
                      "path": "alerts/r.yaml",
                      "sha256": "%s",
                      "size": 0
                    },
                    {
                      "path": "scoring/w.json",
                      "sha256": "%s",
                      "size": 12
                    }
                  ],
                  "file_count": 2,
                  "git_sha": "0123456789abcdef0123456789abcdef01234567",
                  "image_ref_digest": "sha256:%s",
                  "created_at": "2024-05-01T12:00:00Z"
                }
                """.formatted(A, B, "e".repeat(64)));
        assertThat(m.fileCount()).isEqualTo(2);
        assertThat(m.files()).extracting(BundleFile::path).containsExactly("alerts/r.yaml", "scoring/w.json");
    }

    @Test
    void printsNoFilesAsAnEmptyArray() {
        assertThat(new Manifest(List.of(), "", "", "t").toJson())
                .isEqualTo("{\n  \"files\": [],\n  \"file_count\": 0,\n  \"git_sha\": \"\",\n  \"image_ref_digest\": \"\",\n  \"created_at\": \"t\"\n}\n");
    }

    @Test
    void sortsPathsByTheirUtf8Bytes() {
        // U+FF5E sorts after U+1F600 in UTF-16 but before it in UTF-8
        Manifest m = new Manifest(List.of(new BundleFile("alerts/\uD83D\uDE00", A, 1), new BundleFile("alerts/\uFF5E", A, 1),
                new BundleFile("alerts/Z", A, 1), new BundleFile("alerts/a", A, 1)), "g", "i", "t");
        assertThat(m.files()).extracting(BundleFile::path)
                .containsExactly("alerts/Z", "alerts/a", "alerts/\uFF5E", "alerts/\uD83D\uDE00");
    }

    @Test
    void parsesWhatItPrints() throws IOException {
        Manifest m = new Manifest(List.of(new BundleFile("providers/p \"q\"\\.txt", A, 7), new BundleFile("candidates/é.json", B, 1L << 40)),
                "g", "i", "2024-05-01T12:00:00Z");
        assertThat(parse(m.toJson())).isEqualTo(m);
    }

    @Test
    void ignoresFieldsItDoesNotKnow() throws IOException {
        assertThat(parse(valid("\"file_count\"", "\"later\": {\"x\": [1]},\n  \"file_count\"")).fileCount()).isEqualTo(1);
    }

    @Test
    void refusesWhatIsNotAJsonObject() {
        assertThat(catchMessage("[1]")).isEqualTo("manifest.json: expected a JSON object, not ARRAY");
        assertThat(catchMessage("{")).startsWith("manifest.json: not JSON: ");
    }

    @Test
    void refusesMissingOrIllTypedFieldsNamingThem() {
        assertRefused("{}", "manifest.json: files: missing");
        assertRefused("{\"files\": {}}", "manifest.json: files: must be an array");
        assertRefused("{\"files\": [1]}", "manifest.json: files[0]: must be an object with path, sha256 and size");
        assertRefused(valid("\"path\": \"alerts/x.yaml\",", ""), "manifest.json: files[0].path: missing");
        assertRefused(valid("\"sha256\": \"" + A + "\"", "\"sha256\": 5"), "manifest.json: files[0].sha256: must be a string, not NUMBER");
        assertRefused(valid(A, "A".repeat(64)), "manifest.json: files[0].sha256: must be 64 lower-case hex digits, not " + "A".repeat(64));
        assertRefused(valid("\"size\": 3", "\"size\": 3.5"), "manifest.json: files[0].size: must be a whole number of at least 0, not 3.5");
        assertRefused(valid("\"size\": 3", "\"size\": -1"), "manifest.json: files[0].size: must be a whole number of at least 0, not -1");
        assertRefused(valid("\"size\": 3", "\"size\": \"3\""), "manifest.json: files[0].size: must be a whole number of at least 0, not \"3\"");
        assertRefused(valid("\"file_count\": 1", "\"file_count\": 2"), "manifest.json: file_count: 2, but files lists 1");
        assertRefused(valid("\"file_count\": 1,", ""), "manifest.json: file_count: missing");
        assertRefused(valid("\"git_sha\": \"c0ffee\",", ""), "manifest.json: git_sha: missing");
        assertRefused(valid("\"image_ref_digest\": \"sha256:d1\"", "\"image_ref_digest\": null"), "manifest.json: image_ref_digest: missing");
        assertRefused(valid("\"created_at\": \"2024-05-01T00:00:00Z\"", "\"created_at\": 20240501"),
                "manifest.json: created_at: must be a string, not NUMBER");
    }

    @Test
    void refusesPathsOutsideTheFoldersOrListedTwice() {
        assertRefused(valid("alerts/x.yaml", "../x"),
                "manifest.json: files[0].path ../x: not inside one of alerts/, candidates/, providers/, scoring/");
        assertRefused(valid("alerts/x.yaml", "alerts/../../x"), "manifest.json: files[0].path alerts/../../x: not a plain relative path");
        assertRefused(valid("alerts/x.yaml", "alerts//x"), "manifest.json: files[0].path alerts//x: not a plain relative path");
        assertRefused(valid("alerts/x.yaml", "manifest.json"),
                "manifest.json: files[0].path manifest.json: not inside one of alerts/, candidates/, providers/, scoring/");
        String twice = valid("\"files\": [", "\"files\": [{\"path\": \"alerts/x.yaml\", \"sha256\": \"" + B + "\", \"size\": 1},")
                .replace("\"file_count\": 1", "\"file_count\": 2");
        assertRefused(twice, "manifest.json: files[1].path alerts/x.yaml: listed twice");
    }

    @Test
    void theRecordRefusesDuplicatesAndBadHashes() {
        assertThatThrownBy(() -> new Manifest(List.of(new BundleFile("alerts/a", A, 1), new BundleFile("alerts/a", B, 2)), "g", "i", "t"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("alerts/a is listed twice");
        assertThatThrownBy(() -> new BundleFile("alerts/a", "xyz", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("alerts/a: sha256 must be 64 lower-case hex digits, not xyz");
    }

    static String catchMessage(String json) {
        try {
            parse(json);
            throw new AssertionError("not refused: " + json);
        } catch (IOException e) {
            assertThat(e).isInstanceOf(BundleRefused.class);
            return e.getMessage();
        }
    }
}
