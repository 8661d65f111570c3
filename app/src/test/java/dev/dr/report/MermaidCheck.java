package dev.dr.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.cli.CliProcess;
import dev.dr.json.JsonTrees;
import dev.dr.testing.MissingTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * Mermaid's own parser (npm mermaid, over jsdom: no browser) reads the Gantt block of a report, in
 * node under TZ=UTC; the tasks it would draw are compared with the phases of the receipts. The
 * script (app/src/test/resources/report/mermaid-gantt.mjs) is copied next to target/node's
 * node_modules so that its imports resolve there.
 */
final class MermaidCheck {
    static final String INSTALL = "npm install --prefix target/node mermaid@11 jsdom@29";
    static final Path NPM = Path.of(System.getProperty("dr.npmDir", CliProcess.projectDir().resolve("target/node").toString()));

    /** One bar of the chart, as Mermaid computed it. */
    record Task(String id, String name, List<String> tags, Instant start, Instant end) {}

    private MermaidCheck() {}

    /** The first ```mermaid block of a Markdown text, without its fences. */
    static String block(String markdown) {
        int open = markdown.indexOf("```mermaid\n");
        assertThat(open).as("a ```mermaid block").isNotNegative();
        int close = markdown.indexOf("\n```", open + 11);
        assertThat(close).as("the end of the ```mermaid block").isPositive();
        return markdown.substring(open + 11, close + 1);
    }

    /** The tasks Mermaid reads from {@code diagram}; fails with the parser's message if it rejects it. */
    static List<Task> tasks(String diagram, Path tmp) throws Exception {
        if (!Files.isDirectory(NPM.resolve("node_modules/mermaid")) || !Files.isDirectory(NPM.resolve("node_modules/jsdom"))
                || !MissingTool.nodeRuns()) {
            throw MissingTool.skipOrFail("node with mermaid and jsdom is not installed at " + NPM + "; run `" + INSTALL + "` in "
                    + CliProcess.projectDir());
        }
        Path script = NPM.resolve("mermaid-gantt.mjs");
        Files.copy(CliProcess.projectDir().resolve("app/src/test/resources/report/mermaid-gantt.mjs"), script,
                StandardCopyOption.REPLACE_EXISTING);
        Path in = tmp.resolve("diagram.mmd");
        Files.writeString(in, diagram, StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder("node", script.toString(), in.toString())
                .redirectOutput(tmp.resolve("mermaid.out").toFile()).redirectError(tmp.resolve("mermaid.err").toFile());
        pb.environment().put("TZ", "UTC");
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("mermaid did not finish within 2 minutes");
        }
        String err = Files.readString(tmp.resolve("mermaid.err"), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("Mermaid's parser on\n%s\nsaid: %s", diagram, err).isZero();
        JsonNode out = JsonTrees.read(Files.readString(tmp.resolve("mermaid.out"), StandardCharsets.UTF_8));
        assertThat(out.get("type").asString()).isEqualTo("gantt");
        List<Task> tasks = new ArrayList<>();
        for (JsonNode t : out.get("tasks")) {
            List<String> tags = new ArrayList<>();
            t.get("tags").forEach(x -> tags.add(x.asString()));
            tasks.add(new Task(t.get("id").asString(), t.get("task").asString(), tags,
                    Instant.ofEpochMilli(t.get("start").asLong()), Instant.ofEpochMilli(t.get("end").asLong())));
        }
        return tasks;
    }

    /** Each phase that ran is one bar, from its start to its end as the receipt recorded them (to the ms). */
    static void assertBarsAreThePhases(List<Task> tasks, Path runDir) throws IOException, ReceiptException {
        List<RunRecord.Phase> ran = RunReceipts.read(runDir).phases().stream().filter(RunRecord.Phase::ran).toList();
        assertThat(tasks).hasSameSizeAs(ran);
        for (int i = 0; i < ran.size(); i++) {
            RunRecord.Phase p = ran.get(i);
            Task t = tasks.get(i);
            assertThat(t.name()).startsWith(p.name() + " " + p.status());
            assertThat(t.start()).as(p.name()).isEqualTo(p.startedAt().truncatedTo(ChronoUnit.MILLIS));
            assertThat(t.end()).as(p.name()).isEqualTo(p.finishedAt().truncatedTo(ChronoUnit.MILLIS));
            assertThat(t.tags()).as(p.name()).containsExactly(p.status().equals("success") ? "done" : "crit");
        }
    }
}
