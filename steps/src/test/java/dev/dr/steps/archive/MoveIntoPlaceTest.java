package dev.dr.steps.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MoveIntoPlaceTest {
    @TempDir
    Path tmp;

    Path staging() throws IOException {
        Path s = Files.createDirectories(tmp.resolve(".staging"));
        Files.writeString(s.resolve("new.txt"), "new");
        return s;
    }

    String[] names() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    void movesIntoAFreshTarget() throws IOException {
        Path target = tmp.resolve("deep/target");
        SafeExtract.moveIntoPlace(staging(), target);
        assertThat(target.resolve("new.txt")).hasContent("new");
        assertThat(names()).containsExactly("deep");
    }

    @Test
    void replacesAnExistingTargetAndDeletesTheOldOne() throws IOException {
        Path target = Files.createDirectories(tmp.resolve("target/sub"));
        Files.writeString(target.resolve("old.txt"), "old");
        SafeExtract.moveIntoPlace(staging(), tmp.resolve("target"));
        assertThat(tmp.resolve("target/new.txt")).hasContent("new");
        assertThat(tmp.resolve("target/sub")).doesNotExist();
        assertThat(names()).containsExactly("target");
    }

    @Test
    void aMissingStagingFolderLeavesTheTargetAlone() throws IOException {
        Path target = Files.createDirectories(tmp.resolve("target"));
        Files.writeString(target.resolve("old.txt"), "old");
        assertThatThrownBy(() -> SafeExtract.moveIntoPlace(tmp.resolve("nothing"), target))
                .isInstanceOf(IOException.class)
                .hasMessage("staging folder " + tmp.resolve("nothing") + " does not exist");
        assertThat(target.resolve("old.txt")).hasContent("old");
        assertThat(names()).containsExactly("target");
    }
}
