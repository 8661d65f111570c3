package dev.dr.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Strategic merge patches and unknown fields, under the vendored Kubernetes schemas. */
class StrategicMergeTest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final KubeOpenApi API = KubeOpenApi.load();
    static final JsonNode POD = API.schema("v1", "Pod");

    static JsonNode json(String s) {
        return JSON.readTree(s.replace('\'', '"'));
    }

    static JsonNode patch(String original, String patch) {
        return new StrategicMerge(API).apply(POD, json(original), json(patch));
    }

    static final String TWO = "{'spec':{'containers':[{'name':'a','image':'a:1','args':['x']},{'name':'b','image':'b:1'}],"
            + "'finalizers':['f']},'metadata':{'labels':{'k':'v','gone':'1'},'finalizers':['one','two']}}";

    @Test
    void listsWithAMergeKeyAreMergedItemByItem() {
        JsonNode out = patch(TWO, "{'spec':{'containers':[{'name':'b','image':'b:2'},{'name':'c','image':'c:1'}]}}");
        assertThat(out.get("spec").get("containers")).isEqualTo(json(
                "[{'name':'a','image':'a:1','args':['x']},{'name':'b','image':'b:2'},{'name':'c','image':'c:1'}]"));
    }

    @Test
    void directivesDeleteReorderAndRetain() {
        JsonNode out = patch(TWO, "{'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'a'}],"
                + "'containers':[{'name':'a','$patch':'delete'}]},'metadata':{'labels':{'gone':null},"
                + "'$deleteFromPrimitiveList/finalizers':['one']}}");
        assertThat(out.get("spec").get("containers")).isEqualTo(json("[{'name':'b','image':'b:1'}]"));
        assertThat(out.get("metadata")).isEqualTo(json("{'labels':{'k':'v'},'finalizers':['two']}"));
        JsonNode reordered = patch(TWO, "{'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'a'}]}}");
        assertThat(reordered.get("spec").get("containers").get(0).get("name").asString()).isEqualTo("b");
        JsonNode retained = patch(TWO, "{'metadata':{'$retainKeys':['labels'],'labels':{'$patch':'replace','n':'1'}}}");
        assertThat(retained.get("metadata")).isEqualTo(json("{'labels':{'n':'1'}}"));
    }

    @Test
    void listsWithoutAStrategyAreReplacedAndPrimitiveSetsUnited() {
        JsonNode args = patch(TWO, "{'spec':{'containers':[{'name':'a','args':['y']}]}}");
        assertThat(args.get("spec").get("containers").get(0).get("args")).isEqualTo(json("['y']"));
        JsonNode finalizers = patch(TWO, "{'metadata':{'finalizers':['two','three']}}");
        assertThat(finalizers.get("metadata").get("finalizers")).isEqualTo(json("['one','two','three']"));
    }

    @Test
    void aJsonMergePatchRemovesWithNullAndReplacesLists() {
        JsonNode out = StrategicMerge.mergePatch(json(TWO), json("{'metadata':{'labels':{'gone':null}},'spec':{'containers':[]}}"));
        assertThat(out.get("metadata").get("labels")).isEqualTo(json("{'k':'v'}"));
        assertThat(out.get("spec").get("containers")).isEmpty();
    }

    @Test
    void unknownFieldsAreNamedByTheirPathAndDroppedOnRequest() {
        JsonNode pod = json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','labelz':{}},"
                + "'spec':{'containers':[{'name':'a','image':'i','resources':{'limits':{'cpu':'1'}}},{'name':'b','imagex':'i'}]}}");
        assertThat(UnknownFields.find(API, POD, pod, false, false))
                .containsExactly("metadata.labelz", "spec.containers[1].imagex");
        assertThat(UnknownFields.find(API, POD, json("{'spec':{'$setElementOrder/containers':[{'name':'a'}]}}"), true, false))
                .as("a strategic merge patch's directives are no fields").isEmpty();
        UnknownFields.find(API, POD, pod, false, true);
        assertThat(pod.get("metadata").has("labelz")).isFalse();
        assertThat(UnknownFields.find(API, POD, pod, false, false)).isEmpty();
    }
}
