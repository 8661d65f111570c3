package dev.dr.steps.archive;

import java.io.IOException;

/**
 * An archive refused: the message names the entry and the rule broken, e.g.
 * {@code "entry ../x: path escapes the destination"}. Retrying cannot help, unlike other
 * {@link IOException}s (a full disk, a dropped connection).
 */
public final class ArchiveRefused extends IOException {
    public ArchiveRefused(String message) {
        super(message);
    }
}
