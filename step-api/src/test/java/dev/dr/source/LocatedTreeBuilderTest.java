package dev.dr.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;

class LocatedTreeBuilderTest {

    private static final JsonFactory LENIENT = JsonFactory.builder().build(); // lets a duplicate key through

    @Test
    void everyKeyAndValueKeepsItsPosition() {
        LocatedTreeBuilder b = new LocatedTreeBuilder("doc.json", "JSON", 8, (p, path, at, issues) -> { });
        JsonNode root = read(b, "{\"a\": {\"b\": [1, \"x\"]},\n \"c\": null}");
        assertThat(root.toString()).isEqualTo("{\"a\":{\"b\":[1,\"x\"]},\"c\":null}");
        assertThat(b.issues()).isEmpty();
        NodePath x = NodePath.of("a", "b").child(1);
        assertThat(b.positions().get(x).value()).isEqualTo(new SourcePos("doc.json", 1, 17));
        assertThat(b.positions().get(NodePath.of("c")).key()).isEqualTo(new SourcePos("doc.json", 2, 2));
        assertThat(b.positions().get(NodePath.of("c")).value()).isEqualTo(new SourcePos("doc.json", 2, 7));
    }

    @Test
    void aSecondKeyIsAnIssueNamingTheFirst() {
        LocatedTreeBuilder b = new LocatedTreeBuilder("doc.json", "JSON", 8, (p, path, at, issues) -> { });
        JsonNode root = read(b, "{\"a\": 1,\n \"a\": {\"deep\": 2}}");
        assertThat(root.get("a").asInt()).as("the first value stays").isEqualTo(1);
        assertThat(b.issues()).containsExactly(new LocatedTreeBuilder.Issue(new SourcePos("doc.json", 2, 2), NodePath.of("a"),
                "duplicate key 'a' (first at line 1); each key may appear once"));
    }

    @Test
    void nestingStopsAtTheLimit() {
        LocatedTreeBuilder b = new LocatedTreeBuilder("doc.json", "JSON", 2, (p, path, at, issues) -> { });
        assertThatThrownBy(() -> read(b, "[[[[1]]]]")).isInstanceOf(LocatedTreeBuilder.TooDeep.class);
        assertThat(b.issues()).extracting(LocatedTreeBuilder.Issue::message).containsExactly("nesting deeper than 2 levels");
        assertThat(b.issues().get(0).at()).isEqualTo(new SourcePos("doc.json", 1, 4)); // the fourth level, depth 3
    }

    @Test
    void theCheckSeesEveryValue() {
        LocatedTreeBuilder b = new LocatedTreeBuilder("doc.json", "JSON", 8, (p, path, at, issues) -> {
            if (p.currentToken().isNumeric()) {
                issues.add(new LocatedTreeBuilder.Issue(at, path, "no numbers"));
            }
        });
        read(b, "{\"a\": [\"s\", 2], \"b\": 3}");
        assertThat(b.issues()).extracting(i -> i.path().toString()).containsExactly("a[1]", "b");
    }

    private static JsonNode read(LocatedTreeBuilder b, String json) {
        try (JsonParser p = LENIENT.createParser(ObjectReadContext.empty(), json)) {
            p.nextToken();
            return b.value(p, NodePath.ROOT, 0, null);
        }
    }
}
