package dev.dr.steps.orchestrator;

import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Uri;
import dev.dr.json.JsonTrees;
import dev.dr.step.StepFailure;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One execution's receipts in the receipt bucket, as the workers upload them (the runbook's
 * keys): {@code <folder>/<phase>.json}, the phase receipt dr apply wrote, and
 * {@code <folder>/codebuild-<action>.json}, what the worker did. Read only; a phase whose worker
 * left a record but no receipt is shown as such, and a folder with nothing in it is said, not an
 * error.
 *
 * @param folder the execution's folder, {@code s3://<receipt_bucket>/<receipt_prefix>/<execution_id>}
 * @param phases per phase, in the order they started (ties by name)
 */
record ExecutionReceipts(S3Uri folder, List<Phase> phases) {
    static final String ACTION_PREFIX = "codebuild-";

    /**
     * What the folder says of one phase: its receipt's status and times, its worker's record.
     *
     * @param receipt      the phase receipt's status (success, failed, skipped), empty when there is none
     * @param reason       the receipt's reason kind (permanent, guard, ...), if any
     * @param worker       the worker's record's status (succeeded, failed, refused, invalid), empty when none
     */
    record Phase(String name, Optional<String> receipt, Optional<String> reason, Optional<Instant> startedAt,
                 Optional<Instant> finishedAt, Optional<String> worker, Optional<String> buildId) {}

    /** Lists the folder and reads every receipt and record in it. */
    static ExecutionReceipts read(S3Objects s3, S3Uri folder) throws StepFailure {
        Map<String, JsonNode> receipts = new TreeMap<>();
        Map<String, JsonNode> records = new TreeMap<>();
        for (S3Object o : s3.list(folder)) {
            String name = o.key().substring(o.key().lastIndexOf('/') + 1);
            if (!name.endsWith(".json") || o.key().length() != folder.key().length() + 1 + name.length()) {
                continue; // not a receipt of this folder (a deeper key, another file)
            }
            String base = name.substring(0, name.length() - ".json".length());
            JsonNode doc = document(s3, folder.resolve(name));
            if (base.startsWith(ACTION_PREFIX)) {
                String phase = doc.path("phase").isString() ? doc.get("phase").asString() : base.substring(ACTION_PREFIX.length());
                records.put(phase, doc);
            } else {
                receipts.put(base, doc);
            }
        }
        List<Phase> phases = new ArrayList<>();
        java.util.Set<String> names = new java.util.TreeSet<>(receipts.keySet());
        names.addAll(records.keySet());
        for (String n : names) {
            JsonNode r = receipts.get(n);
            JsonNode w = records.get(n);
            Optional<Instant> started = instant(r, "startedAt").or(() -> instant(w, "startedAt"));
            phases.add(new Phase(n, text(r, "status"), r == null ? Optional.empty() : text(r.path("reason"), "kind"), started,
                    instant(r, "finishedAt").or(() -> instant(w, "finishedAt")), text(w, "status"), text(w, "buildId")));
        }
        phases.sort(Comparator.comparing((Phase p) -> p.startedAt().orElse(Instant.MAX)).thenComparing(Phase::name));
        return new ExecutionReceipts(folder, phases);
    }

    private static JsonNode document(S3Objects s3, S3Uri uri) throws StepFailure {
        byte[] bytes = s3.readSmall(uri).orElseThrow(() -> StepFailure.permanent(uri + " was listed but is gone"));
        try {
            return JsonTrees.read(new String(bytes, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw StepFailure.permanent(uri + " is not a JSON receipt: " + e.getMessage());
        }
    }

    private static Optional<String> text(JsonNode n, String field) {
        if (n == null || !n.path(field).isString()) {
            return Optional.empty();
        }
        return Optional.of(n.get(field).asString());
    }

    private static Optional<Instant> instant(JsonNode n, String field) {
        try {
            return text(n, field).map(Instant::parse);
        } catch (java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    /** The text block under the executions' table: one row per phase. */
    String text(String execution) {
        StringBuilder b = new StringBuilder();
        b.append("Receipts of ").append(execution).append(" in ").append(folder).append("/:");
        if (phases.isEmpty()) {
            return b.append(" none (no worker has uploaded a receipt there)\n").toString();
        }
        b.append('\n');
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"PHASE", "RECEIPT", "FINISHED (UTC)", "WORKER"});
        for (Phase p : phases) {
            rows.add(new String[] {p.name(), p.receipt().map(s -> s + p.reason().map(r -> " (" + r + ")").orElse(""))
                    .orElse("no receipt"), p.finishedAt().map(t -> t.truncatedTo(ChronoUnit.SECONDS).toString()).orElse("-"),
                    p.worker().map(w -> w + p.buildId().map(id -> " (build " + id + ")").orElse("")).orElse("no record")});
        }
        int[] width = new int[3];
        for (String[] r : rows) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            b.append("  ");
            for (int i = 0; i < width.length; i++) {
                b.append(r[i]).append(" ".repeat(width[i] - r[i].length() + 2));
            }
            b.append(r[3]).append('\n');
        }
        return b.toString();
    }

    void json(ObjectNode into) {
        into.put("folder", folder.toString() + "/");
        ArrayNode list = into.putArray("phases");
        for (Phase p : phases) {
            ObjectNode o = list.addObject();
            o.put("phase", p.name());
            o.put("receipt", p.receipt().orElse(null));
            o.put("reason", p.reason().orElse(null));
            o.put("startedAt", p.startedAt().map(Instant::toString).orElse(null));
            o.put("finishedAt", p.finishedAt().map(Instant::toString).orElse(null));
            o.put("worker", p.worker().orElse(null));
            o.put("buildId", p.buildId().orElse(null));
        }
    }
}
