package dev.dr.cli;

import dev.dr.catalog.SchemaFolding;
import dev.dr.catalog.StepCatalog;
import dev.dr.command.Context;
import dev.dr.command.ExitCodes;
import dev.dr.plan.load.PlanLoader;
import dev.dr.render.JsonRenderer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "schema", mixinStandardHelpOptions = true,
        description = "Print the JSON Schema of the plan language with the settings schema of every step on the"
                + " class path folded in (for editors and CI).",
        footer = {"", "Example:", "  dr schema > drill-plan.schema.json"})
final class SchemaCommand implements Callable<Integer> {
    private final Context ctx;

    SchemaCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        StepCatalog steps = StepCatalog.load(SchemaCommand.class.getClassLoader());
        ctx.out().print(new JsonRenderer().render(SchemaFolding.fold(PlanLoader.planSchema(), steps)));
        ctx.out().flush();
        return ExitCodes.OK;
    }
}
