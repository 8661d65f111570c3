package dev.dr.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.cli.CliProcess;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** examples/custom-step: built into its own jar, put on dr's class path, listed, previewed and applied. */
class CustomStepExampleTest {

    static final Path ROOT = Path.of(System.getProperty("dr.projectDir", ".")).toAbsolutePath();
    static final Path EXAMPLE = ROOT.resolve("examples/custom-step");

    @TempDir
    Path tmp;

    @Test
    void aThirdPartyJarAddsAStepThatPlansCanUse() throws Exception {
        Path jar = buildJar();

        CliProcess.Result steps = dr(jar, Map.of(), "steps");
        assertThat(steps.out()).contains("acme.append-line").contains("Append a line to a file");

        CliProcess.Result preview = dr(jar, Map.of("JOURNAL", tmp.resolve("journal.txt").toString()), "examples/custom-step/plan.yaml");
        assertThat(preview.exit()).as(preview.err()).isZero();
        assertThat(preview.out()).contains("+ acme.append-line  preview: exact").contains("~ update file " + tmp.resolve("journal.txt"));

        CliProcess.Result apply = dr(jar, Map.of("JOURNAL", tmp.resolve("journal.txt").toString(),
                "RECEIPT_DIR", tmp.resolve("receipts").toString(), "DR_LOCK_DIR", tmp.resolve("locks").toString()),
                "apply", "examples/custom-step/plan.yaml", "--yes");
        assertThat(apply.exit()).as(apply.err()).isZero();
        assertThat(Files.readString(tmp.resolve("journal.txt"))).isEqualTo("validated jobintel\n");
    }

    @Test
    void withoutTheJarThePlanIsRefusedWithTheStepsName() throws Exception {
        CliProcess.Result r = dr(null, Map.of(), "examples/custom-step/plan.yaml");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no step named 'acme.append-line'");
    }

    @Test
    void theExamplesContractTestPassesAndCatchesAStepThatIsNotRegistered() throws Exception {
        Path classes = compile(EXAMPLE.resolve("src/acme/AppendLineStep.java"),
                EXAMPLE.resolve("test/acme/AppendLineStepContractTest.java"));
        Path services = tmp.resolve("services");
        copy(EXAMPLE.resolve("META-INF"), services.resolve("META-INF"));

        ProcessResult passed = contract(classes + File.pathSeparator + services);
        assertThat(passed.exit()).as(passed.out()).isZero();
        assertThat(passed.out()).contains("5 tests successful").contains("0 tests failed");

        ProcessResult unregistered = contract(classes.toString());
        assertThat(unregistered.exit()).as(unregistered.out()).isEqualTo(1);
        assertThat(unregistered.out()).contains("a META-INF/services/dev.dr.step.Step entry for acme.append-line");
    }

    record ProcessResult(int exit, String out) {}

    /** The example's contract test run as a step author runs it: its classes and dr's test kit on one class path. */
    private ProcessResult contract(String stepClasspath) throws Exception {
        String kit = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                stepClasspath + File.pathSeparator + kit, "dev.dr.step.kit.RunContract", "acme.AppendLineStepContractTest")
                .directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        return new ProcessResult(p.waitFor(), out);
    }

    private Path compile(Path... sources) throws IOException {
        Path classes = Files.createDirectories(tmp.resolve("contract-classes"));
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> args = new java.util.ArrayList<>(List.of("-d", classes.toString(), "-cp", cp));
        for (Path s : sources) {
            args.add(s.toString());
        }
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new));
        assertThat(rc).as("javac of the example and its contract test").isZero();
        return classes;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.sorted().toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private Path buildJar() throws IOException {
        Path classes = tmp.resolve("classes");
        Files.createDirectories(classes);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), "-cp", classpath(),
                EXAMPLE.resolve("src/acme/AppendLineStep.java").toString());
        assertThat(rc).as("javac of the example").isZero();
        Path jar = tmp.resolve("acme-steps.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            add(out, classes, classes);
            add(out, EXAMPLE, EXAMPLE.resolve("META-INF"));
        }
        return jar;
    }

    private static void add(JarOutputStream out, Path base, Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(base.relativize(p).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(p));
                out.closeEntry();
            }
        }
    }

    private static String classpath() throws IOException {
        return dev.dr.cli.CliProcess.classpath(dev.dr.cli.CliProcess.classesDir());
    }

    /** dr as its own process, with {@code extra} (the step's jar) on its class path when given. */
    private static CliProcess.Result dr(Path extra, Map<String, String> env, String... args) throws Exception {
        Path classes = extra == null ? CliProcess.classesDir()
                : Path.of(CliProcess.classesDir() + File.pathSeparator + extra);
        return CliProcess.run(classes, env, List.of(), args);
    }
}
