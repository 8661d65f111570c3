package dev.dr.cli;

import dev.dr.command.Context;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * One run of dr in-process, as the tests make it: its exit code and what it printed on stdout and stderr.
 * The CLI tests call these factories instead of building a {@link Context} and writers of their own.
 */
public record DrRun(int exit, String out, String err) {

    /** dr from {@code cwd} with this environment, stdout not a terminal and nothing on stdin. */
    public static DrRun in(Path cwd, Map<String, String> env, String... args) {
        return in(cwd, env, false, "", args);
    }

    /** dr from the project folder, so plans/ and app/src/test/resources are named as there. */
    public static DrRun inProject(Map<String, String> env, String... args) {
        return in(CliProcess.projectDir(), env, args);
    }

    /**
     * dr from {@code cwd}, stdout a terminal or not, with {@code stdin} as the operator's answers to prompts.
     */
    public static DrRun in(Path cwd, Map<String, String> env, boolean tty, String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new Context(new PrintWriter(out), new PrintWriter(err), env, cwd, tty,
                new BufferedReader(new StringReader(stdin))), args);
        return new DrRun(exit, out.toString(), err.toString());
    }
}
