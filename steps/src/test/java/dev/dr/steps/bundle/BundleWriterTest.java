package dev.dr.steps.bundle;

import static dev.dr.steps.bundle.BundleFixtures.CREATED;
import static dev.dr.steps.bundle.BundleFixtures.GIT;
import static dev.dr.steps.bundle.BundleFixtures.IMAGE;
import static dev.dr.steps.bundle.BundleFixtures.LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleWriterTest {
    @TempDir
    Path tmp;

    Bundle write(Path source, String name) throws IOException {
        return BundleWriter.write(source, tmp.resolve(name), GIT, IMAGE, CREATED);
    }

    @Test
    void writesSortedEntriesWithFixedMetadataAndTheManifestFirst() throws IOException {
        Bundle b = write(BundleFixtures.controlPlane(tmp.resolve("src")), "b.tar.gz");

        List<String> lines = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(b.archive()));
                TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8")) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                assertThat(e.getLastModifiedTime().toMillis()).isZero();
                assertThat(List.of(e.getLongUserId(), e.getLongGroupId(), e.getUserName(), e.getGroupName()))
                        .containsExactly(0L, 0L, "", "");
                lines.add(Integer.toOctalString(e.getMode()) + " " + e.getName());
            }
        }
        assertThat(lines).containsExactly(
                "40755 control-plane/",
                "100644 control-plane/manifest.json",
                "40755 control-plane/alerts/",
                "40755 control-plane/alerts/empty-folder/",
                "100755 control-plane/alerts/run.sh",
                "40755 control-plane/candidates/",
                "100644 control-plane/candidates/a.json",
                "100644 control-plane/candidates/b.json",
                "40755 control-plane/candidates/deep/",
                "40755 control-plane/candidates/deep/deep/",
                "40755 control-plane/candidates/deep/deep/deep/",
                "40755 control-plane/candidates/deep/deep/deep/deep/",
                "40755 control-plane/candidates/deep/deep/deep/deep/deep/",
                "40755 control-plane/candidates/deep/deep/deep/deep/deep/deep/",
                "40755 control-plane/candidates/deep/deep/deep/deep/deep/deep/deep/",
                "40755 control-plane/candidates/deep/deep/deep/deep/deep/deep/deep/deep/",
                "40755 control-plane/candidates/deep/deep/deep/deep/deep/deep/deep/deep/deep/",
                "40755 control-plane/candidates/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/",
                "40755 control-plane/candidates/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/",
                "40755 control-plane/candidates/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/",
                "40755 control-plane/candidates/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/",
                "40755 control-plane/candidates/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/",
                "40755 control-plane/candidates/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/",
                "40755 control-plane/candidates/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/",
                "40755 control-plane/candidates/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/",
                "40755 control-plane/candidates/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/",
                "40755 control-plane/candidates/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/",
                "40755 control-plane/candidates/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/deep/",
                "100644 control-plane/" + LONG,
                "40755 control-plane/candidates/sub/",
                "100644 control-plane/candidates/sub/c.json",
                "100644 control-plane/candidates/é-unicode.txt",
                "40755 control-plane/providers/",
                "100644 control-plane/providers/aws.yaml",
                "40755 control-plane/scoring/",
                "100644 control-plane/scoring/weights.json");

        assertThat(b.sha256()).isEqualTo(BundleFixtures.sha256(b.archive()));
        assertThat(b.size()).isEqualTo(Files.size(b.archive()));
        assertThat(b.archive()).isEqualTo(tmp.resolve("b.tar.gz"));
        assertThat(new String(BundleFixtures.entries(b.archive()).get("control-plane/manifest.json"), StandardCharsets.UTF_8))
                .isEqualTo(b.manifest().toJson());
        assertThat(b.manifest().files()).extracting(BundleFile::path).containsExactly("alerts/run.sh", "candidates/a.json",
                "candidates/b.json", LONG, "candidates/sub/c.json", "candidates/é-unicode.txt", "providers/aws.yaml", "scoring/weights.json");
        assertThat(b.manifest().files().get(1)).isEqualTo(new BundleFile("candidates/a.json", BundleFixtures.sha256("[1]\n".getBytes()), 4));
        assertThat(List.of(b.manifest().gitSha(), b.manifest().imageRefDigest(), b.manifest().createdAt())).containsExactly(GIT, IMAGE, CREATED);
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("src", "b.tar.gz");
        }
    }

    @Test
    void gzipHeaderHasNoNameNoTimeAndAFixedSystem() throws IOException {
        byte[] head = Arrays.copyOf(Files.readAllBytes(write(BundleFixtures.controlPlane(tmp.resolve("src")), "b.tar.gz").archive()), 10);
        // magic, deflate, no flags (so no name), mtime 0, default level (XFL 0, as gzip -6 writes), OS 255 (unknown)
        assertThat(head).containsExactly(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff);
    }

    @Test
    void theSameFilesGiveTheSameBytesWhateverTheirTimesModesOrTheDefaults() throws IOException {
        Bundle first = write(BundleFixtures.controlPlane(tmp.resolve("one")), "one.tar.gz");

        Path two = tmp.resolve("two");
        List<String> paths = new ArrayList<>(first.manifest().files().stream().map(BundleFile::path).toList());
        Collections.reverse(paths); // created in another order, so listed in another order by most file systems
        for (String p : paths) {
            Files.createDirectories(two.resolve(p).getParent());
            Files.copy(tmp.resolve("one").resolve(p), two.resolve(p));
            boolean exec = p.endsWith(".sh");
            Files.setPosixFilePermissions(two.resolve(p), PosixFilePermissions.fromString(exec ? "rwx------" : "rw-------"));
            Files.setLastModifiedTime(two.resolve(p), FileTime.fromMillis(1_234_567_890_000L));
        }
        Files.createDirectories(two.resolve("alerts/empty-folder"));
        try (Stream<Path> dirs = Files.walk(two)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
            }
        }

        TimeZone zone = TimeZone.getDefault();
        Locale locale = Locale.getDefault();
        String user = System.getProperty("user.name");
        Bundle second;
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            System.setProperty("user.name", "someone-else");
            second = write(two, "two.tar.gz");
        } finally {
            TimeZone.setDefault(zone);
            Locale.setDefault(locale);
            System.setProperty("user.name", user);
        }
        assertThat(Files.readAllBytes(second.archive())).isEqualTo(Files.readAllBytes(first.archive()));
        assertThat(second.sha256()).isEqualTo(first.sha256());
        assertThat(second.manifest()).isEqualTo(first.manifest());
    }

    @Test
    void aChangedFileChangesTheArchive() throws IOException {
        Bundle first = write(BundleFixtures.controlPlane(tmp.resolve("src")), "one.tar.gz");
        BundleFixtures.write(tmp.resolve("src"), "candidates/a.json", "[9]\n");
        assertThat(write(tmp.resolve("src"), "two.tar.gz").sha256()).isNotEqualTo(first.sha256());
    }

    @Test
    void refusesASourceWithoutTheFourFoldersNamingTheMissingOnes() throws IOException {
        Path src = tmp.resolve("src");
        BundleFixtures.write(src, "candidates/a.json", "[]");
        BundleFixtures.write(src, "providers/p.yaml", "");
        assertThatThrownBy(() -> write(src, "b.tar.gz")).isInstanceOf(BundleRefused.class).hasMessage("control-plane source " + src
                + " has no alerts/, scoring/; a control plane has the folders alerts/, candidates/, providers/, scoring/");
        assertThat(tmp.resolve("b.tar.gz")).doesNotExist();
    }

    @Test
    void refusesAFolderThatIsAFile() throws IOException {
        Path src = BundleFixtures.controlPlane(tmp.resolve("src"));
        Files.walk(src.resolve("scoring")).sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
        Files.writeString(src.resolve("scoring"), "a file");
        assertThatThrownBy(() -> write(src, "b.tar.gz")).isInstanceOf(BundleRefused.class).hasMessage(src.resolve("scoring")
                + ": not a folder; a control plane has the folders alerts/, candidates/, providers/, scoring/");
    }

    @Test
    void refusesASymlinkInsideNamingIt() throws IOException {
        Path src = BundleFixtures.controlPlane(tmp.resolve("src"));
        Files.createSymbolicLink(src.resolve("alerts/link.yaml"), src.resolve("README.md"));
        assertThatThrownBy(() -> write(src, "b.tar.gz")).isInstanceOf(BundleRefused.class)
                .hasMessage(src.resolve("alerts/link.yaml") + ": a symlink; a bundle holds regular files and folders only");
        assertThat(tmp.resolve("b.tar.gz")).doesNotExist();
    }

    @Test
    void refusesASymlinkedFolder() throws IOException {
        Path src = BundleFixtures.controlPlane(tmp.resolve("src"));
        Files.move(src.resolve("scoring"), tmp.resolve("elsewhere"));
        Files.createSymbolicLink(src.resolve("scoring"), tmp.resolve("elsewhere"));
        assertThatThrownBy(() -> write(src, "b.tar.gz")).isInstanceOf(BundleRefused.class)
                .hasMessage(src.resolve("scoring") + ": a symlink; a bundle holds regular files and folders only");
    }

    @Test
    void replacesAnEarlierArchive() throws IOException {
        Files.writeString(tmp.resolve("b.tar.gz"), "old");
        Bundle b = write(BundleFixtures.controlPlane(tmp.resolve("src")), "b.tar.gz");
        assertThat(BundleFixtures.sha256(b.archive())).isEqualTo(b.sha256());
    }

    @Test
    void aWalkTotalsTheSizeOfItsRegularFilesOnly() throws IOException {
        Path dir = tmp.resolve("walk");
        Files.createDirectories(dir.resolve("a/b"));
        Files.write(dir.resolve("a/one.json"), new byte[1000]);
        Files.write(dir.resolve("a/b/two.json"), new byte[234]);
        Files.write(dir.resolve("empty.txt"), new byte[0]);
        Files.createSymbolicLink(dir.resolve("link"), dir.resolve("a/one.json"));

        Bundle.Layout.Tree tree = Bundle.Layout.walk(dir);

        assertThat(tree.files()).containsExactly("a/b/two.json", "a/one.json", "empty.txt");
        assertThat(tree.others()).containsExactly("link");
        assertThat(tree.bytes()).isEqualTo(1234);
    }
}
