package dev.dr.plan.load;

import dev.dr.catalog.StepCatalog;
import dev.dr.plan.model.Plan;
import dev.dr.plan.validate.SemanticCheck;
import dev.dr.source.Located;
import dev.dr.source.NodePath;
import dev.dr.source.Problem;
import dev.dr.source.SchemaCheck;
import dev.dr.source.SourceDoc;
import dev.dr.source.SourcePos;
import dev.dr.source.YamlReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.BooleanNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * YAML file to checked {@link Plan}: read the file and the plans it extends (each checked
 * against the schema), merge, apply command-line overrides, interpolate ${VAR}, run the
 * semantic checks, bind. Every problem is collected; nothing is changed on disk.
 */
public final class PlanLoader {

    public static final String SCHEMA_RESOURCE = "schema/drill-plan.schema.json";

    private final ChainReader chain;
    private final SemanticCheck semantic;
    private final StepCatalog steps;
    /** The inputs' types, from the schema the checks read: read once. */
    private final Map<String, String> inputTypes;

    public PlanLoader(StepCatalog steps) {
        this.steps = steps;
        JsonNode schema = planSchema();
        this.inputTypes = PlanInputs.types(schema);
        this.chain = new ChainReader(new YamlReader(), new SchemaCheck(schema, Problem.Kind.SCHEMA));
        this.semantic = new SemanticCheck(steps);
    }

    /** The plan schema as shipped on the class path. */
    public static JsonNode planSchema() {
        try (InputStream in = PlanLoader.class.getClassLoader().getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + SCHEMA_RESOURCE + " on the class path");
            }
            return dev.dr.json.JsonTrees.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param file    the plan file
     * @param display the file as messages name it
     * @param env     the environment ${VAR} reads (passed in, so tests and previews are reproducible)
     */
    public LoadedPlan load(Path file, String display, Map<String, String> env, Overrides overrides) {
        ChainReader.Chain c = chain.read(file, display);
        List<Problem> problems = new ArrayList<>(c.problems());
        if (!c.complete()) {
            return new LoadedPlan(Optional.empty(), problems, List.of(), Set.of(), List.of(), overrides.attemptCap());
        }
        for (SourceDoc doc : c.baseFirst()) {
            problems.addAll(semantic.checkFile(doc));
        }
        PlanMerger.Merged merged = PlanMerger.merge(c.baseFirst());
        ObjectNode root = merged.root();
        Map<NodePath, Located> positions = new HashMap<>(merged.positions());
        List<AppliedOverride> applied = applyOverrides(root, positions, overrides);
        Function<NodePath, Located> where = p -> locate(positions, p, display);
        Set<NodePath> literal = new HashSet<>();
        applied.stream().filter(a -> a.path().startsWith("inputs.")).forEach(a -> literal.add(NodePath.of("inputs",
                a.path().substring("inputs.".length()))));
        if (overrides.namespace() != null) {
            literal.add(NodePath.of("target", "namespace"));
        }
        Interpolator.Result interpolation = new Interpolator(env).apply(root, where, literal);
        problems.addAll(interpolation.problems());
        problems.addAll(TypedValues.convert(root, interpolation, where));
        problems.addAll(withoutDuplicates(semantic.check(root, where, display, interpolation.sensitive()), problems));
        ExpectedTarget.Result expected = ExpectedTarget.check(root, env, where, interpolation.sensitive());
        problems.addAll(expected.problems());
        boolean invalid = problems.stream().anyMatch(p -> p.isError() && p.kind() != Problem.Kind.GUARD);
        Optional<Plan> plan = Optional.empty();
        if (!invalid) {
            List<String> bases = new ArrayList<>();
            for (int i = c.baseFirst().size() - 2; i >= 0; i--) {
                bases.add(c.baseFirst().get(i).display());
            }
            plan = Optional.of(PlanBinder.bind(root, display, bases));
        }
        return new LoadedPlan(plan, problems, List.copyOf(interpolation.unset()), interpolation.sensitive(), applied,
                overrides.attemptCap(), plan.map(p -> root), sources(interpolation, expected.sources(), plan.isEmpty()
                        ? Map.of() : StepEnvironment.sources(root, env, steps, readByThePlan(interpolation))), where);
    }

    /** The variables values were built from, by dotted path, secret-named ones masked as the plan-diff shows them. */
    private static Set<String> readByThePlan(Interpolator.Result interpolation) {
        Set<String> out = new java.util.TreeSet<>();
        interpolation.sources().values().forEach(vars -> out.addAll(vars.keySet()));
        return out;
    }

    private static Map<String, Map<String, String>> sources(Interpolator.Result interpolation,
                                                            Map<String, Map<String, String>> confirmed,
                                                            Map<String, Map<String, String>> ofSteps) {
        Map<String, Map<String, String>> out = new java.util.TreeMap<>();
        confirmed.forEach((path, vars) -> out.computeIfAbsent(path, p -> new java.util.TreeMap<>()).putAll(vars));
        ofSteps.forEach((path, vars) -> out.computeIfAbsent(path, p -> new java.util.TreeMap<>()).putAll(vars));
        interpolation.sources().forEach((path, vars) -> {
            Map<String, String> shown = new java.util.TreeMap<>();
            vars.forEach((name, value) -> shown.put(name,
                    dev.dr.step.Secrets.isSecretName(name) ? "(sensitive value)" : value));
            out.computeIfAbsent(path.toString(), p -> new java.util.TreeMap<>()).putAll(shown);
        });
        return out;
    }

    /** A semantic re-check of a value the schema already refused at the same place says nothing new. */
    private static List<Problem> withoutDuplicates(List<Problem> found, List<Problem> earlier) {
        Set<SourcePos> taken = new HashSet<>();
        earlier.stream().filter(Problem::isError).forEach(p -> taken.add(p.pos()));
        return found.stream().filter(p -> !taken.contains(p.pos())).toList();
    }

    private static Located locate(Map<NodePath, Located> positions, NodePath p, String display) {
        NodePath q = p;
        while (true) {
            Located l = positions.get(q);
            if (l != null) {
                return l;
            }
            if (q.isRoot()) {
                return new Located(null, SourcePos.startOf(display));
            }
            q = q.parent();
        }
    }

    private List<AppliedOverride> applyOverrides(ObjectNode root, Map<NodePath, Located> positions, Overrides o) {
        List<AppliedOverride> applied = new ArrayList<>();
        ObjectNode run = root.has("run") && root.get("run").isObject() ? (ObjectNode) root.get("run") : root.putObject("run");
        replaceBoundaries(run, positions, o, applied);
        setText(run, positions, "startAt", o.startAt(), "--start-at", applied);
        setText(run, positions, "stopAfter", o.stopAfter(), "--stop-after", applied);
        setFlag(run, positions, "validateOnly", o.validateOnly(), "--validate-only", applied);
        setFlag(run, positions, "teardown", o.teardown(), "--teardown", applied);
        setFlag(run, positions, "autoPromote", o.autoPromote(), "--auto-promote", applied);
        setFlag(run, positions, "allowPromoteBypass", o.allowPromoteBypass(), "--allow-promote-bypass", applied);
        setFlag(run, positions, "allowFullDrill", o.allowFullDrill(), o.allowFullDrillFrom(), applied);
        if (o.receiptDirIsBringupReceipt()) {
            // the runbook's --receipt-dir <bringup receipt>: its outputs load from it, this run's receipts go beside it
            String bringup = o.fromReceipt();
            String base = o.receiptDirBeside();
            set(run, positions, "fromReceipt", StringNode.valueOf(bringup), "--receipt-dir");
            applied.add(new AppliedOverride("--receipt-dir", "run.fromReceipt",
                    bringup + " (a bringup receipt: its outputs load from it)"));
            set(run, positions, "receiptDir", StringNode.valueOf(base), "--receipt-dir");
            applied.add(new AppliedOverride("--receipt-dir", "run.receiptDir", base + " (beside the bringup receipt)"));
        } else {
            setText(run, positions, "receiptDir", o.receiptDir(), "--receipt-dir", applied);
            setText(run, positions, "fromReceipt", o.fromReceipt(), "--from-receipt", applied);
        }
        if (!o.inputs().isEmpty()) {
            ObjectNode inputs = root.has("inputs") && root.get("inputs").isObject()
                    ? (ObjectNode) root.get("inputs") : root.putObject("inputs");
            o.inputs().forEach((name, given) -> {
                JsonNode value = "boolean".equals(inputTypes.get(name)) ? booleanOrText(given.value()) : StringNode.valueOf(given.value());
                inputs.set(name, value);
                SourcePos cli = new SourcePos("command line (" + given.flag() + ")", 0, 0);
                positions.put(NodePath.of("inputs", name), new Located(cli, cli));
                applied.add(new AppliedOverride(given.flag(), "inputs." + name, given.value()));
            });
        }
        if (o.namespace() != null) {
            ObjectNode target = root.has("target") && root.get("target").isObject()
                    ? (ObjectNode) root.get("target") : root.putObject("target");
            target.put("namespace", o.namespace());
            SourcePos cli = new SourcePos("command line (--namespace)", 0, 0);
            positions.put(NodePath.of("target", "namespace"), new Located(cli, cli));
            applied.add(new AppliedOverride("--namespace", "target.namespace", o.namespace()));
        }
        if (o.noRetry()) {
            applied.add(new AppliedOverride("--no-retry", "retry.*.maxAttempts", "1"));
        } else if (o.maxAttempts() != null) {
            applied.add(new AppliedOverride("--max-attempts", "retry.*.maxAttempts", "at most " + o.maxAttempts()));
        }
        return applied;
    }

    /**
     * A boundary given on the command line replaces all the plan's boundaries, as dr_drill's flags
     * were the whole of a run's: {@code --validate-only} on a plan that says {@code startAt: bringup}
     * runs validate, and {@code --stop-after restore} starts at the first phase whatever the plan's
     * startAt. Each plan boundary dropped is listed with the flags that replaced it.
     */
    private static void replaceBoundaries(ObjectNode run, Map<NodePath, Located> positions, Overrides o,
                                          List<AppliedOverride> applied) {
        List<String> flags = new ArrayList<>();
        if (o.startAt() != null) {
            flags.add("--start-at");
        }
        if (o.stopAfter() != null) {
            flags.add("--stop-after");
        }
        if (o.validateOnly() != null) {
            flags.add("--validate-only");
        }
        if (flags.isEmpty()) {
            return;
        }
        Map<String, Object> given = new java.util.LinkedHashMap<>();
        given.put("startAt", o.startAt());
        given.put("stopAfter", o.stopAfter());
        given.put("validateOnly", o.validateOnly());
        given.forEach((key, value) -> {
            JsonNode planned = run.get(key);
            // validateOnly: false bounds nothing; a value the flag itself sets is listed as that flag's
            if (planned == null || value != null || (planned.isBoolean() && !planned.booleanValue())) {
                return;
            }
            run.remove(key);
            positions.remove(NodePath.of("run", key));
            String was = planned.isString() ? planned.asString() : planned.toString();
            applied.add(new AppliedOverride(String.join(", ", flags), "run." + key,
                    "not set (replaces the plan's " + was + ")"));
        });
    }

    /** true as a boolean, else false: the command line checked it is one of the two. */
    private static JsonNode booleanOrText(String v) {
        return BooleanNode.valueOf(Boolean.parseBoolean(v));
    }

    private static void setText(ObjectNode run, Map<NodePath, Located> positions, String key, String value,
                                String flag, List<AppliedOverride> applied) {
        if (value != null) {
            set(run, positions, key, StringNode.valueOf(value), flag);
            applied.add(new AppliedOverride(flag, "run." + key, value));
        }
    }

    private static void setFlag(ObjectNode run, Map<NodePath, Located> positions, String key, Boolean value,
                                String flag, List<AppliedOverride> applied) {
        if (value != null) {
            set(run, positions, key, BooleanNode.valueOf(value), flag);
            applied.add(new AppliedOverride(flag, "run." + key, value.toString()));
        }
    }

    private static void set(ObjectNode run, Map<NodePath, Located> positions, String key, JsonNode value, String flag) {
        run.set(key, value);
        SourcePos cli = new SourcePos("command line (" + flag + ")", 0, 0);
        positions.put(NodePath.of("run", key), new Located(cli, cli));
    }
}
