package dev.dr.approval;

import dev.dr.json.JsonTrees;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Approvals kept in the run's receipt folder, {@code approvals/<phase>.json}. An approval is
 * written once: a second one for the same phase is refused, so the record of who approved
 * cannot be overwritten. It is written to a temporary file and linked into place, so a reader
 * never sees half of it.
 */
public final class ApprovalStore {
    private final Path runDir;

    public ApprovalStore(Path runDir) {
        this.runDir = runDir;
    }

    Path file(String phase) {
        return runDir.resolve("approvals").resolve(phase + ".json");
    }

    /**
     * Notes that a phase of the run waits for approval, and under which planDigest, so that
     * {@code dr approve} can record the approval for exactly that plan. {@code ticket} is
     * "required" when the plan requires one.
     */
    public void pending(Approval waiting) throws IOException {
        Path f = runDir.resolve("approvals").resolve(waiting.phase() + ".pending.json");
        Files.createDirectories(f.getParent());
        Path tmp = Files.createTempFile(f.getParent(), ".pending", ".tmp");
        Files.write(tmp, waiting.toJson());
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The note {@link #pending} left, if the phase waits (or waited) for approval. */
    public Optional<Approval> pendingFor(String phase) throws IOException {
        Path f = runDir.resolve("approvals").resolve(phase + ".pending.json");
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Approval.parse(JsonTrees.read(Files.readString(f))));
        } catch (RuntimeException e) {
            throw new IOException(f + ": not a pending-approval note: " + e.getMessage(), e);
        }
    }

    public Optional<Approval> find(String phase) throws IOException {
        Path f = file(phase);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Approval.parse(JsonTrees.read(Files.readString(f))));
        } catch (RuntimeException e) {
            throw new IOException(f + ": not an approval record: " + e.getMessage(), e);
        }
    }

    /** Records the approval; refuses when one exists already (naming who gave it). */
    public void record(Approval a) throws IOException {
        Path f = file(a.phase());
        Files.createDirectories(f.getParent());
        Path tmp = Files.createTempFile(f.getParent(), ".approval", ".tmp");
        try {
            Files.write(tmp, a.toJson());
            try {
                // a hard link fails when the target exists: the first approval stands
                Files.createLink(f, tmp);
            } catch (UnsupportedOperationException noLinks) {
                Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (FileAlreadyExistsException e) {
            Approval first = find(a.phase()).orElseThrow(() -> e);
            throw new IOException("the " + a.phase() + " phase of run " + a.runId() + " was already approved by "
                    + first.approver() + " at " + first.approvedAt() + " (ticket " + first.ticket() + ")");
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
