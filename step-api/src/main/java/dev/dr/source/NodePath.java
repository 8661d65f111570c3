package dev.dr.source;

import java.util.ArrayList;
import java.util.List;

/**
 * A path into a plan document: {@code run.startAt}, {@code phases[2].steps[0].with.name}.
 * Used both as a key of the position table and in every message, so users see the same
 * spelling everywhere.
 */
public record NodePath(List<Object> segments) implements Comparable<NodePath> {

    public static final NodePath ROOT = new NodePath(List.of());

    public NodePath {
        segments = List.copyOf(segments);
        for (Object s : segments) {
            if (!(s instanceof String) && !(s instanceof Integer)) {
                throw new IllegalArgumentException("segment must be a String or an Integer, was " + s);
            }
        }
    }

    // Written out, not generated: a record's own equals and hashCode are bootstrapped through
    // method handles on first use, which spins some ten classes in every dr process (the
    // start-up cache does not keep them), and a path is the key of every position table.
    @Override
    public boolean equals(Object o) {
        return o instanceof NodePath p && segments.equals(p.segments);
    }

    @Override
    public int hashCode() {
        return segments.hashCode();
    }

    public static NodePath of(Object... segments) {
        return new NodePath(List.of(segments));
    }

    /** Parses the dotted form, e.g. {@code sizing.validateJob.limits.cpu} (no indices). */
    public static NodePath parse(String dotted) {
        if (dotted.isEmpty()) {
            return ROOT;
        }
        List<Object> segs = new ArrayList<>();
        for (String s : dotted.split("\\.")) {
            segs.add(s);
        }
        return new NodePath(segs);
    }

    public NodePath child(String key) {
        List<Object> segs = new ArrayList<>(segments);
        segs.add(key);
        return new NodePath(segs);
    }

    public NodePath child(int index) {
        List<Object> segs = new ArrayList<>(segments);
        segs.add(index);
        return new NodePath(segs);
    }

    public boolean isRoot() {
        return segments.isEmpty();
    }

    public NodePath parent() {
        return isRoot() ? this : new NodePath(segments.subList(0, segments.size() - 1));
    }

    public Object last() {
        return segments.isEmpty() ? null : segments.get(segments.size() - 1);
    }

    public boolean startsWith(NodePath prefix) {
        return segments.size() >= prefix.segments.size()
                && segments.subList(0, prefix.segments.size()).equals(prefix.segments);
    }

    /** Replaces the prefix {@code from} by {@code to}; the caller checks {@link #startsWith}. */
    public NodePath rebase(NodePath from, NodePath to) {
        List<Object> segs = new ArrayList<>(to.segments);
        segs.addAll(segments.subList(from.segments.size(), segments.size()));
        return new NodePath(segs);
    }

    @Override
    public String toString() {
        if (segments.isEmpty()) {
            return "(plan)";
        }
        StringBuilder sb = new StringBuilder();
        for (Object s : segments) {
            if (s instanceof Integer i) {
                sb.append('[').append(i).append(']');
            } else {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(s);
            }
        }
        return sb.toString();
    }

    @Override
    public int compareTo(NodePath o) {
        int n = Math.min(segments.size(), o.segments.size());
        for (int i = 0; i < n; i++) {
            Object a = segments.get(i);
            Object b = o.segments.get(i);
            int c;
            if (a instanceof Integer x && b instanceof Integer y) {
                c = Integer.compare(x, y);
            } else {
                c = a.toString().compareTo(b.toString());
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(segments.size(), o.segments.size());
    }
}
