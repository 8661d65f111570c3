package dev.dr.lock;

import dev.dr.json.JsonTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardCopyOption;
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
        try {
            // Write the holder next to the lock, then link it into place: the lock file
            // appears complete or not at all.
            Path tmp = written(key, holder);
            try {
                Files.createLink(f, tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (FileAlreadyExistsException e) {
            Holder other = holder(key).orElse(new Holder("unknown", "unknown", Instant.EPOCH));
            throw new LockHeldException(key, other, clock.instant());
        }
        return lease(key, holder);
    }

    @Override
    public Lease takeOver(LockKey key, Holder stale, Holder holder) throws LockHeldException, IOException {
        Files.createDirectories(dir);
        Path f = file(key);
        // Take-overs of one lock go one at a time (two resumes of the same run); a plain acquire
        // needs no turn: the lock file exists throughout, so its CREATE_NEW link fails. The turn's
        // file stays: deleting it would let a later take-over lock a new file beside a waiting one.
        try (FileChannel guard = FileChannel.open(dir.resolve("." + f.getFileName() + ".takeover"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock turn = guard.lock()) {
            Optional<Holder> now = holder(key);
            if (now.isEmpty()) {
                return acquire(key, holder);
            }
            if (!now.get().equals(stale)) {
                throw new LockHeldException(key, now.get(), clock.instant());
            }
            Path tmp = written(key, holder);
            try {
                Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return lease(key, holder);
    }

    /** The holder's record in a temporary file of the lock folder. */
    private Path written(LockKey key, Holder holder) throws IOException {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("lock", key.id());
        n.put("operator", holder.operator());
        n.put("runId", holder.runId());
        n.put("since", holder.since().toString());
        holder.process().ifPresent(p -> {
            n.put("host", p.host());
            n.put("pid", p.pid());
            p.startedAt().ifPresent(t -> n.put("pidStartedAt", t.toString()));
        });
        Path tmp = Files.createTempFile(dir, ".lock", ".tmp");
        Files.writeString(tmp, JsonTrees.compact(n) + "\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE);
        return tmp;
    }

    private Lease lease(LockKey key, Holder holder) {
        Path f = file(key);
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
            Optional<HolderProcess> process = n.path("pid").asLong(0) > 0 && n.hasNonNull("host")
                    ? Optional.of(new HolderProcess(n.get("host").asString(), n.get("pid").asLong(),
                            n.hasNonNull("pidStartedAt") ? Optional.of(Instant.parse(n.get("pidStartedAt").asString()))
                                    : Optional.empty()))
                    : Optional.empty();
            return Optional.of(new Holder(n.path("operator").asString(""), n.path("runId").asString(""),
                    Instant.parse(n.path("since").asString("1970-01-01T00:00:00Z")), process));
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
