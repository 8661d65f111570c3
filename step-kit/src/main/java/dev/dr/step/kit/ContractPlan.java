package dev.dr.step.kit;

import dev.dr.json.JsonTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A one-step plan file the contract writes: the step in its drill's phase, its {@code with:}
 * settings one key a line (so a refused key has a line and column to point at), and the
 * receipt of an earlier run that carries the drill's server outputs.
 *
 * @param file     the plan file
 * @param withLine the line of each top-level {@code with:} key, in file order
 */
public record ContractPlan(Path file, Map<String, Integer> withLine) {

    /** The run folder of the earlier run whose receipt the plan reuses ({@code run.fromReceipt}). */
    public static final String EARLIER_RUN = "earlier-run";

    /** Column of every top-level {@code with:} key in the file (1-based). */
    static final int WITH_COLUMN = 11;

    static ContractPlan write(Path dir, String name, String stepName, ContractDrill drill, ObjectNode with)
            throws IOException {
        Files.createDirectories(dir);
        Path receipts = dir.resolve("receipts");
        List<String> lines = new ArrayList<>(List.of("apiVersion: dr/v1", "kind: DrillPlan",
                "metadata: {name: " + name + "}",
                "target: {accountId: \"048622080012\", region: us-east-1, namespace: jobintel, environment: sandbox}"));
        if (!drill.inputs().isEmpty()) {
            lines.add("inputs:");
            new TreeMap<>(drill.inputs()).forEach((k, v) -> lines.add("  " + k + ": " + quote(v)));
        }
        lines.add("sizing: {instanceType: t4g.medium}");
        lines.add("run:");
        lines.add("  receiptDir: " + quote(receipts.toString()));
        if (!drill.earlierOutputs().isEmpty()) {
            lines.add("  fromReceipt: " + quote(earlierRun(receipts, drill.earlierOutputs()).toString()));
        }
        drill.runLines().forEach(l -> lines.add("  " + l));
        lines.add("phases:");
        lines.add("  - name: " + drill.phase());
        drill.phaseLines().forEach(l -> lines.add("    " + l));
        lines.add("    steps:");
        lines.add("      - uses: " + stepName);
        Map<String, Integer> at = new java.util.LinkedHashMap<>();
        if (with.isEmpty()) {
            lines.add("        with: {}");
        } else {
            lines.add("        with:");
            for (var e : with.properties()) {
                lines.add(" ".repeat(WITH_COLUMN - 1) + e.getKey() + ": " + JsonTrees.compact(e.getValue()));
                at.put(e.getKey(), lines.size());
            }
        }
        lines.add("");
        Path file = dir.resolve("plan.yaml");
        Files.writeString(file, String.join("\n", lines), StandardCharsets.UTF_8);
        return new ContractPlan(file, at);
    }

    private static String quote(String s) {
        return JsonMapper.builder().build().writeValueAsString(s);
    }

    /** {@code <receipts>/earlier-run/phases/bringup.json} with these outputs: what a bringup leaves. */
    private static Path earlierRun(Path receipts, Map<String, String> outputs) throws IOException {
        return EarlierRunReceipt.write(receipts, EARLIER_RUN, outputs);
    }
}
