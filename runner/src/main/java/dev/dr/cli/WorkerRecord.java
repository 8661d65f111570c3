package dev.dr.cli;

import dev.dr.command.Context;
import dev.dr.diff.PhaseDecision;
import dev.dr.plan.load.Overrides;
import dev.dr.plan.model.Plan;
import dev.dr.receipt.ReceiptUpload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one dr apply learns as it goes, for the action record of {@code --upload-receipts}: the
 * phase it was asked to apply, the plan's region, the plan-diff's digest and the run's folder.
 * Each is filled in when known; a command that ends early leaves the rest empty. One per command.
 */
final class WorkerRecord {
    private String phase;
    private String region;
    private String planDigest;
    private List<String> running = List.of();
    private String runId;
    private Path runDir;
    /** The folder RUN_ID names, for a run a guard refused before the command learnt its folder. */
    private Path namedRunDir;

    /** The boundaries: one phase (--phase, or the same --start-at and --stop-after) is the worker's action. */
    void asked(Overrides given) {
        if (given.startAt() != null && given.startAt().equals(given.stopAfter())) {
            phase = given.startAt();
        }
    }

    void plan(Plan plan, Context ctx) {
        region = plan.target().region();
        String id = ctx.env().get("RUN_ID");
        if (id != null && !id.isBlank()) {
            namedRunDir = ctx.cwd().resolve(plan.run().receiptDir()).resolve(id);
        }
    }

    void planDigest(String digest) {
        planDigest = digest;
    }

    /** The phases this command runs: only their receipts are its to upload (the others say skipped, and belong to other workers). */
    void decided(List<PhaseDecision> decisions) {
        running = decisions.stream().filter(PhaseDecision::runs).map(d -> d.phase().name().id()).toList();
    }

    void run(String id, Path dir) {
        runId = id;
        runDir = dir;
    }

    Optional<String> region() {
        return Optional.ofNullable(region);
    }

    ReceiptUpload.Worker worker(int exitCode, Instant started, Instant finished, Context ctx) {
        Path dir = runDir;
        String id = runId;
        if (dir == null && namedRunDir != null && Files.isDirectory(namedRunDir)) {
            dir = namedRunDir;
            id = namedRunDir.getFileName().toString();
        }
        return new ReceiptUpload.Worker(phase != null ? phase : ReceiptUpload.APPLY_ACTION, Optional.ofNullable(phase),
                ReceiptUpload.status(exitCode), exitCode, started, finished, Optional.ofNullable(planDigest),
                Optional.ofNullable(id), Optional.ofNullable(dir), running, ctx.env());
    }
}
