package dev.dr.compare.git;

import dev.dr.source.YamlReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * A plan file as it was at a git revision, with the plans it extends as they were at the same
 * revision, written under a temporary folder in the repository's layout so that the plan
 * loader reads them as it reads the working tree. Reads with {@code git cat-file}; changes
 * nothing in the repository. Close it to delete the folder.
 */
public final class GitSnapshot implements AutoCloseable {

    /** More than any extends chain the loader accepts; a longer one is the loader's to report. */
    static final int MAX_FILES = 16;

    private final Path root;
    private final Optional<Path> plan;

    private GitSnapshot(Path root, Optional<Path> plan) {
        this.root = root;
        this.plan = plan;
    }

    /** The plan file in the snapshot, or empty when the file did not exist at the revision. */
    public Optional<Path> plan() {
        return plan;
    }

    /**
     * @param file     the plan file in the working tree (it need not exist there any more)
     * @param revision anything git rev-parse takes for a commit: origin/main, HEAD~1, a hash
     */
    public static GitSnapshot of(Path file, String revision) throws GitException {
        if (revision.isEmpty() || revision.startsWith("-")) {
            throw new GitException("not a git revision: '" + revision + "'");
        }
        Path abs = file.toAbsolutePath().normalize();
        Path dir = abs.getParent();
        while (dir != null && !Files.isDirectory(dir)) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new GitException("no folder of " + file + " exists");
        }
        Result top = git(dir, "rev-parse", "--show-toplevel");
        if (top.exit() != 0) {
            throw new GitException("not in a git repository: " + dir + " (" + top.error() + ")");
        }
        Path repo = Path.of(top.text().strip());
        if (git(repo, "rev-parse", "--verify", "--quiet", revision + "^{commit}").exit() != 0) {
            throw new GitException("unknown git revision '" + revision + "' in " + repo);
        }
        String rel = relative(repo, abs, dir);
        Path tmp;
        try {
            tmp = Files.createTempDirectory("dr-diff-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        GitSnapshot snapshot = new GitSnapshot(tmp, Optional.empty());
        try {
            if (!copy(repo, revision, rel, tmp)) {
                return snapshot;
            }
            snapshot = new GitSnapshot(tmp, Optional.of(tmp.resolve(rel)));
            copyBases(repo, revision, rel, tmp);
            return snapshot;
        } catch (GitException | RuntimeException e) {
            snapshot.close();
            throw e;
        }
    }

    /** The plan's path in the repository, with '/'; through the real path of its folder (symlinks, /tmp). */
    private static String relative(Path repo, Path abs, Path existingDir) throws GitException {
        try {
            Path realRepo = repo.toRealPath();
            Path realDir = existingDir.toRealPath();
            Path real = realDir.resolve(existingDir.relativize(abs));
            if (!real.startsWith(realRepo)) {
                throw new GitException(abs + " is outside the git repository " + repo);
            }
            return realRepo.relativize(real).toString().replace('\\', '/');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Follows extends: at the revision. A base that is missing at the revision, outside the
     * repository or part of a cycle is left out, so the loader reports it as it would for the
     * working tree.
     */
    private static void copyBases(Path repo, String revision, String rel, Path tmp) throws GitException {
        Set<String> seen = new HashSet<>();
        String current = rel;
        while (seen.add(current) && seen.size() <= MAX_FILES) {
            String ext = extendsOf(tmp.resolve(current), current);
            if (ext == null) {
                return;
            }
            Path parent = Path.of(current).getParent();
            Path next = (parent == null ? Path.of(ext) : parent.resolve(ext)).normalize();
            if (next.startsWith("..") || next.isAbsolute()) {
                return;
            }
            current = next.toString().replace('\\', '/');
            if (!seen.contains(current) && !copy(repo, revision, current, tmp)) {
                return;
            }
        }
    }

    private static String extendsOf(Path file, String display) {
        YamlReader.Result r = new YamlReader().read(file, display);
        if (r.doc() == null) {
            return null;
        }
        JsonNode ext = r.doc().root().get("extends");
        return ext != null && ext.isString() ? ext.asString() : null;
    }

    /** Writes REV:rel into tmp/rel; false when the file does not exist at the revision. */
    private static boolean copy(Path repo, String revision, String rel, Path tmp) throws GitException {
        Result r = git(repo, "cat-file", "blob", revision + ":" + rel);
        if (r.exit() != 0) {
            return false;
        }
        try {
            Path out = tmp.resolve(rel);
            Files.createDirectories(out.getParent());
            Files.write(out, r.bytes());
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Result(int exit, byte[] bytes, String error) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static Result git(Path dir, String... args) throws GitException {
        List<String> cmd = new java.util.ArrayList<>(List.of("git", "-c", "core.quotepath=off"));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new GitException("cannot run git (is it on PATH?): " + e.getMessage());
        }
        try {
            p.getOutputStream().close();
            // stderr is small (one message); read it on a thread so a large blob on stdout cannot block it
            java.util.concurrent.CompletableFuture<byte[]> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getErrorStream().readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new GitException("git " + String.join(" ", args) + " did not finish within 60 s");
            }
            String error = new String(err.join(), StandardCharsets.UTF_8).strip();
            int nl = error.indexOf('\n');
            return new Result(p.exitValue(), out, nl < 0 ? error : error.substring(0, nl));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new GitException("interrupted while git ran");
        }
    }

    @Override
    public void close() {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary folder left behind is no reason to fail the diff
        }
    }
}
