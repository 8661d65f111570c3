package dev.dr.json;

import java.io.InputStream;
import java.io.StringWriter;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes JSON trees with Jackson's streaming API only. Building a databind
 * {@code JsonMapper} loads some 400 classes and costs ~300 ms at start-up; the preview path
 * needs trees, not data binding, so it stays on the factory (docs/performance.md).
 */
public final class JsonTrees {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTrees() {}

    public static JsonNode read(InputStream in) {
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), in)) {
            return readRoot(p);
        }
    }

    public static JsonNode read(String json) {
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), json)) {
            return readRoot(p);
        }
    }

    /** Compact JSON, keys in the tree's order. */
    public static String compact(JsonNode node) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), w)) {
            write(g, node);
        }
        return w.toString();
    }

    private static JsonNode readRoot(JsonParser p) {
        if (p.nextToken() == null) {
            throw new IllegalArgumentException("empty JSON document");
        }
        return value(p);
    }

    private static JsonNode value(JsonParser p) {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                ObjectNode o = NODES.objectNode();
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    o.set(key, value(p));
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = NODES.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(value(p));
                }
                return a;
            }
            case VALUE_STRING:
                return NODES.textNode(p.getString());
            case VALUE_NUMBER_INT:
                // the smallest node that holds the value, as databind makes it
                switch (p.getNumberType()) {
                    case INT:
                        return NODES.numberNode(p.getIntValue());
                    case LONG:
                        return NODES.numberNode(p.getLongValue());
                    default:
                        return NODES.numberNode(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE:
            case VALUE_FALSE:
                return NODES.booleanNode(t == JsonToken.VALUE_TRUE);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new IllegalArgumentException("unexpected JSON token " + t);
        }
    }

    private static void write(JsonGenerator g, JsonNode n) {
        if (n.isObject()) {
            g.writeStartObject();
            for (var e : n.properties()) {
                g.writeName(e.getKey());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (n.isArray()) {
            g.writeStartArray();
            for (JsonNode c : n) {
                write(g, c);
            }
            g.writeEndArray();
        } else if (n.isString()) {
            g.writeString(n.asString());
        } else if (n.isBoolean()) {
            g.writeBoolean(n.asBoolean());
        } else if (n.isNull()) {
            g.writeNull();
        } else if (n.isIntegralNumber()) {
            g.writeNumber(n.bigIntegerValue());
        } else if (n.isDouble() || n.isFloat()) {
            g.writeNumber(n.doubleValue());
        } else if (n.isNumber()) {
            g.writeNumber(n.decimalValue());
        } else {
            throw new IllegalArgumentException("cannot write JSON node of type " + n.getNodeType());
        }
    }
}
