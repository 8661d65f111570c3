package dev.dr.docs;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A minimal Language Server Protocol client over a server's stdin and stdout: JSON-RPC
 * messages framed by {@code Content-Length} headers. It answers the requests the server sends
 * (configuration, capability registration) and keeps the diagnostics it publishes.
 */
final class LspClient implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Process process;
    private final OutputStream toServer;
    private final ObjectNode yamlSettings;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<String, List<JsonNode>> diagnostics = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile Throwable readerFailure;

    LspClient(List<String> command, Path stderrLog, ObjectNode yamlSettings) throws IOException {
        this.yamlSettings = yamlSettings;
        process = new ProcessBuilder(command).redirectError(stderrLog.toFile()).start();
        toServer = process.getOutputStream();
        reader = new Thread(this::readLoop, "lsp-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Sends a request and waits for its result; fails on an error answer or a timeout. */
    JsonNode request(String method, JsonNode params, Duration timeout) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode msg = F.objectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
        msg.set("params", params);
        send(msg);
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(method + ": no answer from the language server within " + timeout.toSeconds()
                    + " s" + readerState());
        }
    }

    void notify(String method, JsonNode params) throws IOException {
        ObjectNode msg = F.objectNode().put("jsonrpc", "2.0").put("method", method);
        msg.set("params", params);
        send(msg);
    }

    /** The last diagnostics the server published for a document, waiting for the first. */
    List<JsonNode> diagnostics(String uri, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<JsonNode> d = diagnostics.get(uri);
            if (d != null) {
                return d;
            }
            if (!process.isAlive()) {
                throw new AssertionError("the language server exited with " + process.exitValue() + readerState());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no diagnostics published for " + uri + " within " + timeout.toSeconds() + " s"
                + readerState());
    }

    private String readerState() {
        return readerFailure == null ? "" : " (reading its output failed: " + readerFailure + ")";
    }

    private synchronized void send(JsonNode msg) throws IOException {
        byte[] body = JSON.writeValueAsBytes(msg);
        toServer.write(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        toServer.write(body);
        toServer.flush();
    }

    private void readLoop() {
        try (InputStream in = new BufferedInputStream(process.getInputStream())) {
            while (true) {
                int length = contentLength(in);
                if (length < 0) {
                    return;
                }
                byte[] body = in.readNBytes(length);
                if (body.length < length) {
                    return;
                }
                dispatch(JSON.readTree(body));
            }
        } catch (Throwable t) {
            readerFailure = t;
        }
    }

    /** Reads one header block; -1 at the end of the stream. */
    private static int contentLength(InputStream in) throws IOException {
        int length = -1;
        while (true) {
            String line = headerLine(in);
            if (line == null) {
                return -1;
            }
            if (line.isEmpty()) {
                if (length < 0) {
                    throw new IOException("a message without Content-Length");
                }
                return length;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                length = Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
    }

    private static String headerLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                String s = line.toString(StandardCharsets.US_ASCII);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(c);
        }
        return null;
    }

    private void dispatch(JsonNode msg) throws IOException {
        boolean hasId = msg.has("id") && !msg.get("id").isNull();
        String method = msg.path("method").asString(null);
        if (method == null && hasId) {
            CompletableFuture<JsonNode> answer = pending.remove(msg.get("id").asInt());
            if (answer != null) {
                if (msg.has("error")) {
                    answer.completeExceptionally(new AssertionError("language server error: " + msg.get("error")));
                } else {
                    answer.complete(msg.path("result"));
                }
            }
        } else if (method != null && hasId) {
            ObjectNode reply = F.objectNode().put("jsonrpc", "2.0");
            reply.set("id", msg.get("id"));
            reply.set("result", "workspace/configuration".equals(method) ? configuration(msg.path("params")) : F.nullNode());
            send(reply);
        } else if ("textDocument/publishDiagnostics".equals(method)) {
            List<JsonNode> list = new ArrayList<>();
            msg.path("params").path("diagnostics").forEach(list::add);
            diagnostics.put(msg.path("params").path("uri").asString(), List.copyOf(list));
        }
    }

    /** One settings object per item asked for: ours for the yaml section, empty for the others. */
    private JsonNode configuration(JsonNode params) {
        ArrayNode out = F.arrayNode();
        for (JsonNode item : params.path("items")) {
            out.add("yaml".equals(item.path("section").asString("")) ? yamlSettings : F.objectNode());
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        try {
            request("shutdown", F.nullNode(), Duration.ofSeconds(20));
            notify("exit", F.nullNode());
        } catch (Throwable ignored) {
            // the server is stopped below either way
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
