package dev.dr.report;

import dev.dr.json.JsonTrees;
import dev.dr.plan.model.PhaseName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * Reads a run's receipt folder (what {@code dr apply} writes, schema/receipt.schema.json) into a
 * {@link RunRecord}. run.json and drill.summary.json are optional, since a run refused by a guard
 * writes no run.json and a run that did not end no summary; a phase the summary lists must have
 * its receipt. Reads only.
 */
public final class RunReceipts {
    static final List<String> STATUSES = List.of("success", "failed", "skipped", "interrupted");
    static final List<String> VERDICTS = List.of("success", "failed", "interrupted");

    private RunReceipts() {}

    public static RunRecord read(Path runDir) throws ReceiptException {
        if (!Files.isDirectory(runDir)) {
            throw new ReceiptException(runDir, Files.exists(runDir) ? "not a folder: expected a run's receipt folder"
                    : "no such folder: expected a run's receipt folder (<receiptDir>/<runId>)");
        }
        Optional<ReceiptFields> run = optional(runDir.resolve("run.json"), "run");
        Optional<ReceiptFields> summaryFile = optional(runDir.resolve("drill.summary.json"), "summary");
        List<RunRecord.Phase> phases = new ArrayList<>();
        List<ReceiptFields> phaseFiles = phaseFiles(runDir.resolve("phases"));
        for (ReceiptFields p : phaseFiles) {
            phases.add(phase(p));
        }
        phases.sort(Comparator.comparing(p -> PhaseName.of(p.name())));
        Optional<RunRecord.Summary> summary = summaryFile.isPresent() ? Optional.of(summary(summaryFile.get())) : Optional.empty();
        if (summary.isPresent()) {
            for (String listed : summary.get().phases()) {
                if (phases.stream().noneMatch(p -> p.name().equals(listed))) {
                    throw new ReceiptException(runDir.resolve("phases").resolve(listed + ".json"),
                            "missing: drill.summary.json lists the phase " + listed + " but its receipt is not there");
                }
            }
        }
        ReceiptFields header = run.or(() -> summaryFile).orElseGet(() -> phaseFiles.isEmpty() ? null : phaseFiles.get(0));
        if (header == null) {
            throw new ReceiptException(runDir, "no receipts: expected run.json, drill.summary.json or phases/<phase>.json"
                    + " as dr apply writes them");
        }
        ReceiptFields plan = header.object("plan");
        Optional<java.time.Instant> started = run.isPresent() ? Optional.of(run.get().instant("startedAt"))
                : summary.map(RunRecord.Summary::startedAt);
        Optional<String> reused = run.isPresent() ? run.get().optionalText("fromReceipt").map(RunReceipts::folderName)
                : Optional.empty();
        return new RunRecord(header.text("runId"), plan.text("name"), plan.text("file"), header.text("planDigest"),
                header.optionalText("staticDigest"), header.text("operator"), started, summary, phases, reused,
                header.optionalText("rerunOf"));
    }

    private static Optional<ReceiptFields> optional(Path file, String kind) throws ReceiptException {
        return Files.exists(file) ? Optional.of(receipt(file, kind)) : Optional.empty();
    }

    private static List<ReceiptFields> phaseFiles(Path dir) throws ReceiptException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new ReceiptException(dir, "cannot list the phase receipts: " + e.getMessage(), e);
        }
        List<ReceiptFields> out = new ArrayList<>();
        for (Path f : files) {
            String name = f.getFileName().toString().replaceFirst("\\.json$", "");
            if (!PhaseName.isKnown(name)) {
                throw new ReceiptException(f, "not a phase receipt: expected phases/<phase>.json with a phase of "
                        + String.join(", ", PhaseName.ids()));
            }
            ReceiptFields r = receipt(f, "phase");
            if (!r.text("phase").equals(name)) {
                throw new ReceiptException(f, "phase: expected '" + name + "' (the file's name), was '" + r.text("phase") + "'");
            }
            out.add(r);
        }
        return out;
    }

    private static ReceiptFields receipt(Path file, String kind) throws ReceiptException {
        JsonNode n;
        try {
            n = JsonTrees.read(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ReceiptException(file, "cannot be read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new ReceiptException(file, "not JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        ReceiptFields r = ReceiptFields.of(file, n);
        if (r.whole("formatVersion") != 1) {
            throw new ReceiptException(file, "formatVersion: expected 1, was " + n.get("formatVersion"));
        }
        if (!r.text("kind").equals(kind)) {
            throw new ReceiptException(file, "kind: expected '" + kind + "', was '" + r.text("kind") + "'");
        }
        return r;
    }

    private static RunRecord.Summary summary(ReceiptFields s) throws ReceiptException {
        List<String> phases = new ArrayList<>();
        for (ReceiptFields p : s.objects("phases")) {
            phases.add(p.oneOf("name", PhaseName.ids()));
        }
        return new RunRecord.Summary(s.oneOf("verdict", VERDICTS), s.instant("startedAt"), s.instant("finishedAt"),
                Duration.ofMillis(s.whole("durationMs")), phases);
    }

    private static RunRecord.Phase phase(ReceiptFields p) throws ReceiptException {
        List<RunRecord.Attempt> attempts = new ArrayList<>();
        for (ReceiptFields a : p.objects("attempts")) {
            attempts.add(new RunRecord.Attempt((int) a.whole("number"), a.oneOf("status", List.of("success", "failed", "interrupted")), a.text("step"),
                    a.optionalText("errorClass"), a.text("message"), a.instant("startedAt"),
                    Duration.ofMillis(a.whole("durationMs"))));
        }
        Optional<RunRecord.Reason> reason = Optional.empty();
        Optional<ReceiptFields> r = p.optionalObject("reason");
        if (r.isPresent()) {
            reason = Optional.of(new RunRecord.Reason(r.get().text("kind"), r.get().text("detail")));
        }
        Optional<RunRecord.Approval> approval = Optional.empty();
        Optional<ReceiptFields> a = p.optionalObject("approval");
        if (a.isPresent()) {
            ReceiptFields f = a.get();
            approval = Optional.of(new RunRecord.Approval(f.oneOf("mode", List.of("approved", "bypass-recorded")),
                    f.text("operator"), f.instant("recordedAt"), f.text("planDigest"), f.optionalText("ticket")));
        }
        return new RunRecord.Phase(p.text("phase"), p.oneOf("status", STATUSES), reason, p.instant("startedAt"),
                p.instant("finishedAt"), Duration.ofMillis(p.whole("durationMs")), attempts, p.strings("outputs"), approval);
    }

    /** Only the reused run's folder name (its run id): the absolute path says nothing to a reader of the proof. */
    private static String folderName(String path) {
        Path p = Path.of(path).getFileName();
        return p == null ? path : p.toString();
    }
}
