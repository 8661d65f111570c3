package dev.dr.receipt;

import dev.dr.engine.Attempt;
import dev.dr.engine.PhaseOutcome;
import dev.dr.json.JsonTrees;
import dev.dr.plan.model.PhaseName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/** Reads the phase receipts of a run back, for --resume and run.fromReceipt. */
public final class ReceiptReader {
    private ReceiptReader() {}

    /**
     * A phase receipt, the planDigest and the static digest it was written under (empty when
     * written by a dr that did not record one), and its run.
     */
    public record Read(PhaseOutcome outcome, String planDigest, String staticDigest, String runId) {}

    /** Every phase receipt of the run in {@code runDir}, by phase. */
    public static Map<PhaseName, Read> phases(Path runDir) throws IOException {
        Path dir = runDir.resolve("phases");
        if (!Files.isDirectory(runDir)) {
            throw new IOException("no run at " + runDir);
        }
        Map<PhaseName, Read> out = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) {
            return out; // a run stopped before its first phase finished: nothing to keep
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                JsonNode n;
                try {
                    n = JsonTrees.read(Files.readString(p, StandardCharsets.UTF_8));
                } catch (RuntimeException e) {
                    throw new IOException("unreadable receipt " + p + ": " + e.getMessage(), e);
                }
                Optional<PhaseOutcome> o = outcome(n);
                if (o.isPresent()) {
                    out.put(o.get().phase(), new Read(o.get(), n.path("planDigest").asString(""),
                            n.path("staticDigest").asString(""), n.path("runId").asString("")));
                }
            }
        }
        return out;
    }

    /**
     * The static digest the run in {@code runDir} was started under (its run.json), or empty for
     * a run that has none (killed before it started a phase, or written by an earlier dr).
     */
    public static Optional<String> staticDigest(Path runDir) throws IOException {
        Path f = runDir.resolve(ReceiptRecorder.RUN_FILE);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            String d = JsonTrees.read(Files.readString(f, StandardCharsets.UTF_8)).path("staticDigest").asString("");
            return d.isEmpty() ? Optional.empty() : Optional.of(d);
        } catch (RuntimeException e) {
            throw new IOException("unreadable receipt " + f + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether {@code dir} is one run's receipt folder rather than a folder of runs: it holds what
     * every run leaves (run.json, drill.summary.json, phases/) or a bringup's kubeconfig.yaml.
     */
    public static boolean isRunFolder(Path dir) {
        return Files.isRegularFile(dir.resolve(ReceiptRecorder.RUN_FILE)) || ended(dir) || Files.isDirectory(dir.resolve("phases"))
                || Files.isRegularFile(dir.resolve("kubeconfig.yaml"));
    }

    /** Whether the run in {@code runDir} ended (its summary was written): a run killed mid-way has none. */
    public static boolean ended(Path runDir) {
        return Files.isRegularFile(runDir.resolve("drill.summary.json"));
    }

    private static Optional<PhaseOutcome> outcome(JsonNode n) {
        if (!"phase".equals(n.path("kind").asString("")) || !PhaseName.isKnown(n.path("phase").asString(""))) {
            return Optional.empty();
        }
        List<Attempt> attempts = new ArrayList<>();
        for (JsonNode a : n.path("attempts")) {
            attempts.add(new Attempt(a.path("number").asInt(), Attempt.Status.valueOf(a.path("status").asString().toUpperCase(java.util.Locale.ROOT)),
                    a.path("step").asString(""), a.path("errorClass").isString() ? a.get("errorClass").asString() : null,
                    a.path("message").asString(""), Instant.parse(a.path("startedAt").asString()),
                    Duration.ofMillis(a.path("durationMs").asLong())));
        }
        Map<String, String> outputs = new LinkedHashMap<>();
        n.path("outputs").properties().forEach(e -> outputs.put(e.getKey(), e.getValue().asString()));
        JsonNode reason = n.path("reason");
        return Optional.of(new PhaseOutcome(PhaseName.of(n.get("phase").asString()),
                PhaseOutcome.Status.valueOf(n.path("status").asString().toUpperCase(java.util.Locale.ROOT)),
                reason.isObject() ? reason.path("kind").asString() : null,
                reason.isObject() ? reason.path("detail").asString() : "", attempts, outputs,
                Instant.parse(n.path("startedAt").asString()), Instant.parse(n.path("finishedAt").asString())));
    }

    /**
     * Outputs of the phases that succeeded in the run at {@code runDir} (run.fromReceipt), after
     * those of the run it reused in turn (its run.json's fromReceipt), so that a rerun of one
     * phase still finds what an earlier run's bringup left.
     */
    public static Map<String, String> outputs(Path runDir) throws IOException {
        return outputs(runDir, 0);
    }

    private static Map<String, String> outputs(Path runDir, int depth) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        Map<PhaseName, Read> phases = phases(runDir);
        if (phases.isEmpty()) {
            // reusing a run that left nothing would quietly fall back to other settings
            throw new IOException("no phase receipts at " + runDir);
        }
        Optional<Path> reused = fromReceipt(runDir);
        if (reused.isPresent()) {
            if (depth >= MAX_CHAIN) {
                throw new IOException("the runs " + runDir + " reuses name each other more than " + MAX_CHAIN + " deep");
            }
            out.putAll(outputs(reused.get(), depth + 1));
        }
        for (Read r : phases.values()) {
            if (r.outcome().status() == PhaseOutcome.Status.SUCCESS) {
                out.putAll(r.outcome().outputs());
            }
        }
        return out;
    }

    /** How many runs deep a chain of reused receipts is followed. */
    static final int MAX_CHAIN = 16;

    /** The receipt folder the run at {@code runDir} reused (its run.json says), if any. */
    public static Optional<Path> fromReceipt(Path runDir) throws IOException {
        Path f = runDir.resolve(ReceiptRecorder.RUN_FILE);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            String d = JsonTrees.read(Files.readString(f, StandardCharsets.UTF_8)).path("fromReceipt").asString("");
            return d.isEmpty() ? Optional.empty() : Optional.of(Path.of(d));
        } catch (RuntimeException e) {
            throw new IOException("unreadable receipt " + f + ": " + e.getMessage(), e);
        }
    }
}
