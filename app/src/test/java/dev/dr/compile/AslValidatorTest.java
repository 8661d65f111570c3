package dev.dr.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.dr.cli.DrRun;
import dev.dr.testing.MissingTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The independent check of the compiled state machines: the npm {@code asl-validator@4}
 * (JSON Schema of the States Language, JSONPath and intrinsic functions, transitions) must
 * accept what dr compile prints for every plan of plans/ and the gate and ECS variants. One
 * broken copy must be refused, so the check is known to be able to fail. Runs once for all
 * files: {@code asl-validator --json-path F --json-path F ...}; its output is kept under
 * target/asl-validator/.
 */
class AslValidatorTest {

    static final String INSTALL = "npm install --prefix target/node asl-validator@4";
    static final Path NPM = Path.of(System.getProperty("dr.npmDir", Compiles.PROJECT.resolve("target/node").toString()));
    static final Path VALIDATOR = NPM.resolve("node_modules/.bin/asl-validator");
    static final Path OUT = Compiles.PROJECT.resolve("target/asl-validator");
    static final String BROKEN = "broken-transition";
    private static final long TIMEOUT_SECONDS = 180;

    private static Map<String, Path> files;
    private static Map<String, String> verdicts;
    private static String output;
    private static String missing;

    @BeforeAll
    static void runTheValidatorOnce() throws Exception {
        if (!Files.isExecutable(VALIDATOR)) {
            missing = "asl-validator is not installed at " + VALIDATOR + "; run `" + INSTALL + "` in " + Compiles.PROJECT;
            return;
        }
        Files.createDirectories(OUT);
        files = new LinkedHashMap<>();
        String fullDrill = null;
        for (Compiles.Case c : Compiles.cases()) {
            DrRun r = DrRun.inProject(Map.of(), c.argv("stepfunctions"));
            assertThat(r.exit()).as("dr compile %s: %s", c.name(), r.err()).isZero();
            Path f = OUT.resolve(c.name() + ".asl.json");
            Files.writeString(f, r.out(), StandardCharsets.UTF_8);
            files.put(c.name(), f);
            if (c.name().equals("full-drill")) {
                fullDrill = r.out();
            }
        }
        Path broken = OUT.resolve(BROKEN + ".asl.json");
        Files.writeString(broken, fullDrill.replace("\"Next\": \"Done\"", "\"Next\": \"Nowhere\""), StandardCharsets.UTF_8);
        files.put(BROKEN, broken);
        List<String> cmd = new ArrayList<>(List.of(VALIDATOR.toString()));
        for (Path f : files.values()) {
            cmd.add("--json-path");
            cmd.add(f.toString());
        }
        Process p = new ProcessBuilder(cmd).directory(Compiles.PROJECT.toFile()).redirectErrorStream(true)
                .redirectOutput(OUT.resolve("output.txt").toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("asl-validator did not finish within " + TIMEOUT_SECONDS + " s: " + String.join(" ", cmd));
        }
        output = Files.readString(OUT.resolve("output.txt"), StandardCharsets.UTF_8);
        verdicts = new LinkedHashMap<>();
        // one block per file: a line "✓ State machine definition "F" is valid", or "✕ ... is invalid:" and its errors
        List<String> blocks = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("\u2713 ") || line.startsWith("\u2715 ") || blocks.isEmpty()) {
                blocks.add(line);
            } else {
                blocks.set(blocks.size() - 1, blocks.get(blocks.size() - 1) + "\n" + line);
            }
        }
        for (Map.Entry<String, Path> e : files.entrySet()) {
            String head = "State machine definition \"" + e.getValue() + "\" is ";
            for (String b : blocks) {
                int at = b.indexOf(head);
                if (at >= 0) {
                    verdicts.put(e.getKey(), b.substring(at + head.length()).strip());
                }
            }
        }
    }

    /** Fails on CI (CI=true), and skips elsewhere, when asl-validator is not installed. */
    static void requireValidator() {
        if (missing != null) {
            throw MissingTool.skipOrFail(missing);
        }
    }

    @Test
    void everyCompiledPlanIsAValidStateMachine() throws Exception {
        requireValidator();
        for (Compiles.Case c : Compiles.cases()) {
            assertThat(verdicts.get(c.name())).as("asl-validator on %s; its output:%n%s", c.name(), output).isEqualTo("valid");
        }
    }

    @Test
    void aBrokenDefinitionIsRefused() {
        requireValidator();
        assertThat(verdicts.get(BROKEN)).as(output).startsWith("invalid")
                .contains("MISSING_TRANSITION_TARGET").contains("Nowhere");
    }
}
