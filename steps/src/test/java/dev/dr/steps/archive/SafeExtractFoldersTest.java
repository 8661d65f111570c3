package dev.dr.steps.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extraction remembers the folders it made or checked, and creates files with their mode: the
 * rules about symlinks and names must hold as when every parent was looked at anew.
 */
class SafeExtractFoldersTest {
    @TempDir
    Path tmp;

    Extracted extract(TarBuilder tar) throws IOException {
        return SafeExtract.extract(new ByteArrayInputStream(tar.build()), tmp.resolve("staging"), ExtractLimits.bundle(),
                () -> Long.MAX_VALUE);
    }

    void assertRefused(TarBuilder tar, String message) {
        assertThatThrownBy(() -> extract(tar)).isInstanceOf(ArchiveRefused.class).hasMessage(message);
        assertThat(tmp.resolve("staging")).doesNotExist();
    }

    @Test
    void foldersMadeForOneFileServeTheNextAndTheirLaterEntries() throws IOException {
        TarBuilder tar = new TarBuilder();
        for (int i = 0; i < 50; i++) {
            tar.file("a/b" + (i % 3) + "/c/f" + i, "content " + i);
        }
        tar.dir("a/b1/c").dir("a").file("a/top", "t");

        Extracted x = extract(tar);

        assertThat(x.files()).isEqualTo(51);
        for (int i = 0; i < 50; i++) {
            assertThat(tmp.resolve("staging/a/b" + (i % 3) + "/c/f" + i)).hasContent("content " + i);
        }
        assertThat(tmp.resolve("staging/a/top")).hasContent("t");
    }

    @Test
    void aSymlinkCannotReplaceAFolderMadeForAnEarlierFile() {
        assertRefused(new TarBuilder().file("d/a", "1").symlink("d", "e").file("d/b", "2"), "entry d: already exists");
    }

    @Test
    void aKnownFolderDoesNotVouchForASymlinkToIt() {
        assertRefused(new TarBuilder().file("d/a", "1").symlink("l", "d").file("l/b", "evil"),
                "entry l/b: writes through the symlink l");
    }

    @Test
    void aKnownFolderDoesNotVouchForASymlinkBelowIt() {
        assertRefused(new TarBuilder().file("d/a", "1").symlink("d/l", "a").file("d/l/b", "evil"),
                "entry d/l/b: writes through the symlink d/l");
    }

    @Test
    void aFileBelowAFileDeeperDownIsRefused() {
        assertRefused(new TarBuilder().file("d/a", "1").file("d/a/b/c", "2"), "entry d/a/b/c: d/a is not a directory");
    }

    @Test
    void everyFileGetsItsModeWhateverTheEntrySays() throws IOException {
        extract(new TarBuilder()
                .file("all", "a".getBytes(StandardCharsets.UTF_8), 0100777)
                .file("none", "n".getBytes(StandardCharsets.UTF_8), 0100000)
                .file("setuid", "s".getBytes(StandardCharsets.UTF_8), 0104755)
                .file("group-exec", "g".getBytes(StandardCharsets.UTF_8), 0100650));

        assertThat(mode("all")).isEqualTo("rwxr-xr-x");
        assertThat(mode("none")).isEqualTo("rw-r--r--");
        assertThat(mode("setuid")).isEqualTo("rwxr-xr-x");
        assertThat(mode("group-exec")).isEqualTo("rw-r--r--");
    }

    private String mode(String name) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("staging").resolve(name)));
    }
}
