package dev.dr.report;

import dev.dr.render.JsonRenderer;
import java.util.Optional;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The proof as JSON (schema/report.schema.json): the same facts as the Markdown, keys sorted,
 * instants as the receipts recorded them, durations in milliseconds, absent facts as null.
 */
public final class ReportJson {
    public static final int FORMAT_VERSION = 1;
    private final JsonNodeFactory f = JsonNodeFactory.instance;

    public String render(ProofReport r) {
        return new JsonRenderer().render(tree(r));
    }

    ObjectNode tree(ProofReport r) {
        RunRecord run = r.run();
        ObjectNode n = f.objectNode();
        n.put("formatVersion", FORMAT_VERSION);
        n.put("kind", "proof-report");
        n.put("runId", run.runId());
        n.putObject("plan").put("name", run.planName()).put("file", run.planFile());
        n.put("planDigest", run.planDigest());
        n.put("staticDigest", run.staticDigest().orElse(null));
        n.put("operator", run.operator());
        n.put("verdict", r.verdict());
        n.put("complete", r.complete());
        r.gaps().forEach(n.putArray("gaps")::add);
        n.put("startedAt", run.startedAt().map(Object::toString).orElse(null));
        n.put("finishedAt", run.summary().map(s -> s.finishedAt().toString()).orElse(null));
        n.put("reusedRun", run.reused().orElse(null));
        n.put("rerunOf", run.rerunOf().orElse(null));
        ObjectNode rto = n.putObject("rto");
        rto.put("phaseTotalMs", r.phaseTotal().toMillis());
        if (r.wallTime().isPresent()) {
            rto.put("wallTimeMs", r.wallTime().get().toMillis());
        } else {
            rto.putNull("wallTimeMs");
        }
        var phases = n.putArray("phases");
        for (RunRecord.Phase p : run.phases()) {
            ObjectNode o = phases.addObject();
            o.put("name", p.name());
            o.put("status", p.status());
            reason(o, p.reason());
            o.put("attempts", p.attempts().size());
            o.put("startedAt", p.startedAt().toString());
            o.put("finishedAt", p.finishedAt().toString());
            o.put("durationMs", p.duration().toMillis());
        }
        if (r.bundle().isPresent()) {
            ProofReport.Bundle b = r.bundle().get();
            n.putObject("bundle").put("uri", b.uri()).put("sha256", b.sha256().orElse(null)).put("phase", b.phase());
        } else {
            n.putNull("bundle");
        }
        if (r.validation().isPresent()) {
            ProofReport.Validation v = r.validation().get();
            n.putObject("validation").put("status", v.status()).put("job", v.job().orElse(null)).put("attempts", v.attempts())
                    .put("errorClass", v.errorClass().orElse(null)).put("message", v.message().orElse(null));
        } else {
            n.putNull("validation");
        }
        if (r.approval().isPresent()) {
            ProofReport.Gate g = r.approval().get();
            ObjectNode o = n.putObject("approval");
            o.put("phase", g.phase());
            o.put("status", g.status());
            RunRecord.Approval a = g.approval().orElse(null);
            o.put("mode", a == null ? "none" : a.mode());
            o.put("operator", a == null ? null : a.operator());
            o.put("recordedAt", a == null ? null : a.recordedAt().toString());
            o.put("planDigest", a == null ? null : a.planDigest());
            o.put("ticket", a == null ? null : a.ticket().orElse(null));
        } else {
            n.putNull("approval");
        }
        if (r.teardown().isPresent()) {
            ProofReport.Teardown t = r.teardown().get();
            ObjectNode o = n.putObject("teardown");
            o.put("status", t.status());
            o.put("runnersLeft", t.runnersLeft().orElse(null));
            reason(o, t.reason());
        } else {
            n.putNull("teardown");
        }
        return n;
    }

    private void reason(ObjectNode o, Optional<RunRecord.Reason> reason) {
        if (reason.isPresent()) {
            o.putObject("reason").put("kind", reason.get().kind()).put("detail", reason.get().detail());
        } else {
            o.putNull("reason");
        }
    }
}
