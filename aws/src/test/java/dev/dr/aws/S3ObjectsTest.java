package dev.dr.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.dr.sandbox.LocalS3;
import dev.dr.step.ErrorClass;
import dev.dr.step.StepFailure;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The S3 operations against S3Proxy on loopback, and the SDK's retries against a server that fails. */
class S3ObjectsTest {

    static LocalS3 server;

    @BeforeAll
    static void start() throws Exception {
        server = LocalS3.start(null);
        server.createBucket("drill-artifacts");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static S3Settings local() {
        return new S3Settings(Optional.of("us-east-1"), Optional.of(server.endpoint()), true);
    }

    @Test
    void roundTripOnARealServer() throws Exception {
        try (S3Objects s3 = new S3Objects(S3Clients.open(local(), false))) {
            S3Uri a = S3Uri.parse("s3://drill-artifacts/jobintel/a.txt");
            assertThat(s3.size(a)).isEmpty();
            assertThat(s3.readSmall(a)).isEmpty();
            s3.put(a, "hello".getBytes(StandardCharsets.UTF_8), "text/plain");
            assertThat(s3.size(a)).contains(5L);
            try (InputStream in = s3.open(a)) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
            }
            S3Uri copy = S3Uri.parse("s3://drill-artifacts/jobintel/sub/b.txt");
            s3.copy(a, copy);
            assertThat(s3.list(S3Uri.parse("s3://drill-artifacts/jobintel")))
                    .extracting(o -> o.key()).containsExactly("jobintel/a.txt", "jobintel/sub/b.txt");
            s3.delete(copy);
            assertThat(s3.size(copy)).isEmpty();
            assertThatThrownBy(() -> s3.open(S3Uri.parse("s3://drill-artifacts/missing")))
                    .isInstanceOf(StepFailure.class)
                    .hasMessageStartingWith("GET s3://drill-artifacts/missing: NoSuchKey")
                    .extracting(t -> ((StepFailure) t).errorClass()).isEqualTo(ErrorClass.NOT_FOUND);
        }
    }

    @Test
    void aReadOnlyClientRefusesWritesBeforeSendingThem() throws Exception {
        S3Uri k = S3Uri.parse("s3://drill-artifacts/jobintel/read-only.txt");
        try (S3Objects s3 = new S3Objects(S3Clients.open(local(), true))) {
            assertThat(s3.size(k)).isEmpty();
            assertThatThrownBy(() -> s3.put(k, new byte[] {1}, "application/octet-stream"))
                    .hasMessageContaining("a preview may only read: refused PUT /drill-artifacts/jobintel/read-only.txt");
            assertThatThrownBy(() -> s3.delete(k)).hasMessageContaining("refused DELETE");
        }
        try (S3Objects s3 = new S3Objects(S3Clients.open(local(), false))) {
            assertThat(s3.size(k)).as("nothing reached the server").isEmpty();
        }
    }

    @Test
    void throttlingAndServerErrorsAreRetriedByTheSdkThenClassified() throws Exception {
        assertFailure(503, "SlowDown", ErrorClass.THROTTLED,
                "GET s3://drill-artifacts/k: SlowDown (HTTP 503), still throttled after the SDK's retries");
        assertFailure(500, "InternalError", ErrorClass.UNAVAILABLE,
                "GET s3://drill-artifacts/k: InternalError (HTTP 500), still failing after the SDK's retries");
    }

    @Test
    void accessDeniedIsPermanentAndNotRetried() throws Exception {
        int requests = assertFailure(403, "AccessDenied", ErrorClass.PERMANENT,
                "GET s3://drill-artifacts/k: AccessDenied (HTTP 403): access denied for the current AWS credentials");
        assertThat(requests).isEqualTo(1);
    }

    @Test
    void uriParsingSaysWhatItExpects() {
        assertThat(S3Uri.parse("s3://b-1/p/q/").toString()).isEqualTo("s3://b-1/p/q");
        assertThat(S3Uri.parse("s3://b-1").resolve("x/y").key()).isEqualTo("x/y");
        assertThatThrownBy(() -> S3Uri.parse("https://b/k"))
                .hasMessage("'https://b/k' is not an s3:// URI (expected s3://<bucket>/<key>)");
        assertThatThrownBy(() -> S3Uri.parse("s3://Bad_Bucket/k"))
                .hasMessageStartingWith("'Bad_Bucket' is not an S3 bucket name");
    }

    /** Serves every request with the S3 error document of {@code code}; returns how many requests came. */
    static int assertFailure(int status, String code, ErrorClass expected, String message) throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", ex -> {
            requests.incrementAndGet();
            byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code
                    + "</Code><Message>test</Message><RequestId>1</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/xml");
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        http.start();
        try (S3Objects s3 = new S3Objects(S3Clients.open(new S3Settings(Optional.of("us-east-1"),
                Optional.of(URI.create("http://127.0.0.1:" + http.getAddress().getPort())), true), false))) {
            assertThatThrownBy(() -> s3.open(S3Uri.parse("s3://drill-artifacts/k")))
                    .isInstanceOf(StepFailure.class)
                    .hasMessage(message)
                    .extracting(t -> ((StepFailure) t).errorClass()).isEqualTo(expected);
        } finally {
            http.stop(0);
        }
        if (expected != ErrorClass.PERMANENT) {
            assertThat(requests.get()).as("the SDK retried before giving up").isGreaterThan(1);
        }
        return requests.get();
    }
}
