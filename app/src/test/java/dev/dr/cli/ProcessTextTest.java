package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line and environment read again as UTF-8 where the JVM's locale lost characters. */
class ProcessTextTest {

    @TempDir
    Path tmp;

    Path nulFile(String name, String... entries) throws Exception {
        Path f = tmp.resolve(name);
        Files.write(f, (String.join("\0", entries) + "\0").getBytes(StandardCharsets.UTF_8));
        return f;
    }

    @Test
    void wholeTextIsKeptAsTheJvmReadIt() throws Exception {
        Map<String, String> env = Map.of("DR_OPERATOR", "ops");
        assertThat(ProcessText.environment(env, tmp.resolve("absent"))).isSameAs(env);
        assertThat(ProcessText.arguments(List.of("plan", "x.yaml"), tmp.resolve("absent"))).contains(List.of("plan", "x.yaml"));
    }

    @Test
    void lostCharactersOfTheEnvironmentAreReadAgain() throws Exception {
        Path environ = nulFile("environ", "DR_OPERATOR=Işıl", "PATH=/usr/bin", "EMPTY=");
        Map<String, String> env = ProcessText.environment(
                Map.of("DR_OPERATOR", "I\uFFFD\uFFFD\uFFFD\uFFFDl", "PATH", "/usr/bin", "EMPTY", ""), environ);
        assertThat(env).containsExactlyInAnyOrderEntriesOf(Map.of("DR_OPERATOR", "Işıl", "PATH", "/usr/bin", "EMPTY", ""));
    }

    @Test
    void anEnvironmentFileOfOtherVariablesIsNotTaken() throws Exception {
        Map<String, String> decoded = Map.of("DR_OPERATOR", "I\uFFFDl", "HOME", "/root");
        assertThat(ProcessText.environment(decoded, nulFile("environ", "DR_OPERATOR=Işıl"))).isSameAs(decoded);
        assertThat(ProcessText.environment(decoded, tmp.resolve("absent"))).isSameAs(decoded);
    }

    @Test
    void lostCharactersOfArgumentsAreReadFromTheEndOfTheCommandLine() throws Exception {
        Path cmdline = nulFile("cmdline", "java", "-Xshare:auto", "-cp", "a.jar", "dev.dr.cli.Main", "plan", "p.yaml",
                "--format", "Ölçüm");
        assertThat(ProcessText.arguments(List.of("plan", "p.yaml", "--format", "\uFFFD\uFFFDl\uFFFD\uFFFD\uFFFD\uFFFDm"), cmdline))
                .contains(List.of("plan", "p.yaml", "--format", "Ölçüm"));
    }

    @Test
    void aCommandLineThatIsNotDrsIsRefused() throws Exception {
        Path cmdline = nulFile("cmdline", "java", "dev.dr.cli.Main", "lint", "q.yaml", "Ölçüm");
        assertThat(ProcessText.arguments(List.of("plan", "p.yaml", "\uFFFDl"), cmdline)).isEmpty();
        assertThat(ProcessText.arguments(List.of("a", "b", "c", "d", "\uFFFD"), nulFile("short", "Ö"))).isEmpty();
        assertThat(ProcessText.arguments(List.of("\uFFFD"), tmp.resolve("absent"))).isEmpty();
    }

    @Test
    void aCommandLineThatIsNotUtf8IsRefused() throws Exception {
        Path cmdline = tmp.resolve("latin1");
        Files.write(cmdline, new byte[] {'d', 'r', 0, (byte) 0xD6, 'l', 0});
        assertThat(ProcessText.arguments(List.of("\uFFFDl"), cmdline)).isEmpty();
    }
}
