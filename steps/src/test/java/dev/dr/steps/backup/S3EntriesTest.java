package dev.dr.steps.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.steps.archive.ArchiveRefused;
import dev.dr.steps.archive.ExtractLimits;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;

/** The entry rules of a restore to S3, one by one. */
class S3EntriesTest {

    @Test
    void onlyFilesAndDirectoriesPass() throws Exception {
        S3Entries rules = new S3Entries(ExtractLimits.backup(), () -> 1);
        assertThat(rules.admit(file("db/a", 3))).contains("db/a");
        assertThat(rules.admit(new TarArchiveEntry("db/", TarConstants.LF_DIR))).isEmpty();
        assertThat(rules.admit(new TarArchiveEntry("./", TarConstants.LF_DIR))).isEmpty();
        assertThatThrownBy(() -> rules.admit(link("db/b", TarConstants.LF_LINK, "db/a")))
                .hasMessage("entry db/b: hard link to db/a: links cannot be restored to S3");
        assertThatThrownBy(() -> rules.admit(new TarArchiveEntry("dev/null", TarConstants.LF_CHR)))
                .hasMessage("entry dev/null: character device entries are not allowed");
        assertThatThrownBy(() -> rules.admit(new TarArchiveEntry("fifo", TarConstants.LF_FIFO)))
                .hasMessage("entry fifo: FIFO entries are not allowed");
        assertThatThrownBy(() -> rules.admit(file("./db/a", 1)))
                .hasMessage("entry ./db/a: duplicate entry name");
        assertThatThrownBy(() -> rules.admit(file(".", 1)))
                .hasMessage("entry .: names the destination itself");
        assertThatThrownBy(() -> rules.admit(link("ln", TarConstants.LF_SYMLINK, "db/a")))
                .hasMessage("entry ln: symlink to db/a: links cannot be restored to S3");
        assertThatThrownBy(() -> rules.admit(file(".dr-staging/x", 1)))
                .hasMessage("entry .dr-staging/x: .dr-staging is where the restore stages objects");
    }

    @Test
    void limitsOnEntriesAndBytes() throws Exception {
        S3Entries few = new S3Entries(new ExtractLimits(2, 100, 1000), () -> 1);
        few.admit(file("a", 1));
        few.admit(file("b", 1));
        assertThatThrownBy(() -> few.admit(file("c", 1))).isInstanceOf(ArchiveRefused.class)
                .hasMessage("entry c: more than 2 entries, the limit");

        S3Entries small = new S3Entries(new ExtractLimits(10, 100, 1000), () -> 1);
        assertThatThrownBy(() -> small.admit(file("big", 101))).isInstanceOf(ArchiveRefused.class)
                .hasMessage("entry big: the archive expands to more than 100 bytes, the limit");
        // a header may understate the size; the bytes as they pass are counted too
        small.admit(file("liar", 10));
        InputStream body = small.body(new ByteArrayInputStream(new byte[200]), "liar");
        assertThatThrownBy(body::readAllBytes).isInstanceOf(ArchiveRefused.class)
                .hasMessage("entry liar: the archive expands to more than 100 bytes, the limit");
    }

    @Test
    void theRatioCountsOnlyPastTheFirstMiB() throws Exception {
        S3Entries rules = new S3Entries(new ExtractLimits(10, 1L << 40, 10), () -> 1000);
        rules.admit(file("zeros", 64L << 20));
        InputStream body = rules.body(new ByteArrayInputStream(new byte[2 << 20]), "zeros");
        assertThat(body.readNBytes(1 << 20)).hasSize(1 << 20); // 1048× already, but within the first MiB
        assertThatThrownBy(body::readAllBytes).isInstanceOf(ArchiveRefused.class)
                .hasMessageStartingWith("entry zeros: the archive expands 1")
                .hasMessageEndingWith("× its compressed size, more than the limit of 10×");
    }

    static TarArchiveEntry file(String name, long size) {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(size);
        return e;
    }

    static TarArchiveEntry link(String name, byte type, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, type);
        e.setLinkName(target);
        return e;
    }
}
