package dev.dr.source;

import dev.dr.source.NodePath;
import dev.dr.source.SourcePos;

/**
 * One thing wrong with a plan, in the form every message of dr takes:
 * {@code file:line:column: path: message}.
 */
public record Problem(Kind kind, Severity severity, SourcePos pos, NodePath path, String message)
        implements Comparable<Problem> {

    /** Which layer found it; ajv agrees with networknt exactly on the SCHEMA ones. */
    public enum Kind { YAML, SCHEMA, SEMANTIC, GUARD }

    public enum Severity { ERROR, WARNING }

    public Problem {
        if (pos == null || path == null || message == null || kind == null || severity == null) {
            throw new IllegalArgumentException("every field of a problem must be set");
        }
    }

    public static Problem error(Kind kind, SourcePos pos, NodePath path, String message) {
        return new Problem(kind, Severity.ERROR, pos, path, message);
    }

    public static Problem warning(Kind kind, SourcePos pos, NodePath path, String message) {
        return new Problem(kind, Severity.WARNING, pos, path, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return pos + ": " + (path.isRoot() ? "" : path + ": ")
                + (severity == Severity.WARNING ? "warning: " : "") + message;
    }

    @Override
    public int compareTo(Problem o) {
        int c = pos.file().compareTo(o.pos.file());
        if (c == 0) c = Integer.compare(pos.line(), o.pos.line());
        if (c == 0) c = Integer.compare(pos.column(), o.pos.column());
        if (c == 0) c = path.compareTo(o.path);
        if (c == 0) c = message.compareTo(o.message);
        return c;
    }
}
