package dev.dr.step.kit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Loopback HTTP servers for contract tests, made with WireMock: one that refuses everything, and
 * the request log of it or of a WireMock server of AWS API stubs. In front of a real server,
 * {@link RecordingProxy} records what it is asked.
 */
public final class WireMockServers {
    private WireMockServers() {}

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
                out.add(ServerRequest.of(r.getMethod().getName(), URI.create(r.getUrl()).getPath(),
                        r.getHeader("X-Amz-Target"), r.getHeader("Content-Type"), r::getBodyAsString));
            }
            return out;
        };
    }
}
