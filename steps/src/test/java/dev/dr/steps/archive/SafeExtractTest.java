package dev.dr.steps.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The path and entry-type rules of SafeExtract, each with an archive built to break it. */
class SafeExtractTest {
    @TempDir
    Path tmp;

    /** Where the archives extract; a refusal must leave it empty, as nothing may escape into it. */
    Path out;
    Path staging;

    @BeforeEach
    void setUp() throws IOException {
        out = Files.createDirectories(tmp.resolve("out"));
        staging = out.resolve("a").resolve("b").resolve("staging");
    }

    Extracted extract(byte[] tar) throws IOException {
        return SafeExtract.extract(new ByteArrayInputStream(tar), staging, ExtractLimits.bundle(), () -> Long.MAX_VALUE);
    }

    void assertRefused(TarBuilder tar, String message) throws IOException {
        assertThatThrownBy(() -> extract(tar.build())).isInstanceOf(ArchiveRefused.class).hasMessage(message);
        assertThat(staging).doesNotExist();
        try (Stream<Path> left = Files.walk(tmp)) {
            assertThat(left.map(p -> tmp.relativize(p).toString().replace('\\', '/')))
                    .containsExactlyInAnyOrder("", "out", "out/a", "out/a/b");
        }
    }

    @Test
    void extractsFilesFoldersAndLinksThatStayInside() throws IOException {
        Extracted x = extract(new TarBuilder()
                .dir("./")
                .dir("conf")
                .file("conf/app.yaml", "a: 1\n")
                .file("bin/run", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8), 0100700)
                .file("private", "p".getBytes(StandardCharsets.UTF_8), 0100600)
                .file("./x/../top", "t")
                .symlink("conf/current", "app.yaml")
                .symlink("bin/conf", "../conf")
                .hardlink("conf/again.yaml", "conf/app.yaml")
                .build());

        assertThat(x).isEqualTo(new Extracted(staging.toAbsolutePath(), 5, 5 + 10 + 1 + 1));
        assertThat(staging.resolve("conf/app.yaml")).hasContent("a: 1\n");
        assertThat(staging.resolve("top")).hasContent("t");
        assertThat(staging.resolve("x")).doesNotExist(); // names are normalized as text, x is never made
        assertThat(Files.readSymbolicLink(staging.resolve("conf/current"))).isEqualTo(Path.of("app.yaml"));
        assertThat(staging.resolve("bin/conf/current")).hasContent("a: 1\n");
        assertThat(staging.resolve("conf/again.yaml")).hasContent("a: 1\n");
        assertThat(Files.isSameFile(staging.resolve("conf/again.yaml"), staging.resolve("conf/app.yaml"))).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(staging.resolve("bin/run")))).isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(staging.resolve("private")))).isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(staging.resolve("conf/app.yaml")))).isEqualTo("rw-r--r--");
    }

    @Test
    void stagingThatExistsIsRefusedAndLeftAlone() throws IOException {
        Files.createDirectories(staging);
        Files.writeString(staging.resolve("keep"), "mine");
        assertThatThrownBy(() -> extract(new TarBuilder().file("a", "x").build())).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(staging.resolve("keep")).hasContent("mine");
        assertThat(staging.resolve("a")).doesNotExist();
    }

    @Test
    void dotDotThatEscapesIsRefused() throws IOException {
        assertRefused(new TarBuilder().file("../x", "evil"), "entry ../x: path escapes the destination");
    }

    @Test
    void dotDotThatEscapesAfterANameIsRefused() throws IOException {
        assertRefused(new TarBuilder().file("ok", "fine").file("a/../../x", "evil"), "entry a/../../x: path escapes the destination");
    }

    @Test
    void absolutePathIsRefused() throws IOException {
        assertRefused(new TarBuilder().file("/etc/x", "evil"), "entry /etc/x: absolute path");
    }

    @Test
    void entryThatNamesTheDestinationItselfIsRefused() throws IOException {
        assertRefused(new TarBuilder().file(".", "evil"), "entry .: names the destination itself");
    }

    @Test
    void symlinkClimbingOutIsRefused() throws IOException {
        assertRefused(new TarBuilder().dir("a").symlink("a/l", "../../x"), "entry a/l: symlink target ../../x escapes the destination");
    }

    @Test
    void symlinkToAnAbsolutePathIsRefused() throws IOException {
        assertRefused(new TarBuilder().symlink("l", "/etc/passwd"), "entry l: symlink target /etc/passwd is absolute");
    }

    @Test
    void symlinkWithDotDotAfterANameIsRefused() throws IOException {
        // y -> . then x -> y/.. reads as "inside" but resolves to the destination's parent
        assertRefused(new TarBuilder().symlink("y", ".").symlink("x", "y/.."),
                "entry x: symlink target y/.. has .. after a name, which another symlink could turn outside the destination");
    }

    @Test
    void writingThroughASymlinkIsRefused() throws IOException {
        assertRefused(new TarBuilder().dir("d").symlink("l", "d").file("l/x", "evil"), "entry l/x: writes through the symlink l");
    }

    @Test
    void writingThroughASymlinkDeeperDownIsRefused() throws IOException {
        assertRefused(new TarBuilder().dir("d").symlink("l", "d").file("l/sub/x", "evil"), "entry l/sub/x: writes through the symlink l");
    }

    @Test
    void hardlinkToAnAbsolutePathIsRefused() throws IOException {
        assertRefused(new TarBuilder().hardlink("h", "/etc/passwd"), "entry h: hardlink target /etc/passwd is absolute");
    }

    @Test
    void hardlinkClimbingOutIsRefused() throws IOException {
        assertRefused(new TarBuilder().hardlink("h", "../x"), "entry h: hardlink target ../x escapes the destination");
    }

    @Test
    void hardlinkToSomethingNotExtractedAsAFileIsRefused() throws IOException {
        assertRefused(new TarBuilder().file("f", "x").hardlink("h", "g"), "entry h: hardlink target g is not a file extracted before it");
    }

    @Test
    void hardlinkToASymlinkIsRefused() throws IOException {
        // a hard link to a symlink would be a symlink somewhere else, its relative target meaning something new
        assertRefused(new TarBuilder().dir("d").symlink("d/l", "../f").hardlink("h", "d/l"),
                "entry h: hardlink target d/l is not a file extracted before it");
    }

    @Test
    void characterDeviceIsRefused() throws IOException {
        assertRefused(new TarBuilder().typed("null", TarConstants.LF_CHR), "entry null: character device entries are not allowed");
    }

    @Test
    void blockDeviceIsRefused() throws IOException {
        assertRefused(new TarBuilder().typed("sda", TarConstants.LF_BLK), "entry sda: block device entries are not allowed");
    }

    @Test
    void fifoIsRefused() throws IOException {
        assertRefused(new TarBuilder().typed("pipe", TarConstants.LF_FIFO), "entry pipe: FIFO entries are not allowed");
    }

    @Test
    void unknownEntryTypeIsRefused() throws IOException {
        assertRefused(new TarBuilder().typed("odd", (byte) 'Z'), "entry odd: unsupported entry type 'Z'");
    }

    @Test
    void duplicateNameIsRefused() throws IOException {
        assertRefused(new TarBuilder().file("a", "1").file("a", "2"), "entry a: duplicate entry name");
    }

    @Test
    void duplicateNameSpelledDifferentlyIsRefused() throws IOException {
        assertRefused(new TarBuilder().file("d/a", "1").file("./d//a", "2"), "entry ./d//a: duplicate entry name");
    }

    @Test
    void fileWhereAFolderWasMadeIsRefused() throws IOException {
        assertRefused(new TarBuilder().file("a/b", "1").file("a", "2"), "entry a: already exists");
    }

    @Test
    void entryBelowAFileIsRefused() throws IOException {
        assertRefused(new TarBuilder().file("f", "1").file("f/x", "2"), "entry f/x: f is not a directory");
    }

    @Test
    void aFailureAfterASymlinkDeletesTheLinkNotWhereItPoints() throws IOException {
        assertRefused(new TarBuilder().dir("d").file("d/keep", "k").symlink("l", "d").file("../x", "evil"),
                "entry ../x: path escapes the destination");
        assertThat(Files.exists(staging, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new ExtractLimits(0, 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("extract limits must be positive: 0 entries, 1 bytes, ratio 1");
        assertThat(ExtractLimits.bundle()).isEqualTo(new ExtractLimits(100_000, 1L << 30, 100));
        assertThat(ExtractLimits.backup()).isEqualTo(new ExtractLimits(10_000_000, 2L << 40, 1000));
    }
}
