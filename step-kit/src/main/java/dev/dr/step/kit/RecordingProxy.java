package dev.dr.step.kit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A server on loopback that forwards every request to a real server and keeps a log of them,
 * passing bodies through byte for byte. WireMock's proxy cannot stand here: it inflates every
 * request body that starts like gzip, with no option to stop it, so a .tar.gz upload would
 * reach the server as its tar. Built on the JDK's HTTP server and client, which leave bodies as
 * they are.
 */
public final class RecordingProxy implements AutoCloseable {

    // hop-by-hop headers, and those the JDK's client sets itself
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "expect", "host",
            "keep-alive", "transfer-encoding", "upgrade", "date");

    private final HttpServer server;
    private final ExecutorService threads;
    private final URI target;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<ServerRequest> received = new ArrayList<>();

    private RecordingProxy(URI target) throws IOException {
        this.target = target;
        threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "recording-proxy");
            t.setDaemon(true);
            return t;
        });
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::forward);
        server.start();
    }

    /** Starts a proxy in front of {@code target} (scheme, host and port; its path is ignored). */
    public static RecordingProxy start(URI target) throws IOException {
        return new RecordingProxy(target);
    }

    /** Where to send requests meant for the target. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The requests forwarded since the last call, oldest first. */
    public RequestLog requests() {
        return () -> {
            synchronized (received) {
                List<ServerRequest> out = List.copyOf(received);
                received.clear();
                return out;
            }
        };
    }

    private void forward(HttpExchange in) throws IOException {
        try (in) {
            byte[] body = in.getRequestBody().readAllBytes();
            String method = in.getRequestMethod();
            URI uri = in.getRequestURI();
            synchronized (received) {
                received.add(ServerRequest.of(method, uri.getRawPath(), in.getRequestHeaders().getFirst("X-Amz-Target"),
                        in.getRequestHeaders().getFirst("Content-Type"), () -> new String(body, StandardCharsets.UTF_8)));
            }
            HttpRequest.Builder out = HttpRequest.newBuilder(target.resolve(uri.getRawPath()
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())))
                    .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            in.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> out.header(name, v));
                }
            });
            HttpResponse<byte[]> answer;
            try {
                answer = client.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                in.sendResponseHeaders(503, -1);
                return;
            } catch (IOException e) {
                in.sendResponseHeaders(502, -1);
                return;
            }
            answer.headers().map().forEach((name, values) -> {
                // a HEAD answer's Content-Length is the object's size: the only length kept as is
                boolean length = name.equalsIgnoreCase("content-length");
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) || (length && method.equals("HEAD"))) {
                    in.getResponseHeaders().put(name, values);
                }
            });
            byte[] bytes = answer.body();
            in.sendResponseHeaders(answer.statusCode(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream o = in.getResponseBody()) {
                    o.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
