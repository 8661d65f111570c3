package dev.dr.steps.sandbox;

import dev.dr.step.AtomicFiles;
import dev.dr.step.StepContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The sandbox's own state, per target, as Terraform keeps a remote state per environment: the
 * cluster processes bringups of the target started, so that a teardown without the bringup's
 * receipt ({@code --start-at teardown --teardown true}, as the runbook's last iteration command)
 * finds what to stop. Kept beside the run folders, in
 * {@code <receiptDir>/.sandbox-state/<account>_<region>_<namespace>}: one line per cluster,
 * {@code <pid> <start instant> <folder>}. The target's lock keeps two runs from editing it at once.
 *
 * @param file where the state of this target is kept
 */
record SandboxState(Path file) {

    static final String FOLDER = ".sandbox-state";

    /** One cluster process a bringup started. */
    record Entry(long pid, Optional<Instant> started, Path dir) {
        String line() {
            return pid + " " + started.map(Instant::toString).orElse("-") + " " + dir;
        }

        static Entry parse(String line) {
            String[] w = line.split(" ", 3);
            return new Entry(Long.parseLong(w[0]), "-".equals(w[1]) ? Optional.empty() : Optional.of(Instant.parse(w[1])),
                    Path.of(w[2]));
        }

        /** The process, when it still runs and is the one recorded (a later process may have got the pid). */
        Optional<ProcessHandle> running() {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> started.isEmpty()
                    || p.info().startInstant().map(t -> Math.abs(t.toEpochMilli() - started.get().toEpochMilli()) < 1000)
                    .orElse(true));
        }
    }

    /** The state of the plan's target, beside the folder of the run's receipt. */
    static SandboxState of(StepContext ctx) {
        Path runs = ctx.receiptDir().toAbsolutePath().normalize().getParent();
        String key = String.join("_", ctx.setting("target.accountId").orElse("-"), ctx.setting("target.region").orElse("-"),
                ctx.setting("target.namespace").orElse("-")).replaceAll("[^A-Za-z0-9._-]", "-");
        return new SandboxState(runs.resolve(FOLDER).resolve(key));
    }

    boolean exists() {
        return Files.isRegularFile(file);
    }

    List<Entry> entries() throws IOException {
        if (!exists()) {
            return List.of();
        }
        List<Entry> out = new ArrayList<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!l.isBlank()) {
                try {
                    out.add(Entry.parse(l.strip()));
                } catch (RuntimeException e) {
                    throw new IOException("unreadable sandbox state " + file + ": '" + l + "'", e);
                }
            }
        }
        return out;
    }

    /** Records the cluster started in {@code e.dir()}, in place of an earlier one there, and forgets clusters that are gone. */
    void add(Entry e) throws IOException {
        List<Entry> kept = new ArrayList<>();
        for (Entry old : entries()) {
            if (!old.dir().equals(e.dir()) && old.running().isPresent()) {
                kept.add(old);
            }
        }
        kept.add(e);
        write(kept);
    }

    /** Forgets the cluster {@code pid} (stopped), and clusters that are gone. */
    void remove(long pid) throws IOException {
        if (!exists()) {
            return;
        }
        write(entries().stream().filter(e -> e.pid() != pid && e.running().isPresent()).toList());
    }

    private void write(List<Entry> entries) throws IOException {
        Files.createDirectories(file.getParent());
        StringBuilder b = new StringBuilder();
        entries.forEach(e -> b.append(e.line()).append('\n'));
        AtomicFiles.write(file, b.toString());
    }
}
