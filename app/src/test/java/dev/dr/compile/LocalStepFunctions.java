package dev.dr.compile;

import static org.assertj.core.api.Assertions.fail;

import dev.dr.json.JsonTrees;
import dev.dr.testing.MissingTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The npm {@code aws-local-stepfunctions@3}, an ASL interpreter independent of dr, driven by the
 * test resource {@code dr/compile/run-machine.cjs}: one node process executes every input of every
 * machine given, each Task answered by a local handler that records the phase its dr apply command
 * names (and the promote gate by one that approves). Installed into the build's npm folder by
 * {@value #INSTALL}; without it (or node) the calling tests skip, except on CI ({@code CI=true})
 * where they fail.
 */
final class LocalStepFunctions {
    static final String INSTALL = "npm install --prefix target/node aws-local-stepfunctions@3";
    static final Path PACKAGE = AslValidatorTest.NPM.resolve("node_modules/aws-local-stepfunctions/package.json");
    static final Path SCRIPT = Compiles.GOLDEN.resolve("run-machine.cjs");
    private static final long TIMEOUT_SECONDS = 300;

    /**
     * A machine and the execution inputs to run it with.
     *
     * @param names   the executions' names, one per input; null for exec-INDEX
     * @param workers null for workers that only record their phase; else {"env": {...}, "cwd": DIR}, and each
     *                worker runs its script for real (see run-machine.cjs)
     */
    record Machine(String definition, List<ObjectNode> inputs, List<String> names, ObjectNode workers) {
        Machine(String definition, List<ObjectNode> inputs) {
            this(definition, inputs, null, null);
        }
    }

    /**
     * What one execution did.
     *
     * @param ran   the phases whose worker ran, in order, with "approval" where the promote gate was answered
     * @param error the Fail state's error when it failed ({@code null} when it succeeded)
     * @param env   per phase that ran, the environment its worker was given
     * @param logs  per phase whose worker ran for real, its exit code and the tail of its output
     */
    record Execution(List<String> ran, String error, String cause, JsonNode env, JsonNode logs) {}

    private LocalStepFunctions() {}

    /** Skips the calling test (fails it on CI) unless node and the package are installed. */
    static void require() throws InterruptedException {
        String missing = null;
        if (!Files.isRegularFile(PACKAGE)) {
            missing = "aws-local-stepfunctions is not installed at " + PACKAGE.getParent() + "; run `" + INSTALL + "` in "
                    + Compiles.PROJECT;
        } else if (!MissingTool.nodeRuns()) {
            missing = "node is not on the PATH; aws-local-stepfunctions needs it";
        }
        if (missing != null) {
            throw MissingTool.skipOrFail(missing);
        }
    }

    /** Runs every machine with each of its inputs; the results in the same order. */
    static List<List<Execution>> run(List<Machine> machines, Path work) throws IOException, InterruptedException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ArrayNode request = f.arrayNode();
        for (Machine m : machines) {
            ObjectNode o = request.addObject();
            o.set("definition", JsonTrees.read(m.definition()));
            ArrayNode inputs = o.putArray("inputs");
            m.inputs().forEach(inputs::add);
            if (m.names() != null) {
                ArrayNode names = o.putArray("names");
                m.names().forEach(names::add);
            }
            if (m.workers() != null) {
                o.set("workers", m.workers());
            }
        }
        Files.createDirectories(work);
        Path in = work.resolve("request.json");
        Path out = work.resolve("results.json");
        Path err = work.resolve("stderr.txt");
        Files.writeString(in, JsonTrees.compact(request), StandardCharsets.UTF_8);
        Process p = new ProcessBuilder("node", SCRIPT.toString(), AslValidatorTest.NPM.toString())
                .directory(Compiles.PROJECT.toFile()).redirectInput(in.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("run-machine.cjs did not finish within " + TIMEOUT_SECONDS + " s");
        }
        if (p.exitValue() != 0) {
            fail("run-machine.cjs exited " + p.exitValue() + ":\n" + Files.readString(err, StandardCharsets.UTF_8));
        }
        JsonNode results = JsonTrees.read(Files.readString(out, StandardCharsets.UTF_8));
        List<List<Execution>> all = new ArrayList<>();
        for (JsonNode machine : results) {
            List<Execution> runs = new ArrayList<>();
            for (JsonNode r : machine) {
                List<String> ran = new ArrayList<>();
                r.get("ran").forEach(n -> ran.add(n.asString()));
                boolean failed = "FAILED".equals(r.get("status").asString());
                runs.add(new Execution(ran, failed ? r.get("error").asString() : null,
                        failed ? r.get("cause").asString() : null, r.get("env"), r.get("logs")));
            }
            all.add(runs);
        }
        return all;
    }

}
