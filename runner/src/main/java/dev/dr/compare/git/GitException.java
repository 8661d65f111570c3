package dev.dr.compare.git;

/** git could not give the old side: not a repository, an unknown revision, no git on PATH. */
public final class GitException extends Exception {
    public GitException(String message) {
        super(message);
    }
}
