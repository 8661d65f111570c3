package dev.dr.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.dr.catalog.StepCatalog;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/plan-reference.md and docs/steps.md are generated: each committed page must be exactly
 * what {@code dr docs} makes of today's schema, steps, plans and docs/src/. A schema field or a
 * step added without regenerating fails here, with the command that fixes it.
 */
class GeneratedDocsTest {

    static final Path PROJECT = YamlLanguageServerTest.PROJECT;

    /**
     * The steps dr ships: the test class path also holds the test steps (testing.*), whose
     * service file and declarations live in test-classes; hide those, as the jar of dr has none.
     */
    static StepCatalog shippedSteps() {
        ClassLoader parent = GeneratedDocsTest.class.getClassLoader();
        ClassLoader shipped = new ClassLoader(parent) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                List<URL> urls = Collections.list(super.getResources(name)).stream()
                        .filter(u -> !u.toString().contains("/test-classes/")).toList();
                return Collections.enumeration(urls);
            }
        };
        return StepCatalog.load(shipped);
    }

    static DocsGenerator generator(Path root) {
        return new DocsGenerator(root, shippedSteps(), s -> true);
    }

    @Test
    void theCommittedPagesAreCurrent() throws IOException {
        Map<String, String> pages = generator(PROJECT).generate();
        assertThat(pages.keySet()).containsExactly("plan-reference.md", "steps.md");
        for (Map.Entry<String, String> e : pages.entrySet()) {
            Path file = PROJECT.resolve("docs").resolve(e.getKey());
            String committed = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            if (!committed.equals(e.getValue())) {
                Path fresh = PROJECT.resolve("target/generated-docs").resolve(e.getKey());
                Files.createDirectories(fresh.getParent());
                Files.writeString(fresh, e.getValue(), StandardCharsets.UTF_8);
                fail("docs/" + e.getKey() + " is stale: run `" + DocsGenerator.COMMAND + "` and commit the result"
                        + " (first difference at line " + firstDifference(committed, e.getValue())
                        + "; the generated page is in " + PROJECT.relativize(fresh) + ")");
            }
        }
    }

    @Test
    void theTestStepsStayOutOfTheStepPage() {
        String steps = generator(PROJECT).generate("steps.md");
        assertThat(steps).doesNotContain("testing.").contains("## `terraform.apply`", "## `k8s.run-job`");
    }

    @Test
    void outputIsTheSameInEveryLocaleAndTimeZone() {
        Locale locale = Locale.getDefault();
        TimeZone zone = TimeZone.getDefault();
        Map<String, String> here = generator(PROJECT).generate();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
            assertThat(generator(PROJECT).generate()).isEqualTo(here);
        } finally {
            Locale.setDefault(locale);
            TimeZone.setDefault(zone);
        }
    }

    @Test
    void everyKeyOfTheSchemaHasARowAndEveryStepASection() {
        String reference = generator(PROJECT).generate("plan-reference.md");
        for (String key : List.of("`apiVersion`", "`startAt`", "`validateJob.requests`", "`backoff.initial`",
                "`ticketRequired`", "`environment`")) {
            assertThat(reference).containsPattern("(?m)^\\| " + java.util.regex.Pattern.quote(key) + " \\|");
        }
        String steps = generator(PROJECT).generate("steps.md");
        for (String name : shippedSteps().names()) {
            assertThat(steps).contains("## `" + name + "`");
        }
    }

    // ------------------------------------------------------------------ bad sources

    /** A copy of the sources of the pages, to break one at a time. */
    static Path copy(Path dir) throws IOException {
        for (String rel : List.of("schema/drill-plan.schema.json", "docs/src/plan-reference.md",
                "docs/src/plan-reference.keys.yaml", "docs/src/steps.md", "plans/base/drill.yaml")) {
            Path to = dir.resolve(rel);
            Files.createDirectories(to.getParent());
            Files.copy(PROJECT.resolve(rel), to);
        }
        Files.createDirectories(dir.resolve("docs/src/steps"));
        return dir;
    }

    @Test
    void aNewSchemaKeyAppearsInItsTable(@TempDir Path dir) throws IOException {
        Path root = copy(dir);
        Path schema = root.resolve("schema/drill-plan.schema.json");
        Files.writeString(schema, Files.readString(schema).replace("\"receiptDir\": {",
                "\"keepGoing\": {\"description\": \"Run on after a failed phase.\", \"type\": \"boolean\"},\n"
                        + "        \"receiptDir\": {"));
        assertThat(generator(root).generate("plan-reference.md"))
                .contains("| `keepGoing` | boolean | — | — | Run on after a failed phase. |");
    }

    @Test
    void aNewTopLevelSectionGetsATableOfItsOwn(@TempDir Path dir) throws IOException {
        Path root = copy(dir);
        Path schema = root.resolve("schema/drill-plan.schema.json");
        Files.writeString(schema, Files.readString(schema).replace("\"phases\": {\n      \"description\": \"The phases",
                "\"notify\": {\"description\": \"Who hears of a run.\", \"type\": \"object\", \"additionalProperties\": false,"
                        + " \"properties\": {\"channel\": {\"description\": \"Slack channel.\", \"type\": \"string\"}}},\n"
                        + "    \"phases\": {\n      \"description\": \"The phases"));
        assertThat(generator(root).generate("plan-reference.md"))
                .contains("### `notify`\n\n| Key | Type | Default | Runbook | Description |")
                .contains("| `channel` | string | — | — | Slack channel. |");
    }

    @Test
    void aNoteForAKeyTheSchemaDoesNotHaveIsRefusedWithItsLine(@TempDir Path dir) throws IOException {
        Path root = copy(dir);
        Path notes = root.resolve("docs/src/plan-reference.keys.yaml");
        Files.writeString(notes, Files.readString(notes) + "run.stopAftr:\n  runbook: '`--stop-after`'\n");
        int line = (int) Files.readString(notes).lines().count() - 1;
        assertThatThrownBy(() -> generator(root).generate("plan-reference.md")).isInstanceOf(DocsSourceException.class)
                .hasMessage("docs/src/plan-reference.keys.yaml:" + line + ":1: 'run.stopAftr' is not a row of the"
                        + " generated key tables (the schema has no such key)");
    }

    @Test
    void anUnknownGeneratorIsRefusedWithItsLine(@TempDir Path dir) throws IOException {
        Path root = copy(dir);
        Path template = root.resolve("docs/src/steps.md");
        Files.writeString(template, "# Steps\n\n<!-- generate: step-table -->\n");
        assertThatThrownBy(() -> generator(root).generate("steps.md")).isInstanceOf(DocsSourceException.class)
                .hasMessage("docs/src/steps.md:3: unknown generator 'step-table'; expected one of steps, steps-table");
    }

    @Test
    void aTableForAKeyThatIsNotAnObjectIsRefused(@TempDir Path dir) throws IOException {
        Path root = copy(dir);
        Path template = root.resolve("docs/src/plan-reference.md");
        Files.writeString(template, "# Plan reference\n\n<!-- generate: keys kind -->\n");
        assertThatThrownBy(() -> generator(root).generate("plan-reference.md")).isInstanceOf(DocsSourceException.class)
                .hasMessage("docs/src/plan-reference.md:3: 'kind' is not an object with properties in the schema");
    }

    @Test
    void proseForAStepTheCatalogLacksIsRefused(@TempDir Path dir) throws IOException {
        Path root = copy(dir);
        Files.writeString(root.resolve("docs/src/steps/k8s.run-jobs.md"), "**Implemented.** Runs a Job.\n");
        assertThatThrownBy(() -> generator(root).generate("steps.md")).isInstanceOf(DocsSourceException.class)
                .hasMessage("docs/src/steps/k8s.run-jobs.md: no step named 'k8s.run-jobs' in the catalog (dr steps lists"
                        + " them); rename or delete the file");
    }

    private static int firstDifference(String a, String b) {
        List<String> x = a.lines().toList();
        List<String> y = b.lines().toList();
        int i = 0;
        while (i < x.size() && i < y.size() && x.get(i).equals(y.get(i))) {
            i++;
        }
        return i + 1;
    }
}
