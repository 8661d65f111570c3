package dev.dr.diff;

import dev.dr.diff.PhaseDecision.SkipReason;
import dev.dr.diff.PlanDiff.GuardVerdict;
import dev.dr.plan.model.PhaseName;
import dev.dr.step.PreviewKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Reads a plan-diff JSON document ({@link PlanDiffJson}'s form, e.g. the one dr plan --out
 * saves) back into a {@link PlanDiff}. Strict: a missing field, a value of the wrong type or
 * an unknown id is an error that names the file and the field's path, and says what was
 * expected; the first such error ends the reading.
 */
public final class PlanDiffReader {

    /** A plan-diff document that cannot be read; the message names the file and the field. */
    public static final class Invalid extends IllegalArgumentException {
        Invalid(String message) {
            super(message);
        }
    }

    private final String file;

    /** @param file the file the document came from, as messages name it */
    private PlanDiffReader(String file) {
        this.file = file;
    }

    /**
     * @param doc  the plan-diff document
     * @param file the file it was read from, for messages
     * @param path where the document sits in that file, e.g. {@code diff}, or empty for the whole file
     */
    public static PlanDiff read(JsonNode doc, String file, String path) {
        return new PlanDiffReader(file).document(new At(doc, path));
    }

    /** A node and its path in the file, e.g. {@code diff.phases[2].retry}. */
    private record At(JsonNode node, String path) {
        At get(String key) {
            return new At(node.get(key), path.isEmpty() ? key : path + "." + key);
        }

        At at(int i) {
            return new At(node.get(i), path + "[" + i + "]");
        }
    }

    private PlanDiff document(At d) {
        object(d);
        long version = integer(d.get("formatVersion"));
        if (version != PlanDiff.FORMAT_VERSION) {
            throw invalid(d.get("formatVersion"), "is " + version + "; expected " + PlanDiff.FORMAT_VERSION
                    + " (a plan-diff of another dr release)");
        }
        At p = object(d.get("plan"));
        PlanDiff.Header header = new PlanDiff.Header(string(p.get("name")), string(p.get("description")),
                string(p.get("ticket")), string(p.get("file")), list(p.get("extends"), this::string));
        At t = object(d.get("target"));
        At in = object(d.get("inputs"));
        At r = object(d.get("run"));
        At s = object(d.get("sizing"));
        At job = object(s.get("validateJob"));
        return new PlanDiff(header,
                new PlanDiff.Target(string(t.get("accountId")), string(t.get("region")), string(t.get("namespace"))),
                new PlanDiff.Inputs(string(in.get("backupUri")), string(in.get("imageRef")),
                        bool(in.get("allowTagImageRef")), string(in.get("bucket")), string(in.get("prefix"))),
                new PlanDiff.Run(phaseIdOrNull(r.get("startAt")), phaseIdOrNull(r.get("stopAfter")),
                        bool(r.get("validateOnly")), bool(r.get("teardown")), bool(r.get("autoPromote")),
                        bool(r.get("allowPromoteBypass")), bool(r.get("allowFullDrill")), string(r.get("receiptDir")),
                        string(r.get("fromReceipt"))),
                new PlanDiff.Sizing(string(s.get("instanceType")),
                        new PlanDiff.ValidateJob(resources(job.get("requests")), resources(job.get("limits")))),
                list(d.get("overrides"), o -> {
                    object(o);
                    return new PlanDiff.Overridden(string(o.get("flag")), string(o.get("path")), string(o.get("value")));
                }),
                optional(d.get("sources"), this::sources),
                list(d.get("unsetVariables"), this::string), list(d.get("warnings"), this::string),
                list(d.get("phases"), this::phase), list(d.get("guards"), this::guard), summary(d.get("summary")),
                string(d.get("planDigest")));
    }

    private PlanDiff.Resources resources(At r) {
        object(r);
        return new PlanDiff.Resources(stringOrNull(r.get("cpu")), stringOrNull(r.get("memory")));
    }

    private PlanDiff.Phase phase(At p) {
        object(p);
        PhaseName name = id(p.get("name"), PhaseName.values(), PhaseName::id);
        String description = string(p.get("description"));
        String decision = string(p.get("decision"));
        if ("skip".equals(decision)) {
            At r = object(p.get("reason"));
            return new PlanDiff.Phase(name, description,
                    new PlanDiff.Reason(id(r.get("kind"), SkipReason.values(), SkipReason::id), string(r.get("detail"))),
                    null);
        }
        if (!"run".equals(decision)) {
            throw invalid(p.get("decision"), "is \"" + decision + "\"; expected run or skip");
        }
        if (!present(p.get("reason"), "null on a phase that runs").node().isNull()) {
            throw invalid(p.get("reason"), "is set on a phase that runs; expected null");
        }
        At retry = object(p.get("retry"));
        At backoff = object(retry.get("backoff"));
        At multiplier = present(backoff.get("multiplier"), "a number");
        if (!multiplier.node().isNumber()) {
            throw invalid(multiplier, "is " + kind(multiplier.node()) + "; expected a number");
        }
        PlanDiff.Retry r = new PlanDiff.Retry((int) integer(retry.get("maxAttempts")), list(retry.get("retryOn"), this::string),
                new PlanDiff.Backoff(string(backoff.get("initial")), multiplier.node().asDouble(), string(backoff.get("max"))),
                string(retry.get("worstCase")), optional(retry.get("from"), this::variables));
        PlanDiff.Approval approval = null;
        At a = p.get("approval");
        if (a.node() != null) {
            object(a);
            approval = new PlanDiff.Approval(string(a.get("mode")), bool(a.get("ticketRequired")), string(a.get("timeout")));
        }
        return new PlanDiff.Phase(name, description, null,
                new PlanDiff.Execution(r, string(p.get("timeout")), approval, list(p.get("steps"), this::step)));
    }

    private PlanDiff.Step step(At st) {
        object(st);
        bool(st.get("implemented")); // always true in format 1; required all the same
        At settings = object(st.get("settings"));
        SortedMap<String, JsonNode> values = new TreeMap<>();
        settings.node().properties().forEach(e -> values.put(e.getKey(), e.getValue()));
        List<PlanDiff.StepChange> changes = list(st.get("changes"), c -> {
            object(c);
            return new PlanDiff.StepChange(string(c.get("action")), string(c.get("resource")), string(c.get("detail")));
        });
        return new PlanDiff.Step(string(st.get("uses")), string(st.get("name")),
                id(st.get("preview"), PreviewKind.values(), PreviewKind::id), string(st.get("source")), values, changes);
    }

    private PlanDiff.Guard guard(At g) {
        object(g);
        return new PlanDiff.Guard(string(g.get("name")), string(g.get("check")),
                id(g.get("verdict"), GuardVerdict.values(), GuardVerdict::id), string(g.get("detail")));
    }

    private PlanDiff.Summary summary(At s) {
        object(s);
        At c = object(s.get("changes"));
        return new PlanDiff.Summary((int) integer(s.get("phasesToRun")), (int) integer(s.get("phasesSkipped")),
                (int) integer(s.get("steps")),
                new PlanDiff.Changes((int) integer(c.get("create")), (int) integer(c.get("update")),
                        (int) integer(c.get("delete")), (int) integer(c.get("unchanged")), (int) integer(c.get("unknown"))),
                string(s.get("worstCase")), integer(s.get("worstCaseSeconds")), (int) integer(s.get("unsetVariables")),
                bool(s.get("hasChanges")));
    }

    /** An optional object: empty when absent. */
    private <T extends java.util.Map<?, ?>> T optional(At at, Function<At, T> read) {
        return read.apply(at.node() == null ? new At(tools.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
                at.path()) : at);
    }

    private SortedMap<String, SortedMap<String, String>> sources(At at) {
        object(at);
        SortedMap<String, SortedMap<String, String>> out = new TreeMap<>();
        for (String path : at.node().propertyNames()) {
            SortedMap<String, String> vars = variables(at.get(path));
            if (vars.isEmpty()) {
                throw invalid(at.get(path), "is empty; expected the variables the value came from");
            }
            out.put(path, vars);
        }
        return out;
    }

    private SortedMap<String, String> variables(At at) {
        object(at);
        SortedMap<String, String> out = new TreeMap<>();
        for (String name : at.node().propertyNames()) {
            out.put(name, string(at.get(name)));
        }
        return out;
    }

    private At present(At at, String expected) {
        if (at.node() == null || at.node().isMissingNode()) {
            throw new Invalid(file + ": " + at.path() + " is missing; expected " + expected);
        }
        return at;
    }

    private At object(At at) {
        present(at, "an object");
        if (!at.node().isObject()) {
            throw invalid(at, "is " + kind(at.node()) + "; expected an object");
        }
        return at;
    }

    private String string(At at) {
        present(at, "a string");
        if (!at.node().isString()) {
            throw invalid(at, "is " + kind(at.node()) + "; expected a string");
        }
        return at.node().asString();
    }

    private String stringOrNull(At at) {
        return present(at, "a string or null").node().isNull() ? null : string(at);
    }

    private String phaseIdOrNull(At at) {
        return present(at, "a phase name or null").node().isNull() ? null : id(at, PhaseName.values(), PhaseName::id).id();
    }

    private boolean bool(At at) {
        present(at, "true or false");
        if (!at.node().isBoolean()) {
            throw invalid(at, "is " + kind(at.node()) + "; expected true or false");
        }
        return at.node().asBoolean();
    }

    private long integer(At at) {
        present(at, "an integer");
        if (!at.node().isIntegralNumber() || !at.node().canConvertToLong()) {
            throw invalid(at, "is " + kind(at.node()) + "; expected an integer");
        }
        return at.node().asLong();
    }

    private <T> List<T> list(At at, Function<At, T> item) {
        present(at, "an array");
        if (!at.node().isArray()) {
            throw invalid(at, "is " + kind(at.node()) + "; expected an array");
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < at.node().size(); i++) {
            out.add(item.apply(at.at(i)));
        }
        return out;
    }

    private <E> E id(At at, E[] values, Function<E, String> idOf) {
        String id = string(at);
        return Arrays.stream(values).filter(v -> idOf.apply(v).equals(id)).findFirst()
                .orElseThrow(() -> invalid(at, "is \"" + id + "\"; expected one of "
                        + String.join(", ", Arrays.stream(values).map(idOf).toList())));
    }

    private Invalid invalid(At at, String what) {
        return new Invalid(file + ": " + at.path() + " " + what);
    }

    private static String kind(JsonNode n) {
        if (n.isNull()) {
            return "null";
        }
        if (n.isString()) {
            return "a string";
        }
        if (n.isNumber()) {
            return "a number";
        }
        if (n.isBoolean()) {
            return "a boolean";
        }
        return n.isArray() ? "an array" : "an object";
    }
}
