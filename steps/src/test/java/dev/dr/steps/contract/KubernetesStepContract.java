package dev.dr.steps.contract;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.dr.step.kit.ContractDrill;
import dev.dr.step.kit.RequestLog;
import dev.dr.step.kit.ServerRequest;
import dev.dr.step.kit.StepContract;
import dev.dr.step.kit.WireMockServers;
import dev.dr.steps.EarlierRun;
import dev.dr.steps.sandbox.DefaultingApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The step contract for steps that talk to Kubernetes: the sandbox's defaulting API server on
 * loopback, reached through a kubeconfig that an earlier run's receipt names; refused by a
 * server that answers every request 403 Forbidden, as an API server does to a user without RBAC.
 */
@ExtendWith(DefaultingApiServer.class)
abstract class KubernetesStepContract extends StepContract {

    KubernetesMockServer server;
    KubernetesClient client;
    private final List<WireMockServer> refusers = new ArrayList<>();

    @AfterEach
    void stopRefusers() {
        refusers.forEach(WireMockServer::stop);
    }

    /** The phase the step runs in; validate unless the step belongs elsewhere. */
    String phase() {
        return "validate";
    }

    @Override
    protected ContractDrill drill() throws Exception {
        return drillAt(client.getMasterUrl().toString());
    }

    @Override
    protected ContractDrill refusingDrill() throws Exception {
        WireMockServer refuser = WireMockServers.refusing(403, "application/json",
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"forbidden\","
                        + "\"reason\":\"Forbidden\",\"code\":403}");
        refusers.add(refuser);
        return drillAt(refuser.baseUrl());
    }

    private ContractDrill drillAt(String url) throws Exception {
        Path dir = Files.createDirectories(contractDir.resolve("cluster-" + URI.create(url).getPort()));
        Path kubeconfig = EarlierRun.kubeconfig(dir.resolve("kubeconfig.yaml"), url);
        return ContractDrill.of(phase(), Map.of("kubeconfig", kubeconfig.toString())).withPhase("timeout: 30s");
    }

    @Override
    protected RequestLog requests() {
        return () -> {
            List<ServerRequest> out = new ArrayList<>();
            RecordedRequest r;
            while ((r = server.takeRequest(50, TimeUnit.MILLISECONDS)) != null) {
                out.add(ServerRequest.rest(r.getMethod(), r.getPath()));
            }
            return out;
        };
    }
}
