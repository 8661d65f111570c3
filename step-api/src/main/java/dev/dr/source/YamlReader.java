package dev.dr.source;

import dev.dr.source.Problem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLParser;

/**
 * Reads one plan file into a tree that remembers where every node stands.
 *
 * <p>Plans are small and reviewed by people, so anything YAML allows that a reader could
 * misread is refused rather than interpreted: duplicate keys (Jackson would keep the last),
 * anchors and aliases (Jackson turns {@code *a} into the string "a", and they are how YAML
 * bombs grow), tags, several documents, files over 1 MiB, and bytes that are not UTF-8.
 * The tree is built from the token stream so each key and value keeps its line and column.
 */
public final class YamlReader {

    public static final int MAX_BYTES = 1 << 20;
    public static final int MAX_DEPTH = 64;

    private final YAMLFactory factory;

    public YamlReader() {
        LoadSettings settings = LoadSettings.builder()
                .setAllowDuplicateKeys(false)
                .setCodePointLimit(MAX_BYTES)
                .setMaxAliasesForCollections(0)
                .build();
        // Duplicate keys are reported by the tree builder below, with both lines.
        // A factory, not a mapper: the preview path stays off databind's mapper (start-up time).
        this.factory = YAMLFactory.builder()
                .loadSettings(settings)
                .disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    /** The result: a document, or the problems that kept it from being read. */
    public record Result(SourceDoc doc, List<Problem> problems) {
        public Result {
            problems = List.copyOf(problems);
        }
    }

    public Result read(Path file, String display) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                return fail(display, 1, 1, "file is " + size + " bytes; a plan may be at most "
                        + MAX_BYTES + " bytes (1 MiB)");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return fail(display, 0, 0, "file not found");
        } catch (IOException e) {
            return fail(display, 0, 0, "cannot read file: " + e.getMessage());
        }
        return parse(bytes, display, file);
    }

    /** Parses bytes already in memory; {@code file} may be null for in-memory plans. */
    public Result parse(byte[] bytes, String display, Path file) {
        if (bytes.length > MAX_BYTES) {
            return fail(display, 1, 1, "file is " + bytes.length + " bytes; a plan may be at most "
                    + MAX_BYTES + " bytes (1 MiB)");
        }
        String text;
        try {
            text = strictUtf8(bytes);
        } catch (CharacterCodingException e) {
            int offset = firstBadByte(bytes);
            int[] lc = lineColumn(bytes, offset);
            return fail(display, lc[0], lc[1], String.format(java.util.Locale.ROOT,
                    "not valid UTF-8 (byte 0x%02X at offset %d); save the plan as UTF-8",
                    bytes[offset] & 0xff, offset));
        }
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        LocatedTreeBuilder b = new LocatedTreeBuilder(display, "YAML", MAX_DEPTH, YamlReader::refuseAnchorsAliasesAndTags);
        try (JsonParser p = factory.createParser(tools.jackson.core.ObjectReadContext.empty(), text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return fail(display, 1, 1, "file is empty; a plan starts with apiVersion: dr/v1");
            }
            SourcePos rootPos = b.pos(p.currentTokenLocation());
            if (first != JsonToken.START_OBJECT) {
                return fail(display, rootPos.line(), rootPos.column(),
                        "expected a mapping (apiVersion, kind, ...) at the top of the plan");
            }
            JsonNode root = b.value(p, NodePath.ROOT, 0, null);
            List<Problem> problems = problems(b);
            if (problems.isEmpty()) {
                JsonToken next = p.nextToken();
                if (next != null) {
                    SourcePos at = b.pos(p.currentTokenLocation());
                    problems.add(Problem.error(Problem.Kind.YAML, at, NodePath.ROOT,
                            "a plan file holds exactly one YAML document; found another here"));
                }
            }
            if (!problems.isEmpty()) {
                return new Result(null, problems);
            }
            return new Result(new SourceDoc(file, display, (ObjectNode) root, b.positions()), List.of());
        } catch (LocatedTreeBuilder.TooDeep e) {
            return new Result(null, problems(b));
        } catch (JacksonException e) {
            TokenStreamLocation loc = e.getLocation();
            int line = loc == null ? 1 : Math.max(1, loc.getLineNr());
            int col = loc == null ? 1 : Math.max(1, loc.getColumnNr());
            String message = firstLine(e.getOriginalMessage());
            if (e.getCause() instanceof MarkedYamlEngineException m && m.getProblemMark().isPresent()) {
                // snakeyaml's own words say what was expected where; Jackson's summary does not
                line = m.getProblemMark().get().getLine() + 1;
                col = m.getProblemMark().get().getColumn() + 1;
                message = firstLine(m.getContext()) + ": " + firstLine(m.getProblem());
            }
            List<Problem> all = problems(b);
            all.add(Problem.error(Problem.Kind.YAML, new SourcePos(display, line, col), NodePath.ROOT,
                    "YAML syntax error: " + message));
            return new Result(null, all);
        }
    }

    private static Result fail(String display, int line, int col, String message) {
        return new Result(null, List.of(Problem.error(Problem.Kind.YAML,
                new SourcePos(display, line, col), NodePath.ROOT, message)));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable input";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip();
    }

    private static String strictUtf8(byte[] bytes) throws CharacterCodingException {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        return d.decode(ByteBuffer.wrap(bytes)).toString();
    }

    private static int firstBadByte(byte[] bytes) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
        java.nio.charset.CoderResult r = d.decode(in, out, true);
        return r.isError() ? in.position() : 0;
    }

    private static int[] lineColumn(byte[] bytes, int offset) {
        int line = 1;
        int col = 1;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
                col = 1;
            } else if ((bytes[i] & 0xC0) != 0x80) {
                col++;
            }
        }
        return new int[] {line, col};
    }

    /** Plans may not use anchors, aliases or tags: a reader could misread them. */
    private static void refuseAnchorsAliasesAndTags(JsonParser parser, NodePath path, SourcePos at,
            List<LocatedTreeBuilder.Issue> issues) {
        YAMLParser p = (YAMLParser) parser;
        if (p.isCurrentAlias()) {
            issues.add(new LocatedTreeBuilder.Issue(at, path,
                    "aliases (*" + p.getString() + ") are not allowed in plans; write the value out, or use extends"));
            return;
        }
        Object anchor = p.getObjectId();
        if (anchor != null) {
            issues.add(new LocatedTreeBuilder.Issue(at, path,
                    "anchors (&" + anchor + ") are not allowed in plans; write the value out, or use extends"));
        }
        String tag = p.getRawTag();
        if (tag != null && !tag.isEmpty()) {
            tag = tag.replace("tag:yaml.org,2002:", "!!");
            issues.add(new LocatedTreeBuilder.Issue(at, path, "tags (" + tag + ") are not allowed in plans; quote the value instead"));
        }
    }

    private static List<Problem> problems(LocatedTreeBuilder b) {
        List<Problem> out = new ArrayList<>();
        for (LocatedTreeBuilder.Issue i : b.issues()) {
            out.add(Problem.error(Problem.Kind.YAML, i.at(), i.path(), i.message()));
        }
        return out;
    }
}
