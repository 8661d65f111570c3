package dev.dr.cli;

import dev.dr.command.Context;
import dev.dr.command.ExitCodes;
import dev.dr.command.ExitException;
import dev.dr.command.SystemCommand;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The dr command line. {@code plan} is the default command, so {@code dr FILE} previews.
 * Results go to stdout, everything else to stderr; exit codes are in {@link ExitCodes}, and a command
 * ends with one other than 0 by throwing an {@link ExitException}.
 */
@Command(name = "dr", mixinStandardHelpOptions = true, version = "dr 0.1.0",
        description = "Disaster-recovery drills from declarative YAML plans. Checks a plan and prints the plan-diff"
                + " of everything it would do before anything runs.",
        footer = {"", "Examples:",
                "  dr plans/validate-only.yaml            # same as: dr plan plans/validate-only.yaml",
                "  dr apply plans/validate-only.yaml",
                "  dr lint plans/*.yaml",
                "  dr diff --git origin/main plans/validate-only.yaml",
                "  dr compile --target stepfunctions plans/full-drill.yaml > drill.asl.json",
                "  dr steps",
                "", "Exit codes: 0 ok, 1 a phase failed, 2 invalid plan or usage, 3 guard refused, 4 internal error,"
                + " 10 changes pending (plan, diff --detailed-exitcode)."})
public final class Main {

    /** The runner's own subcommands, in the order help lists them; {@link SystemCommand}s follow. */
    private static final Map<String, Class<?>> SUBCOMMANDS = subcommands();
    private static final Set<String> TOP_LEVEL = Set.of("-h", "--help", "-V", "--version");

    private static Map<String, Class<?>> subcommands() {
        Map<String, Class<?>> m = new java.util.LinkedHashMap<>();
        m.put("plan", PlanCommand.class);
        m.put("diff", DiffCommand.class);
        m.put("apply", ApplyCommand.class);
        m.put("lint", LintCommand.class);
        m.put("compile", CompileCommand.class);
        m.put("schema", SchemaCommand.class);
        m.put("steps", StepsCommand.class);
        m.put("approve", ApproveCommand.class);
        m.put("report", ReportCommand.class);
        m.put("failback", FailbackCommand.class);
        m.put("force-unlock", ForceUnlockCommand.class);
        m.put("docs", DocsCommand.class);
        m.put("completion", CompletionCommand.class);
        m.put("help", CommandLine.HelpCommand.class);
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * The subcommands a command line may name: the runner's, then those of the modules on the class
     * path, by name. A first argument with a dot or a slash is a plan ({@code dr FILE}): looking for a
     * module's command then would open every jar's service files for nothing.
     */
    private static Map<String, Class<?>> commandsFor(List<String> argv) {
        String first = argv.isEmpty() ? "" : argv.get(0);
        boolean runnersOwn = SUBCOMMANDS.containsKey(first) && !first.equals("help") && !first.equals("completion");
        if (runnersOwn || first.contains(".") || first.contains("/") || first.equals("-V") || first.equals("--version")) {
            return SUBCOMMANDS;
        }
        Map<String, Class<?>> all = new java.util.LinkedHashMap<>(SUBCOMMANDS);
        for (SystemCommand c : ServiceLoader.load(SystemCommand.class, Main.class.getClassLoader())) {
            Class<?> clash = all.putIfAbsent(c.name(), c.command());
            if (clash != null) {
                throw new IllegalStateException("two commands are named " + c.name() + ": " + clash.getName()
                        + " and " + c.command().getName());
            }
        }
        return all;
    }

    @Option(names = {"-x", "--verbose"}, description = "Print stack traces of internal errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    private Main() {}

    public static void main(String[] args) {
        // Output is the same bytes in every locale: String.toUpperCase() without a locale (as
        // picocli sorts help options) would order --image-ref apart under tr_TR, where i ≠ I.
        java.util.Locale.setDefault(java.util.Locale.ROOT);
        // UTF-8 whatever the locale: Java 17's default charset is US-ASCII under LC_ALL=C, and a
        // PrintWriter over a PrintStream encodes with the default charset, not the stream's.
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));
        java.util.Optional<List<String>> argv = ProcessText.arguments(List.of(args), Path.of("/proc/self/cmdline"));
        int code;
        if (argv.isEmpty()) {
            err.println("dr: an argument holds characters that Java cannot read under this locale's charset ("
                    + System.getProperty("sun.jnu.encoding") + "); run dr under a UTF-8 locale, e.g. LC_ALL=C.UTF-8."
                    + " Nothing was run.");
            code = ExitCodes.INVALID;
        } else {
            Map<String, String> env = ProcessText.environment(System.getenv(), Path.of("/proc/self/environ"));
            code = run(new Context(out, err, env, Path.of("").toAbsolutePath(), System.console() != null, in),
                    argv.get().toArray(String[]::new));
            // after the command, whose output and exit code it never changes
            StartupCache.ofThisJvm(env).ifPresent(cache -> cache.refreshInBackground(err));
        }
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line and returns its exit code; never calls System.exit. */
    public static int run(Context ctx, String... args) {
        List<String> argv = new ArrayList<>(List.of(args));
        Main main = new Main();
        CommandLine cli = commandLine(ctx, argv, main);
        cli.setOut(ctx.out());
        cli.setErr(ctx.err());
        cli.setCaseInsensitiveEnumValuesAllowed(false);
        // the one place where an exception becomes an exit code: a command's ExitException says its
        // line and gives its code; anything else is a file name the locale cannot read, or a bug
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof ExitException exit) {
                return exit.report(ctx.err());
            }
            if (ex instanceof java.nio.file.InvalidPathException bad) {
                // Java reads file names in the locale's charset: under LC_ALL=C only ASCII ones.
                ctx.err().println("dr: cannot use the file name '" + bad.getInput() + "' under this locale's charset ("
                        + System.getProperty("sun.jnu.encoding") + "): " + bad.getReason()
                        + "; run dr under a UTF-8 locale, e.g. LC_ALL=C.UTF-8. Nothing was run.");
                return ExitCodes.INVALID;
            }
            ctx.err().println("dr: internal error: " + ex);
            if (main.verbose) {
                ex.printStackTrace(ctx.err());
            } else {
                ctx.err().println("dr: run again with -x for the stack trace");
            }
            return ExitCodes.INTERNAL;
        });
        cli.setParameterExceptionHandler((ex, a) -> {
            ctx.err().println("dr: " + ex.getMessage());
            ex.getCommandLine().usage(ctx.err());
            return ExitCodes.INVALID;
        });
        int code = argv.isEmpty() ? usage(cli, ctx) : cli.execute(argv.toArray(String[]::new));
        ctx.out().flush();
        ctx.err().flush();
        return code;
    }

    /**
     * The command line that {@link #run} executes for {@code args}, not executed: what a test
     * parses to check that the runbook's flags are dr's. {@code argv} gets "plan" in front when
     * it names a plan file rather than a command.
     */
    public static CommandLine commandLine(Context ctx, List<String> argv) {
        return commandLine(ctx, argv, new Main());
    }

    private static CommandLine commandLine(Context ctx, List<String> argv, Main main) {
        Map<String, Class<?>> commands = commandsFor(argv);
        if (!argv.isEmpty() && !commands.containsKey(argv.get(0)) && !TOP_LEVEL.contains(argv.get(0))) {
            argv.add(0, "plan");
        }
        Factory factory = new Factory(ctx);
        CommandLine cli = new CommandLine(main, factory);
        // picocli builds the model of every subcommand it is given, by reflection, at start-up:
        // give it only the one that runs, or all of them when help is asked for.
        boolean one = !argv.isEmpty() && commands.containsKey(argv.get(0)) && !argv.get(0).equals("help")
                && !argv.get(0).equals("completion");
        for (Map.Entry<String, Class<?>> e : commands.entrySet()) {
            if (!one || e.getKey().equals(argv.get(0))) {
                try {
                    cli.addSubcommand(e.getKey(), factory.create(e.getValue()));
                } catch (Exception ex) {
                    throw new IllegalStateException("cannot create the command " + e.getKey(), ex);
                }
            }
        }
        return cli;
    }

    private static int usage(CommandLine cli, Context ctx) {
        cli.usage(ctx.err());
        return ExitCodes.INVALID;
    }

    /**
     * Hands the context to each command: a command class takes it as its only constructor
     * argument. picocli creates everything else itself.
     */
    private record Factory(Context ctx) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            java.lang.reflect.Constructor<K> withContext;
            try {
                withContext = cls.getDeclaredConstructor(Context.class);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
            withContext.setAccessible(true);
            return withContext.newInstance(ctx);
        }
    }
}
