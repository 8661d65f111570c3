package dev.dr.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A throwaway git repository with plans from the fixtures folder, for dr diff --git. */
record GitRepo(Path dir) {

    static boolean gitAvailable() {
        try {
            Process p = new ProcessBuilder("git", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static GitRepo init(Path dir) throws IOException, InterruptedException {
        GitRepo repo = new GitRepo(Files.createDirectories(dir));
        repo.git("init", "-q");
        return repo;
    }

    /** Copies a fixture to a path in the repository. */
    GitRepo put(String fixture, String path) throws IOException {
        Path to = dir.resolve(path);
        Files.createDirectories(to.getParent());
        Files.copy(DiffGoldenTest.FIXTURES.resolve(fixture), to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return this;
    }

    GitRepo write(String path, String text) throws IOException {
        Path to = dir.resolve(path);
        Files.createDirectories(to.getParent());
        Files.writeString(to, text, StandardCharsets.UTF_8);
        return this;
    }

    GitRepo commit(String message) throws IOException, InterruptedException {
        git("add", "-A");
        git("-c", "user.name=dr test", "-c", "user.email=dr@example.invalid", "-c", "commit.gpgsign=false",
                "commit", "-q", "-m", message);
        return this;
    }

    String git(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("git %s: %s", String.join(" ", args), out).isZero();
        return out;
    }
}
