package dev.dr.cli;

import dev.dr.plan.load.PlanLoader;
import dev.dr.render.JsonRenderer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "schema", mixinStandardHelpOptions = true, description = "Print the JSON Schema of the plan language (for editors and CI).",
        footer = {"", "Example:", "  dr schema > drill-plan.schema.json"})
final class SchemaCommand implements Callable<Integer> {
    private final Context ctx;

    SchemaCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ctx.out().print(new JsonRenderer().render(PlanLoader.planSchema()));
        ctx.out().flush();
        return ExitCodes.OK;
    }
}
