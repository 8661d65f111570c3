package dev.dr.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.testing.MissingTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * The independent check of schema/report.schema.json: ajv (JavaScript) agrees with networknt (Java)
 * on the golden JSON reports (valid) and on broken ones (invalid). ajv runs once:
 * {@code ajv validate --spec=draft2020 -c ajv-formats -s schema/report.schema.json -d FILE ...}, and
 * prints {@code FILE valid} or {@code FILE invalid} per file.
 */
class ReportAjvAgreementTest {

    static final Path AJV = MermaidCheck.NPM.resolve("node_modules/.bin/ajv");

    @TempDir
    Path tmp;

    @Test
    void ajvAndNetworkntAgreeOnEveryReport() throws Exception {
        if (!Files.isExecutable(AJV)) {
            throw MissingTool.skipOrFail("ajv is not installed at " + AJV + "; run `npm install --prefix target/node ajv-cli@5"
                    + " ajv-formats@3` in " + ReportGoldenTest.PROJECT);
        }
        Map<Path, Boolean> files = new LinkedHashMap<>();
        for (String run : ReportGoldenTest.RUNS) {
            files.put(ReportGoldenTest.golden(run, "json"), true);
        }
        ObjectNode complete = (ObjectNode) ReportGoldenTest.json(ReportGoldenTest.golden("complete", "json"));
        Map<String, ObjectNode> broken = new LinkedHashMap<>();
        broken.put("extra-key", complete.deepCopy().put("generatedAt", "2026-12-07T00:00:00Z"));
        broken.put("bad-verdict", complete.deepCopy().put("verdict", "maybe"));
        ObjectNode badHash = complete.deepCopy();
        ((ObjectNode) badHash.get("bundle")).put("sha256", "xyz");
        broken.put("bad-hash", badHash);
        ObjectNode badTime = complete.deepCopy();
        ((ObjectNode) badTime.get("phases").get(0)).put("startedAt", "2026-12-07T19:35:40+13:45");
        broken.put("bad-time", badTime);
        for (Map.Entry<String, ObjectNode> e : broken.entrySet()) {
            Path f = tmp.resolve(e.getKey() + ".json");
            Files.writeString(f, e.getValue().toString(), StandardCharsets.UTF_8);
            files.put(f, false);
        }
        List<String> cmd = new ArrayList<>(List.of(AJV.toString(), "validate", "--spec=draft2020", "-c", "ajv-formats",
                "-s", ReportGoldenTest.PROJECT.resolve("schema/report.schema.json").toString()));
        files.keySet().forEach(f -> {
            cmd.add("-d");
            cmd.add(f.toString());
        });
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("ajv.txt").toFile()).start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("ajv finished").isTrue();
        String out = Files.readString(tmp.resolve("ajv.txt"), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isIn(0, 1);
        for (Map.Entry<Path, Boolean> e : files.entrySet()) {
            boolean networknt = ReportGoldenTest.reportErrors(ReportGoldenTest.json(e.getKey())).isEmpty();
            assertThat(networknt).as("networknt on %s", e.getKey().getFileName()).isEqualTo(e.getValue());
            assertThat(out).as("ajv on %s", e.getKey().getFileName())
                    .contains(e.getKey() + (e.getValue() ? " valid" : " invalid"));
        }
    }
}
