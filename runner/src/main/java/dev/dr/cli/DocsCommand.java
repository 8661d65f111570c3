package dev.dr.cli;

import dev.dr.catalog.StepCatalog;
import dev.dr.command.Context;
import dev.dr.command.ExitCodes;
import dev.dr.command.ExitException;
import dev.dr.docs.DocsGenerator;
import dev.dr.docs.DocsSourceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "docs", mixinStandardHelpOptions = true,
        description = "Generate the plan reference and the step reference from the plan schema, the steps on the"
                + " class path, the shipped plans and the hand-written parts in docs/src/.",
        footer = {"", "Run it from the project folder. Without --out, the pages go to stdout.",
                "", "Examples:",
                "  dr docs --out docs",
                "  dr docs steps.md"})
final class DocsCommand implements Callable<Integer> {
    private final Context ctx;

    @Parameters(paramLabel = "PAGE", arity = "0..*", description = "plan-reference.md and/or steps.md (default: both).")
    List<String> pages = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Write the pages into this folder (e.g. docs).")
    Path out;

    @Option(names = "--root", paramLabel = "DIR", description = "The project folder (default: the working directory).")
    Path root;

    DocsCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        List<String> wanted = pages.isEmpty() ? DocsGenerator.PAGES : pages;
        for (String p : wanted) {
            if (!DocsGenerator.PAGES.contains(p)) {
                ctx.err().println("dr: unknown page '" + p + "'; expected " + String.join(" or ", DocsGenerator.PAGES));
                return ExitCodes.INVALID;
            }
        }
        Path project = root == null ? ctx.cwd() : ctx.resolve(root.toString());
        DocsGenerator generator = new DocsGenerator(project, StepCatalog.load(DocsCommand.class.getClassLoader()), s -> true);
        Map<String, String> generated = new java.util.LinkedHashMap<>();
        try {
            for (String p : wanted) {
                generated.put(p, generator.generate(p));
            }
        } catch (DocsSourceException e) {
            ctx.err().println(e.getMessage());
            throw ExitException.invalidInput("the docs were not generated; nothing was written");
        }
        if (out == null) {
            generated.values().forEach(ctx.out()::print);
            ctx.out().flush();
            return ExitCodes.OK;
        }
        Path dir = ctx.resolve(out.toString());
        Files.createDirectories(dir);
        for (Map.Entry<String, String> e : generated.entrySet()) {
            Path file = dir.resolve(e.getKey());
            boolean same = Files.exists(file) && Files.readString(file).equals(e.getValue());
            if (!same) {
                Files.writeString(file, e.getValue(), java.nio.charset.StandardCharsets.UTF_8);
            }
            ctx.err().println((same ? "unchanged " : "wrote     ") + project.relativize(file.toAbsolutePath().normalize()));
        }
        return ExitCodes.OK;
    }
}
