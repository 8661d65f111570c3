package dev.dr.cli;

import dev.dr.catalog.StepCatalog;
import dev.dr.command.Context;
import dev.dr.plan.load.LoadedPlan;
import dev.dr.plan.load.Overrides;
import dev.dr.plan.load.PlanLoader;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.Map;

/** Plans loaded as dr apply loads them, and a context from the project folder, for the tests of its collaborators. */
final class TestPlans {
    private TestPlans() {}

    static final StepCatalog STEPS = StepCatalog.load(TestPlans.class.getClassLoader());

    /** {@code file} as named from the project folder, with this environment and these overrides. */
    static LoadedPlan load(String file, Map<String, String> env, Overrides overrides) {
        return new PlanLoader(STEPS).load(CliProcess.projectDir().resolve(file), file, env, overrides);
    }

    static Overrides fromReceipt(String dir) {
        return new Overrides(null, null, null, null, null, null, null, null, null, dir, null, false);
    }

    /** A context from the project folder that writes stderr to {@code err}. */
    static Context context(StringWriter err) {
        return new Context(new PrintWriter(new StringWriter()), new PrintWriter(err, true), Map.of(),
                CliProcess.projectDir(), false, new BufferedReader(new StringReader("")));
    }
}
