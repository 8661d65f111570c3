package dev.dr.source;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.node.ObjectNode;

/**
 * One parsed plan file: its tree and where every node of it stands in the file.
 *
 * @param path    the file on disk
 * @param display the file as messages name it
 */
public record SourceDoc(Path path, String display, ObjectNode root, Map<NodePath, Located> positions) {
    public SourceDoc {
        positions = java.util.Collections.unmodifiableMap(new TreeMap<>(positions));
    }

    public Located at(NodePath p) {
        NodePath q = p;
        while (true) {
            Located l = positions.get(q);
            if (l != null || q.isRoot()) {
                return l != null ? l : new Located(null, SourcePos.startOf(display));
            }
            q = q.parent();
        }
    }
}
