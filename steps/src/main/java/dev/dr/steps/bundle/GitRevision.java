package dev.dr.steps.bundle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The commit a control-plane folder was published from: its SHA goes into the manifest and the
 * bundle's name, its commit time becomes the manifest's {@code created_at}. Taking the time
 * from the commit rather than the clock is what makes two publishes of the same folder give
 * the same bytes.
 */
public record GitRevision(String sha, String committedAt) {

    /** Neither git nor a commit: the manifest then says so plainly. */
    public static final GitRevision NONE = new GitRevision("unknown", "1970-01-01T00:00:00Z");

    /** The HEAD commit of the work tree holding {@code dir}, or empty when there is none (or no git). */
    public static Optional<GitRevision> of(Path dir) throws InterruptedException {
        try {
            Process p = new ProcessBuilder("git", "-C", dir.toString(), "log", "-1", "--format=%H %ct")
                    .redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            String[] parts = out.split(" ");
            if (p.exitValue() != 0 || parts.length != 2 || !parts[0].matches("[0-9a-f]{40,64}")) {
                return Optional.empty();
            }
            return Optional.of(new GitRevision(parts[0], java.time.Instant.ofEpochSecond(Long.parseLong(parts[1])).toString()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
