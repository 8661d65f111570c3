package dev.dr.plan.validate;

import dev.dr.aws.EcrImageRef;
import dev.dr.catalog.StepCatalog;
import dev.dr.plan.model.PhaseName;
import dev.dr.plan.model.Quantities;
import dev.dr.source.Located;
import dev.dr.source.NodePath;
import dev.dr.source.Problem;
import dev.dr.source.SchemaCheck;
import dev.dr.source.SourceDoc;
import dev.dr.source.SourcePos;
import dev.dr.source.Suggestions;
import dev.dr.step.Durations;
import dev.dr.step.StepInfo;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks the schema cannot express, on the merged and interpolated plan: boundaries that
 * contradict each other, values that only become known after ${VAR} interpolation, limits
 * below requests, steps that do not exist or get settings they do not take, and the
 * full-drill opt-in. It never changes the plan, and reports every problem it finds.
 */
public final class SemanticCheck {

    static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");
    static final Pattern REGION = Pattern.compile("[a-z]{2}(?:-[a-z]+)+-[0-9]");
    static final Pattern NAMESPACE = Pattern.compile("[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?");
    static final Pattern INSTANCE = Pattern.compile("t4g\\.(?:nano|micro|small|medium|large|xlarge|2xlarge)");
    static final Pattern BACKUP_URI = Pattern.compile("s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.+");

    private final StepCatalog steps;
    private final Map<String, SchemaCheck> stepSchemas = new HashMap<>();

    public SemanticCheck(StepCatalog steps) {
        this.steps = steps;
    }

    /** Checks of one file's own phase list, before merging hides its order. */
    public List<Problem> checkFile(SourceDoc doc) {
        List<Problem> out = new ArrayList<>();
        bothAttemptCounts(doc, out);
        JsonNode phases = doc.root().get("phases");
        if (phases == null || !phases.isArray()) {
            return out;
        }
        Map<String, Integer> seen = new HashMap<>();
        int lastRank = -1;
        String lastName = null;
        for (int i = 0; i < phases.size(); i++) {
            JsonNode n = phases.get(i).get("name");
            if (n == null || !n.isString() || !PhaseName.isKnown(n.asString())) {
                continue;
            }
            NodePath at = NodePath.of("phases", i, "name");
            String name = n.asString();
            if (seen.containsKey(name)) {
                out.add(Problem.error(Problem.Kind.SEMANTIC, doc.at(at).value(), at,
                        "phase '" + name + "' is declared twice (first at line "
                                + doc.at(NodePath.of("phases", seen.get(name), "name")).value().line() + ")"));
                continue;
            }
            seen.put(name, i);
            int rank = PhaseName.of(name).ordinal();
            if (rank < lastRank) {
                out.add(Problem.error(Problem.Kind.SEMANTIC, doc.at(at).value(), at,
                        "phase '" + name + "' is listed after '" + lastName + "'; phases run in lifecycle order: "
                                + String.join(", ", PhaseName.ids())));
            } else {
                lastRank = rank;
                lastName = name;
            }
        }
        return out;
    }

    /** maxAttempts and maxRetries say the same thing two ways: one file gives one of them per policy. */
    private static void bothAttemptCounts(SourceDoc doc, List<Problem> out) {
        JsonNode retry = doc.root().get("retry");
        if (retry == null || !retry.isObject()) {
            return;
        }
        Map<NodePath, JsonNode> policies = new java.util.LinkedHashMap<>();
        policies.put(NodePath.of("retry", "default"), retry.get("default"));
        JsonNode phases = retry.get("phases");
        if (phases != null && phases.isObject()) {
            phases.propertyNames().forEach(n -> policies.put(NodePath.of("retry", "phases", n), phases.get(n)));
        }
        policies.forEach((at, policy) -> {
            if (policy != null && policy.has("maxAttempts") && policy.has("maxRetries")) {
                NodePath p = at.child("maxRetries");
                out.add(Problem.error(Problem.Kind.SEMANTIC, doc.at(p).key(), p, "give maxAttempts or maxRetries, not"
                        + " both: maxRetries N means N + 1 attempts"));
            }
        });
    }

    /**
     * @param root  the merged plan, after interpolation
     * @param where positions of its nodes
     * @param leaf  the plan file the user named (missing keys are reported there)
     * @param sensitive paths whose values came from secret-named variables: never printed
     */
    public List<Problem> check(ObjectNode root, Function<NodePath, Located> where, String leaf,
                               Set<NodePath> sensitive) {
        List<Problem> out = new ArrayList<>();
        Ctx c = new Ctx(root, where, out, SourcePos.startOf(leaf), sensitive);
        required(c);
        List<String> phaseNames = phases(c);
        boundaries(c, phaseNames);
        values(c);
        resources(c);
        retry(c);
        steps(c);
        return out;
    }

    private record Ctx(ObjectNode root, Function<NodePath, Located> where, List<Problem> out, SourcePos leafStart,
                       Set<NodePath> sensitive) {
        /** A value for a message: quoted, or masked when it came from a secret-named variable. */
        String shown(NodePath p, String v) {
            return sensitive.contains(p) ? "(sensitive value)" : "'" + v + "'";
        }

        /** The same, unquoted (for quantities such as 500m). */
        String plain(NodePath p, String v) {
            return sensitive.contains(p) ? "(sensitive value)" : v;
        }

        JsonNode get(NodePath p) {
            JsonNode n = root;
            for (Object s : p.segments()) {
                if (n == null) {
                    return null;
                }
                n = s instanceof Integer i ? n.get(i) : n.get((String) s);
            }
            return n;
        }

        String text(NodePath p) {
            JsonNode n = get(p);
            return n != null && n.isString() ? n.asString() : null;
        }

        boolean flag(NodePath p) {
            JsonNode n = get(p);
            return n != null && n.isBoolean() && n.asBoolean();
        }

        void error(NodePath p, String message) {
            out.add(Problem.error(Problem.Kind.SEMANTIC, where.apply(p).value(), p, message));
        }

        void warn(NodePath p, String message) {
            out.add(Problem.warning(Problem.Kind.SEMANTIC, where.apply(p).value(), p, message));
        }
    }

    private static boolean unset(String v) {
        return v != null && v.contains("(unset: ");
    }

    private void required(Ctx c) {
        for (String p : List.of("metadata.name", "target.accountId", "target.region", "target.namespace",
                "sizing.instanceType")) {
            NodePath path = NodePath.parse(p);
            JsonNode parent = c.get(path.parent());
            if (parent != null && !parent.isObject()) {
                continue; // the schema already says the section has the wrong type
            }
            if (c.get(path) == null) {
                c.out.add(Problem.error(Problem.Kind.SEMANTIC, c.leafStart, path,
                        "missing required key '" + p + "' (set it here or in the plan this one extends)"));
            }
        }
        JsonNode phases = c.get(NodePath.of("phases"));
        if (phases == null || (phases.isArray() && phases.isEmpty())) {
            c.out.add(Problem.error(Problem.Kind.SEMANTIC, c.leafStart, NodePath.of("phases"),
                    "the plan has no phases (declare them here or extend a plan that has them, e.g. base/drill.yaml)"));
        }
    }

    private List<String> phases(Ctx c) {
        List<String> names = new ArrayList<>();
        JsonNode phases = c.get(NodePath.of("phases"));
        if (phases == null || !phases.isArray()) {
            return names;
        }
        for (int i = 0; i < phases.size(); i++) {
            JsonNode n = phases.get(i).get("name");
            if (n != null && n.isString()) {
                names.add(n.asString());
                JsonNode steps = phases.get(i).get("steps");
                if (steps == null) {
                    c.error(NodePath.of("phases", i, "name"), "phase '" + n.asString()
                            + "' has no steps; it would run nothing and count as done");
                }
                if (phases.get(i).has("approval") && !"promote".equals(n.asString())) {
                    c.error(NodePath.of("phases", i, "approval"), "an approval gate is only allowed on the promote phase, not on '"
                            + n.asString() + "'");
                }
            }
        }
        return names;
    }

    private void boundaries(Ctx c, List<String> phaseNames) {
        NodePath startP = NodePath.of("run", "startAt");
        NodePath stopP = NodePath.of("run", "stopAfter");
        String start = c.text(startP);
        String stop = c.text(stopP);
        for (NodePath p : List.of(startP, stopP)) {
            String v = c.text(p);
            if (v != null && !PhaseName.isKnown(v)) {
                c.error(p, "unknown phase '" + v + "'; expected one of " + String.join(", ", PhaseName.ids())
                        + Suggestions.hint(v, PhaseName.ids()));
            } else if (v != null && !phaseNames.isEmpty() && !phaseNames.contains(v)) {
                c.error(p, "phase '" + v + "' is not in this plan (its phases: " + String.join(", ", phaseNames) + ")");
            }
        }
        if (start != null && stop != null && PhaseName.isKnown(start) && PhaseName.isKnown(stop)
                && PhaseName.of(start).ordinal() > PhaseName.of(stop).ordinal()) {
            c.error(startP, "startAt '" + start + "' comes after stopAfter '" + stop + "'; nothing would run");
        }
        boolean validateOnly = c.flag(NodePath.of("run", "validateOnly"));
        if (validateOnly) {
            for (NodePath p : List.of(startP, stopP)) {
                String v = c.text(p);
                if (v != null && !"validate".equals(v)) {
                    c.error(p, "validateOnly runs only the validate phase, but " + p.last() + " is '" + v
                            + "'; remove one of them");
                }
            }
            if (!phaseNames.isEmpty() && !phaseNames.contains("validate")) {
                c.error(NodePath.of("run", "validateOnly"), "validateOnly is set but the plan has no validate phase");
            }
        }
        if (c.flag(NodePath.of("run", "autoPromote")) && !phaseNames.isEmpty() && !phaseNames.contains("promote")) {
            c.error(NodePath.of("run", "autoPromote"), "autoPromote is set but the plan has no promote phase");
        }
        int bringup = phaseNames.indexOf("bringup");
        int startIdx = start == null ? 0 : phaseNames.indexOf(start);
        boolean fullDrill = !validateOnly && bringup >= 0 && startIdx >= 0 && startIdx <= bringup
                && (stop == null || stop.equals(phaseNames.get(phaseNames.size() - 1)))
                && c.flag(NodePath.of("run", "teardown")) && phaseNames.contains("teardown");
        if (fullDrill && !c.flag(NodePath.of("run", "allowFullDrill"))) {
            NodePath at = NodePath.of("run", "teardown");
            c.out.add(Problem.error(Problem.Kind.GUARD, c.where.apply(at).value(), at,
                    "this is a full drill (starts at bringup, runs to the last phase, teardown: true), which is for release"
                            + " validation only; set run.allowFullDrill: true, pass --allow-full-drill or set"
                            + " ALLOW_FULL_DRILL=1, or use --stop-after restore|validate for iteration"));
        }
        if (c.flag(NodePath.of("run", "allowPromoteBypass")) && !c.flag(NodePath.of("run", "autoPromote"))) {
            c.warn(NodePath.of("run", "allowPromoteBypass"), "allowPromoteBypass has no effect without autoPromote");
        }
    }

    private void values(Ctx c) {
        checkPattern(c, NodePath.of("target", "accountId"), ACCOUNT, "a 12-digit AWS account id");
        checkPattern(c, NodePath.of("target", "region"), REGION, "an AWS region such as us-east-1");
        checkPattern(c, NodePath.of("target", "namespace"), NAMESPACE, "a Kubernetes namespace name");
        NodePath type = NodePath.of("sizing", "instanceType");
        String it = c.text(type);
        if (it != null && !unset(it) && !INSTANCE.matcher(it).matches()) {
            c.error(type, "instance type " + c.shown(type, it) + " is outside the t4g family; DR runners stay on ARM"
                    + " (t4g.nano .. t4g.2xlarge, default t4g.medium)");
        }
        NodePath img = NodePath.of("inputs", "imageRef");
        String ref = c.text(img);
        if (ref != null && !ref.isEmpty() && !unset(ref) && !EcrImageRef.isPinned(ref)) {
            boolean allowTag = c.flag(NodePath.of("inputs", "allowTagImageRef"));
            if (EcrImageRef.isTagged(ref) && allowTag) {
                c.warn(img, "tag image ref " + c.shown(img, ref) + " accepted because allowTagImageRef is true;"
                        + " DR drills should pin <repo>@sha256:<digest>");
            } else {
                c.error(img, "expected <repo>@sha256:<64 hex digits>, was " + c.shown(img, ref)
                        + (EcrImageRef.isTagged(ref) ? "; a tag ref is accepted only with inputs.allowTagImageRef: true" : ""));
            }
        }
        NodePath uri = NodePath.of("inputs", "backupUri");
        String u = c.text(uri);
        if (u != null && !u.isEmpty() && !unset(u) && !BACKUP_URI.matcher(u).matches()) {
            c.error(uri, "expected s3://<bucket>/<prefix>/backups/<backup_id>, was " + c.shown(uri, u));
        }
    }

    private static void checkPattern(Ctx c, NodePath p, Pattern pattern, String expected) {
        String v = c.text(p);
        if (v != null && !unset(v) && !pattern.matcher(v).matches()) {
            c.error(p, "expected " + expected + ", was " + c.shown(p, v));
        }
    }

    private void resources(Ctx c) {
        NodePath job = NodePath.of("sizing", "validateJob");
        for (String part : List.of("requests", "limits")) {
            NodePath cpu = job.child(part).child("cpu");
            NodePath mem = job.child(part).child("memory");
            String cv = c.text(cpu);
            String mv = c.text(mem);
            if (cv != null && !unset(cv) && Quantities.cpu(cv) == null) {
                c.error(cpu, "expected a CPU quantity such as 250m or 1, was " + c.shown(cpu, cv));
            }
            if (mv != null && !unset(mv) && Quantities.memory(mv) == null) {
                c.error(mem, "expected a memory quantity such as 512Mi or 2Gi, was " + c.shown(mem, mv));
            }
        }
        compare(c, job, "cpu", Quantities::cpu);
        compare(c, job, "memory", Quantities::memory);
    }

    private static void compare(Ctx c, NodePath job, String what, Function<String, BigDecimal> parse) {
        NodePath req = job.child("requests").child(what);
        NodePath lim = job.child("limits").child(what);
        String r = c.text(req);
        String l = c.text(lim);
        if (r == null || l == null) {
            return;
        }
        BigDecimal rv = parse.apply(r);
        BigDecimal lv = parse.apply(l);
        if (rv != null && lv != null && lv.compareTo(rv) < 0) {
            c.error(lim, what + " limit " + c.plain(lim, l) + " is below the request " + c.plain(req, r)
                    + "; a limit must be at least its request");
        }
    }

    private void retry(Ctx c) {
        List<NodePath> policies = new ArrayList<>();
        policies.add(NodePath.of("retry", "default"));
        JsonNode phases = c.get(NodePath.of("retry", "phases"));
        if (phases != null && phases.isObject()) {
            phases.propertyNames().forEach(n -> policies.add(NodePath.of("retry", "phases", n)));
        }
        for (NodePath p : policies) {
            String initial = c.text(p.child("backoff").child("initial"));
            String max = c.text(p.child("backoff").child("max"));
            if (Durations.isValid(initial) && Durations.isValid(max)
                    && Durations.parse(initial).compareTo(Durations.parse(max)) > 0) {
                c.error(p.child("backoff").child("initial"), "initial backoff " + initial + " is longer than max " + max);
            }
            String key = c.get(p.child("maxRetries")) != null ? "maxRetries" : "maxAttempts";
            JsonNode attempts = c.get(p.child(key));
            JsonNode retryOn = c.get(p.child("retryOn"));
            int least = key.equals("maxRetries") ? 0 : 1;
            if (attempts != null && attempts.isIntegralNumber() && attempts.asInt() > least
                    && (retryOn == null || (retryOn.isArray() && retryOn.isEmpty()))) {
                c.warn(p.child(key), key + " " + attempts.asInt()
                        + " has no effect: retryOn names no error class, and only classified errors are retried");
            }
        }
    }

    private void steps(Ctx c) {
        JsonNode phases = c.get(NodePath.of("phases"));
        if (phases == null || !phases.isArray()) {
            return;
        }
        for (int i = 0; i < phases.size(); i++) {
            JsonNode list = phases.get(i).get("steps");
            if (list == null || !list.isArray()) {
                continue;
            }
            for (int j = 0; j < list.size(); j++) {
                NodePath at = NodePath.of("phases", i, "steps", j);
                JsonNode uses = list.get(j).get("uses");
                if (uses == null || !uses.isString()) {
                    continue;
                }
                StepInfo info = steps.find(uses.asString());
                if (info == null) {
                    c.error(at.child("uses"), "no step named '" + uses.asString() + "'"
                            + Suggestions.hint(uses.asString(), steps.names()) + " (dr steps lists them)");
                    continue;
                }
                JsonNode with = list.get(j).get("with");
                if (with == null) {
                    with = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
                }
                SchemaCheck check = stepSchemas.computeIfAbsent(info.name(),
                        n -> new SchemaCheck(info.withSchema(), Problem.Kind.SEMANTIC));
                NodePath withPath = at.child("with");
                for (Problem p : check.check(with, withPath, c.where)) {
                    c.out.add(Problem.error(Problem.Kind.SEMANTIC, p.pos(), p.path(),
                            p.message() + " (settings of step " + info.name() + ")"));
                }
            }
        }
    }
}
