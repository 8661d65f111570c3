package dev.dr.lock;

import dev.dr.json.JsonTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Locks as files in one folder: creating the file is the atomic test-and-set
 * ({@code CREATE_NEW}), deleting it the release. For one machine (local runs, the sandbox);
 * real targets use a shared store.
 */
public final class FileLockStore implements LockStore {

    private final Path dir;
    private final Clock clock;

    public FileLockStore(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    private Path file(LockKey key) {
        return dir.resolve(key.id().replace('/', '_') + ".lock");
    }

    @Override
    public Lease acquire(LockKey key, Holder holder) throws LockHeldException, IOException {
        Files.createDirectories(dir);
        Path f = file(key);
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("lock", key.id());
        n.put("operator", holder.operator());
        n.put("runId", holder.runId());
        n.put("since", holder.since().toString());
        try {
            // Write the holder next to the lock, then link it into place: the lock file
            // appears complete or not at all.
            Path tmp = Files.createTempFile(dir, ".lock", ".tmp");
            try {
                Files.writeString(tmp, JsonTrees.compact(n) + "\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE);
                Files.createLink(f, tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (FileAlreadyExistsException e) {
            Holder other = holder(key).orElse(new Holder("unknown", "unknown", Instant.EPOCH));
            throw new LockHeldException(key, other, clock.instant());
        }
        return () -> {
            Optional<Holder> now = holder(key);
            if (now.isPresent() && now.get().runId().equals(holder.runId())) {
                Files.deleteIfExists(f);
            }
        };
    }

    @Override
    public Optional<Holder> holder(LockKey key) throws IOException {
        try {
            JsonNode n = JsonTrees.read(Files.readString(file(key), StandardCharsets.UTF_8));
            return Optional.of(new Holder(n.path("operator").asString(""), n.path("runId").asString(""),
                    Instant.parse(n.path("since").asString("1970-01-01T00:00:00Z"))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<Holder> forceUnlock(LockKey key) throws IOException {
        Optional<Holder> h = holder(key);
        Files.deleteIfExists(file(key));
        return h;
    }

    @Override
    public String location() {
        return "the file store in " + dir;
    }

    /** Where the file store keeps locks unless DR_LOCK_DIR says otherwise: a per-user state folder. */
    public static Path defaultDir(java.util.Map<String, String> env) {
        if (env.containsKey("DR_LOCK_DIR")) {
            return Path.of(env.get("DR_LOCK_DIR"));
        }
        String state = env.getOrDefault("XDG_STATE_HOME", Path.of(System.getProperty("user.home"), ".local", "state").toString());
        return Path.of(state, "dr", "locks");
    }
}
