package dev.dr.report;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The fields of one receipt file, read with the file and the field named in every complaint, so
 * that a receipt edited by hand or written by another tool says where it is wrong.
 */
record ReceiptFields(Path file, JsonNode node, String at) {

    static ReceiptFields of(Path file, JsonNode node) throws ReceiptException {
        if (!node.isObject()) {
            throw new ReceiptException(file, "expected a JSON object, was " + kind(node));
        }
        return new ReceiptFields(file, node, "");
    }

    ReceiptFields object(String field) throws ReceiptException {
        JsonNode n = present(field);
        if (!n.isObject()) {
            throw wrong(field, "an object", n);
        }
        return new ReceiptFields(file, n, path(field));
    }

    Optional<ReceiptFields> optionalObject(String field) throws ReceiptException {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        return Optional.of(object(field));
    }

    String text(String field) throws ReceiptException {
        JsonNode n = present(field);
        if (!n.isString()) {
            throw wrong(field, "a string", n);
        }
        return n.asString();
    }

    Optional<String> optionalText(String field) throws ReceiptException {
        JsonNode n = node.get(field);
        return n == null || n.isNull() ? Optional.empty() : Optional.of(text(field));
    }

    long whole(String field) throws ReceiptException {
        JsonNode n = present(field);
        if (!n.isIntegralNumber() || n.asLong() < 0) {
            throw wrong(field, "a whole number >= 0", n);
        }
        return n.asLong();
    }

    Instant instant(String field) throws ReceiptException {
        String s = text(field);
        if (!s.endsWith("Z")) {
            throw new ReceiptException(file, path(field) + ": expected an ISO-8601 instant in UTC (ending in Z), was '" + s + "'");
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new ReceiptException(file, path(field) + ": expected an ISO-8601 instant in UTC, was '" + s + "'");
        }
    }

    /** One of {@code allowed}, e.g. a status. */
    String oneOf(String field, java.util.List<String> allowed) throws ReceiptException {
        String s = text(field);
        if (!allowed.contains(s)) {
            throw new ReceiptException(file, path(field) + ": expected one of " + String.join(", ", allowed) + "; was '" + s + "'");
        }
        return s;
    }

    /** The elements of an array field, each an object. */
    java.util.List<ReceiptFields> objects(String field) throws ReceiptException {
        JsonNode n = present(field);
        if (!n.isArray()) {
            throw wrong(field, "an array", n);
        }
        java.util.List<ReceiptFields> out = new java.util.ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            String p = path(field) + "[" + i + "]";
            if (!e.isObject()) {
                throw new ReceiptException(file, p + ": expected an object, was " + kind(e));
            }
            out.add(new ReceiptFields(file, e, p));
        }
        return out;
    }

    /** A map of string values (a phase's outputs). */
    java.util.SortedMap<String, String> strings(String field) throws ReceiptException {
        ReceiptFields o = object(field);
        java.util.SortedMap<String, String> out = new java.util.TreeMap<>();
        for (String k : o.node().propertyNames()) {
            out.put(k, o.text(k));
        }
        return out;
    }

    private JsonNode present(String field) throws ReceiptException {
        JsonNode n = node.get(field);
        if (n == null) {
            throw new ReceiptException(file, "missing field " + path(field));
        }
        return n;
    }

    private ReceiptException wrong(String field, String expected, JsonNode was) {
        return new ReceiptException(file, path(field) + ": expected " + expected + ", was " + kind(was));
    }

    private String path(String field) {
        return at.isEmpty() ? field : at + "." + field;
    }

    private static String kind(JsonNode n) {
        if (n.isNull()) {
            return "null";
        }
        if (n.isString()) {
            return "the string '" + n.asString() + "'";
        }
        if (n.isNumber() || n.isBoolean()) {
            return n.toString();
        }
        return n.isArray() ? "an array" : "an object";
    }
}
