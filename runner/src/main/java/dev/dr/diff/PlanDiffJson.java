package dev.dr.diff;

import dev.dr.diff.PlanDiff.Execution;
import dev.dr.diff.PlanDiff.Phase;
import dev.dr.diff.PlanDiff.Resources;
import dev.dr.diff.PlanDiff.Step;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The plan-diff as the JSON document of {@code schema/plan-diff.schema.json}: the one place
 * that names its fields when writing. Keys are sorted at every level, so the document (and
 * the planDigest taken of its canonical form) does not depend on the order of this code.
 * {@link PlanDiffReader} reads it back.
 */
public final class PlanDiffJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private PlanDiffJson() {}

    /** The document, keys sorted at every level. */
    public static ObjectNode toJson(PlanDiff d) {
        ObjectNode doc = F.objectNode();
        doc.put("formatVersion", PlanDiff.FORMAT_VERSION);
        ObjectNode p = doc.putObject("plan");
        p.put("name", d.plan().name());
        p.put("description", d.plan().description());
        p.put("ticket", d.plan().ticket());
        p.put("file", d.plan().file());
        strings(p.putArray("extends"), d.plan().bases());
        doc.set("target", target(d.target()));
        doc.set("inputs", inputs(d.inputs()));
        doc.set("run", run(d.run()));
        doc.set("sizing", sizing(d.sizing()));
        ArrayNode overrides = doc.putArray("overrides");
        d.overrides().forEach(o -> overrides.addObject().put("flag", o.flag()).put("path", o.path()).put("value", o.value()));
        if (!d.sources().isEmpty()) {
            // only when a set variable gave a value, so a plan-diff without any keeps its form and digest
            ObjectNode sources = doc.putObject("sources");
            d.sources().forEach((path, vars) -> sources.set(path, variables(vars)));
        }
        strings(doc.putArray("unsetVariables"), d.unsetVariables());
        strings(doc.putArray("warnings"), d.warnings());
        ArrayNode phases = doc.putArray("phases");
        d.phases().forEach(ph -> phases.add(phase(ph)));
        ArrayNode guards = doc.putArray("guards");
        d.guards().forEach(g -> guards.add(guard(g).put("name", g.name())));
        PlanDiff.Summary s = d.summary();
        ObjectNode summary = doc.putObject("summary");
        summary.put("phasesToRun", s.phasesToRun());
        summary.put("phasesSkipped", s.phasesSkipped());
        summary.put("steps", s.steps());
        // format 1 keeps this field: every step a plan may name has a class, so it is constant
        summary.put("stepsNotImplemented", 0);
        summary.putObject("changes").put("create", s.changes().create()).put("delete", s.changes().delete())
                .put("unchanged", s.changes().unchanged()).put("unknown", s.changes().unknown())
                .put("update", s.changes().update());
        summary.put("worstCase", s.worstCase());
        summary.put("worstCaseSeconds", s.worstCaseSeconds());
        summary.put("unsetVariables", s.unsetVariables());
        summary.put("hasChanges", s.hasChanges());
        doc.put("planDigest", d.planDigest());
        return (ObjectNode) Canonical.sorted(doc);
    }

    /**
     * The planDigest of {@code d}: SHA-256 of the canonical document without planDigest and without
     * the verdicts of the AWS guards (see {@link Guards#forDigest}). {@code d}'s own digest is ignored.
     */
    public static String digestOf(PlanDiff d) {
        return Canonical.sha256(Guards.forDigest(toJson(d)));
    }

    private static ObjectNode phase(Phase ph) {
        ObjectNode n = F.objectNode();
        n.put("name", ph.name().id());
        n.put("description", ph.description());
        n.put("decision", ph.runs() ? "run" : "skip");
        if (!ph.runs()) {
            n.putObject("reason").put("kind", ph.reason().kind().id()).put("detail", ph.reason().detail());
            return n;
        }
        n.putNull("reason");
        Execution e = ph.execution();
        n.set("retry", retry(e.retry()));
        n.put("timeout", e.timeout());
        if (e.approval() != null) {
            n.set("approval", approval(e.approval()));
        }
        ArrayNode steps = n.putArray("steps");
        e.steps().forEach(st -> steps.add(step(st)));
        return n;
    }

    private static ObjectNode step(Step st) {
        ObjectNode n = F.objectNode();
        n.put("uses", st.uses());
        n.put("name", st.name());
        n.put("implemented", true); // format 1 keeps it: every step a plan may name has a class
        n.put("preview", st.preview().id());
        ObjectNode settings = n.putObject("settings");
        st.settings().forEach((k, v) -> settings.set(k, v.deepCopy()));
        ArrayNode changes = n.putArray("changes");
        st.changes().forEach(c -> changes.addObject().put("action", c.action()).put("resource", c.resource())
                .put("detail", c.detail()));
        n.put("source", st.source());
        return n;
    }

    // The parts below are also what dr diff compares, field by field, under these names.

    public static ObjectNode target(PlanDiff.Target t) {
        return F.objectNode().put("accountId", t.accountId()).put("region", t.region()).put("namespace", t.namespace());
    }

    public static ObjectNode inputs(PlanDiff.Inputs in) {
        return F.objectNode().put("backupUri", in.backupUri()).put("imageRef", in.imageRef()).put("bucket", in.bucket())
                .put("prefix", in.prefix()).put("allowTagImageRef", in.allowTagImageRef());
    }

    public static ObjectNode run(PlanDiff.Run r) {
        return F.objectNode().put("startAt", r.startAt()).put("stopAfter", r.stopAfter())
                .put("validateOnly", r.validateOnly()).put("teardown", r.teardown()).put("autoPromote", r.autoPromote())
                .put("allowPromoteBypass", r.allowPromoteBypass()).put("allowFullDrill", r.allowFullDrill())
                .put("receiptDir", r.receiptDir()).put("fromReceipt", r.fromReceipt());
    }

    public static ObjectNode sizing(PlanDiff.Sizing s) {
        ObjectNode n = F.objectNode().put("instanceType", s.instanceType());
        ObjectNode job = n.putObject("validateJob");
        job.set("requests", resources(s.validateJob().requests()));
        job.set("limits", resources(s.validateJob().limits()));
        return n;
    }

    public static ObjectNode retry(PlanDiff.Retry r) {
        ObjectNode n = F.objectNode();
        n.put("maxAttempts", r.maxAttempts());
        strings(n.putArray("retryOn"), r.retryOn());
        ObjectNode backoff = n.putObject("backoff");
        backoff.put("initial", r.backoff().initial());
        double m = r.backoff().multiplier();
        // an integer when whole (2), a decimal otherwise (1.5): the schema's "multiplier"
        if (m == Math.rint(m)) {
            backoff.put("multiplier", (long) m);
        } else {
            backoff.put("multiplier", m);
        }
        backoff.put("max", r.backoff().max());
        n.put("worstCase", r.worstCase());
        if (!r.from().isEmpty()) {
            n.set("from", variables(r.from()));
        }
        return n;
    }

    private static ObjectNode variables(java.util.Map<String, String> vars) {
        ObjectNode n = F.objectNode();
        vars.forEach(n::put);
        return n;
    }

    public static ObjectNode approval(PlanDiff.Approval a) {
        return F.objectNode().put("mode", a.mode()).put("ticketRequired", a.ticketRequired()).put("timeout", a.timeout());
    }

    /** A guard's verdict, check and detail (its name is where it is listed). */
    public static ObjectNode guard(PlanDiff.Guard g) {
        return F.objectNode().put("verdict", g.verdict().id()).put("check", g.check()).put("detail", g.detail());
    }

    private static ObjectNode resources(Resources r) {
        return F.objectNode().put("cpu", r.cpu()).put("memory", r.memory());
    }

    private static void strings(ArrayNode out, java.util.List<String> values) {
        values.forEach(out::add);
    }
}
