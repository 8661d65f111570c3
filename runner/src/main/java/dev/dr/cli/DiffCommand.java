package dev.dr.cli;

import dev.dr.catalog.StepCatalog;
import dev.dr.command.Context;
import dev.dr.command.ExitCodes;
import dev.dr.command.ExitException;
import dev.dr.compare.PlanChangeBuilder;
import dev.dr.compare.PlanSide;
import dev.dr.compare.git.GitException;
import dev.dr.compare.git.GitSnapshot;
import dev.dr.compare.render.ChangeMarkdownRenderer;
import dev.dr.compare.render.ChangeTextRenderer;
import dev.dr.plan.load.LoadedPlan;
import dev.dr.plan.load.Overrides;
import dev.dr.plan.load.PlanLoader;
import dev.dr.render.JsonRenderer;
import dev.dr.render.Style;
import dev.dr.source.Problem;
import dev.dr.source.SourcePos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "What changes in behaviour from one revision of a plan to another: phase decisions, boundaries,"
                + " sizing, retry budgets, guards, steps. Compares the resolved plans, offline; changes nothing.",
        footer = {"", "Examples:",
                "  dr diff plans/validate-only.yaml plans/restore-only.yaml",
                "  dr diff --git origin/main plans/validate-only.yaml --format markdown   # pull-request comment",
                "  dr diff --git HEAD~1 plans/full-drill.yaml --format json --detailed-exitcode",
                "", "Exit codes: 0 no change in behaviour (or changes, without --detailed-exitcode),"
                + " 10 changes (with --detailed-exitcode), 2 either side invalid or a usage/git error."})
final class DiffCommand implements Callable<Integer> {

    enum Format { text, markdown, json }

    private final Context ctx;

    @Parameters(arity = "1..2", paramLabel = "FILE",
            description = "OLD and NEW plan files; with --git, the one plan file (NEW), whose OLD is the same file at REV.")
    List<String> files;

    @Option(names = "--git", paramLabel = "REV",
            description = "Take the old side from git: the file, and the plans it extends, as they are at REV.")
    String revision;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (default), markdown or json.")
    Format format = Format.text;

    @Option(names = "--detailed-exitcode", description = "Exit 10 when behaviour changes, 0 when it does not.")
    boolean detailedExitcode;

    DiffCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (revision != null && files.size() != 1) {
            return usage("with --git give one plan file: dr diff --git REV FILE");
        }
        if (revision == null && files.size() != 2) {
            return usage("give two plan files, dr diff OLD NEW, or one with --git: dr diff --git REV FILE");
        }
        StepCatalog steps = StepCatalog.load(DiffCommand.class.getClassLoader());
        PlanLoader loader = new PlanLoader(steps);
        String newFile = files.get(files.size() - 1);
        String newDisplay = PlanCommand.display(newFile);
        Sides sides;
        if (revision == null) {
            String oldDisplay = PlanCommand.display(files.get(0));
            PlanSide o = side("old plan", oldDisplay, Optional.empty(), Optional.of(load(loader, files.get(0), oldDisplay)));
            PlanSide n = side("new plan", newDisplay, Optional.empty(), Optional.of(load(loader, newFile, newDisplay)));
            sides = o == null || n == null ? null : new Sides(o, n);
        } else {
            try {
                sides = fromGit(loader, newFile, newDisplay);
            } catch (GitException e) {
                throw ExitException.invalidInput(e.getMessage());
            }
        }
        if (sides == null) {
            return ExitCodes.INVALID;
        }
        if (!sides.old().exists() && !sides.neu().exists()) {
            throw ExitException.invalidInput(newDisplay + " is neither in the working tree nor at " + revision);
        }
        ObjectNode doc = new PlanChangeBuilder(steps).build(sides.old(), sides.neu());
        ctx.out().print(switch (format) {
            case json -> new JsonRenderer().render(doc);
            case markdown -> new ChangeMarkdownRenderer().render(doc);
            case text -> new ChangeTextRenderer(new Style(ctx.color())).render(doc);
        });
        ctx.out().flush();
        return detailedExitcode && doc.get("summary").get("hasChanges").asBoolean() ? ExitCodes.CHANGES_PENDING : ExitCodes.OK;
    }

    private record Sides(PlanSide old, PlanSide neu) {}

    /** The new side from the working tree (absent when the file was removed), the old one from git. */
    private Sides fromGit(PlanLoader loader, String file, String display) throws GitException {
        Path path = ctx.resolve(file);
        Optional<LoadedPlan> neu = Files.exists(path) ? Optional.of(load(loader, file, display)) : Optional.empty();
        Optional<LoadedPlan> old;
        try (GitSnapshot snapshot = GitSnapshot.of(path, revision)) {
            // the same display name as the new side: plan.file and the bases read alike on both sides
            old = snapshot.plan().map(p -> loader.load(p, display, ctx.env(), Overrides.NONE));
        }
        PlanSide o = side("old plan", display, Optional.of(revision), old.map(l -> atRevision(l, revision)));
        PlanSide n = side("new plan", display, Optional.empty(), neu);
        return o == null | n == null ? null : new Sides(o, n);
    }

    /** The side, or null after printing its problems when it is invalid. */
    private PlanSide side(String which, String display, Optional<String> rev, Optional<LoadedPlan> loaded) {
        if (loaded.isPresent() && loaded.get().plan().isEmpty()) {
            List<Problem> errors = loaded.get().errors();
            ProblemPrinter.print(ctx.err(), errors);
            ctx.err().println("dr: the " + which + ", " + display + rev.map(r -> " at " + r).orElse("") + ", is invalid ("
                    + errors.size() + " " + (errors.size() == 1 ? "error" : "errors") + "); nothing was compared");
            return null;
        }
        return new PlanSide(display, rev, loaded);
    }

    private LoadedPlan load(PlanLoader loader, String file, String display) {
        return loader.load(ctx.resolve(file), display, ctx.env(), Overrides.NONE);
    }

    /** Problems of the old side name their file as git does, REV:path, since the lines are those at REV. */
    private static LoadedPlan atRevision(LoadedPlan l, String rev) {
        List<Problem> problems = l.problems().stream().map(p -> new Problem(p.kind(), p.severity(),
                new SourcePos(rev + ":" + p.pos().file(), p.pos().line(), p.pos().column()), p.path(), p.message()))
                .toList();
        return new LoadedPlan(l.plan(), problems, l.unset(), l.sensitive(), l.overrides(), l.attemptCap(), l.document(),
                l.sources());
    }

    private int usage(String message) {
        throw ExitException.invalidInput(message).as("dr diff");
    }
}
