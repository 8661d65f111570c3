package dev.dr.source;

/** Positions of one node: its key (for a map entry) and its value. */
public record Located(SourcePos key, SourcePos value) {
    public Located {
        if (value == null) {
            throw new IllegalArgumentException("value position must be set");
        }
        if (key == null) {
            key = value;
        }
    }
}
