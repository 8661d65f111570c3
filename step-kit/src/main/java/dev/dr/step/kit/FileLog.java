package dev.dr.step.kit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The "server" of a step that keeps its state in files (a CLI's state file, a journal, a
 * process's folder): each file or folder under a root that appeared or changed since the last
 * call counts as a {@code PUT} of its path, each one that went as a {@code DELETE}.
 */
public final class FileLog implements RequestLog {

    private final Path root;
    private Map<Path, Integer> seen;

    private FileLog(Path root) {
        this.root = root;
        this.seen = snapshot();
    }

    /** A log of what changes under {@code root} (which need not exist yet) from now on. */
    public static FileLog under(Path root) {
        return new FileLog(root);
    }

    @Override
    public synchronized List<ServerRequest> take() {
        Map<Path, Integer> now = snapshot();
        List<ServerRequest> out = new ArrayList<>();
        now.forEach((p, content) -> {
            if (!content.equals(seen.get(p))) {
                out.add(ServerRequest.rest("PUT", p.toString()));
            }
        });
        seen.keySet().stream().filter(p -> !now.containsKey(p)).forEach(p -> out.add(ServerRequest.rest("DELETE", p.toString())));
        seen = now;
        return out;
    }

    /** Every path under the root, with its content's hash (0 for a folder). */
    private Map<Path, Integer> snapshot() {
        Map<Path, Integer> out = new TreeMap<>();
        if (!Files.exists(root)) {
            return out;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                try {
                    out.put(p, Files.isDirectory(p) ? 0 : Arrays.hashCode(Files.readAllBytes(p)));
                } catch (NoSuchFileException gone) {
                    // deleted while listed: not there now
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof NoSuchFileException)) {
                throw e;
            }
            return snapshot(); // a folder went while it was walked: look again
        }
        return out;
    }
}
