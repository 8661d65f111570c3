package dev.dr.steps.backup;

import java.io.IOException;

/**
 * A backup that must not be restored: its metadata is invalid, an object is missing, or an
 * archive's bytes differ from what metadata.json says. Thrown before anything at the
 * destination changes; the message starts with the object it is about.
 */
public final class BackupRefused extends IOException {
    private static final long serialVersionUID = 1L;

    public BackupRefused(String message) {
        super(message);
    }

    public BackupRefused(String message, Throwable cause) {
        super(message, cause);
    }
}
