package dev.dr.cli;

import dev.dr.plan.load.LoadedPlan;
import dev.dr.plan.load.PlanLoader;
import dev.dr.render.JsonRenderer;
import dev.dr.render.MarkdownRenderer;
import dev.dr.render.Style;
import dev.dr.render.TextRenderer;
import dev.dr.step.StepCatalog;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "plan", mixinStandardHelpOptions = true, description = "Check a plan and print the plan-diff of everything it would do. Changes nothing.",
        footer = {"", "Examples:",
                "  dr plans/validate-only.yaml",
                "  dr plan plans/bringup-only.yaml --stop-after bringup --format markdown",
                "  dr plan plans/full-drill.yaml --format json > plan-diff.json"})
final class PlanCommand implements Callable<Integer> {

    enum Format { text, markdown, json }

    private final Context ctx;

    @Parameters(index = "0", paramLabel = "FILE", description = "The plan file.")
    String file;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (default), markdown or json.")
    Format format = Format.text;

    @Option(names = "--detailed-exitcode", description = "Exit 10 when the plan-diff has changes, 0 when it has none.")
    boolean detailedExitcode;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Also save the plan (file, overrides, plan-diff, planDigest) for dr apply FILE.")
    String out;

    @Mixin
    OverrideOptions overrides;

    PlanCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws java.io.IOException {
        dev.dr.plan.load.Overrides given;
        try {
            given = overrides.toOverrides(ctx.env());
        } catch (IllegalArgumentException e) {
            ctx.err().println("dr: " + e.getMessage());
            return ExitCodes.INVALID;
        }
        StepCatalog steps = StepCatalog.load(PlanCommand.class.getClassLoader());
        LoadedPlan loaded = new PlanLoader(steps).load(ctx.resolve(file), display(file), ctx.env(), given);
        if (loaded.plan().isEmpty()) {
            ProblemPrinter.print(ctx.err(), loaded.problems());
            ctx.err().println("dr: " + display(file) + " is invalid (" + loaded.errors().size() + " "
                    + (loaded.errors().size() == 1 ? "error" : "errors") + "); nothing was run");
            return ExitCodes.INVALID;
        }
        ProblemPrinter.print(ctx.err(), loaded.warnings());
        ObjectNode diff = LivePlanDiff.build(ctx, loaded, steps);
        String rendered = switch (format) {
            case json -> new JsonRenderer().render(diff);
            case markdown -> new MarkdownRenderer().render(diff);
            case text -> new TextRenderer(new Style(ctx.color())).render(diff);
        };
        ctx.out().print(rendered);
        ctx.out().flush();
        if (out != null && !loaded.onlyGuardsRefused()) {
            dev.dr.receipt.AtomicFiles.write(ctx.resolve(out),
                    new SavedPlan(display(file), given, diff.get("planDigest").asString(), diff).toJson());
            ctx.err().println("dr: saved the plan to " + out + "; dr apply " + out + " applies exactly this plan-diff");
        }
        if (loaded.onlyGuardsRefused()) {
            ProblemPrinter.print(ctx.err(), loaded.errors());
            ctx.err().println("dr: a guard refused this plan; nothing would run");
            return ExitCodes.GUARD_REFUSED;
        }
        if (detailedExitcode && diff.get("summary").get("hasChanges").asBoolean()) {
            return ExitCodes.CHANGES_PENDING;
        }
        return ExitCodes.OK;
    }

    /** The file as messages and the plan-diff name it: normalized, so ./plans/x.yaml and plans/x.yaml digest alike. */
    static String display(String file) {
        return java.nio.file.Path.of(file).normalize().toString().replace('\\', '/');
    }
}
