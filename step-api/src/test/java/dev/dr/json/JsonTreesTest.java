package dev.dr.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class JsonTreesTest {

    static final String DOC = "{\"s\":\"a\\\"b\\u00e9\",\"i\":12,\"big\":123456789012345678901234567890,"
            + "\"d\":1.5,\"t\":true,\"f\":false,\"n\":null,\"a\":[1,{\"x\":[]},\"y\"],\"o\":{}}";

    @Test
    void readsWhatDatabindReadsAndWritesItBackCompactly() {
        JsonNode ours = JsonTrees.read(DOC);
        JsonNode theirs = JsonMapper.builder().build().readTree(DOC);
        assertThat(ours).isEqualTo(theirs);
        assertThat(JsonTrees.compact(ours)).isEqualTo(DOC.replace("\\u00e9", "\u00e9"));
        assertThat(JsonTrees.read(new ByteArrayInputStream(DOC.getBytes(StandardCharsets.UTF_8)))).isEqualTo(ours);
    }

    @Test
    void refusesAnEmptyDocument() {
        assertThatThrownBy(() -> JsonTrees.read("  ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty JSON document");
    }
}
