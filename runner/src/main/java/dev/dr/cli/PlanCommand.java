package dev.dr.cli;

import dev.dr.catalog.StepCatalog;
import dev.dr.command.Context;
import dev.dr.command.ExitCodes;
import dev.dr.command.ExitException;
import dev.dr.diff.PlanDiff;
import dev.dr.plan.load.LoadedPlan;
import dev.dr.plan.load.PlanLoader;
import dev.dr.render.JsonRenderer;
import dev.dr.render.MarkdownRenderer;
import dev.dr.render.Style;
import dev.dr.render.TextRenderer;
import dev.dr.render.TicketRenderer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "plan", mixinStandardHelpOptions = true, description = "Check a plan and print the plan-diff of everything it would do. Changes nothing.",
        footer = {"", "Examples:",
                "  dr plans/validate-only.yaml",
                "  dr plan plans/bringup-only.yaml --stop-after bringup --format markdown",
                "  dr plan plans/full-drill.yaml --format json > plan-diff.json",
                "  dr plan plans/full-drill.yaml --format markdown --ticket CHG-1234 > CHG-1234.md"})
final class PlanCommand implements Callable<Integer> {

    enum Format { text, markdown, json }

    private final Context ctx;

    @Parameters(index = "0", paramLabel = "FILE", description = "The plan file.")
    String file;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (default), markdown or json.")
    Format format;

    @Option(names = "--ticket", paramLabel = "ID",
            description = "Render the change-ticket document for ticket ID (e.g. CHG-1234) in Markdown. The ticket names the"
                    + " document only: it changes neither what runs nor the planDigest.")
    String ticket;

    @Option(names = "--detailed-exitcode", description = "Exit 10 when the plan-diff has changes, 0 when it has none.")
    boolean detailedExitcode;

    // dr failback --dry-run's: a preview that shows the run would fail ends the preview as a refusal
    @Option(names = "--refuse-if-failing", hidden = true, description = "Exit 3 when a live preview shows the run would fail.")
    boolean refuseIfFailing;

    // dr failback --dry-run's --kubeconfig-dr: the DR cluster the live previews read, over the receipt's
    @Option(names = "--kubeconfig", hidden = true, paramLabel = "FILE",
            description = "Kubeconfig of the DR cluster for the live previews, instead of the --from-receipt run's.")
    String kubeconfig;

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
        String ticketProblem = ticket == null ? null : ticketProblem(ticket, format);
        if (ticketProblem != null) {
            ctx.err().println("dr plan: " + ticketProblem + "; nothing was rendered");
            return ExitCodes.INVALID;
        }
        dev.dr.plan.load.Overrides given;
        try {
            given = overrides.toOverrides(ctx.env(), ctx.cwd());
        } catch (IllegalArgumentException e) {
            throw ExitException.invalidInput(e.getMessage());
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
        // a warning here, where the plan may be read away from the repository it runs from; dr apply refuses
        List<dev.dr.diff.PhaseDecision> planned = dev.dr.diff.Planner.decide(loaded.plan().get());
        ProblemPrinter.print(ctx.err(), dev.dr.plan.validate.FolderCheck.missing(loaded, ApplyCommand.running(planned), steps,
                ctx::resolve, dev.dr.source.Problem.Severity.WARNING));
        ProblemPrinter.printUnreadVariables(ctx, loaded, planned, steps);
        String planTicket = loaded.plan().get().metadata().ticket();
        if (ticket != null && !planTicket.isEmpty() && !planTicket.equals(ticket)) {
            // a document for one ticket must not describe a drill that runs, and is receipted, under another
            ctx.err().println("dr plan: --ticket " + ticket + " is not the ticket the plan runs under (metadata.ticket of "
                    + display(file) + " or a plan it extends, which may take it from a variable such as CHANGE_TICKET);"
                    + " give the same ticket to both; nothing was rendered");
            return ExitCodes.INVALID;
        }
        PlanDiff diff = kubeconfig == null ? LivePlanDiff.build(ctx, loaded, steps)
                : LivePlanDiff.build(ctx, loaded, steps, kubeconfig);
        String rendered = switch (format == null ? (ticket == null ? Format.text : Format.markdown) : format) {
            case json -> new JsonRenderer().render(diff);
            case markdown -> ticket != null ? new TicketRenderer(ticket).render(diff) : new MarkdownRenderer().render(diff);
            case text -> new TextRenderer(new Style(ctx.color())).render(diff);
        };
        ctx.out().print(rendered);
        ctx.out().flush();
        if (out != null && !loaded.onlyGuardsRefused()) {
            dev.dr.step.AtomicFiles.write(ctx.resolve(out),
                    new SavedPlan(display(file), given, diff.planDigest(), diff).toJson());
            ctx.err().println("dr: saved the plan to " + out + "; dr apply " + out + " applies exactly this plan-diff");
        }
        if (loaded.onlyGuardsRefused()) {
            ProblemPrinter.print(ctx.err(), loaded.errors());
            throw ExitException.guardRefused("a guard refused this plan; nothing would run");
        }
        // the run stops at the first step that fails: that one is the reason, the last line of the output
        List<String> failing = StepPreviews.predictedFailures(diff);
        if (!failing.isEmpty() && refuseIfFailing) {
            throw ExitException.guardRefused("the run would be refused: " + failing.get(0) + "; nothing was run");
        }
        if (!failing.isEmpty()) {
            ctx.err().println("dr: warning: the run would fail: " + failing.get(0));
        }
        if (detailedExitcode && diff.summary().hasChanges()) {
            return ExitCodes.CHANGES_PENDING;
        }
        return ExitCodes.OK;
    }

    private static final java.util.regex.Pattern TICKET_ID = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /**
     * Why --ticket cannot be used as given, or null. The id becomes a Markdown title and a
     * command line in the document, so only characters that need no quoting are accepted.
     */
    static String ticketProblem(String id, Format format) {
        if (format != null && format != Format.markdown) {
            return "--ticket renders the change-ticket document, which is Markdown: use --format markdown (or no --format),"
                    + " not --format " + format;
        }
        if (id.isBlank()) {
            return "--ticket needs a change ticket id such as CHG-1234, was empty";
        }
        if (!TICKET_ID.matcher(id).matches()) {
            StringBuilder shown = new StringBuilder();
            id.codePoints().limit(80).forEach(c -> shown.appendCodePoint(Character.isISOControl(c) ? '?' : c));
            return "--ticket must be a change ticket id such as CHG-1234 (letters, digits, '.', '_' and '-', starting with a"
                    + " letter or digit, at most 64 characters), was \"" + shown + (id.length() > 80 ? "..." : "") + "\"";
        }
        return null;
    }

    /** The file as messages and the plan-diff name it: normalized, so ./plans/x.yaml and plans/x.yaml digest alike. */
    static String display(String file) {
        return java.nio.file.Path.of(file).normalize().toString().replace('\\', '/');
    }
}
