package dev.dr.steps.contract;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.dr.aws.S3Clients;
import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Settings;
import dev.dr.sandbox.DefaultingApiServer;
import dev.dr.sandbox.LocalS3;
import dev.dr.step.kit.ContractDrill;
import dev.dr.step.kit.RecordingProxy;
import dev.dr.step.kit.RequestLog;
import dev.dr.step.kit.ServerRequest;
import dev.dr.step.kit.StepContract;
import dev.dr.step.kit.WireMockServers;
import dev.dr.steps.EarlierRun;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The step contract for dr's built-in steps, against the servers the sandbox runs: its
 * defaulting Kubernetes API server and S3Proxy (with bucket {@value #BUCKET}) on loopback, the
 * latter behind a recording proxy so its requests can be counted. An earlier run's receipt names
 * them ({@code kubeconfig}, {@code s3.endpoint}). The refusing drill points both at servers that
 * answer 403, as a cluster without RBAC for the user and a bucket policy that denies do.
 * A step's contract test extends this, and seeds what its step reads in a {@code @BeforeEach}.
 */
@ExtendWith(DefaultingApiServer.class)
public abstract class LoopbackStepContract extends StepContract {

    public static final String BUCKET = "drill-artifacts";

    protected KubernetesMockServer server;
    protected KubernetesClient client;
    protected LocalS3 s3;
    private RecordingProxy s3Recorder;
    private final List<WireMockServer> refusers = new ArrayList<>();

    @BeforeEach
    void startS3() throws Exception {
        s3 = LocalS3.start(null);
        s3.createBucket(BUCKET);
        s3Recorder = RecordingProxy.start(s3.endpoint());
    }

    @AfterEach
    void stopServers() {
        refusers.forEach(WireMockServer::stop);
        if (s3Recorder != null) {
            s3Recorder.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    /** The phase the step runs in. */
    protected String phase() {
        return "validate";
    }

    /** The plan's inputs. */
    protected Map<String, String> inputs() {
        return Map.of("bucket", BUCKET, "prefix", "jobintel");
    }

    /** The drill with anything else the step's phase needs (run flags, an approval). */
    protected ContractDrill around(ContractDrill drill) {
        return drill;
    }

    /** S3 as the test's own setup sees it, straight to S3Proxy (not counted). */
    protected S3Objects s3Objects() {
        return new S3Objects(S3Clients.open(new S3Settings(Optional.of("us-east-1"), Optional.of(s3.endpoint()), true), false));
    }

    @Override
    protected ContractDrill drill() throws Exception {
        return drillAt(client.getMasterUrl().toString(), s3Recorder.endpoint());
    }

    @Override
    protected ContractDrill refusingDrill() throws Exception {
        WireMockServer kube = WireMockServers.refusing(403, "application/json",
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"forbidden\","
                        + "\"reason\":\"Forbidden\",\"code\":403}");
        WireMockServer bucket = WireMockServers.refusing(403, "application/xml",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code>"
                        + "<Message>Access Denied</Message></Error>");
        refusers.add(kube);
        refusers.add(bucket);
        return drillAt(kube.baseUrl(), URI.create(bucket.baseUrl()));
    }

    private ContractDrill drillAt(String kube, URI s3Endpoint) throws Exception {
        Path dir = Files.createDirectories(contractDir.resolve("cluster-" + URI.create(kube).getPort()));
        Path kubeconfig = EarlierRun.kubeconfig(dir.resolve("kubeconfig.yaml"), kube);
        return around(ContractDrill.of(phase(), Map.of("kubeconfig", kubeconfig.toString(),
                "s3.endpoint", s3Endpoint.toString())).withInputs(inputs()).withPhase("timeout: 30s"));
    }

    @Override
    protected RequestLog requests() {
        RequestLog bucket = s3Recorder.requests();
        return () -> {
            List<ServerRequest> out = new ArrayList<>();
            RecordedRequest r;
            while ((r = server.takeRequest(50, TimeUnit.MILLISECONDS)) != null) {
                out.add(ServerRequest.rest(r.getMethod(), r.getPath()));
            }
            out.addAll(bucket.take());
            return out;
        };
    }
}
