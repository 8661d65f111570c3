package dev.dr.report;

import java.nio.file.Path;

/**
 * A receipt that is missing or cannot be read as a receipt: names the file and, where there is one,
 * the field, and says what was expected.
 */
public final class ReceiptException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String problem;

    public ReceiptException(Path file, String problem) {
        this(file, problem, null);
    }

    public ReceiptException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** The file (or folder) at fault. */
    public Path file() {
        return file;
    }

    /** What is wrong with it, without the file's name. */
    public String problem() {
        return problem;
    }
}
