package dev.dr.steps.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * ConfigMaps from a control-plane folder. The golden file
 * {@code steps/src/test/resources/dr/bundle/configmaps.golden.yaml} is the YAML of
 * {@link #fixture}; to regenerate it after an intended change, delete it and run this test: it
 * writes the file anew and fails once, so the new YAML is reviewed (git diff) before it is committed.
 */
class ConfigMapRendererTest {
    static final Path GOLDEN = Path.of(System.getProperty("dr.projectDir", ".")).toAbsolutePath()
            .resolve("steps/src/test/resources/dr/bundle/configmaps.golden.yaml");
    static final String SHA = "5".repeat(64);
    static final String GIT = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path tmp;

    /** Files that YAML easily gets wrong, as path to exact bytes. */
    static Map<String, byte[]> fixtureFiles() {
        Map<String, byte[]> f = new TreeMap<>();
        f.put("alerts/rules.yaml", utf8("groups:\n  - name: cpu\n    rules:\n      - alert: High\n        expr: x > 0.9\n"));
        f.put("alerts/nested/deeper/cpu.yaml", utf8("threshold: 0.9\n"));
        f.put("alerts/trailing-spaces.txt", utf8("line with trailing spaces   \nnext \n"));
        f.put("candidates/no-final-newline.txt", utf8("first\nlast"));
        f.put("candidates/unicode.md", utf8("# Zürich ✓ 東京 😀\nnaïve café\n"));
        f.put("candidates/one-line.txt", utf8("0x1F"));
        f.put("candidates/yes", utf8("yes"));
        f.put("candidates/empty.txt", new byte[0]);
        f.put("providers/crlf.ini", utf8("[aws]\r\nregion = us-east-1\r\n"));
        f.put("providers/lone-cr.txt", utf8("a\rb\n"));
        f.put("providers/indented.txt", utf8("  starts indented\nthen not\n"));
        f.put("providers/tabs.tsv", utf8("a\tb\n"));
        f.put("scoring/model.bin", new byte[] {0, 1, 2, (byte) 0xff, (byte) 0xfe, 10, 13});
        f.put("scoring/nel.txt", utf8("next\u0085line\n"));
        f.put("scoring/bom.txt", utf8("\uFEFFwith a BOM\n"));
        f.put("scoring/latin1.txt", new byte[] {'c', 'a', 'f', (byte) 0xe9, '\n'});
        f.put("scoring/weights.json", utf8("{\"a\": 1, \"b\": [1, 2]}\n\n\n"));
        return f;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    Path fixture() throws IOException {
        Path cp = tmp.resolve("control-plane");
        for (var e : fixtureFiles().entrySet()) {
            Files.createDirectories(cp.resolve(e.getKey()).getParent());
            Files.write(cp.resolve(e.getKey()), e.getValue());
        }
        Files.writeString(cp.resolve("manifest.json"), "{}"); // not rendered
        return cp;
    }

    @Test
    void rendersOneConfigMapPerFolderWithTextInDataAndTheRestInBinaryData() throws IOException {
        List<RenderedConfigMap> maps = ConfigMapRenderer.render(fixture(), "jobintel", SHA, GIT);
        assertThat(maps).extracting(RenderedConfigMap::name).containsExactly("control-plane-alerts", "control-plane-candidates",
                "control-plane-providers", "control-plane-scoring");
        RenderedConfigMap alerts = maps.get(0);
        assertThat(alerts.namespace()).isEqualTo("jobintel");
        assertThat(alerts.labels()).containsExactly(Map.entry("app.kubernetes.io/managed-by", "dr"),
                Map.entry("dr.dev/control-plane", "alerts"));
        assertThat(alerts.annotations()).containsExactly(Map.entry("dr.dev/bundle-sha256", SHA), Map.entry("dr.dev/git-sha", GIT));
        assertThat(alerts.data()).containsOnlyKeys("nested__deeper__cpu.yaml", "rules.yaml", "trailing-spaces.txt");
        assertThat(alerts.binaryData()).isEmpty();
        RenderedConfigMap scoring = maps.get(3);
        assertThat(scoring.data()).containsOnlyKeys("weights.json");
        assertThat(scoring.binaryData()).containsOnlyKeys("bom.txt", "latin1.txt", "model.bin", "nel.txt");
        assertThat(scoring.binaryData().get("model.bin")).isEqualTo("AAEC//4KDQ==");
    }

    @Test
    void yamlMatchesTheGoldenFileByteForByte() throws IOException {
        String yaml = ConfigMapRenderer.toYaml(ConfigMapRenderer.render(fixture(), "jobintel", SHA, GIT));
        if (!Files.exists(GOLDEN)) {
            Files.createDirectories(GOLDEN.getParent());
            Files.writeString(GOLDEN, yaml, StandardCharsets.UTF_8);
            fail("wrote " + GOLDEN + "; review it and run again");
        }
        assertThat(yaml).isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
        assertThat(ConfigMapRenderer.toYaml(ConfigMapRenderer.render(fixture(), "jobintel", SHA, GIT))).isEqualTo(yaml);
    }

    @Test
    void yamlReadsBackToTheSameBytes() throws IOException {
        String yaml = ConfigMapRenderer.toYaml(ConfigMapRenderer.render(fixture(), "jobintel", SHA, GIT));
        Map<String, byte[]> back = new TreeMap<>();
        int docs = 0;
        for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(yaml)) {
            docs++;
            Map<?, ?> m = (Map<?, ?>) doc;
            assertThat(m.get("apiVersion")).isEqualTo("v1");
            assertThat(m.get("kind")).isEqualTo("ConfigMap");
            Map<?, ?> meta = (Map<?, ?>) m.get("metadata");
            assertThat(meta.get("namespace")).isEqualTo("jobintel");
            String folder = (String) ((Map<?, ?>) meta.get("labels")).get("dr.dev/control-plane");
            assertThat(((Map<?, ?>) meta.get("annotations")).get("dr.dev/bundle-sha256")).isEqualTo(SHA);
            ((Map<?, ?>) m.get("data")).forEach((k, v) -> back.put(folder + "/" + ((String) k).replace("__", "/"), utf8((String) v)));
            Map<?, ?> binary = m.containsKey("binaryData") ? (Map<?, ?>) m.get("binaryData") : Map.of();
            binary.forEach((k, v) -> back.put(folder + "/" + ((String) k).replace("__", "/"), Base64.getDecoder().decode((String) v)));
        }
        assertThat(docs).isEqualTo(4);
        assertThat(back.keySet()).containsExactlyElementsOf(fixtureFiles().keySet());
        fixtureFiles().forEach((path, bytes) -> assertThat(back.get(path)).as(path).isEqualTo(bytes));
    }

    @Test
    void splitsAFolderOverTheBudgetIntoNumberedParts() throws IOException {
        Path cp = fixture();
        for (String name : List.of("a", "b", "c", "d")) {
            Files.writeString(cp.resolve("candidates/big-" + name + ".txt"), name.repeat(300_000));
        }
        List<RenderedConfigMap> maps = ConfigMapRenderer.render(cp, "ns", SHA, GIT);
        assertThat(maps).extracting(RenderedConfigMap::name).containsExactly("control-plane-alerts", "control-plane-candidates-0",
                "control-plane-candidates-1", "control-plane-providers", "control-plane-scoring");
        assertThat(maps.get(1).data()).containsOnlyKeys("big-a.txt", "big-b.txt", "big-c.txt");
        assertThat(maps.get(2).data()).containsOnlyKeys("big-d.txt", "empty.txt", "no-final-newline.txt", "one-line.txt", "unicode.md", "yes");
        assertThat(maps.get(1).labels()).containsEntry("dr.dev/part", "0").containsEntry("dr.dev/control-plane", "candidates");
        assertThat(maps.get(2).labels()).containsEntry("dr.dev/part", "1");
        assertThat(maps.get(0).labels()).doesNotContainKey("dr.dev/part");
        for (RenderedConfigMap m : maps) {
            long bytes = 0;
            for (var e : m.data().entrySet()) {
                bytes += e.getKey().length() + e.getValue().getBytes(StandardCharsets.UTF_8).length;
            }
            assertThat(bytes).isLessThanOrEqualTo(ConfigMapRenderer.BUDGET);
        }
    }

    @Test
    void refusesAFileOverTheBudgetNamingItsSizeAndTheLimit() throws IOException {
        Path cp = fixture();
        Files.writeString(cp.resolve("alerts/huge.txt"), "x".repeat(999_995));
        assertThatThrownBy(() -> ConfigMapRenderer.render(cp, "ns", SHA, GIT)).isInstanceOf(BundleRefused.class)
                .hasMessage("alerts/huge.txt: 999995 bytes, 1000003 with its key, more than the limit of 1000000 bytes per ConfigMap");
    }

    @Test
    void refusesABinaryFileOverTheBudgetOnceEncoded() throws IOException {
        Path cp = fixture();
        Files.write(cp.resolve("scoring/blob.bin"), new byte[800_000]);
        assertThatThrownBy(() -> ConfigMapRenderer.render(cp, "ns", SHA, GIT)).isInstanceOf(BundleRefused.class)
                .hasMessage("scoring/blob.bin: 800000 bytes, 1066676 with its key once base64-encoded,"
                        + " more than the limit of 1000000 bytes per ConfigMap");
    }

    @Test
    void refusesTwoFilesThatGiveTheSameKey() throws IOException {
        Path cp = fixture();
        Files.writeString(cp.resolve("alerts/nested__deeper__cpu.yaml"), "again");
        assertThatThrownBy(() -> ConfigMapRenderer.render(cp, "ns", SHA, GIT)).isInstanceOf(BundleRefused.class)
                .hasMessage("alerts/nested/deeper/cpu.yaml and alerts/nested__deeper__cpu.yaml both become the ConfigMap key"
                        + " nested__deeper__cpu.yaml (/ is written as __)");
    }

    @Test
    void refusesAFileWhoseKeyKubernetesWouldNotAccept() throws IOException {
        for (String bad : List.of("has space.txt", "ünï.txt", "..hidden")) {
            Path cp = tmp.resolve(bad.hashCode() + "").resolve("control-plane");
            for (String folder : Bundle.Layout.FOLDERS) {
                Files.createDirectories(cp.resolve(folder));
            }
            Files.writeString(cp.resolve("providers").resolve(bad), "x");
            assertThatThrownBy(() -> ConfigMapRenderer.render(cp, "ns", SHA, GIT)).isInstanceOf(BundleRefused.class)
                    .hasMessage("providers/" + bad + ": its ConfigMap key " + bad + " is not valid; a key is the path below the folder"
                            + " with / written as __, and must match [-._a-zA-Z0-9]+, have at most 253 characters and not start with ..");
        }
    }

    @Test
    void refusesAMissingFolder() throws IOException {
        Path cp = tmp.resolve("control-plane");
        Files.createDirectories(cp.resolve("alerts"));
        assertThatThrownBy(() -> ConfigMapRenderer.render(cp, "ns", SHA, GIT)).isInstanceOf(BundleRefused.class)
                .hasMessage(cp.resolve("candidates") + ": missing folder; a control plane has the folders"
                        + " alerts/, candidates/, providers/, scoring/");
    }

    @Test
    void anEmptyFolderIsAnEmptyConfigMap() throws IOException {
        Path cp = tmp.resolve("control-plane");
        for (String folder : Bundle.Layout.FOLDERS) {
            Files.createDirectories(cp.resolve(folder));
        }
        List<RenderedConfigMap> maps = ConfigMapRenderer.render(cp, "ns", SHA, GIT);
        assertThat(maps).hasSize(4).allSatisfy(m -> assertThat(m.data()).isEmpty());
        assertThat(ConfigMapRenderer.toYaml(maps.subList(0, 1))).isEqualTo("""
                ---
                apiVersion: v1
                data: {}
                kind: ConfigMap
                metadata:
                  annotations:
                    dr.dev/bundle-sha256: "%s"
                    dr.dev/git-sha: "%s"
                  labels:
                    app.kubernetes.io/managed-by: dr
                    dr.dev/control-plane: alerts
                  name: control-plane-alerts
                  namespace: ns
                """.formatted(SHA, GIT));
    }

    @Test
    void textThatYamlReadersDisagreeOnIsNotText() {
        List<String> text = new ArrayList<>();
        for (String s : List.of("plain", "tab\tcr\rlf\n", "é😀", "\u0000", "\u0085", "\u2028", "\uFEFF", "\u007F", "\u001B[0m")) {
            if (ConfigMapRenderer.text(utf8(s)) != null) {
                text.add(s);
            }
        }
        assertThat(text).containsExactly("plain", "tab\tcr\rlf\n", "é😀");
    }
}
