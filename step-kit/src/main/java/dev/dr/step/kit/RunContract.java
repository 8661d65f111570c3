package dev.dr.step.kit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import java.util.Arrays;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs contract test classes by name, for a step built outside a Maven or Gradle project:
 * {@code java -cp STEP_AND_TEST_CLASSES:DR_TEST_CLASSPATH dev.dr.step.kit.RunContract acme.AppendLineStepContractTest}.
 * Prints JUnit's summary; exits 0 when at least one test ran and none failed, else 1.
 */
public final class RunContract {
    private RunContract() {}

    public static void main(String... classNames) {
        System.exit(run(new PrintWriter(System.out, true), classNames));
    }

    static int run(PrintWriter out, String... classNames) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(Arrays.stream(classNames).map(n -> selectClass(n)).toList()).build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        summary.printTo(out);
        summary.printFailuresTo(out, 20);
        out.flush();
        return summary.getTestsSucceededCount() > 0 && summary.getTotalFailureCount() == 0
                && summary.getTestsSucceededCount() == summary.getTestsFoundCount() ? 0 : 1;
    }
}
