package dev.dr.step.kit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy hands a gzip upload on as it came, answers as the server did, and logs each request. */
class RecordingProxyTest {

    HttpServer target;
    RecordingProxy proxy;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        // answers a PUT with the SHA-256 of the body it got, a HEAD with the size of an object
        target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        target.createContext("/", x -> {
            try (x) {
                byte[] body = x.getRequestBody().readAllBytes();
                if (x.getRequestMethod().equals("HEAD")) {
                    x.getResponseHeaders().set("Content-Length", "846");
                    x.getResponseHeaders().set("ETag", "\"abc\"");
                    x.sendResponseHeaders(200, -1);
                    return;
                }
                byte[] answer = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body))
                        .getBytes(StandardCharsets.UTF_8);
                x.getResponseHeaders().set("Content-Type", "text/plain");
                x.sendResponseHeaders(201, answer.length);
                try (OutputStream o = x.getResponseBody()) {
                    o.write(answer);
                }
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        });
        target.start();
        proxy = RecordingProxy.start(URI.create("http://127.0.0.1:" + target.getAddress().getPort()));
    }

    @AfterEach
    void stop() {
        proxy.close();
        target.stop(0);
    }

    @Test
    void aGzipBodyReachesTheServerByteForByte() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            z.write("a tar, say\n".repeat(500).getBytes(StandardCharsets.UTF_8));
        }
        byte[] upload = gz.toByteArray();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(proxy.endpoint().resolve("/bucket/b.tar.gz?x-id=PutObject"))
                .header("Content-Type", "application/gzip").PUT(HttpRequest.BodyPublishers.ofByteArray(upload)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(r.body()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(upload)));
        assertThat(proxy.requests().take()).containsExactly(ServerRequest.rest("PUT", "/bucket/b.tar.gz"));
        assertThat(proxy.requests().take()).as("taken once").isEmpty();
    }

    @Test
    void aHeadAnswerKeepsTheObjectsLength() throws Exception {
        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(proxy.endpoint().resolve("/bucket/b.tar.gz"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Length")).hasValue("846");
        assertThat(r.headers().firstValue("ETag")).hasValue("\"abc\"");
        List<ServerRequest> log = proxy.requests().take();
        assertThat(log).containsExactly(ServerRequest.rest("HEAD", "/bucket/b.tar.gz"));
        assertThat(log.get(0).mutating()).isFalse();
    }

    @Test
    void aQueryProtocolActionIsLogged() throws Exception {
        client.send(HttpRequest.newBuilder(proxy.endpoint().resolve("/"))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("Action=DescribeInstances&Version=2016-11-15")).build(),
                HttpResponse.BodyHandlers.discarding());

        List<ServerRequest> log = proxy.requests().take();
        assertThat(log).extracting(ServerRequest::toString).containsExactly("POST / (DescribeInstances)");
        assertThat(log.get(0).mutating()).isFalse();
    }
}
