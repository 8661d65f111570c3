package dev.dr.steps.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.step.StepFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Manifests checked as YAML documents, without the Kubernetes client: what each error names. */
class ManifestCheckTest {
    static final String LABEL = "backup.restore manifests.tar.zst";

    @TempDir
    Path dir;

    Path write(String name, String... lines) throws Exception {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
    }

    String error() {
        try {
            ManifestCheck.check(dir, LABEL);
        } catch (StepFailure e) {
            return e.getMessage();
        }
        throw new AssertionError("expected the check to fail");
    }

    @Test
    void readsEveryDocumentOfEveryFileInNameOrderAndTheItemsOfALists() throws Exception {
        write("20-b.yml", "apiVersion: v1", "kind: List", "items:",
                "- {apiVersion: v1, kind: Secret, metadata: {name: s1}}",
                "- {apiVersion: v1, kind: ServiceAccount, metadata: {name: sa}}");
        write("10-a.yaml", "# a comment before the first document", "---", "apiVersion: v1", "kind: ConfigMap",
                "metadata:", "  name: settings", "data: {a: '1'}", "---", "# an empty document", "---",
                "apiVersion: batch/v1", "kind: CronJob",
                "metadata: {name: daily, namespace: ignored-here}", "---");
        write("notes.txt", "not a manifest");

        assertThat(ManifestCheck.check(dir, LABEL)).containsExactly(
                new ManifestCheck.Document("10-a.yaml", 1, 3, "v1", "ConfigMap", "settings"),
                new ManifestCheck.Document("10-a.yaml", 3, 11, "batch/v1", "CronJob", "daily"),
                new ManifestCheck.Document("20-b.yml", 1, 4, "v1", "Secret", "s1"),
                new ManifestCheck.Document("20-b.yml", 1, 5, "v1", "ServiceAccount", "sa"));
    }

    @Test
    void aMissingNameIsNamedWithFileLineDocumentAndWhatWasExpected() throws Exception {
        write("30-index.yaml", "apiVersion: v1", "kind: ConfigMap", "metadata: {name: a}", "---",
                "apiVersion: v1", "kind: ConfigMap", "metadata:", "  labels: {app: x}", "data: {}");

        assertThat(error()).isEqualTo(LABEL + ": 30-index.yaml:8:3: document 2: metadata.name is missing;"
                + " expected the object's name, a non-empty string");
    }

    @Test
    void aFieldOfTheWrongTypeSaysWhatItIs() throws Exception {
        write("a.yaml", "apiVersion: v1", "kind: [ConfigMap]", "metadata: {name: a}");
        assertThat(error()).isEqualTo(LABEL + ": a.yaml:2:7: document 1: kind is a sequence;"
                + " expected the object's kind, e.g. ConfigMap");

        write("a.yaml", "apiVersion: v1", "kind: ConfigMap", "metadata: {name: 42}");
        assertThat(error()).isEqualTo(LABEL + ": a.yaml:3:18: document 1: metadata.name is a int (42);"
                + " expected the object's name, a non-empty string");

        write("a.yaml", "apiVersion: v1", "kind: ConfigMap", "metadata: a");
        assertThat(error()).isEqualTo(LABEL + ": a.yaml:3:11: document 1: metadata is a str (a);"
                + " expected a mapping with the object's name");
    }

    @Test
    void aDocumentThatIsNoObjectAndAListItemAreNamed() throws Exception {
        write("a.yaml", "- apiVersion: v1");
        assertThat(error()).isEqualTo(LABEL + ": a.yaml:1:1: document 1: the document is a sequence;"
                + " expected a mapping with apiVersion, kind and metadata: a Kubernetes object");

        write("a.yaml", "apiVersion: v1", "kind: List", "items:", "- {apiVersion: v1, kind: Secret, metadata: {name: s}}",
                "- {kind: Secret, metadata: {name: t}}");
        assertThat(error()).isEqualTo(LABEL + ": a.yaml:5:3: document 1: items[1].apiVersion is missing;"
                + " expected the object's API group and version, e.g. v1 or apps/v1");
    }

    @Test
    void aKeyGivenTwiceIsRefusedRatherThanOneDropped() throws Exception {
        write("a.yaml", "apiVersion: v1", "kind: ConfigMap", "metadata: {name: a}", "kind: Secret");
        assertThat(error()).isEqualTo(LABEL + ": a.yaml:4:1: document 1: kind is given twice (first on line 2); expected each key once");
    }

    @Test
    void invalidYamlNamesWhereAndTheDocument() throws Exception {
        write("a.yaml", "apiVersion: v1", "kind: ConfigMap", "metadata: {name: a}", "---", "metadata: {name: b", "data: {}");
        assertThat(error()).startsWith(LABEL + ": a.yaml:6:").contains(": document 2 is not valid YAML (")
                .endsWith("); expected Kubernetes objects in YAML");
    }

    @Test
    void noFolderIsSaid() {
        assertThatThrownBy(() -> ManifestCheck.check(dir.resolve("none"), LABEL)).isInstanceOf(StepFailure.class)
                .hasMessage(LABEL + ": no folder " + dir.resolve("none"));
    }
}
