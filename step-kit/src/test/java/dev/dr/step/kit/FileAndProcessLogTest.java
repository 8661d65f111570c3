package dev.dr.step.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The logs of a step whose "server" is files or processes see every change, once, and nothing else. */
class FileAndProcessLogTest {

    @TempDir
    Path dir;

    @Test
    void aFileWrittenChangedOrDeletedIsLoggedOnce() throws Exception {
        Path state = dir.resolve("tf/terraform.tfstate");
        Files.createDirectories(dir.resolve("tf"));
        Files.writeString(dir.resolve("tf/main.tf"), "resource {}\n");
        FileLog log = FileLog.under(dir.resolve("tf"));
        assertThat(log.take()).as("nothing changed yet").isEmpty();

        Files.writeString(state, "{\"serial\": 1}");
        assertThat(log.take()).containsExactly(ServerRequest.rest("PUT", state.toString()));
        Files.readString(state);
        Files.setLastModifiedTime(dir.resolve("tf/main.tf"), java.nio.file.attribute.FileTime.fromMillis(0));
        assertThat(log.take()).as("read, or touched without a change of content").isEmpty();
        Files.writeString(state, "{\"serial\": 2}");
        Files.createDirectories(dir.resolve("tf/.terraform"));
        assertThat(log.take()).containsExactlyInAnyOrder(ServerRequest.rest("PUT", state.toString()),
                ServerRequest.rest("PUT", dir.resolve("tf/.terraform").toString()));
        Files.delete(state);
        assertThat(log.take()).containsExactly(ServerRequest.rest("DELETE", state.toString()));
        assertThat(log.take()).as("taken once").isEmpty();
    }

    @Test
    void aProcessStartedOrEndedIsLoggedAndOthersAreNot() throws Exception {
        String marker = "contract-marker-" + dir.getFileName();
        ProcessLog log = ProcessLog.commandLineContaining("sleep", marker);
        Process other = new ProcessBuilder(List.of("bash", "-c", "sleep 30; true", "unrelated")).start();
        Process matching = new ProcessBuilder(List.of("bash", "-c", "sleep 30; true", marker)).start();
        try {
            assertThat(log.take()).containsExactly(ServerRequest.rest("POST", "/processes/" + matching.pid()));
            assertThat(log.processes()).extracting(ProcessHandle::pid).containsExactly(matching.pid());
            matching.destroy();
            matching.waitFor(10, TimeUnit.SECONDS);
            List<ServerRequest> ended = log.take();
            assertThat(ended).containsExactly(ServerRequest.rest("DELETE", "/processes/" + matching.pid()));
            assertThat(ended.get(0).mutating()).isTrue();
        } finally {
            other.destroyForcibly();
            matching.destroyForcibly();
        }
    }
}
