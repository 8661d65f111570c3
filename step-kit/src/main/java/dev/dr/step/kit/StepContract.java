package dev.dr.step.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.dr.catalog.StepCatalog;
import dev.dr.cli.DrRun;
import dev.dr.engine.PlanStepContext;
import dev.dr.json.JsonTrees;
import dev.dr.plan.load.LoadedPlan;
import dev.dr.plan.load.Overrides;
import dev.dr.plan.load.PlanLoader;
import dev.dr.plan.model.Plan;
import dev.dr.source.Problem;
import dev.dr.step.ErrorClass;
import dev.dr.step.Step;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * What every step promises, as one abstract JUnit test: a step's test class extends it, starts
 * the real server the step talks to on loopback, and says how to reach it. The contract then
 * checks that the step is found by ServiceLoader; that its preview makes no mutating request to
 * that server (through {@code dr plan} and called directly, for every example); that its
 * {@code with:} schema agrees with the plan loader (the examples load, together they use every
 * declared setting, an undeclared one is refused at its file:line:column, a required one
 * cannot be left out); that apply against a server that refuses fails with a classified
 * {@link StepFailure}; and that {@code dr apply} puts the step's outputs in the phase receipt.
 */
public abstract class StepContract {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private final AtomicInteger plans = new AtomicInteger();

    /** Where the contract writes plans, receipts and the steps' work folders. */
    @TempDir
    protected Path contractDir;

    /** The step under test (a new instance, as ServiceLoader would make). */
    protected abstract Step step();

    /**
     * Settings that are valid for the step, each a YAML flow map such as {@code {name: x}}; together
     * they use every property the step's schema declares. The first is the one previewed and applied.
     */
    protected abstract List<String> examples();

    /** The drill that reaches the real server this test started. */
    protected abstract ContractDrill drill() throws Exception;

    /** The requests that server received since the last call. */
    protected abstract RequestLog requests();

    /** The same drill against a server that refuses every request (stopped, or answering 403/5xx). */
    protected abstract ContractDrill refusingDrill() throws Exception;

    /** The outputs apply puts in the receipt (none for a step that only changes or checks things). */
    protected abstract Set<String> outputs();

    @Test
    void isFoundByServiceLoader() {
        StepCatalog catalog = StepCatalog.load(getClass().getClassLoader());
        assertThat(catalog.implementation(step().name())).as("a META-INF/services/dev.dr.step.Step entry for "
                + step().name()).isPresent().get().isInstanceOf(step().getClass());
    }

    @Test
    void previewMakesNoMutatingCall() throws Exception {
        ContractPlan plan = write(drill(), example(0));
        requests().take();
        DrRun r = DrRun.in(contractDir, dr(drill()), "plan", plan.file().toString());
        assertThat(r.exit()).as("dr plan\n" + r.out() + r.err()).isZero();
        assertThat(requests().take()).as("requests to the server during dr plan").noneMatch(ServerRequest::mutating);
        previewsDirectlyWithoutMutating();
    }

    /** Every example previewed through a read-only context; none may make a mutating request. */
    protected final void previewsDirectlyWithoutMutating() throws Exception {
        for (int i = 0; i < examples().size(); i++) {
            ContractPlan plan = write(drill(), example(i));
            StepContext ctx = context(plan, drill(), true);
            requests().take();
            try {
                step().preview(ctx);
            } catch (StepFailure e) {
                // a preview may fail, classified, but may not write on the way
            }
            assertThat(requests().take()).as("requests to the server while previewing " + examples().get(i))
                    .noneMatch(ServerRequest::mutating);
        }
    }

    @Test
    void settingsSchemaAgreesWithThePlanLoader() throws Exception {
        JsonNode schema = JsonTrees.read(step().withSchema());
        assertThat(schema.path("additionalProperties").isBoolean() && !schema.get("additionalProperties").asBoolean())
                .as("the with: schema refuses settings it does not declare (additionalProperties: false)").isTrue();
        Set<String> declared = new TreeSet<>();
        schema.path("properties").propertyNames().forEach(declared::add);
        Set<String> used = new TreeSet<>();
        for (int i = 0; i < examples().size(); i++) {
            example(i).propertyNames().forEach(used::add);
            LoadedPlan loaded = load(write(drill(), example(i)), drill());
            assertThat(loaded.errors()).as("example " + examples().get(i)).isEmpty();
        }
        assertThat(used).as("the examples use every declared setting").containsAll(declared);

        ObjectNode extra = example(0);
        extra.put("notASetting", "x");
        ContractPlan refused = write(drill(), extra);
        String at = refused.file() + ":" + refused.withLine().get("notASetting") + ":" + ContractPlan.WITH_COLUMN;
        assertThat(load(refused, drill()).errors()).as("an undeclared setting is refused where it stands")
                .map(Problem::toString).anyMatch(m -> m.startsWith(at) && m.contains("notASetting"));

        List<String> required = new ArrayList<>();
        schema.path("required").forEach(n -> required.add(n.asString()));
        for (String name : required) {
            ObjectNode without = example(0);
            without.remove(name);
            assertThat(load(write(drill(), without), drill()).errors()).as("leaving out required " + name)
                    .map(Problem::toString).anyMatch(m -> m.contains(name));
        }
    }

    @Test
    void failuresCarryAnErrorClass() throws Exception {
        ContractDrill refusing = refusingDrill();
        ContractPlan plan = write(refusing, example(0));
        try {
            step().apply(context(plan, refusing, false));
            fail("apply succeeded against a server that refuses every request");
        } catch (StepFailure e) {
            assertThat(e.errorClass()).as("the failure's class").isNotNull().isIn((Object[]) ErrorClass.values());
            assertThat(e.getMessage()).as("the failure says what went wrong").isNotBlank();
        } catch (RuntimeException e) {
            throw new AssertionError("apply threw " + e + " instead of a classified StepFailure", e);
        }
    }

    @Test
    void outputsAreInTheReceipt() throws Exception {
        ContractDrill d = drill();
        ContractPlan plan = write(d, example(0));
        Map<String, String> env = new HashMap<>(dr(d));
        env.put("RUN_ID", "contract-run");
        requests().take();
        List<String> args = new ArrayList<>(List.of("apply", plan.file().toString(), "--yes"));
        args.addAll(d.applyArgs());
        DrRun r = DrRun.in(contractDir, env, args.toArray(String[]::new));
        assertThat(r.exit()).as("dr apply\n" + r.out() + r.err()).isZero();
        assertThat(requests().take()).as("requests the run made to the test's server (none: the contract watches"
                + " a server the step does not use)").isNotEmpty();
        Path receipt = plan.file().resolveSibling("receipts/contract-run/phases/" + d.phase() + ".json");
        JsonNode outputs = JsonTrees.read(Files.readString(receipt)).path("outputs");
        Set<String> written = new TreeSet<>();
        outputs.propertyNames().forEach(written::add);
        written.removeAll(d.earlierOutputs().keySet());
        assertThat(written).as("outputs in " + receipt).isEqualTo(new TreeSet<>(outputs()));
        outputs().forEach(k -> assertThat(outputs.path(k).asString()).as("output " + k).isNotBlank());
    }

    /** The step's context in a run of {@code plan} (its one step): what the engine hands it, read-only in a preview. */
    protected final StepContext context(ContractPlan plan, ContractDrill drill, boolean readOnly)
            throws Exception {
        Plan p = load(plan, drill).plan().orElseThrow(() -> new AssertionError("the contract's plan does not load: "
                + load(plan, drill).errors()));
        // the settings as the engine gets them: ${VAR}s filled in from the drill's environment, then defaults
        ObjectNode filled = StepCatalog.load(getClass().getClassLoader()).find(step().name())
                .withDefaults(p.phases().get(0).steps().get(0).with());
        Path work = Files.createDirectories(drill.workDir().orElse(plan.file().resolveSibling("work")));
        Path receipt = Files.createDirectories(plan.file().resolveSibling("receipt"));
        return new PlanStepContext(p, filled, drill.earlierOutputs(), work, receipt, line -> { }, readOnly, line -> { });
    }

    /** The example at {@code i}, parsed (a fresh copy). */
    protected final ObjectNode example(int i) throws Exception {
        JsonNode n = YAML.readTree(examples().get(i));
        if (!n.isObject()) {
            throw new IllegalArgumentException("example " + i + " must be a YAML map, was " + examples().get(i));
        }
        return (ObjectNode) n;
    }

    protected final ContractPlan write(ContractDrill drill, ObjectNode with) throws Exception {
        return ContractPlan.write(contractDir.resolve("plan-" + plans.incrementAndGet()), "contract", step().name(),
                drill, with);
    }

    private LoadedPlan load(ContractPlan plan, ContractDrill drill) {
        return new PlanLoader(StepCatalog.load(getClass().getClassLoader()))
                .load(plan.file(), plan.file().toString(), dr(drill), Overrides.NONE);
    }

    private Map<String, String> dr(ContractDrill drill) {
        Map<String, String> env = new HashMap<>(drill.env());
        env.putIfAbsent("DR_LOCK_DIR", contractDir.resolve("locks").toString());
        return env;
    }
}
