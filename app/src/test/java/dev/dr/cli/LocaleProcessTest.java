package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.command.ExitCodes;
import dev.dr.sandbox.LocalS3;
import dev.dr.testing.MissingTool;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dr as its own process under the locales operators' machines have: C (most containers and CI
 * images, where Java 17's default charset is US-ASCII), C.UTF-8 and Turkish (dotless i, comma
 * decimals). Only the environment says which: no JVM option helps dr here. The plan-diff, the
 * rendered YAML, the receipts and the messages must be the same bytes in all three, and
 * {@code →} or {@code …} must never come out as {@code ?}.
 */
class LocaleProcessTest {

    static final List<String> LOCALES = List.of("C", "C.UTF-8", "tr_TR.UTF-8");

    /** A plan whose description and an input carry characters outside ASCII, shown by the plan-diff. */
    static final String UNICODE_PLAN = "app/src/test/resources/cli/unicode-test.yaml";

    @TempDir
    Path tmp;

    @BeforeAll
    static void turkishLocaleInstalled() throws Exception {
        Process p = new ProcessBuilder("locale", "-a").redirectErrorStream(true).start();
        String all = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT);
        p.waitFor();
        if (!all.contains("tr_tr.utf8")) {
            String missing = "the tr_TR.UTF-8 locale is not installed here; .ci/run installs it"
                    + " (apt-get install locales && localedef -i tr_TR -f UTF-8 tr_TR.UTF-8)";
            throw MissingTool.skipOrFail(missing);
        }
    }

    static Map<String, String> env(String locale, Map<String, String> more) {
        Map<String, String> env = new LinkedHashMap<>(more);
        env.put("LANG", locale);
        env.put("LC_ALL", locale);
        return env;
    }

    /** Runs dr under each locale and returns the results, keyed by locale. */
    static Map<String, CliProcess.Result> underEachLocale(Path classes, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        Map<String, CliProcess.Result> results = new LinkedHashMap<>();
        for (String locale : LOCALES) {
            results.put(locale, CliProcess.run(classes, env(locale, env), List.of(), args));
        }
        return results;
    }

    @Test
    void planDiffIsTheGoldenFileInEveryLocale() throws Exception {
        for (String format : List.of("text", "markdown", "json")) {
            Path golden = CliProcess.projectDir().resolve("app/src/test/resources/golden/full-drill."
                    + Map.of("text", "txt", "markdown", "md", "json", "json").get(format));
            underEachLocale(CliProcess.classesDir(), Map.of(), "plan", "plans/full-drill.yaml", "--format", format)
                    .forEach((locale, r) -> {
                        assertThat(r.exit()).as("exit under %s; stderr %s", locale, r.err()).isZero();
                        try {
                            assertThat(r.out()).as("full-drill as %s under LC_ALL=%s", format, locale)
                                    .isEqualTo(Goldens.read(golden));
                        } catch (IOException e) {
                            throw new AssertionError(e);
                        }
                    });
        }
    }

    @Test
    void charactersOutsideAsciiSurviveStdoutInEveryLocale() throws Exception {
        Map<String, CliProcess.Result> results = underEachLocale(withTestSteps(), Map.of(), "plan", UNICODE_PLAN);
        results.forEach((locale, r) -> {
            assertThat(r.exit()).as("exit under %s; stderr %s", locale, r.err()).isZero();
            assertThat(r.out()).as("stdout under %s", locale)
                    .contains("Übung → Wiederherstellung … prüfen").contains("İstanbul ıi").doesNotContain("\uFFFD");
        });
        assertThat(results.values().stream().map(CliProcess.Result::out).distinct()).as("the same bytes in every locale")
                .hasSize(1);
    }

    @Test
    void messagesAreTheSameBytesInEveryLocale() throws Exception {
        // An invalid plan: every problem, with file:line:column and the field, on stderr.
        Map<String, CliProcess.Result> results = underEachLocale(CliProcess.classesDir(), Map.of(),
                "plan", "app/src/test/resources/cli/unicode-invalid.yaml");
        results.forEach((locale, r) -> {
            assertThat(r.exit()).as("exit under %s", locale).isEqualTo(ExitCodes.INVALID);
            assertThat(r.err()).as("stderr under %s", locale).contains("unicode-invalid.yaml:").contains("'„Ölçüm“'")
                    .contains("'İnceleme'").doesNotContain("\uFFFD");
        });
        assertThat(results.values().stream().map(CliProcess.Result::err).distinct()).as("the same bytes in every locale")
                .hasSize(1);
    }

    @Test
    void argumentsOutsideAsciiReachDrWhole() throws Exception {
        Map<String, CliProcess.Result> results = underEachLocale(CliProcess.classesDir(), Map.of(),
                "plan", "plans/validate-only.yaml", "--format", "Ölçüm");
        results.forEach((locale, r) -> {
            assertThat(r.exit()).as("exit under %s", locale).isEqualTo(ExitCodes.INVALID);
            assertThat(r.err()).as("stderr under %s", locale).contains("but was 'Ölçüm'");
        });
        assertThat(results.values().stream().map(CliProcess.Result::err).distinct()).as("the same bytes in every locale")
                .hasSize(1);
    }

    @Test
    void aFileNameJavaCannotReadUnderTheLocaleIsAClearRefusal() throws Exception {
        CliProcess.Result c = CliProcess.run(CliProcess.classesDir(), env("C", Map.of()), List.of(), "plan", "Übung.yaml");
        assertThat(c.exit()).as(c.err()).isEqualTo(ExitCodes.INVALID);
        assertThat(c.err()).startsWith("dr: cannot use the file name 'Übung.yaml' under this locale's charset")
                .contains("run dr under a UTF-8 locale, e.g. LC_ALL=C.UTF-8").doesNotContain("internal error");
        CliProcess.Result utf8 = CliProcess.run(CliProcess.classesDir(), env("C.UTF-8", Map.of()), List.of(), "plan", "Übung.yaml");
        assertThat(utf8.exit()).as(utf8.err()).isEqualTo(ExitCodes.INVALID);
        assertThat(utf8.err()).contains("Übung.yaml").contains("file not found");
    }

    @Test
    void renderedConfigMapsAreTheSameBytesInEveryLocale() throws Exception {
        Path source = tmp.resolve("primary");
        for (String rel : List.of("candidates/boards.yaml", "alerts/rules.yaml", "providers/providers.json")) {
            Files.createDirectories(source.resolve(rel).getParent());
            Files.writeString(source.resolve(rel), "{}\n", StandardCharsets.UTF_8);
        }
        Files.createDirectories(source.resolve("scoring"));
        Files.writeString(source.resolve("scoring/weights.yaml"), "# Zürich → İstanbul …\ntitle: 0.4\n", StandardCharsets.UTF_8);
        String bundleDir;
        try (LocalS3 s3 = LocalS3.start(null)) {
            s3.createBucket("artifacts");
            List<String> where = List.of("--bucket", "artifacts", "--endpoint-url", s3.endpoint().toString(),
                    "--no-sign-request", "--region", "us-east-1");
            DrRun published = DrRun.in(tmp, Map.of(), concat(List.of("bundle", "publish", "--source", "primary",
                    "--image-ref-digest", "r@sha256:" + "d".repeat(64), "--git-sha", "0".repeat(40)), where));
            assertThat(published.exit()).as(published.err()).isZero();
            DrRun fetched = DrRun.in(tmp, Map.of(), concat(List.of("bundle", "fetch", "--dest-dir", "fetched"), where));
            assertThat(fetched.exit()).as(fetched.err()).isZero();
            bundleDir = tmp.resolve("fetched/bundle/control-plane").toString();
        }
        Map<String, CliProcess.Result> results = underEachLocale(CliProcess.classesDir(), Map.of(),
                "bundle", "render", "--bundle-dir", bundleDir, "--namespace", "jobintel");
        results.forEach((locale, r) -> assertThat(r.exit()).as("exit under %s; stderr %s", locale, r.err()).isZero());
        assertThat(results.values().iterator().next().out()).contains("kind: ConfigMap").contains("Zürich → İstanbul …");
        assertThat(results.values().stream().map(CliProcess.Result::out).distinct()).as("the same bytes in every locale")
                .hasSize(1);
    }

    /** dr's classes and the test steps (testing.ok, testing.flaky) that the unicode plan uses. */
    private static Path withTestSteps() {
        return Path.of(CliProcess.classesDir() + File.pathSeparator + CliProcess.projectDir().resolve("app/target/test-classes"));
    }

    private static String[] concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toArray(String[]::new);
    }

    @Test
    void receiptsAreTheSameInEveryLocale() throws Exception {
        Path classes = withTestSteps();
        Map<String, Map<String, String>> receipts = new TreeMap<>();
        for (String locale : LOCALES) {
            // The same folder for each run (it is part of the plan, so of its digest), moved aside after.
            Path dir = tmp.resolve("receipts");
            CliProcess.Result r = CliProcess.run(classes, env(locale, Map.of("RECEIPT_DIR", dir.toString(),
                    "DR_LOCK_DIR", tmp.resolve("locks").toString(), "RUN_ID", "locale-run", "DR_OPERATOR", "Işıl",
                    "FAIL_WITH", "image-pull-auth")), List.of(), "apply", UNICODE_PLAN, "--yes");
            assertThat(r.exit()).as("exit under %s; stderr %s", locale, r.err()).isZero();
            receipts.put(locale, readAll(dir, dir.toString()));
            Files.move(dir, tmp.resolve("receipts-" + LOCALES.indexOf(locale)));
        }
        Map<String, String> first = receipts.get("C");
        assertThat(first).as("receipts written").isNotEmpty();
        assertThat(String.join("", first.values())).contains("\"Işıl\"").contains("İstanbul ıi").doesNotContain("\uFFFD");
        receipts.forEach((locale, files) -> assertThat(files).as("receipts under %s", locale).isEqualTo(first));
    }

    /** Every file under {@code dir} by relative path, with the folder, times and durations masked. */
    private static Map<String, String> readAll(Path dir, String masked) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8).replace(masked, "<dir>")
                        .replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z", "<time>")
                        .replaceAll("(\"[a-zA-Z]*(?:[mM]illis|[dD]uration[a-zA-Z]*|[sS]econds)\"\\s*:\\s*)[0-9.]+", "$1<n>");
                files.put(dir.relativize(f).toString(), text);
            }
        }
        return files;
    }
}
