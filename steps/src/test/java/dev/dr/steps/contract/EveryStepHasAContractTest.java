package dev.dr.steps.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.step.Step;
import dev.dr.step.kit.StepContract;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every built-in step runs the step contract: for each dr step (dev.dr.steps.*) in
 * META-INF/services/dev.dr.step.Step, a concrete StepContract test (named {@code *ContractTest})
 * among these test classes tests an instance of it.
 */
class EveryStepHasAContractTest {

    @Test
    void everyRegisteredStepHasAContractTest() throws Exception {
        Set<String> registered = new TreeSet<>();
        // dr's own: the tests register steps of their own too (dev.dr.engine.TestSteps)
        for (URL services : Collections.list(Step.class.getClassLoader().getResources("META-INF/services/dev.dr.step.Step"))) {
            try (InputStream in = services.openStream()) {
                Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")).map(String::strip)
                        .filter(l -> l.startsWith("dev.dr.steps.")).forEach(registered::add);
            }
        }
        assertThat(registered).as("steps registered").hasSizeGreaterThan(10);

        Path classes = Path.of(getClass().getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> tested = new TreeSet<>();
        try (Stream<Path> all = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) all.filter(p -> p.getFileName().toString().endsWith("ContractTest.class"))::iterator) {
                String name = classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name);
                if (StepContract.class.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers())) {
                    tested.add(stepOf(c).getClass().getName());
                }
            }
        }
        assertThat(tested).as("steps some *ContractTest extending StepContract tests").containsAll(registered);
    }

    /** The step a contract test tests: what its step() makes, as ServiceLoader would. */
    private static Step stepOf(Class<?> test) throws Exception {
        Constructor<?> make = test.getDeclaredConstructor();
        make.setAccessible(true);
        Method step = StepContract.class.getDeclaredMethod("step");
        step.setAccessible(true);
        return (Step) step.invoke(make.newInstance());
    }
}
