package dev.dr.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.cli.DrRun;
import dev.dr.json.JsonTrees;
import dev.dr.plan.model.PhaseName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The compiled machines executed, not read: every plan of plans/ (and the override flags that
 * change which phases run or which boundaries are valid) is compiled, then executed in
 * aws-local-stepfunctions ({@link LocalStepFunctions}) for every execution input a test can name
 * (none, startAt or stopAfter alone for every phase dr knows, every startAt and stopAfter pair over
 * the plan's phases, fromReceipt), and each execution must do what {@code dr plan --format json}
 * says for the same boundaries given as {@code --start-at}/{@code --stop-after}: the phases it
 * runs, in order (the promote gate answered just before promote when the machine has it), or,
 * when dr plan refuses the boundaries (exit 2 or 3), a failure with {@code dr.InvalidBoundaries}
 * and nothing run.
 */
class StateMachineExecutionTest {

    static final Path WORK = Compiles.PROJECT.resolve("target/local-stepfunctions");
    /** An earlier bringup run's receipts, as the runbook's cost-controlled iteration passes them. */
    static final String EARLIER = "receipts/bringup-only-20261129T101500Z-3f2a";
    static final String INVALID = "dr.InvalidBoundaries";

    /**
     * A plan compiled with override flags, which dr plan is given too; {@code compileOnly} flags
     * (the worker) only compile takes.
     */
    record Variant(String plan, List<String> flags, List<String> compileOnly) {
        Variant(String plan, String... flags) {
            this(plan, List.of(flags), List.of());
        }

        @Override
        public String toString() {
            return String.join(" ", Stream.concat(Stream.of(plan), Stream.concat(flags.stream(), compileOnly.stream())).toList());
        }
    }

    /** Every plan as it is; then the flags that change what runs, on the plans where they matter. */
    static List<Variant> variants() throws IOException {
        List<Variant> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Compiles.PROJECT.resolve("plans"))) {
            s.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(f -> out.add(new Variant("plans/" + f.getFileName())));
        }
        out.add(new Variant("plans/full-drill.yaml", "--auto-promote", "true"));
        out.add(new Variant("plans/full-drill.yaml", "--auto-promote", "true", "--allow-promote-bypass", "true"));
        out.add(new Variant("plans/full-drill.yaml", "--teardown", "false"));
        out.add(new Variant("plans/full-drill.yaml", "--allow-full-drill", "false"));
        out.add(new Variant("plans/full-drill.yaml", "--stop-after", "restore"));
        out.add(new Variant("plans/full-drill.yaml", "--phase", "validate"));
        out.add(new Variant("plans/full-drill.yaml", "--validate-only", "true"));
        out.add(new Variant("plans/full-drill.yaml", "--validate-only", "true", "--phase", "validate", "--auto-promote", "true"));
        out.add(new Variant("plans/validate-only.yaml", "--validate-only", "false"));
        out.add(new Variant("plans/validate-only.yaml", "--auto-promote", "true", "--teardown", "true"));
        out.add(new Variant("plans/validate-only.yaml", "--start-at", "validate"));
        out.add(new Variant("plans/validate-only.yaml", "--stop-after", "teardown"));
        out.add(new Variant("plans/teardown.yaml", "--allow-full-drill", "true"));
        out.add(new Variant("plans/teardown.yaml", "--teardown", "false"));
        out.add(new Variant("plans/restore-only.yaml", "--teardown", "true", "--auto-promote", "true"));
        out.add(new Variant("plans/failback.yaml", "--auto-promote", "true"));
        out.add(new Variant("plans/restore-only.yaml", List.of(), List.of("--worker", "ecs", "--ecs-cluster", "dr",
                "--ecs-task-definition", "dr-worker:3", "--ecs-subnet", "subnet-11001d5c")));
        return out;
    }

    /** One compiled variant, its inputs and what dr plan says of each. */
    record Case(Variant variant, String definition, List<ObjectNode> inputs, List<DrRun> plans) {}

    @Test
    void everyCompiledMachineRunsWhatDrPlanRunsForEveryBoundary() throws Exception {
        LocalStepFunctions.require();
        List<String> problems = new ArrayList<>();
        List<Case> cases = new ArrayList<>();
        // inputs that differ only in fromReceipt ask dr plan the same question
        Map<List<String>, DrRun> asked = new HashMap<>();
        int executions = 0;
        for (Variant v : variants()) {
            List<String> compile = new ArrayList<>(List.of("compile", "--target", "stepfunctions", v.plan()));
            compile.addAll(v.flags());
            compile.addAll(v.compileOnly());
            compile.addAll(List.of("--approval-topic-arn", Compiles.TOPIC));
            DrRun compiled = DrRun.inProject(Map.of(), compile.toArray(String[]::new));
            DrRun plain = plan(planArgs(v, JsonNodeFactory.instance.objectNode()));
            if (compiled.exit() != 0 || plain.exit() != 0) {
                // a plan whose own boundaries dr refuses has no machine
                if (compiled.exit() == 0 || plain.exit() != 2 && plain.exit() != 3) {
                    problems.add(v + ": dr compile exited " + compiled.exit() + " (" + compiled.err().strip()
                            + ") but dr plan " + plain.exit() + " (" + plain.err().strip() + ")");
                }
                continue;
            }
            List<String> phases = new ArrayList<>();
            JsonTrees.read(plain.out()).get("phases").forEach(p -> phases.add(p.get("name").asString()));
            List<ObjectNode> inputs = inputs(phases);
            List<DrRun> plans = new ArrayList<>();
            for (ObjectNode in : inputs) {
                ObjectNode boundaries = in.deepCopy();
                // dr plan's decisions do not read fromReceipt, and with one it would ask AWS for the live guards
                boundaries.remove("fromReceipt");
                plans.add(asked.computeIfAbsent(planArgs(v, boundaries), StateMachineExecutionTest::plan));
            }
            cases.add(new Case(v, compiled.out(), inputs, plans));
            executions += inputs.size();
        }
        List<List<LocalStepFunctions.Execution>> results = LocalStepFunctions.run(
                cases.stream().map(c -> new LocalStepFunctions.Machine(c.definition(), c.inputs())).toList(), WORK);
        for (int m = 0; m < cases.size(); m++) {
            Case c = cases.get(m);
            boolean gate = JsonTrees.read(c.definition()).get("States").has(StateMachineCompiler.GATE_STATE);
            for (int i = 0; i < c.inputs().size(); i++) {
                compare(c.variant(), c.inputs().get(i), c.plans().get(i), gate, results.get(m).get(i), problems);
            }
        }
        assertThat(cases.stream().filter(c -> c.variant().flags().isEmpty() && c.variant().compileOnly().isEmpty()))
                .as("every plan of plans/ as it is compiles and is executed")
                .hasSize((int) variants().stream().filter(v -> v.flags().isEmpty() && v.compileOnly().isEmpty()).count());
        assertThat(problems).as("%d machines, %d executions; requests and results in %s", cases.size(), executions, WORK)
                .isEmpty();
    }

    /** No input; either boundary alone, naming every phase dr knows; both, over the plan's phases; with fromReceipt. */
    static List<ObjectNode> inputs(List<String> phases) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        List<ObjectNode> out = new ArrayList<>();
        out.add(f.objectNode());
        for (String id : PhaseName.ids()) {
            out.add(f.objectNode().put("startAt", id));
            out.add(f.objectNode().put("stopAfter", id));
        }
        for (String s : phases) {
            for (String t : phases) {
                out.add(f.objectNode().put("startAt", s).put("stopAfter", t));
            }
        }
        out.add(f.objectNode().put("fromReceipt", EARLIER));
        for (String p : phases) {
            out.add(f.objectNode().put("startAt", p).put("stopAfter", p).put("fromReceipt", EARLIER));
        }
        return out;
    }

    static DrRun plan(List<String> args) {
        return DrRun.inProject(Map.of(), args.toArray(String[]::new));
    }

    /**
     * dr plan's arguments: the variant's flags and the input's boundaries. An input that gives a
     * boundary replaces all the compiled plan's, as a boundary flag replaces the plan's: the
     * variant's own boundary flags are dropped then.
     */
    static List<String> planArgs(Variant v, ObjectNode boundaries) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < v.flags().size(); i += 2) {
            flags.put(v.flags().get(i), v.flags().get(i + 1));
        }
        String phase = flags.remove("--phase");
        if (phase != null) {
            flags.put("--start-at", phase);
            flags.put("--stop-after", phase);
        }
        if (boundaries.has("startAt") || boundaries.has("stopAfter")) {
            List.of("--start-at", "--stop-after", "--validate-only").forEach(flags::remove);
        }
        if (boundaries.has("startAt")) {
            flags.put("--start-at", boundaries.get("startAt").asString());
        }
        if (boundaries.has("stopAfter")) {
            flags.put("--stop-after", boundaries.get("stopAfter").asString());
        }
        List<String> args = new ArrayList<>(List.of("plan", v.plan(), "--format", "json"));
        flags.forEach((k, val) -> {
            args.add(k);
            args.add(val);
        });
        return args;
    }

    private static void compare(Variant v, ObjectNode input, DrRun plan, boolean gate, LocalStepFunctions.Execution run,
                                List<String> problems) {
        String at = v + " with input " + JsonTrees.compact(input) + ": ";
        if (plan.exit() == 2 || plan.exit() == 3) {
            if (!INVALID.equals(run.error()) || !run.ran().isEmpty()) {
                problems.add(at + "dr plan refuses it (" + plan.err().lines().findFirst().orElse("") + ") but the machine ran "
                        + run.ran() + (run.error() == null ? " and succeeded" : " and failed with " + run.error()));
            }
            return;
        }
        if (plan.exit() != 0) {
            problems.add(at + "dr plan exited " + plan.exit() + ": " + plan.err());
            return;
        }
        List<String> expected = new ArrayList<>();
        for (JsonNode p : JsonTrees.read(plan.out()).get("phases")) {
            if ("run".equals(p.get("decision").asString())) {
                if (gate && "promote".equals(p.get("name").asString())) {
                    expected.add("approval");
                }
                expected.add(p.get("name").asString());
            }
        }
        if (run.error() != null || !run.ran().equals(expected)) {
            problems.add(at + "dr plan runs " + expected + " but the machine ran " + run.ran()
                    + (run.error() == null ? "" : " and failed with " + run.error() + " (" + run.cause() + ")"));
        }
        if (input.has("fromReceipt")) {
            run.env().properties().forEach(e -> {
                JsonNode from = e.getValue().get("DR_FROM_RECEIPT");
                if (from != null && !EARLIER.equals(from.asString())) {
                    problems.add(at + "the " + e.getKey() + " worker got DR_FROM_RECEIPT=" + from + ", not the input's");
                }
            });
        }
    }
}
