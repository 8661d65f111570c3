package dev.dr.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.cli.CliProcess;
import dev.dr.testing.MissingTool;
import dev.dr.testing.RunbookReceiptFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * schema/receipt-runbook.schema.json: networknt (what the tests check receipts with) and ajv in
 * strict mode (the independent check) agree on examples of each runbook receipt, valid and not.
 */
class RunbookReceiptSchemaTest {
    static final Path FIXTURES = CliProcess.projectDir().resolve("app/src/test/resources/receipts-runbook");

    static List<Path> files(String kind) throws Exception {
        try (Stream<Path> s = Files.list(FIXTURES.resolve(kind))) {
            return s.sorted().toList();
        }
    }

    @Test
    void networkntAcceptsTheValidExamplesAndRefusesTheOthers() throws Exception {
        assertThat(files("valid")).hasSize(5);
        for (Path f : files("valid")) {
            assertThat(RunbookReceiptFiles.problems(f)).as(f.toString()).isEmpty();
        }
        for (Path f : files("invalid")) {
            assertThat(RunbookReceiptFiles.problems(f)).as(f.toString()).isNotEmpty();
        }
    }

    @Test
    void ajvCompilesTheSchemaInStrictModeAndAgrees() throws Exception {
        Path ajv = Path.of(System.getProperty("dr.npmDir", CliProcess.projectDir().resolve("target/node").toString()))
                .resolve("node_modules/.bin/ajv");
        if (!Files.isExecutable(ajv)) {
            throw MissingTool.skipOrFail("ajv-cli is not installed in " + ajv.getParent() + "; .ci/run installs it");
        }
        for (String kind : List.of("valid", "invalid")) {
            for (Path f : files(kind)) {
                List<String> cmd = new ArrayList<>(List.of(ajv.toString(), "validate", "--spec=draft2020", "--strict=true",
                        "-s", CliProcess.projectDir().resolve("schema/receipt-runbook.schema.json").toString(), "-d", f.toString()));
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("ajv finished").isTrue();
                assertThat(p.exitValue()).as("ajv on %s: %s", f, output).isEqualTo(kind.equals("valid") ? 0 : 1);
            }
        }
    }
}
