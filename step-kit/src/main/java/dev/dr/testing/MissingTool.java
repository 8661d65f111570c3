package dev.dr.testing;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A tool a test runs that we did not write (an npm checker, kubectl, the aws CLI, a locale): when
 * it is missing, the test skips here with how to install it, and fails under {@code CI=true},
 * where .ci/run has installed it and a skip would hide that it was never run.
 */
public final class MissingTool {
    private MissingTool() {}

    /** Skips the calling test, or fails it on CI; never returns. */
    public static AssertionError skipOrFail(String missing) {
        return skipOrFail(missing, null);
    }

    /** The same, with what made the tool's absence known. */
    public static AssertionError skipOrFail(String missing, Throwable cause) {
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(missing, cause);
        }
        Assumptions.abort(missing);
        throw new AssertionError("unreachable: Assumptions.abort returned");
    }

    /** Whether {@code node} is on the PATH and runs. */
    public static boolean nodeRuns() throws InterruptedException {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
