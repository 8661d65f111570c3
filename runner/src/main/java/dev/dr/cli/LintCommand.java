package dev.dr.cli;

import dev.dr.catalog.StepCatalog;
import dev.dr.command.Context;
import dev.dr.plan.load.LoadedPlan;
import dev.dr.plan.load.Overrides;
import dev.dr.plan.load.PlanLoader;
import dev.dr.source.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "lint", mixinStandardHelpOptions = true, description = "Check many plans in one run; report every problem of every file.",
        footer = {"", "Examples:",
                "  dr lint plans/*.yaml",
                "  dr lint --format github plans/*.yaml     # annotations in a GitHub Actions log"})
final class LintCommand implements Callable<Integer> {

    enum Format { text, json, github }

    private final Context ctx;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Plan files.")
    List<String> files;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (default), json or github.")
    Format format = Format.text;

    LintCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        PlanLoader loader = new PlanLoader(StepCatalog.load(LintCommand.class.getClassLoader()));
        // A problem of a base plan is reported once, however many of the files extend it.
        java.util.Set<Problem> all = new java.util.LinkedHashSet<>();
        ArrayNode results = JsonNodeFactory.instance.arrayNode();
        for (String f : files) {
            String display = PlanCommand.display(f);
            LoadedPlan loaded = loader.load(ctx.resolve(f), display, ctx.env(), Overrides.NONE);
            all.addAll(loaded.problems());
            ObjectNode r = results.addObject();
            r.put("file", display);
            r.put("valid", loaded.errors().isEmpty());
            ArrayNode ps = r.putArray("problems");
            loaded.problems().forEach(p -> ps.add(json(p)));
        }
        long errors = all.stream().filter(Problem::isError).count();
        long warnings = all.size() - errors;
        switch (format) {
            case json -> {
                ObjectNode doc = JsonNodeFactory.instance.objectNode();
                doc.set("files", results);
                doc.put("errors", errors);
                doc.put("warnings", warnings);
                ctx.out().println(JsonMapper.shared().writeValueAsString(doc));
            }
            case github -> all.forEach(p -> ctx.out().println(github(p)));
            case text -> {
                all.forEach(p -> ctx.out().println(p));
            }
        }
        ctx.err().println(files.size() + " " + (files.size() == 1 ? "file" : "files") + " checked: " + errors
                + " " + (errors == 1 ? "error" : "errors") + ", " + warnings + " " + (warnings == 1 ? "warning" : "warnings"));
        ctx.out().flush();
        return ProblemPrinter.exitCode(List.copyOf(all));
    }

    private static ObjectNode json(Problem p) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("file", p.pos().file());
        n.put("line", p.pos().line());
        n.put("column", p.pos().column());
        n.put("path", p.path().toString());
        n.put("severity", p.isError() ? "error" : "warning");
        n.put("kind", p.kind().name().toLowerCase(java.util.Locale.ROOT));
        n.put("message", p.message());
        return n;
    }

    /** A GitHub Actions workflow command; data and properties escaped as the runner expects. */
    static String github(Problem p) {
        String level = p.isError() ? "error" : "warning";
        StringBuilder b = new StringBuilder("::").append(level).append(" file=").append(prop(p.pos().file()));
        if (p.pos().line() > 0) {
            b.append(",line=").append(p.pos().line()).append(",col=").append(p.pos().column());
        }
        b.append("::").append(data((p.path().isRoot() ? "" : p.path() + ": ") + p.message()));
        return b.toString();
    }

    private static String data(String s) {
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static String prop(String s) {
        return data(s).replace(":", "%3A").replace(",", "%2C");
    }
}
