package dev.dr.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The sandbox's OpenAPI definitions are the Kubernetes API's own: {@value KubeOpenApi#RESOURCE}
 * is exactly the definitions of the kinds the sandbox serves, and of all they reference, taken
 * from openshift-generated.json in io.fabric8:kubernetes-model-validator (pom.xml's version), the
 * kube-openapi definitions of the k8s.io/api types that fabric8 generates its model from. When the
 * kinds or that version change, this test writes the new file to target/ to be copied over.
 */
class KubernetesDefinitionsTest {
    static final String SOURCE = "openshift-generated.json";
    static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    static ObjectNode expected() throws Exception {
        JsonNode source;
        try (InputStream in = KubernetesDefinitionsTest.class.getClassLoader().getResourceAsStream(SOURCE)) {
            assertThat(in).as(SOURCE + " from io.fabric8:kubernetes-model-validator on the test class path").isNotNull();
            source = JSON.readTree(in);
        }
        Map<String, JsonNode> all = new TreeMap<>();
        source.get("definitions").properties().forEach(e -> all.put(e.getKey(), e.getValue()));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("source", "io.fabric8:kubernetes-model-validator " + SOURCE
                + ", the definitions of the kinds in Discovery.GROUPS and all they reference (KubernetesDefinitionsTest)");
        ObjectNode defs = out.putObject("definitions");
        for (String name : KubeOpenApi.closure(all, KubeOpenApi.roots())) {
            defs.set(name, all.get(name));
        }
        return out;
    }

    @Test
    void theVendoredDefinitionsAreTheSourcesForTheSandboxsKinds() throws Exception {
        ObjectNode expected = expected();
        JsonNode vendored = null;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(KubeOpenApi.RESOURCE)) {
            if (in != null) {
                vendored = JSON.readTree(in);
            }
        }
        if (!expected.equals(vendored)) {
            Path fresh = Path.of("target", "kubernetes-definitions.json").toAbsolutePath();
            Files.createDirectories(fresh.getParent());
            Files.writeString(fresh, JSON.writeValueAsString(expected) + "\n");
            throw new AssertionError(KubeOpenApi.RESOURCE + " is not what its source gives: copy " + fresh
                    + " to steps/src/main/resources/" + KubeOpenApi.RESOURCE);
        }
        assertThat(expected.get("definitions").size()).as("the kinds and what they reference").isGreaterThan(100);
        for (String root : KubeOpenApi.roots()) {
            assertThat(expected.get("definitions").has(root)).as(root).isTrue();
        }
    }

    @Test
    void eachGroupVersionDocumentDescribesItsKindsAsKubectlExpects() throws Exception {
        KubeOpenApi api = KubeOpenApi.load();
        JsonNode index = JSON.readTree(api.document(KubeOpenApi.INDEX));
        assertThat(index.get("paths").propertyNames()).containsExactlyInAnyOrder("api/v1", "apis/apps/v1", "apis/batch/v1");
        String url = index.get("paths").get("apis/batch/v1").get("serverRelativeURL").asString();
        assertThat(url).startsWith("/openapi/v3/apis/batch/v1?hash=");
        JsonNode batch = JSON.readTree(api.document(url.substring(0, url.indexOf('?'))));
        JsonNode patch = batch.get("paths").get("/apis/batch/v1/namespaces/{namespace}/cronjobs/{name}").get("patch");
        assertThat(patch.get("x-kubernetes-group-version-kind").toString())
                .isEqualTo("{\"group\":\"batch\",\"kind\":\"CronJob\",\"version\":\"v1\"}");
        assertThat(patch.get("parameters").findValuesAsString("name")).contains("fieldValidation", "dryRun");
        JsonNode cronJob = batch.get("components").get("schemas").get("io.k8s.api.batch.v1.CronJob");
        assertThat(cronJob.get("x-kubernetes-group-version-kind").get(0).get("kind").asString()).isEqualTo("CronJob");
        assertThat(cronJob.get("properties").get("spec").get("$ref").asString())
                .isEqualTo("#/components/schemas/io.k8s.api.batch.v1.CronJobSpec");
        assertThat(batch.toString()).doesNotContain("#/definitions/").doesNotContain("x-fabric8-info");
        assertThat(api.document("/openapi/v3/apis/policy/v1")).isNull();
    }
}
