package dev.dr.steps.bundle;

import static dev.dr.steps.bundle.BundleFixtures.CREATED;
import static dev.dr.steps.bundle.BundleFixtures.GIT;
import static dev.dr.steps.bundle.BundleFixtures.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.steps.archive.ArchiveRefused;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleReaderTest {
    @TempDir
    Path tmp;

    Bundle bundle;
    Path restore;
    Path dest;

    @BeforeEach
    void setUp() throws IOException {
        bundle = BundleWriter.write(BundleFixtures.controlPlane(tmp.resolve("src")), tmp.resolve("bundle.tar.gz"), GIT, IMAGE, CREATED);
        restore = Files.createDirectories(tmp.resolve("restore"));
        dest = restore.resolve("bundle");
    }

    /** What the restore folder holds: only {@code bundle} when verified, nothing (no staging) when refused. */
    List<String> restoreFolder() throws IOException {
        try (Stream<Path> s = Files.list(restore)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    void assertRefused(Path archive, String message) throws IOException {
        assertThatThrownBy(() -> BundleReader.extractAndVerify(archive, BundleFixtures.sha256(archive), dest))
                .isInstanceOf(BundleRefused.class).hasMessage(message);
        assertThat(restoreFolder()).isEmpty();
    }

    @Test
    void extractsAndVerifiesABundleIntoPlace() throws IOException {
        VerifiedBundle v = BundleReader.extractAndVerify(bundle.archive(), bundle.sha256(), dest);
        assertThat(v).isEqualTo(new VerifiedBundle(dest.resolve("control-plane"), bundle.manifest(), bundle.sha256()));
        assertThat(dest.resolve("control-plane/candidates/sub/c.json")).hasContent("[3]\n");
        assertThat(dest.resolve("control-plane/manifest.json")).hasContent(bundle.manifest().toJson());
        assertThat(dest.resolve("control-plane/alerts/empty-folder")).isEmptyDirectory();
        assertThat(dest.resolve("control-plane/README.md")).doesNotExist();
        assertThat(restoreFolder()).containsExactly("bundle");
    }

    @Test
    void replacesAnEarlierBundle() throws IOException {
        BundleFixtures.write(dest, "control-plane/alerts/old.yaml", "old");
        BundleReader.extractAndVerify(bundle.archive(), bundle.sha256().toUpperCase(java.util.Locale.ROOT), dest);
        assertThat(dest.resolve("control-plane/alerts/old.yaml")).doesNotExist();
        assertThat(dest.resolve("control-plane/alerts/run.sh")).exists();
        assertThat(restoreFolder()).containsExactly("bundle");
    }

    @Test
    void refusesAnArchiveWhoseHashIsNotThePointersBeforeExtracting() throws IOException {
        BundleFixtures.write(dest, "control-plane/alerts/old.yaml", "old");
        String other = "0".repeat(64);
        assertThatThrownBy(() -> BundleReader.extractAndVerify(bundle.archive(), other, dest))
                .isInstanceOf(BundleRefused.class)
                .hasMessage("bundle sha256 " + bundle.sha256() + " does not match the pointer's " + other);
        assertThat(dest.resolve("control-plane/alerts/old.yaml")).hasContent("old");
        assertThat(restoreFolder()).containsExactly("bundle");
    }

    @Test
    void listsEveryFileThatDoesNotMatchTheManifest() throws IOException {
        Path tampered = BundleFixtures.repack(bundle.archive(), tmp.resolve("tampered.tar.gz"), e -> {
            e.put("control-plane/candidates/a.json", "[1, 2]\n".getBytes(StandardCharsets.UTF_8)); // other size
            e.put("control-plane/candidates/b.json", "[5]\n".getBytes(StandardCharsets.UTF_8)); // same size
            e.remove("control-plane/providers/aws.yaml");
            e.put("control-plane/scoring/extra.json", "{}".getBytes(StandardCharsets.UTF_8));
        });
        String a = BundleFixtures.sha256("[1]\n".getBytes());
        String b = BundleFixtures.sha256("[2]\n".getBytes());
        assertRefused(tampered, "bundle " + BundleFixtures.sha256(tampered) + " does not match its manifest: "
                + "candidates/a.json: expected 4 bytes sha256 " + a + " got 7 bytes sha256 " + BundleFixtures.sha256("[1, 2]\n".getBytes()) + "; "
                + "candidates/b.json: expected 4 bytes sha256 " + b + " got 4 bytes sha256 " + BundleFixtures.sha256("[5]\n".getBytes()) + "; "
                + "providers/aws.yaml: missing; "
                + "scoring/extra.json: not in the manifest");
    }

    @Test
    void refusesMissingFoldersAndAnythingOutsideTheControlPlane() throws IOException {
        Path tampered = BundleFixtures.repack(bundle.archive(), tmp.resolve("tampered.tar.gz"), e -> {
            e.remove("control-plane/providers/aws.yaml");
            e.remove("control-plane/providers/");
            e.put("elsewhere/x", "x".getBytes(StandardCharsets.UTF_8));
            e.put("control-plane/other/", null);
        });
        assertRefused(tampered, "bundle " + BundleFixtures.sha256(tampered) + " does not match its manifest: "
                + "control-plane/other/: not in one of the control plane's folders; "
                + "elsewhere/: not in one of the control plane's folders; "
                + "elsewhere/x: outside control-plane/; "
                + "providers/: missing folder; "
                + "providers/aws.yaml: missing");
    }

    @Test
    void refusesABundleWithoutAManifest() throws IOException {
        Path tampered = BundleFixtures.repack(bundle.archive(), tmp.resolve("tampered.tar.gz"), e -> e.remove("control-plane/manifest.json"));
        assertRefused(tampered, "bundle " + BundleFixtures.sha256(tampered) + " has no control-plane/manifest.json");
    }

    @Test
    void refusesAMalformedManifest() throws IOException {
        Path tampered = BundleFixtures.repack(bundle.archive(), tmp.resolve("tampered.tar.gz"),
                e -> e.put("control-plane/manifest.json", "{\"files\": []}".getBytes(StandardCharsets.UTF_8)));
        assertRefused(tampered, "manifest.json: file_count: missing");
    }

    @Test
    void anArchiveBreakingAnExtractionRuleIsRefusedByTheExtractor() throws IOException {
        Map<String, byte[]> evil = new LinkedHashMap<>();
        evil.put("control-plane/../../escaped", "x".getBytes(StandardCharsets.UTF_8));
        Path archive = Files.write(tmp.resolve("evil.tar.gz"), BundleFixtures.tarGz(evil));
        assertThatThrownBy(() -> BundleReader.extractAndVerify(archive, BundleFixtures.sha256(archive), dest))
                .isInstanceOf(ArchiveRefused.class)
                .hasMessage("entry control-plane/../../escaped: path escapes the destination");
        assertThat(restoreFolder()).isEmpty();
        assertThat(tmp.resolve("escaped")).doesNotExist();
    }

    @Test
    void aCorruptArchiveLeavesNothingBehind() throws IOException {
        byte[] bytes = Files.readAllBytes(bundle.archive());
        Path cut = Files.write(tmp.resolve("cut.tar.gz"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> BundleReader.extractAndVerify(cut, BundleFixtures.sha256(cut), dest)).isInstanceOf(IOException.class);
        assertThat(restoreFolder()).isEmpty();
    }
}
