package dev.dr.step;

import dev.dr.step.ErrorClass;
import java.util.Objects;

/**
 * A classified failure of a step. The class decides whether the phase's retry budget may try
 * again ({@code retryOn}); the message goes into the receipt, so it must not hold secrets.
 */
public final class StepFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorClass errorClass;

    public StepFailure(ErrorClass errorClass, String message, Throwable cause) {
        super(message, cause);
        this.errorClass = Objects.requireNonNull(errorClass, "errorClass");
    }

    public StepFailure(ErrorClass errorClass, String message) {
        this(errorClass, message, null);
    }

    /** A failure no retry can mend. */
    public static StepFailure permanent(String message) {
        return new StepFailure(ErrorClass.PERMANENT, message);
    }

    public ErrorClass errorClass() {
        return errorClass;
    }
}
