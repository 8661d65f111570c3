package dev.dr.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
        String cp = classpath() + File.pathSeparator + jar;

        Result steps = dr(cp, Map.of(), "steps");
        assertThat(steps.out()).contains("acme.append-line").contains("Append a line to a file");

        Result preview = dr(cp, Map.of("JOURNAL", tmp.resolve("journal.txt").toString()), "examples/custom-step/plan.yaml");
        assertThat(preview.exit()).as(preview.err()).isZero();
        assertThat(preview.out()).contains("+ acme.append-line  preview: exact").contains("~ update file " + tmp.resolve("journal.txt"));

        Result apply = dr(cp, Map.of("JOURNAL", tmp.resolve("journal.txt").toString(),
                "RECEIPT_DIR", tmp.resolve("receipts").toString(), "DR_LOCK_DIR", tmp.resolve("locks").toString()),
                "apply", "examples/custom-step/plan.yaml", "--yes");
        assertThat(apply.exit()).as(apply.err()).isZero();
        assertThat(Files.readString(tmp.resolve("journal.txt"))).isEqualTo("validated jobintel\n");
    }

    @Test
    void withoutTheJarThePlanIsRefusedWithTheStepsName() throws Exception {
        Result r = dr(classpath(), Map.of(), "examples/custom-step/plan.yaml");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no step named 'acme.append-line'");
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

    record Result(int exit, String out, String err) {}

    private Result dr(String cp, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", cp, "dev.dr.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile())
                .redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(tmp.resolve("err.txt").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Result(p.exitValue(), Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(tmp.resolve("err.txt"), StandardCharsets.UTF_8));
    }
}
