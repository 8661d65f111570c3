package dev.dr.steps.aws.ecr;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The ECR API on loopback (WireMock), in its JSON 1.1 wire format: the operation in the
 * {@code X-Amz-Target} header, JSON answers, errors as {@code __type} with HTTP 400. Public so
 * that the command's tests use the same stand-in.
 */
public final class EcrStub implements AutoCloseable {
    public static final String ACCOUNT = "048622080012";
    public static final String HOST = ACCOUNT + ".dkr.ecr.us-east-1.amazonaws.com";
    public static final String IMAGE = HOST + "/jobintel@sha256:" + "d".repeat(64);

    static final String TARGET = "AmazonEC2ContainerRegistry_V20150921.";
    static final String JSON = "application/x-amz-json-1.1";

    private final WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));

    public EcrStub() {
        server.start();
        repository("jobintel");
    }

    public URI endpoint() {
        return URI.create(server.baseUrl());
    }

    /** GetAuthorizationToken answers a token for {@code AWS:password}. */
    public void token(String password, Instant expiresAt) {
        String token = Base64.getEncoder().encodeToString(("AWS:" + password).getBytes(StandardCharsets.UTF_8));
        answer("GetAuthorizationToken", 200, "{\"authorizationData\":[{\"authorizationToken\":\"" + token + "\",\"expiresAt\":"
                + expiresAt.getEpochSecond() + ".0,\"proxyEndpoint\":\"https://" + HOST + "\"}]}");
    }

    /** DescribeRepositories knows {@code name}. */
    public void repository(String name) {
        answer("DescribeRepositories", 200, "{\"repositories\":[{\"registryId\":\"" + ACCOUNT + "\",\"repositoryName\":\"" + name
                + "\",\"repositoryArn\":\"arn:aws:ecr:us-east-1:" + ACCOUNT + ":repository/" + name + "\",\"repositoryUri\":\""
                + HOST + "/" + name + "\",\"createdAt\":1.7E9}]}");
    }

    /** {@code operation} fails as ECR fails a call the credentials may not make. */
    public void accessDenied(String operation) {
        answer(operation, 400, "{\"__type\":\"AccessDeniedException\",\"message\":\"User: arn:aws:iam::" + ACCOUNT
                + ":user/drill is not authorized to perform: ecr:" + operation + " on resource: *\"}");
    }

    public void answer(String operation, int status, String body) {
        server.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(TARGET + operation))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", JSON).withBody(body)));
    }

    /** How many calls of {@code operation} reached the server. */
    public int calls(String operation) {
        return server.findAll(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(TARGET + operation))).size();
    }

    /** The operations called, in order. */
    public List<String> operations() {
        List<String> out = new ArrayList<>();
        server.getAllServeEvents().forEach(e -> out.add(0, String.valueOf(e.getRequest().getHeader("X-Amz-Target"))
                .replace(TARGET, "")));
        return out;
    }

    @Override
    public void close() {
        server.stop();
    }

    /**
     * The forms a password takes in text a leak could put it in: itself, and inside any base64
     * text (alone, after {@code AWS:}, or anywhere in an encoded document), at each of the three
     * alignments, without the edge characters its neighbours decide.
     */
    public static List<String> leakForms(String password) {
        List<String> out = new ArrayList<>(List.of(password));
        for (String prefix : List.of("", "x", "xy")) {
            String b64 = Base64.getEncoder().encodeToString((prefix + password).getBytes(StandardCharsets.UTF_8));
            out.add(b64.substring(prefix.isEmpty() ? 0 : 4, b64.length() - 4));
        }
        return out;
    }
}
