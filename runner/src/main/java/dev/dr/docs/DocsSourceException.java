package dev.dr.docs;

/**
 * A source of the generated pages (a template, a partial, the key notes) is wrong. The message
 * starts with the file, and the line where there is one.
 */
public final class DocsSourceException extends RuntimeException {
    DocsSourceException(String message) {
        super(message);
    }
}
