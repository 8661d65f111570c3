package dev.dr.source;

/**
 * Where a value of a plan came from: a file (as the user named it, or relative to the
 * working directory) and a 1-based line and column. Command-line overrides have no line.
 */
public record SourcePos(String file, int line, int column) {

    public static final String COMMAND_LINE = "<command line>";

    public SourcePos {
        if (file == null || file.isEmpty()) {
            throw new IllegalArgumentException("file must not be empty");
        }
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line and column must be >= 0, were " + line + ":" + column);
        }
    }

    public static SourcePos commandLine() {
        return new SourcePos(COMMAND_LINE, 0, 0);
    }

    public static SourcePos startOf(String file) {
        return new SourcePos(file, 1, 1);
    }

    /** {@code file:line:column}, or just the file when there is no line. */
    @Override
    public String toString() {
        return line == 0 ? file : file + ":" + line + ":" + column;
    }
}
