package dev.dr.testing;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.dr.cli.CliProcess;
import dev.dr.json.JsonTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The runbook's receipt files in a run's receipt folder, for tests: which JSON files are the
 * runbook's (schema/receipt-runbook.schema.json) rather than dr's own (schema/receipt.schema.json),
 * and the problems a runbook JSON file has against its schema.
 */
public final class RunbookReceiptFiles {
    /** The runbook's JSON receipts, relative to the run's receipt folder. */
    public static final Set<String> JSON = Set.of("dr_restore.control_plane.summary.json",
            "control-plane/apply/apply.summary.json", "failback.summary.json");

    private RunbookReceiptFiles() {}

    /** Whether {@code file} in the receipt folder {@code run} is one of the runbook's JSON receipts. */
    public static boolean isRunbookJson(Path run, Path file) {
        return file.startsWith(run) && JSON.contains(run.relativize(file).toString().replace('\\', '/'));
    }

    /** The file's problems: schema errors, and keys out of order at any level (the files have sorted keys). */
    public static List<String> problems(Path file) throws IOException {
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(
                JsonTrees.read(Files.readString(CliProcess.projectDir().resolve("schema/receipt-runbook.schema.json"))));
        JsonNode n = JsonTrees.read(Files.readString(file, StandardCharsets.UTF_8));
        List<String> out = new ArrayList<>();
        schema.validate(n).forEach(e -> out.add(e.toString()));
        unsorted(n, "$", out);
        return out;
    }

    private static void unsorted(JsonNode n, String at, List<String> out) {
        if (n.isObject()) {
            List<String> keys = new ArrayList<>(n.propertyNames());
            if (!keys.equals(keys.stream().sorted().toList())) {
                out.add(at + ": keys not sorted: " + keys);
            }
            keys.forEach(k -> unsorted(n.get(k), at + "." + k, out));
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                unsorted(n.get(i), at + "[" + i + "]", out);
            }
        }
    }
}
