package dev.dr.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * AWS APIs on loopback for tests: a WireMock server that answers in each API's own wire
 * format, so the SDK's real unmarshallers read the answers. Query-protocol APIs (STS, EC2,
 * and others such as IAM or SNS) receive a form-encoded POST naming the operation in
 * {@code Action=} and answer XML; JSON APIs (ECR, Step Functions, DynamoDB) name it in the
 * {@code X-Amz-Target} header and answer JSON. Stubs match on the operation, so a call no
 * test expected gets WireMock's 404 instead of an answer meant for another call, and every
 * request is logged, matched or not, so tests can count what reached the server.
 *
 * <p>The helpers for particular operations build the documents as AWS sends them; for an
 * operation without a helper, use {@link #query}, {@link #json} and the error helpers.
 */
public final class AwsStubs implements AutoCloseable {

    public static final String STS_XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/";
    public static final String EC2_XMLNS = "http://ec2.amazonaws.com/doc/2016-11-15/";
    /** X-Amz-Target prefix of ECR's operations. */
    public static final String ECR = "AmazonEC2ContainerRegistry_V20150921";
    public static final String JSON_11 = "application/x-amz-json-1.1";

    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

    /** Stubs for a later page (matched on their token) win over the first page's. */
    private static final int PAGE_PRIORITY = 1;
    private static final int DEFAULT_PRIORITY = 5;

    private final WireMockServer server;

    private AwsStubs(WireMockServer server) {
        this.server = server;
    }

    /** Starts a server on a free loopback port; close it after the test. */
    public static AwsStubs start() {
        WireMockServer s = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        s.start();
        return new AwsStubs(s);
    }

    /** The endpoint to give the clients, e.g. as receipt output {@code aws.endpoint}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** Client settings for this server: region us-east-1, unsigned requests. */
    public S3Settings settings() {
        return settings("us-east-1");
    }

    public S3Settings settings(String region) {
        return new S3Settings(Optional.ofNullable(region), Optional.of(endpoint()), true);
    }

    /** The server itself, for stubs and checks the helpers do not cover. */
    public WireMockServer server() {
        return server;
    }

    @Override
    public void close() {
        server.stop();
    }

    // ---- any operation -------------------------------------------------------------------

    /** A query-protocol operation ({@code Action=action}) answering {@code xml} with {@code status}. */
    public void query(String action, int status, String xml) {
        server.stubFor(queryRequest(action).atPriority(DEFAULT_PRIORITY).willReturn(xmlAnswer(status, xml)));
    }

    /** A JSON-protocol operation ({@code X-Amz-Target: target}, e.g. {@code ECR + ".BatchGetImage"}) answering {@code body}. */
    public void json(String target, int status, String body) {
        server.stubFor(jsonRequest(target).atPriority(DEFAULT_PRIORITY).willReturn(jsonAnswer(status, body)));
    }

    /** The request pattern of a query-protocol operation, to refine with more conditions. */
    public static MappingBuilder queryRequest(String action) {
        return post(urlPathEqualTo("/")).withFormParam("Action", equalTo(action));
    }

    /** The request pattern of a JSON-protocol operation, to refine with more conditions. */
    public static MappingBuilder jsonRequest(String target) {
        return post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo(target));
    }

    /** An error of the AWS query protocol (STS, IAM, SNS…): {@code <ErrorResponse><Error><Code>}. */
    public void queryError(String action, int status, String code, String message) {
        query(action, status, "<ErrorResponse xmlns=\"" + STS_XMLNS + "\">\n"
                + "  <Error>\n    <Type>" + (status >= 500 ? "Receiver" : "Sender") + "</Type>\n"
                + "    <Code>" + esc(code) + "</Code>\n    <Message>" + esc(message) + "</Message>\n  </Error>\n"
                + "  <RequestId>" + requestId() + "</RequestId>\n</ErrorResponse>\n");
    }

    /** An error of EC2's query protocol: {@code <Response><Errors><Error><Code>}. */
    public void ec2Error(String action, int status, String code, String message) {
        query(action, status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + esc(code)
                + "</Code><Message>" + esc(message) + "</Message></Error></Errors><RequestID>" + requestId()
                + "</RequestID></Response>");
    }

    /** An error of the JSON protocol: {@code {"__type": type, "message": …}}. */
    public void jsonError(String target, int status, String type, String message) {
        server.stubFor(jsonRequest(target).atPriority(DEFAULT_PRIORITY).willReturn(jsonAnswer(status,
                "{\"__type\":\"" + jsonEsc(type) + "\",\"message\":\"" + jsonEsc(message) + "\"}")
                .withHeader("x-amzn-ErrorType", type)));
    }

    // ---- STS ---------------------------------------------------------------------------

    /** sts:GetCallerIdentity answering {@code account}, as an assumed role of it. */
    public void stsCallerIdentity(String account) {
        stsCallerIdentity(account, "arn:aws:sts::" + account + ":assumed-role/dr-operator/drill");
    }

    public void stsCallerIdentity(String account, String arn) {
        query("GetCallerIdentity", 200, "<GetCallerIdentityResponse xmlns=\"" + STS_XMLNS + "\">\n"
                + "  <GetCallerIdentityResult>\n"
                + "    <Arn>" + esc(arn) + "</Arn>\n"
                + "    <UserId>AROAEXAMPLEID:drill</UserId>\n"
                + "    <Account>" + esc(account) + "</Account>\n"
                + "  </GetCallerIdentityResult>\n"
                + "  <ResponseMetadata>\n    <RequestId>" + requestId() + "</RequestId>\n  </ResponseMetadata>\n"
                + "</GetCallerIdentityResponse>\n");
    }

    // ---- EC2 ---------------------------------------------------------------------------

    /**
     * ec2:DescribeInstanceTypes for one type ({@code InstanceType.1=type}) with its
     * architectures (arm64, x86_64, i386, arm64_mac); stub several types side by side.
     */
    public void ec2InstanceType(String type, String... architectures) {
        StringBuilder archs = new StringBuilder();
        for (String a : architectures) {
            archs.append("<item>").append(esc(a)).append("</item>");
        }
        String body = "<DescribeInstanceTypesResponse xmlns=\"" + EC2_XMLNS + "\">\n"
                + "  <requestId>" + requestId() + "</requestId>\n"
                + "  <instanceTypeSet>\n    <item>\n"
                + "      <instanceType>" + esc(type) + "</instanceType>\n"
                + "      <currentGeneration>true</currentGeneration>\n"
                + "      <supportedUsageClasses><item>on-demand</item><item>spot</item></supportedUsageClasses>\n"
                + "      <supportedRootDeviceTypes><item>ebs</item></supportedRootDeviceTypes>\n"
                + "      <bareMetal>false</bareMetal>\n      <hypervisor>nitro</hypervisor>\n"
                + "      <processorInfo><supportedArchitectures>" + archs + "</supportedArchitectures>"
                + "<sustainedClockSpeedInGhz>2.5</sustainedClockSpeedInGhz></processorInfo>\n"
                + "      <vCpuInfo><defaultVCpus>2</defaultVCpus><defaultCores>2</defaultCores>"
                + "<defaultThreadsPerCore>1</defaultThreadsPerCore></vCpuInfo>\n"
                + "      <memoryInfo><sizeInMiB>4096</sizeInMiB></memoryInfo>\n"
                + "    </item>\n  </instanceTypeSet>\n</DescribeInstanceTypesResponse>\n";
        server.stubFor(queryRequest("DescribeInstanceTypes").withFormParam("InstanceType.1", equalTo(type))
                .atPriority(DEFAULT_PRIORITY).willReturn(xmlAnswer(200, body)));
    }

    /** An EC2 instance as DescribeInstances reports it. */
    public record Ec2Instance(String id, String state, String type, Map<String, String> tags) {
        public Ec2Instance(String id, String state, Map<String, String> tags) {
            this(id, state, "t4g.medium", tags);
        }

        /** The state's code as EC2 gives it beside the name. */
        int stateCode() {
            return switch (state) {
                case "pending" -> 0;
                case "running" -> 16;
                case "shutting-down" -> 32;
                case "terminated" -> 48;
                case "stopping" -> 64;
                case "stopped" -> 80;
                default -> throw new IllegalArgumentException("unknown instance state " + state);
            };
        }
    }

    /** ec2:DescribeInstances answering one page with {@code instances}, whatever the filters. */
    public void ec2Instances(Ec2Instance... instances) {
        ec2InstancePages(List.of(List.of(instances)));
    }

    /**
     * ec2:DescribeInstances answering in pages: the first without a NextToken, each later
     * one to the token ({@code page-2}, {@code page-3}, …) the page before it gave. The stubs
     * ignore the filters: tests check what the client asked for with {@link #forms}.
     */
    public void ec2InstancePages(List<List<Ec2Instance>> pages) {
        for (int i = 0; i < pages.size(); i++) {
            String next = i + 1 < pages.size() ? "page-" + (i + 2) : null;
            StringBuilder b = new StringBuilder("<DescribeInstancesResponse xmlns=\"" + EC2_XMLNS + "\">\n")
                    .append("  <requestId>").append(requestId()).append("</requestId>\n  <reservationSet>\n");
            for (Ec2Instance in : pages.get(i)) {
                b.append(reservation(in));
            }
            b.append("  </reservationSet>\n");
            if (next != null) {
                b.append("  <nextToken>").append(next).append("</nextToken>\n");
            }
            b.append("</DescribeInstancesResponse>\n");
            MappingBuilder m = queryRequest("DescribeInstances");
            m = i == 0 ? m.withFormParam("NextToken", absent()).atPriority(DEFAULT_PRIORITY)
                    : m.withFormParam("NextToken", equalTo("page-" + (i + 1))).atPriority(PAGE_PRIORITY);
            server.stubFor(m.willReturn(xmlAnswer(200, b.toString())));
        }
    }

    private static String reservation(Ec2Instance in) {
        StringBuilder tags = new StringBuilder();
        in.tags().forEach((k, v) -> tags.append("<item><key>").append(esc(k)).append("</key><value>").append(esc(v))
                .append("</value></item>"));
        return "    <item>\n      <reservationId>r-" + in.id().substring(in.id().indexOf('-') + 1) + "</reservationId>\n"
                + "      <ownerId>048622080012</ownerId>\n      <groupSet/>\n      <instancesSet>\n        <item>\n"
                + "          <instanceId>" + esc(in.id()) + "</instanceId>\n"
                + "          <imageId>ami-0abcdef1234567890</imageId>\n"
                + "          <instanceState><code>" + in.stateCode() + "</code><name>" + esc(in.state()) + "</name></instanceState>\n"
                + "          <privateDnsName>ip-10-0-0-12.ec2.internal</privateDnsName>\n"
                + "          <instanceType>" + esc(in.type()) + "</instanceType>\n"
                + "          <launchTime>2026-11-29T10:00:00.000Z</launchTime>\n"
                + "          <placement><availabilityZone>us-east-1a</availabilityZone><tenancy>default</tenancy></placement>\n"
                + "          <architecture>arm64</architecture>\n"
                + "          <tagSet>" + tags + "</tagSet>\n"
                + "        </item>\n      </instancesSet>\n    </item>\n";
    }

    // ---- ECR ---------------------------------------------------------------------------

    /**
     * ecr:BatchGetImage of {@code repository@digest} answering the manifest ({@code manifest}
     * is the manifest's JSON text; ECR sends it as a string inside its JSON).
     */
    public void ecrImage(String registryId, String repository, String digest, String mediaType, String manifest) {
        String body = "{\"images\":[{\"registryId\":\"" + registryId + "\",\"repositoryName\":\"" + jsonEsc(repository)
                + "\",\"imageId\":{\"imageDigest\":\"" + digest + "\"},\"imageManifest\":\"" + jsonEsc(manifest)
                + "\",\"imageManifestMediaType\":\"" + mediaType + "\"}],\"failures\":[]}";
        server.stubFor(batchGetImage(repository, digest).willReturn(jsonAnswer(200, body)));
    }

    /** ecr:BatchGetImage of {@code repository@digest} answering the failure ECR gives for a digest it does not hold. */
    public void ecrImageMissing(String repository, String digest) {
        String body = "{\"images\":[],\"failures\":[{\"imageId\":{\"imageDigest\":\"" + digest
                + "\"},\"failureCode\":\"ImageNotFound\",\"failureReason\":\"Requested image not found\"}]}";
        server.stubFor(batchGetImage(repository, digest).willReturn(jsonAnswer(200, body)));
    }

    private static MappingBuilder batchGetImage(String repository, String digest) {
        return jsonRequest(ECR + ".BatchGetImage").atPriority(DEFAULT_PRIORITY)
                .withRequestBody(matchingJsonPath("$.repositoryName", equalTo(repository)))
                .withRequestBody(matchingJsonPath("$.imageIds[0].imageDigest", equalTo(digest)));
    }

    /** A manifest list or OCI image index naming one image manifest per platform ("linux/arm64", "linux/arm/v7"). */
    public static String manifestList(String mediaType, String... platforms) {
        StringBuilder b = new StringBuilder("{\n  \"schemaVersion\": 2,\n  \"mediaType\": \"" + mediaType + "\",\n  \"manifests\": [");
        String child = OCI_INDEX.equals(mediaType) ? OCI_MANIFEST : DOCKER_MANIFEST;
        for (int i = 0; i < platforms.length; i++) {
            String[] p = platforms[i].split("/");
            b.append(i == 0 ? "\n" : ",\n").append("    {\"mediaType\": \"").append(child).append("\", \"size\": ")
                    .append(1000 + i).append(", \"digest\": \"sha256:").append(hex(i + 1)).append("\", \"platform\": ")
                    .append("{\"architecture\": \"").append(p[1]).append("\", \"os\": \"").append(p[0]).append("\"")
                    .append(p.length > 2 ? ", \"variant\": \"" + p[2] + "\"" : "").append("}}");
        }
        return b.append("\n  ]\n}").toString();
    }

    /** A single-platform image manifest: a config and layers, no platforms. */
    public static String singleManifest(String mediaType) {
        String config = OCI_MANIFEST.equals(mediaType) ? "application/vnd.oci.image.config.v1+json"
                : "application/vnd.docker.container.image.v1+json";
        String layer = OCI_MANIFEST.equals(mediaType) ? "application/vnd.oci.image.layer.v1.tar+gzip"
                : "application/vnd.docker.image.rootfs.diff.tar.gzip";
        return "{\n  \"schemaVersion\": 2,\n  \"mediaType\": \"" + mediaType + "\",\n"
                + "  \"config\": {\"mediaType\": \"" + config + "\", \"size\": 1469, \"digest\": \"sha256:" + hex(7) + "\"},\n"
                + "  \"layers\": [{\"mediaType\": \"" + layer + "\", \"size\": 3370706, \"digest\": \"sha256:" + hex(8) + "\"}]\n}";
    }

    /** ecr:GetAuthorizationToken answering a token for {@code user:password} (ECR's user is AWS). */
    public void ecrAuthorizationToken(String proxyEndpoint, String user, String password, Instant expiresAt) {
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        json(ECR + ".GetAuthorizationToken", 200, "{\"authorizationData\":[{\"authorizationToken\":\"" + token
                + "\",\"expiresAt\":" + expiresAt.getEpochSecond() + "." + String.format("%03d", expiresAt.getNano() / 1_000_000)
                + ",\"proxyEndpoint\":\"" + jsonEsc(proxyEndpoint) + "\"}]}");
    }

    // ---- what reached the server -------------------------------------------------------------

    /** Every request that reached the server, matched or not, oldest first. */
    public List<LoggedRequest> requests() {
        List<LoggedRequest> out = new ArrayList<>();
        for (ServeEvent e : server.getAllServeEvents()) {
            out.add(0, e.getRequest());
        }
        return out;
    }

    /** The operations that reached the server, oldest first: the form's Action, or the X-Amz-Target's name. */
    public List<String> operations() {
        return requests().stream().map(AwsStubs::operation).toList();
    }

    /** How many requests named {@code operation} (e.g. "DescribeInstances", "BatchGetImage") reached the server. */
    public int count(String operation) {
        return (int) operations().stream().filter(operation::equals).count();
    }

    /** The form parameters of each query-protocol request for {@code action}, oldest first. */
    public List<Map<String, String>> forms(String action) {
        return requests().stream().filter(r -> action.equals(operation(r))).map(r -> form(r.getBodyAsString())).toList();
    }

    /** The bodies of each request for {@code operation}, oldest first. */
    public List<String> bodies(String operation) {
        return requests().stream().filter(r -> operation.equals(operation(r))).map(LoggedRequest::getBodyAsString).toList();
    }

    /** Forgets stubs and logged requests. */
    public void reset() {
        server.resetAll();
    }

    static String operation(LoggedRequest r) {
        String target = r.getHeader("X-Amz-Target");
        if (target != null) {
            return target.substring(target.lastIndexOf('.') + 1);
        }
        String action = form(r.getBodyAsString()).get("Action");
        return action == null ? r.getMethod() + " " + r.getUrl() : action;
    }

    static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return out;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    // ---- documents ------------------------------------------------------------------------

    private static ResponseDefinitionBuilder xmlAnswer(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "text/xml;charset=UTF-8")
                .withHeader("x-amzn-RequestId", requestId()).withBody(body);
    }

    private static ResponseDefinitionBuilder jsonAnswer(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", JSON_11)
                .withHeader("x-amzn-RequestId", requestId()).withBody(body);
    }

    /** A 64-hex-digit digest made from {@code n}, for fixtures. */
    public static String hex(int n) {
        return String.format("%064x", n);
    }

    private static String requestId() {
        return UUID.randomUUID().toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String jsonEsc(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
