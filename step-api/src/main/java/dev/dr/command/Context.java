package dev.dr.command;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command may touch of the outside world, handed in so tests run commands in-process
 * with their own writers, environment and working directory.
 *
 * @param tty whether stdout is a terminal (color is used only then, and never with NO_COLOR)
 * @param in  the operator's answers to prompts (dr apply's confirmation)
 */
public record Context(PrintWriter out, PrintWriter err, Map<String, String> env, Path cwd, boolean tty,
                      java.io.BufferedReader in) {
    public Context {
        env = Map.copyOf(env);
    }

    /** A context with no input (nothing to answer a prompt). */
    public Context(PrintWriter out, PrintWriter err, Map<String, String> env, Path cwd, boolean tty) {
        this(out, err, env, cwd, tty, new java.io.BufferedReader(new java.io.StringReader("")));
    }

    /** Color on a terminal unless NO_COLOR is set to a non-empty value (no-color.org). */
    public boolean color() {
        return tty && env.getOrDefault("NO_COLOR", "").isEmpty();
    }

    /** A path as the user gave it, resolved against the working directory. */
    public Path resolve(String file) {
        return cwd.resolve(file);
    }
}
