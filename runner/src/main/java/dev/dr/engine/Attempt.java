package dev.dr.engine;

import java.time.Duration;
import java.time.Instant;

/**
 * One attempt of a phase: its steps in order, until one fails.
 *
 * @param step       the step that failed, or the last step when the attempt succeeded
 * @param errorClass the failure's class id, or null on success
 */
public record Attempt(int number, Status status, String step, String errorClass, String message,
                      Instant startedAt, Duration duration) {

    public enum Status { SUCCESS, FAILED, INTERRUPTED }
}
