package dev.dr.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.plan.load.PlanLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The plan language as editors see it: every key described, every plan pointing at the schema. */
class PlanSchemaTest {

    static final Path PROJECT = Path.of(System.getProperty("dr.projectDir", ".")).toAbsolutePath();
    static final String HEADER = "# yaml-language-server: $schema=";

    @Test
    void everyPropertyOfThePlanSchemaHasADescription() {
        List<String> missing = new ArrayList<>();
        walk(PlanLoader.planSchema(), "#", missing);
        assertThat(missing).as("schema locations without a description").isEmpty();
    }

    @Test
    void aPropertyWithoutDescriptionIsFound() {
        List<String> missing = new ArrayList<>();
        walk(dev.dr.json.JsonTrees.read("{\"properties\":{\"a\":{\"type\":\"string\"}}}"), "#", missing);
        assertThat(missing).containsExactly("#/properties/a");
    }

    /** Checks each named property and each $defs entry. */
    private static void walk(JsonNode schema, String at, List<String> missing) {
        for (String container : List.of("properties", "$defs")) {
            JsonNode props = schema.get(container);
            if (props == null) {
                continue;
            }
            for (var e : props.properties()) {
                String here = at + "/" + container + "/" + e.getKey();
                if (!e.getValue().has("description")) {
                    missing.add(here);
                }
                walk(e.getValue(), here, missing);
            }
        }
    }

    @Test
    void everyPlanStartsWithTheSchemaLineAndItResolves() throws IOException {
        List<Path> plans;
        try (Stream<Path> s = Files.walk(PROJECT.resolve("plans"))) {
            plans = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(plans).hasSizeGreaterThanOrEqualTo(9);
        for (Path plan : plans) {
            String first = Files.readAllLines(plan, StandardCharsets.UTF_8).get(0);
            assertThat(first).as(plan.toString()).startsWith(HEADER);
            Path schema = plan.getParent().resolve(first.substring(HEADER.length()).strip()).normalize();
            assertThat(schema).as("schema named by " + plan).isEqualTo(PROJECT.resolve("schema/drill-plan.schema.json"));
        }
    }
}
