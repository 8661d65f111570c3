package dev.dr.steps.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.json.JsonTrees;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The preview's comparison, the record of what dr applied before, and the three-way merge, on small objects. */
class FieldDiffTest {

    static JsonNode json(String s) {
        return JsonTrees.read(s.replace('\'', '"'));
    }

    static final String LIVE = "{'kind':'Deployment','metadata':{'name':'web','annotations':{'other':'x'}},"
            + "'spec':{'replicas':5,'template':{'spec':{'dnsPolicy':'ClusterFirst','containers':["
            + "{'name':'side','image':'s:1','imagePullPolicy':'IfNotPresent'},"
            + "{'name':'web','image':'w:1','imagePullPolicy':'IfNotPresent','args':['--a'],"
            + "'ports':[{'containerPort':8080,'protocol':'TCP'}],'resources':{'requests':{'cpu':'500m'}},"
            + "'env':[{'name':'MODE','value':'dr'},{'name':'INJECTED','value':'y'}]}]}}}}";

    @Test
    void onlyWhatTheManifestSetsIsComparedAndListItemsByTheirKey() {
        JsonNode manifest = json("{'kind':'Deployment','metadata':{'name':'web'},'spec':{'template':{'spec':{'containers':["
                + "{'name':'web','image':'w:1','args':['--a'],'ports':[{'containerPort':8080}],'resources':{'requests':{'cpu':'0.5'}},"
                + "'env':[{'name':'MODE','value':'dr'}]}]}}}}");
        assertThat(FieldDiff.changed(manifest, json(LIVE))).isEmpty();

        JsonNode changed = json("{'spec':{'replicas':2,'template':{'spec':{'containers':["
                + "{'name':'web','image':'w:2','args':['--b'],'env':[{'name':'MODE','value':'drill'},{'name':'NEW','value':'1'}]},"
                + "{'name':'extra','image':'e:1'}]}}}}");
        assertThat(FieldDiff.changed(changed, json(LIVE))).containsExactly("spec.replicas",
                "spec.template.spec.containers[name=extra]", "spec.template.spec.containers[name=web].args",
                "spec.template.spec.containers[name=web].env[name=MODE].value", "spec.template.spec.containers[name=web].env[name=NEW]",
                "spec.template.spec.containers[name=web].image");
    }

    @Test
    void whatDrAppliedBeforeComesFromItsManagedFieldsWithTheMergeKeyOnly() {
        // As a real server records a server-side apply: the port's key has the defaulted protocol.
        JsonNode live = json("{'metadata':{'name':'web','managedFields':["
                + "{'manager':'kube-controller-manager','operation':'Update','fieldsV1':{'f:spec':{'f:replicas':{}}}},"
                + "{'manager':'dr','operation':'Apply','fieldsV1':{'f:metadata':{'f:annotations':{'f:owner':{}}},"
                + "'f:spec':{'f:template':{'f:spec':{'f:containers':{'k:{\\'name\\':\\'web\\'}':{'.':{},'f:name':{},'f:image':{},"
                + "'f:ports':{'k:{\\'containerPort\\':8080,\\'protocol\\':\\'TCP\\'}':{'.':{},'f:containerPort':{}}},"
                + "'f:env':{'k:{\\'name\\':\\'DEBUG\\'}':{'.':{},'f:name':{},'f:value':{}},"
                + "'k:{\\'name\\':\\'MODE\\'}':{'.':{},'f:name':{},'f:value':{}}}}}}}}}}]}}");
        JsonNode before = ManagedFields.appliedBefore(live);
        JsonNode manifest = json("{'metadata':{'name':'web'},'spec':{'template':{'spec':{'containers':["
                + "{'name':'web','image':'w:1','ports':[{'containerPort':8080}],'env':[{'name':'MODE','value':'dr'}]}]}}}}");
        assertThat(FieldDiff.removed(before, manifest)).containsExactly("metadata.annotations.owner",
                "spec.template.spec.containers[name=web].env[name=DEBUG]");
    }

    @Test
    void whatDrAppliedBeforeComesFromTheLastAppliedAnnotationOtherwise() {
        JsonNode live = json("{'metadata':{'name':'c','annotations':{'" + Applier.LAST_APPLIED + "':"
                + "'{\\'data\\':{\\'a\\':\\'1\\',\\'b\\':\\'2\\'}}'}},'data':{'a':'1','b':'2','c':'3'}}");
        assertThat(FieldDiff.removed(ManagedFields.appliedBefore(live), json("{'data':{'a':'1'}}"))).containsExactly("data.b");
        assertThat(ManagedFields.appliedBefore(json("{'metadata':{'name':'c'}}"))).isNull();
    }

    @Test
    void aConfigMapOfASetLosesOnlyTheKeysDrAppliedBefore() {
        ConfigMap live = new ConfigMapBuilder().withNewMetadata().withName("c")
                .addToAnnotations(Applier.LAST_APPLIED, "{\"data\":{\"a\":\"1\",\"b\":\"2\"}}").endMetadata()
                .addToData("a", "1").addToData("b", "2").addToData("c", "3").build();
        ConfigMap want = new ConfigMapBuilder().withNewMetadata().withName("c").endMetadata().addToData("a", "1").build();
        assertThat(ConfigMaps.diff(want, live)).containsExactly("data.b removed");
        live.getMetadata().getAnnotations().clear();
        assertThat(ConfigMaps.diff(want, live)).isEmpty();
    }

    @Test
    void theThreeWayMergeKeepsOthersFieldsAndItemsAndRemovesWhatTheManifestDropped() {
        JsonNode last = json("{'metadata':{'annotations':{'owner':'dr'}},'spec':{'template':{'spec':{'containers':["
                + "{'name':'web','image':'w:1','args':['--a'],'env':[{'name':'MODE','value':'dr'},{'name':'DEBUG','value':'1'}]}]}}}}");
        JsonNode live = json("{'metadata':{'annotations':{'owner':'dr','other':'x'}},'spec':{'replicas':5,'template':{'spec':{"
                + "'containers':[{'name':'side','image':'s:1'},{'name':'web','image':'w:1','args':['--a'],"
                + "'imagePullPolicy':'IfNotPresent','env':[{'name':'MODE','value':'dr'},{'name':'DEBUG','value':'1'},"
                + "{'name':'INJECTED','value':'y'}]}]}}}}");
        JsonNode manifest = json("{'metadata':{'name':'web'},'spec':{'template':{'spec':{'containers':["
                + "{'name':'web','image':'w:2','args':['--b'],'env':[{'name':'MODE','value':'dr'}]}]}}}}");
        JsonNode merged = ThreeWayMerge.merge(last, manifest, live);
        assertThat(merged).isEqualTo(json("{'metadata':{'name':'web','annotations':{'other':'x'}},'spec':{'replicas':5,'template':{'spec':{"
                + "'containers':[{'name':'web','image':'w:2','args':['--b'],'imagePullPolicy':'IfNotPresent',"
                + "'env':[{'name':'MODE','value':'dr'},{'name':'INJECTED','value':'y'}]},{'name':'side','image':'s:1'}]}}}}"));
        // Without a record of an earlier apply nothing is removed: it could be anyone's.
        assertThat(ThreeWayMerge.merge(null, manifest, live).path("metadata").path("annotations").has("owner")).isTrue();
    }
}
