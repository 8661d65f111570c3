package dev.dr.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The dr command line. {@code plan} is the default command, so {@code dr FILE} previews.
 * Results go to stdout, everything else to stderr; exit codes are in {@link ExitCodes}.
 */
@Command(name = "dr", mixinStandardHelpOptions = true, version = "dr 0.1.0",
        description = "Disaster-recovery drills from declarative YAML plans. Checks a plan and prints the plan-diff"
                + " of everything it would do before anything runs.",
        subcommands = {PlanCommand.class, ApplyCommand.class, LintCommand.class, SchemaCommand.class, StepsCommand.class,
                ForceUnlockCommand.class},
        footer = {"", "Examples:",
                "  dr plans/validate-only.yaml            # same as: dr plan plans/validate-only.yaml",
                "  dr apply plans/validate-only.yaml",
                "  dr lint plans/*.yaml",
                "  dr steps",
                "", "Exit codes: 0 ok, 1 a phase failed, 2 invalid plan or usage, 3 guard refused, 4 internal error,"
                + " 10 changes pending (plan --detailed-exitcode)."})
public final class Main {

    private static final Set<String> COMMANDS = Set.of("plan", "apply", "lint", "schema", "steps", "force-unlock", "help",
            "-h", "--help", "-V", "--version");

    @Option(names = {"-x", "--verbose"}, description = "Print stack traces of internal errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    private Main() {}

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new PrintStream(System.out, true, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new PrintStream(System.err, true, StandardCharsets.UTF_8), true);
        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));
        int code = run(new Context(out, err, System.getenv(), Path.of("").toAbsolutePath(), System.console() != null, in), args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line and returns its exit code; never calls System.exit. */
    public static int run(Context ctx, String... args) {
        List<String> argv = new ArrayList<>(List.of(args));
        if (!argv.isEmpty() && !COMMANDS.contains(argv.get(0))) {
            argv.add(0, "plan");
        }
        Main main = new Main();
        CommandLine cli = new CommandLine(main, new Factory(ctx));
        cli.setOut(ctx.out());
        cli.setErr(ctx.err());
        cli.setCaseInsensitiveEnumValuesAllowed(false);
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
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

    private static int usage(CommandLine cli, Context ctx) {
        cli.usage(ctx.err());
        return ExitCodes.INVALID;
    }

    /** Hands the context to each command; picocli creates everything else itself. */
    private record Factory(Context ctx) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            Map<Class<?>, java.util.function.Supplier<Object>> commands = Map.of(
                    PlanCommand.class, () -> new PlanCommand(ctx),
                    ApplyCommand.class, () -> new ApplyCommand(ctx),
                    ForceUnlockCommand.class, () -> new ForceUnlockCommand(ctx),
                    LintCommand.class, () -> new LintCommand(ctx),
                    SchemaCommand.class, () -> new SchemaCommand(ctx),
                    StepsCommand.class, () -> new StepsCommand(ctx));
            java.util.function.Supplier<Object> s = commands.get(cls);
            return s != null ? cls.cast(s.get()) : CommandLine.defaultFactory().create(cls);
        }
    }
}
