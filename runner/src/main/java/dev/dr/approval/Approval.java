package dev.dr.approval;

import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * An operator's approval of a gated phase of one run (the promote phase): who, when, under
 * which change ticket, and for which planDigest — an approval given for one plan does not
 * open the gate of a changed one.
 */
public record Approval(String runId, String phase, String approver, String ticket, String approvedAt, String planDigest) {

    // the process's one default mapper, which the schema check uses too: built once, not per class
    private static final JsonMapper JSON = JsonMapper.shared();

    public byte[] toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("runId", runId);
        o.put("phase", phase);
        o.put("approver", approver);
        o.put("ticket", ticket);
        o.put("approvedAt", approvedAt);
        o.put("planDigest", planDigest);
        return (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static Approval parse(JsonNode n) {
        return new Approval(text(n, "runId"), text(n, "phase"), text(n, "approver"), text(n, "ticket"),
                text(n, "approvedAt"), text(n, "planDigest"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isString()) {
            throw new IllegalArgumentException("field " + field + " is missing");
        }
        return v.asString();
    }
}
