package dev.dr.compare;

import dev.dr.cli.CliProcess;
import dev.dr.cli.Context;
import dev.dr.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** dr run in-process from a folder, with its stdout, stderr and exit code. */
record DiffRun(int exit, String out, String err) {

    static final Path FIXTURES = CliProcess.projectDir().resolve("runner/src/test/resources/dr/plandiff-compare");

    static DiffRun in(Path cwd, Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new Context(new PrintWriter(out), new PrintWriter(err), env, cwd, false), args);
        return new DiffRun(code, out.toString(), err.toString());
    }

    /** dr in the fixtures folder, so files are named as there (stop-after-validate.yaml). */
    static DiffRun fixtures(Map<String, String> env, String... args) {
        return in(FIXTURES, env, args);
    }
}
