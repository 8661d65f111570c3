package dev.dr.step.kit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Loopback HTTP servers for contract tests, made with WireMock: one that stands in front of a
 * real server and records what it is asked, one that refuses everything, and the request log of
 * either (or of a WireMock server of AWS API stubs).
 */
public final class WireMockServers {
    private WireMockServers() {}

    /**
     * A server on loopback that forwards every request to {@code target} and keeps a log of them.
     * Not transparent for every body: WireMock forwards a gzip request body inflated (a .tar.gz
     * upload arrives as its tar), so a step that uploads gzip data needs another way to be counted.
     */
    public static WireMockServer recordingProxy(URI target) {
        WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(target.toString())));
        return server;
    }

    /** A server on loopback that answers every request with {@code status} and {@code body}. */
    public static WireMockServer refusing(int status, String contentType, String body) {
        WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", contentType).withBody(body)));
        return server;
    }

    /** The requests {@code server} received since the last call, with the AWS action each names. */
    public static RequestLog requests(WireMockServer server) {
        return () -> {
            List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
            server.resetRequests();
            events.sort(Comparator.comparing(e -> e.getRequest().getLoggedDate()));
            List<ServerRequest> out = new ArrayList<>();
            for (ServeEvent e : events) {
                LoggedRequest r = e.getRequest();
                out.add(new ServerRequest(r.getMethod().getName(), URI.create(r.getUrl()).getPath(), action(r)));
            }
            return out;
        };
    }

    /** The action of an AWS query-protocol form ({@code Action=}) or JSON-protocol target header. */
    private static Optional<String> action(LoggedRequest r) {
        String target = r.getHeader("X-Amz-Target");
        if (target != null && !target.isEmpty()) {
            return Optional.of(target.substring(target.lastIndexOf('.') + 1));
        }
        String type = r.getHeader("Content-Type");
        if (type != null && type.startsWith("application/x-www-form-urlencoded")) {
            for (String pair : r.getBodyAsString().split("&")) {
                if (pair.startsWith("Action=")) {
                    return Optional.of(URLDecoder.decode(pair.substring(7), StandardCharsets.UTF_8));
                }
            }
        }
        return Optional.empty();
    }
}
