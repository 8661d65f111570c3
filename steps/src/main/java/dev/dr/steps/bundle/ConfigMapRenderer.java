package dev.dr.steps.bundle;

import dev.dr.steps.bundle.Bundle.Layout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;
import tools.jackson.dataformat.yaml.util.StringQuotingChecker;

/**
 * Renders a verified {@code control-plane/} folder as Kubernetes ConfigMaps: one per folder,
 * named {@code control-plane-<folder>}. The manifest is not rendered; the bundle's SHA-256 in
 * an annotation names it.
 *
 * <p>A key is the file's path below its folder with {@code /} written as {@code __}
 * ({@code rules/cpu.yaml} becomes {@code rules__cpu.yaml}); a key Kubernetes would not accept, or
 * two files giving the same key, is refused with the files named. Text goes to {@code data}:
 * valid UTF-8 without characters that YAML readers disagree on (control characters other than
 * tab, CR and LF; NEL; the line and paragraph separators; a BOM). Everything else goes to
 * {@code binaryData}, base64-encoded, so that every file reads back byte for byte.
 *
 * <p>A ConfigMap must stay under the API server's 1 MiB object limit: keys and values of one
 * ConfigMap may take {@value #BUDGET} bytes. A folder over that is split, greedily in key order,
 * into {@code control-plane-<folder>-0}, {@code -1}, …, each labelled {@value #PART_LABEL} with its
 * number; a single file over it is refused.
 */
public final class ConfigMapRenderer {
    /**
     * Every rendered ConfigMap carries this label, with its folder as the value: the set of
     * control-plane ConfigMaps, so those of an earlier bundle can be found and deleted.
     */
    public static final String PART_OF_LABEL = "dr.dev/control-plane";
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    /** Only on the parts of a folder that was split: the part's number, from 0. */
    public static final String PART_LABEL = "dr.dev/part";
    public static final String BUNDLE_SHA_ANNOTATION = "dr.dev/bundle-sha256";
    public static final String GIT_SHA_ANNOTATION = "dr.dev/git-sha";
    /** Bytes of keys and values per ConfigMap; the rest of the 1 MiB (1,048,576) is for metadata. */
    public static final int BUDGET = 1_000_000;

    private static final Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    private static final int MAX_KEY = 253;

    /**
     * The YAML writer, apart from this class so that {@link #check} (which every publish runs, on
     * the main thread) does not build it: building it loads Jackson's databind and YAML
     * modules, some 500 classes.
     */
    private static final class Yaml {
        /**
         * Sorted keys (kubectl prints them so too), literal blocks for multi-line text, no line
         * folding, and quotes wherever a YAML 1.1 reader such as kubectl's could take a string for
         * something else.
         */
        static final YAMLMapper MAPPER = YAMLMapper.builder(YAMLFactory.builder().stringQuotingChecker(new Quoting()).build())
                .enable(YAMLWriteFeature.MINIMIZE_QUOTES, YAMLWriteFeature.LITERAL_BLOCK_STYLE,
                        YAMLWriteFeature.WRITE_DOC_START_MARKER, YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .disable(YAMLWriteFeature.SPLIT_LINES)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .build();
    }

    private ConfigMapRenderer() {}

    /** One file as a ConfigMap entry; {@code bytes} is what it takes of the budget. */
    private record Value(String file, String key, boolean binary, String value, long bytes) {}

    /**
     * The ConfigMaps of {@code controlPlaneDir}, folder by folder in name order (alerts,
     * candidates, providers, scoring), parts in order.
     *
     * @throws BundleRefused when a folder is missing, holds something other than files and
     *     folders, a key is invalid or taken twice, or a file alone exceeds the budget
     */
    public static List<RenderedConfigMap> render(Path controlPlaneDir, String namespace, String bundleSha256, String gitSha)
            throws IOException {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(bundleSha256, "bundleSha256");
        Objects.requireNonNull(gitSha, "gitSha");
        List<RenderedConfigMap> out = new ArrayList<>();
        for (String folder : Layout.FOLDERS) {
            Path dir = controlPlaneDir.resolve(folder);
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new BundleRefused(dir + ": missing folder; a control plane has the folders "
                        + String.join("/, ", Layout.FOLDERS) + "/");
            }
            Layout.Tree tree = Layout.walk(dir);
            if (!tree.others().isEmpty()) {
                throw new BundleRefused(folder + "/" + tree.others().get(0) + ": not a regular file or folder");
            }
            check(dir, folder, tree);
            TreeMap<String, Value> values = new TreeMap<>();
            for (String f : tree.files()) {
                Value v = read(dir.resolve(f), folder + "/" + f, key(f));
                values.put(v.key(), v);
            }
            out.addAll(split(folder, values, namespace, bundleSha256, gitSha));
        }
        return out;
    }

    /**
     * Refuses a folder of a control plane, listed as {@code tree}, that {@link #render} would
     * refuse, or whose ConfigMaps the API server would: an invalid key, two files giving one key,
     * a file that alone exceeds a ConfigMap's budget. {@code dir} is e.g.
     * {@code control-plane/scoring}, {@code folder} its name. Publishing runs it on each folder
     * as the bundle writer lists it, before anything is written (see
     * {@link BundleWriter#write(Path, Path, String, String, String, BundleWriter.FolderCheck)}), so
     * that a primary learns of it on the day it publishes rather than a DR restore on the day of
     * the disaster. Reads only the files large enough to exceed the budget once base64-encoded.
     */
    static void check(Path dir, String folder, Layout.Tree tree) throws IOException {
        Map<String, String> files = new TreeMap<>();
        for (String f : tree.files()) {
            String file = folder + "/" + f;
            String key = key(f);
            checkKey(file, key);
            String taken = files.putIfAbsent(key, file);
            if (taken != null) {
                throw new BundleRefused(taken + " and " + file + " both become the ConfigMap key " + key
                        + " (/ is written as __)");
            }
            long size = tree.sizes().get(f);
            if (key.length() + (size + 2) / 3 * 4 > BUDGET) {
                read(dir.resolve(f), file, key);
            }
        }
    }

    /** A file's key: its path below the folder with {@code /} written as {@code __}. */
    private static String key(String pathInFolder) {
        return pathInFolder.replace("/", "__");
    }

    private static void checkKey(String file, String key) throws BundleRefused {
        if (!KEY.matcher(key).matches() || key.length() > MAX_KEY || key.equals(".") || key.startsWith("..")) {
            throw new BundleRefused(file + ": its ConfigMap key " + key + " is not valid; a key is the path below the folder"
                    + " with / written as __, and must match [-._a-zA-Z0-9]+, have at most " + MAX_KEY
                    + " characters and not start with ..");
        }
    }

    /** A multi-document YAML, each ConfigMap after a {@code ---}; the same list gives the same bytes. */
    public static String toYaml(List<RenderedConfigMap> maps) {
        StringBuilder out = new StringBuilder();
        for (RenderedConfigMap m : maps) {
            Map<String, Object> metadata = new TreeMap<>();
            metadata.put("name", m.name());
            metadata.put("namespace", m.namespace());
            metadata.put("labels", m.labels());
            metadata.put("annotations", m.annotations());
            Map<String, Object> doc = new TreeMap<>();
            doc.put("apiVersion", "v1");
            doc.put("kind", "ConfigMap");
            doc.put("metadata", metadata);
            doc.put("data", m.data());
            if (!m.binaryData().isEmpty()) {
                doc.put("binaryData", m.binaryData());
            }
            out.append(Yaml.MAPPER.writeValueAsString(doc));
        }
        return out.toString();
    }

    private static Value read(Path path, String file, String key) throws IOException {
        long size = Files.size(path);
        if (key.length() + size > BUDGET) {
            throw tooBig(file, size, key.length() + size, "");
        }
        byte[] bytes = Files.readAllBytes(path);
        String text = text(bytes);
        if (text != null) {
            return new Value(file, key, false, text, key.length() + (long) bytes.length);
        }
        String b64 = Base64.getEncoder().encodeToString(bytes);
        if (key.length() + (long) b64.length() > BUDGET) {
            throw tooBig(file, bytes.length, key.length() + (long) b64.length(), " once base64-encoded");
        }
        return new Value(file, key, true, b64, key.length() + (long) b64.length());
    }

    private static BundleRefused tooBig(String file, long size, long entry, String how) {
        return new BundleRefused(file + ": " + size + " bytes, " + entry + " with its key" + how
                + ", more than the limit of " + BUDGET + " bytes per ConfigMap");
    }

    /** The bytes as a string when they are UTF-8 text that YAML carries unchanged; otherwise null. */
    static String text(byte[] bytes) {
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        boolean plain = s.codePoints().allMatch(c -> c == '\t' || c == '\n' || c == '\r'
                || (c >= 0x20 && c < 0x7F)
                || (c >= 0xA0 && c != 0x2028 && c != 0x2029 && c != 0xFEFF && c != 0xFFFE && c != 0xFFFF));
        return plain ? s : null;
    }

    /** Greedy in key order: a part is closed when the next value would take it over the budget. */
    private static List<RenderedConfigMap> split(String folder, TreeMap<String, Value> values, String namespace,
            String bundleSha256, String gitSha) {
        List<List<Value>> parts = new ArrayList<>();
        List<Value> current = new ArrayList<>();
        long used = 0;
        long total = 0;
        for (Value v : values.values()) {
            total += v.bytes();
            if (used + v.bytes() > BUDGET && !current.isEmpty()) {
                parts.add(current);
                current = new ArrayList<>();
                used = 0;
            }
            current.add(v);
            used += v.bytes();
        }
        parts.add(current);
        boolean split = total > BUDGET;
        List<RenderedConfigMap> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            TreeMap<String, String> labels = new TreeMap<>();
            labels.put(MANAGED_BY_LABEL, "dr");
            labels.put(PART_OF_LABEL, folder);
            if (split) {
                labels.put(PART_LABEL, Integer.toString(i));
            }
            TreeMap<String, String> data = new TreeMap<>();
            TreeMap<String, String> binary = new TreeMap<>();
            for (Value v : parts.get(i)) {
                (v.binary() ? binary : data).put(v.key(), v.value());
            }
            out.add(new RenderedConfigMap("control-plane-" + folder + (split ? "-" + i : ""), namespace, labels,
                    new TreeMap<>(Map.of(BUNDLE_SHA_ANNOTATION, bundleSha256, GIT_SHA_ANNOTATION, gitSha)), data, binary));
        }
        return out;
    }

    /**
     * Leaves a scalar plain only when it is a name-like word that no YAML reader takes for
     * anything but a string. MINIMIZE_QUOTES alone would leave {@code 0x1F}, {@code 1_000},
     * {@code 12:30} and {@code .NaN} plain, which kubectl's YAML 1.1 reads as numbers.
     */
    private static final class Quoting extends StringQuotingChecker.Default {
        private static final Pattern PLAIN = Pattern.compile("[A-Za-z][-A-Za-z0-9_./]*");

        @Override
        public boolean needToQuoteName(String name) {
            return !PLAIN.matcher(name).matches() || super.needToQuoteName(name);
        }

        @Override
        public boolean needToQuoteValue(String value) {
            return !PLAIN.matcher(value).matches() || super.needToQuoteValue(value);
        }
    }
}
