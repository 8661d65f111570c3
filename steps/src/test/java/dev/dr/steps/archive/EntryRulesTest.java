package dev.dr.steps.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The path rules every archive is held to, on names alone; SafeExtractTest covers them in extraction. */
class EntryRulesTest {

    @Test
    void namesAreNormalizedBelowTheDestination() throws Exception {
        assertThat(EntryRules.relative("a/b")).isEqualTo("a/b");
        assertThat(EntryRules.relative("./a//b/")).isEqualTo("a/b");
        assertThat(EntryRules.relative("a/../b")).isEqualTo("b");
        assertThat(EntryRules.relative("./")).isEmpty();
        assertThatThrownBy(() -> EntryRules.relative("a/../../b")).isInstanceOf(ArchiveRefused.class)
                .hasMessage("entry a/../../b: path escapes the destination");
        assertThatThrownBy(() -> EntryRules.relative("/etc/passwd")).isInstanceOf(ArchiveRefused.class)
                .hasMessage("entry /etc/passwd: absolute path");
    }

    @Test
    void linkTargetsStayInside() throws Exception {
        assertThat(EntryRules.hardlinkTarget("b", "./a/x")).isEqualTo("a/x");
        assertThatThrownBy(() -> EntryRules.hardlinkTarget("b", "../x")).isInstanceOf(ArchiveRefused.class)
                .hasMessage("entry b: hardlink target ../x escapes the destination");
        EntryRules.checkSymlinkTarget("a/b/l", "a/b/l", "../../x");
        assertThatThrownBy(() -> EntryRules.checkSymlinkTarget("a/l", "a/l", "../../x"))
                .hasMessage("entry a/l: symlink target ../../x escapes the destination");
        assertThatThrownBy(() -> EntryRules.checkSymlinkTarget("a/l", "a/l", "b/../x"))
                .hasMessageContaining("has .. after a name");
    }
}
