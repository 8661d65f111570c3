package dev.dr.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.cli.DrRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Receipts dr report cannot use: exit 2, one line naming the file (as the operator named the
 * folder) and the field, saying what was expected; nothing on stdout.
 */
class ReportErrorsTest {

    @TempDir
    Path tmp;

    /** A copy of the whole drill's receipts to break. */
    Path run() throws Exception {
        Path src = ReportGoldenTest.PROJECT.resolve(ReportGoldenTest.FIXTURES + "complete");
        Path dst = tmp.resolve("receipts/run");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : files.toList()) {
                Path to = dst.resolve(src.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        return dst;
    }

    DrRun report(String... more) {
        String[] args = Stream.concat(Stream.of("report", "receipts/run"), Stream.of(more)).toArray(String[]::new);
        return DrRun.in(tmp, Map.of(), args);
    }

    void edit(Path file, String from, String to) throws Exception {
        String s = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(s).contains(from);
        Files.writeString(file, s.replace(from, to), StandardCharsets.UTF_8);
    }

    void refused(DrRun r, String message) {
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("dr: cannot report on receipts/run: " + message + "\n");
    }

    @Test
    void aFolderThatIsNotThere() {
        refused(report(), "receipts/run: no such folder: expected a run's receipt folder (<receiptDir>/<runId>)");
    }

    @Test
    void aFolderWithoutReceipts() throws Exception {
        Files.createDirectories(tmp.resolve("receipts/run/phases"));
        refused(report(), "receipts/run: no receipts: expected run.json, drill.summary.json or phases/<phase>.json as dr apply writes them");
    }

    @Test
    void aReceiptThatIsNotJson() throws Exception {
        Files.writeString(run().resolve("phases/validate.json"), "{\"kind\": ", StandardCharsets.UTF_8);
        DrRun r = report();
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("dr: cannot report on receipts/run: receipts/run/phases/validate.json: not JSON: ");
    }

    @Test
    void aMissingField() throws Exception {
        edit(run().resolve("phases/restore.json"), "\n  \"durationMs\" : 3400,", "");
        refused(report(), "receipts/run/phases/restore.json: missing field durationMs");
    }

    @Test
    void aFieldOfTheWrongKindNamesItsPath() throws Exception {
        edit(run().resolve("phases/validate.json"), "\"number\" : 2,", "\"number\" : \"two\",");
        refused(report(), "receipts/run/phases/validate.json: attempts[1].number: expected a whole number >= 0, was the string 'two'");
    }

    @Test
    void aTimeWithoutItsZone() throws Exception {
        Path run = run();
        String started = ReportGoldenTest.json(run.resolve("phases/teardown.json")).get("startedAt").asString();
        edit(run.resolve("phases/teardown.json"), "\"startedAt\" : \"" + started + "\"",
                "\"startedAt\" : \"" + started.replace("Z", "") + "\"");
        refused(report(), "receipts/run/phases/teardown.json: startedAt: expected an ISO-8601 instant in UTC (ending in Z), was '"
                + started.replace("Z", "") + "'");
    }

    @Test
    void anUnknownStatus() throws Exception {
        edit(run().resolve("phases/promote.json"), "\"status\" : \"success\"\n}", "\"status\" : \"done\"\n}");
        refused(report(), "receipts/run/phases/promote.json: status: expected one of success, failed, skipped, interrupted; was 'done'");
    }

    @Test
    void aPhaseTheSummaryListsWithoutItsReceipt() throws Exception {
        Files.delete(run().resolve("phases/teardown.json"));
        refused(report(), "receipts/run/phases/teardown.json: missing: drill.summary.json lists the phase teardown but its receipt is not there");
    }

    @Test
    void aFileInPhasesThatIsNoPhase() throws Exception {
        Files.writeString(run().resolve("phases/warmup.json"), "{}", StandardCharsets.UTF_8);
        refused(report(), "receipts/run/phases/warmup.json: not a phase receipt: expected phases/<phase>.json with a phase of"
                + " publish-bundle, bringup, restore, validate, promote, failback, teardown");
    }

    @Test
    void anotherKindOfReceipt() throws Exception {
        edit(run().resolve("drill.summary.json"), "\"kind\" : \"summary\"", "\"kind\" : \"run\"");
        refused(report(), "receipts/run/drill.summary.json: kind: expected 'summary', was 'run'");
    }

    @Test
    void anUnknownFormat() throws Exception {
        run();
        DrRun r = report("--format", "html");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("--format").contains("markdown, json");
    }
}
