package dev.dr.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.testing.MissingTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Editors: every plan names its schema in a {@code # yaml-language-server: $schema=...} header,
 * and the YAML language server (the one VS Code, Neovim and IntelliJ use) loads the schema
 * from that relative path and accepts the plan. So that a server which never found the schema
 * cannot pass, each plan must also show the schema's description on hover, and a deliberately
 * invalid plan must get exactly its expected errors.
 */
class YamlLanguageServerTest {

    static final Path PROJECT = Path.of(System.getProperty("dr.projectDir", ".")).toAbsolutePath().normalize();
    static final Path SCHEMA = PROJECT.resolve("schema/drill-plan.schema.json");
    static final String INSTALL = "npm install --prefix target/node yaml-language-server@2";
    static final Path NPM = Path.of(System.getProperty("dr.npmDir", PROJECT.resolve("target/node").toString()));
    static final Path SERVER = NPM.resolve("node_modules/.bin/yaml-language-server");
    static final Path INVALID = PROJECT.resolve("app/src/test/resources/editor/invalid-plan.yaml");

    private static final Pattern HEADER = Pattern.compile("^\uFEFF?# yaml-language-server: \\$schema=(\\S+)$");
    // generous: two cores shared with other builds, and node starts slowly there
    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    /** Every plan of the project: plans/, the plans among examples/, and the valid fixtures. */
    static List<Path> plans() {
        List<Path> out = new ArrayList<>();
        out.addAll(yamlFiles(PROJECT.resolve("plans")));
        for (Path p : yamlFiles(PROJECT.resolve("examples"))) {
            if (text(p).lines().anyMatch(l -> l.equals("kind: DrillPlan"))) {
                out.add(p);
            }
        }
        out.addAll(yamlFiles(PROJECT.resolve("app/src/test/resources/fixtures/valid")));
        return out;
    }

    @Test
    void everyPlanStartsWithTheSchemaHeaderAndItsPathResolves() {
        List<Path> plans = plans();
        assertThat(plans).hasSizeGreaterThan(20);
        SoftAssertions soft = new SoftAssertions();
        for (Path p : plans) {
            String first = text(p).lines().findFirst().orElse("");
            Matcher m = HEADER.matcher(first);
            String expected = p.getParent().relativize(SCHEMA).toString().replace('\\', '/');
            if (!m.matches()) {
                soft.fail("%s: line 1 must be '# yaml-language-server: $schema=%s', was '%s'", rel(p), expected, first);
            } else {
                soft.assertThat(m.group(1)).as("%s: the $schema path of the header", rel(p)).isEqualTo(expected);
            }
        }
        soft.assertAll();
    }

    @Test
    void theLanguageServerAcceptsEveryPlanAndFlagsTheInvalidOne() throws Exception {
        if (!Files.isExecutable(SERVER)) {
            String missing = "yaml-language-server is not installed at " + SERVER + "; run `" + INSTALL + "` in " + PROJECT;
            throw MissingTool.skipOrFail(missing);
        }
        Path log = PROJECT.resolve("target/yaml-language-server/stderr.txt");
        Files.createDirectories(log.getParent());
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode settings = f.objectNode().put("validate", true).put("hover", true).put("completion", true);
        // no schema catalog: the test runs offline, and only the header may pick the schema
        settings.putObject("schemaStore").put("enable", false);
        settings.putObject("format").put("enable", false);

        try (LspClient server = new LspClient(List.of(SERVER.toString(), "--stdio"), log, settings)) {
            ObjectNode init = f.objectNode();
            init.putNull("processId");
            init.put("rootUri", PROJECT.toUri().toString());
            ObjectNode caps = init.putObject("capabilities");
            caps.putObject("workspace").put("configuration", true);
            caps.putObject("textDocument").putObject("hover").putArray("contentFormat").add("markdown").add("plaintext");
            server.request("initialize", init, TIMEOUT);
            server.notify("initialized", f.objectNode());
            ObjectNode change = f.objectNode();
            change.putObject("settings").set("yaml", settings);
            server.notify("workspace/didChangeConfiguration", change);

            List<Path> plans = plans();
            List<Path> all = new ArrayList<>(plans);
            all.add(INVALID);
            for (Path p : all) {
                ObjectNode open = f.objectNode();
                ObjectNode doc = open.putObject("textDocument");
                doc.put("uri", p.toUri().toString()).put("languageId", "yaml").put("version", 1).put("text", text(p));
                server.notify("textDocument/didOpen", open);
            }

            SoftAssertions soft = new SoftAssertions();
            for (Path p : plans) {
                List<JsonNode> diagnostics = server.diagnostics(p.toUri().toString(), TIMEOUT);
                soft.assertThat(diagnostics.stream().map(YamlLanguageServerTest::describe).toList())
                        .as("diagnostics of %s", rel(p)).isEmpty();
                soft.assertThat(hoverOnKind(server, p)).as("hover on 'kind' in %s (the schema's description)", rel(p))
                        .contains("Kind of document. Always DrillPlan.");
            }
            List<String> invalid = server.diagnostics(INVALID.toUri().toString(), TIMEOUT).stream()
                    .map(YamlLanguageServerTest::describe).sorted().toList();
            String schemaSource = "yaml-schema: dr drill plan";
            soft.assertThat(invalid).as("diagnostics of %s", rel(INVALID)).containsExactly(
                    "10:3 error " + schemaSource + ": Property stopAftr is not allowed.",
                    "11:12 error " + schemaSource + ": Value is not accepted. Valid values: \"bringup\", \"restore\","
                            + " \"validate\", \"promote\", \"teardown\", \"failback\", \"publish-bundle\".",
                    "13:17 error " + schemaSource + ": String does not match the pattern of"
                            + " \"^(?:t4g\\.(?:nano|micro|small|medium|large|xlarge|2xlarge)|\\$\\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\\})$\".",
                    "16:18 error " + schemaSource + ": Value is above the maximum of 10.");
            soft.assertAll();
        }
    }

    /** The hover text at the key {@code kind} of a plan: the schema's description of it. */
    private static String hoverOnKind(LspClient server, Path plan) throws Exception {
        List<String> lines = text(plan).lines().toList();
        int line = lines.indexOf("kind: DrillPlan");
        assertThat(line).as("%s has a line 'kind: DrillPlan'", rel(plan)).isNotNegative();
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.putObject("textDocument").put("uri", plan.toUri().toString());
        params.putObject("position").put("line", line).put("character", 1);
        JsonNode hover = server.request("textDocument/hover", params, TIMEOUT);
        return hover.path("contents").path("value").asString("");
    }

    /** A diagnostic as {@code line:column severity source: message}, 1-based as the loader's. */
    private static String describe(JsonNode d) {
        JsonNode start = d.path("range").path("start");
        String severity = switch (d.path("severity").asInt(1)) {
            case 1 -> "error";
            case 2 -> "warning";
            case 3 -> "information";
            default -> "hint";
        };
        return (start.path("line").asInt() + 1) + ":" + (start.path("character").asInt() + 1) + " " + severity + " "
                + d.path("source").asString("") + ": " + d.path("message").asString("");
    }

    private static List<Path> yamlFiles(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String rel(Path p) {
        return PROJECT.relativize(p).toString();
    }
}
