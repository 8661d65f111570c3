package dev.dr.steps.bundle;

import dev.dr.json.JsonTrees;
import dev.dr.steps.bundle.Bundle.Layout;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.JsonNode;

/**
 * {@code control-plane/manifest.json}: every file of the bundle with its SHA-256 and size, and
 * where the bundle came from. The field names are the runbook's (snake_case). The manifest does
 * not list itself. Files are kept sorted by path (byte order of the UTF-8 names), so two
 * manifests of the same files are equal and print the same.
 */
public record Manifest(List<BundleFile> files, String gitSha, String imageRefDigest, String createdAt) {

    private static final JsonFactory JSON = new JsonFactory();

    /** Two-space indent, {@code "key": value}, {@code \n} whatever the platform. */
    private static final ObjectWriteContext PRETTY = new ObjectWriteContext.Base() {
        @Override
        public PrettyPrinter getPrettyPrinter() {
            DefaultIndenter indent = new DefaultIndenter("  ", "\n");
            return new DefaultPrettyPrinter(Separators.createDefaultInstance()
                    .withObjectNameValueSpacing(Separators.Spacing.AFTER)
                    .withArrayEmptySeparator("")
                    .withObjectEmptySeparator(""))
                    .withArrayIndenter(indent)
                    .withObjectIndenter(indent);
        }

        @Override
        public boolean hasPrettyPrinter() {
            return true;
        }
    };

    public Manifest {
        Objects.requireNonNull(gitSha, "gitSha");
        Objects.requireNonNull(imageRefDigest, "imageRefDigest");
        Objects.requireNonNull(createdAt, "createdAt");
        List<BundleFile> sorted = new ArrayList<>(files);
        sorted.sort(Comparator.comparing(BundleFile::path, Layout.NAME_ORDER));
        for (int i = 0; i < sorted.size(); i++) {
            String problem = pathProblem(sorted.get(i).path());
            if (problem != null) {
                throw new IllegalArgumentException(sorted.get(i).path() + ": " + problem);
            }
            if (i > 0 && sorted.get(i).path().equals(sorted.get(i - 1).path())) {
                throw new IllegalArgumentException(sorted.get(i).path() + " is listed twice");
            }
        }
        files = List.copyOf(sorted);
    }

    public int fileCount() {
        return files.size();
    }

    /**
     * The document: keys {@code files} (each {@code path}, {@code sha256}, {@code size}),
     * {@code file_count}, {@code git_sha}, {@code image_ref_digest}, {@code created_at} in this
     * order, two-space indented, with a final newline. The same manifest gives the same text.
     */
    public String toJson() {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(PRETTY, w)) {
            g.writeStartObject();
            g.writeName("files");
            g.writeStartArray();
            for (BundleFile f : files) {
                g.writeStartObject();
                g.writeStringProperty("path", f.path());
                g.writeStringProperty("sha256", f.sha256());
                g.writeNumberProperty("size", f.size());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberProperty("file_count", files.size());
            g.writeStringProperty("git_sha", gitSha);
            g.writeStringProperty("image_ref_digest", imageRefDigest);
            g.writeStringProperty("created_at", createdAt);
            g.writeEndObject();
        }
        return w + "\n";
    }

    /**
     * Reads a manifest, refusing it (with the field named) when a field is missing or of the
     * wrong type, a path is not inside one of the four folders or listed twice, a SHA-256 is not
     * 64 lower-case hex digits, or {@code file_count} disagrees with {@code files}. Fields it
     * does not know are ignored, so a later writer may add some.
     *
     * @throws BundleRefused when the manifest is malformed
     * @throws IOException when reading fails
     */
    public static Manifest parse(InputStream in) throws IOException {
        JsonNode n;
        try {
            n = JsonTrees.read(in);
        } catch (JacksonIOException e) {
            throw e.getCause() != null ? e.getCause() : new IOException(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw refused("not JSON: " + e.getMessage());
        }
        if (!n.isObject()) {
            throw refused("expected a JSON object, not " + n.getNodeType());
        }
        JsonNode list = n.get("files");
        if (list == null || !list.isArray()) {
            throw refused("files: " + (list == null ? "missing" : "must be an array"));
        }
        List<BundleFile> files = new ArrayList<>();
        Set<String> paths = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "files[" + i + "]";
            JsonNode f = list.get(i);
            if (!f.isObject()) {
                throw refused(at + ": must be an object with path, sha256 and size");
            }
            String path = string(f, at + ".path");
            String problem = pathProblem(path);
            if (problem != null) {
                throw refused(at + ".path " + path + ": " + problem);
            }
            if (!paths.add(path)) {
                throw refused(at + ".path " + path + ": listed twice");
            }
            String sha = string(f, at + ".sha256");
            if (!Layout.isSha256(sha)) {
                throw refused(at + ".sha256: must be 64 lower-case hex digits, not " + sha);
            }
            long size = count(f, at + ".size");
            files.add(new BundleFile(path, sha, size));
        }
        long count = count(n, "file_count");
        if (count != files.size()) {
            throw refused("file_count: " + count + ", but files lists " + files.size());
        }
        return new Manifest(files, string(n, "git_sha"), string(n, "image_ref_digest"), string(n, "created_at"));
    }

    /** Why a manifest path is not one of a bundle file, or null when it is. */
    static String pathProblem(String path) {
        String[] segs = path.split("/", -1);
        if (segs.length < 2 || !Layout.FOLDERS.contains(segs[0])) {
            return "not inside one of " + String.join("/, ", Layout.FOLDERS) + "/";
        }
        for (String s : segs) {
            if (s.isEmpty() || s.equals(".") || s.equals("..") || s.indexOf('\0') >= 0) {
                return "not a plain relative path";
            }
        }
        return null;
    }

    private static String string(JsonNode parent, String field) throws BundleRefused {
        JsonNode v = parent.get(field.substring(field.lastIndexOf('.') + 1));
        if (v == null || v.isNull()) {
            throw refused(field + ": missing");
        }
        if (!v.isString()) {
            throw refused(field + ": must be a string, not " + v.getNodeType());
        }
        return v.asString();
    }

    private static long count(JsonNode parent, String field) throws BundleRefused {
        JsonNode v = parent.get(field.substring(field.lastIndexOf('.') + 1));
        if (v == null || v.isNull()) {
            throw refused(field + ": missing");
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
            throw refused(field + ": must be a whole number of at least 0, not " + v);
        }
        return v.longValue();
    }

    private static BundleRefused refused(String problem) {
        return new BundleRefused("manifest.json: " + problem);
    }
}
