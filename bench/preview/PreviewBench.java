import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.dr.cli.Main;
import dev.dr.command.Context;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Benchmark of docs/performance.md: a live preview (dr plan with an earlier run's receipt) whose
 * 8 lookups (3 AWS guards, 5 step previews) each answer after 200 ms from WireMock, in the APIs'
 * wire formats. Prints the median wall time of the preview and its ratio to one lookup.
 *
 * <p>Usage: PreviewBench <work folder> <rounds> [<delay ms>, default 200]
 */
public final class PreviewBench {
    static int DELAY_MS = 200;
    static final String ACCOUNT = "048622080012";
    static final String DIGEST = "sha256:" + "c".repeat(64);

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        if (args.length > 2) {
            DELAY_MS = Integer.parseInt(args[2]); // 0: what the preview costs besides waiting
        }
        WireMockServer wm = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        wm.start();
        stubs(wm);
        Path plan = setUp(work, "http://127.0.0.1:" + wm.port());
        List<Long> times = new ArrayList<>();
        List<Long> cpus = new ArrayList<>();
        // CPU time of the whole process (dr and WireMock): what a round costs, however busy the machine
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (int i = 0; i <= rounds; i++) {
            wm.resetRequests();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            int code = Main.run(new Context(new PrintWriter(out), new PrintWriter(err), Map.of(), work, false),
                    "plan", plan.toString());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            long cpu = (os.getProcessCpuTime() - c0) / 1_000_000;
            int lookups = wm.getAllServeEvents().size();
            if (code != 0 || lookups != 8) {
                System.err.println(out);
                System.err.println(err);
                throw new IllegalStateException("dr plan exited " + code + " after " + lookups + " lookups");
            }
            if (i == 0) {
                System.out.printf("warm-up: %d ms (%d lookups)%n", ms, lookups);
                if (!out.toString().matches("(?s).*\\n  account +ok .*")) {
                    throw new IllegalStateException("the guards did not run live:\n" + out);
                }
                continue;
            }
            times.add(ms);
            cpus.add(cpu);
            System.out.printf("round %d: %d ms (%d lookups), CPU %d ms%n", i, ms, lookups, cpu);
        }
        wm.stop();
        Collections.sort(times);
        Collections.sort(cpus);
        long median = times.get(times.size() / 2);
        System.out.printf("median preview %d ms over %d rounds; one lookup %d ms; ratio %.2f (goal <= 1.3); "
                + "the lookups one after another would take %d ms%n", median, rounds, DELAY_MS,
                median / (double) DELAY_MS, 8 * DELAY_MS);
        System.out.printf("median CPU time of a round %d ms (dr and WireMock); load average %.2f on %d cores%n",
                cpus.get(cpus.size() / 2), os.getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
    }

    static void stubs(WireMockServer wm) {
        var xml = "text/xml";
        wm.stubFor(any(urlPathEqualTo("/")).withRequestBody(containing("Action=GetCallerIdentity"))
                .willReturn(aResponse().withFixedDelay(DELAY_MS).withHeader("Content-Type", xml).withBody(
                        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
                        + "<Arn>arn:aws:iam::" + ACCOUNT + ":user/bench</Arn><UserId>AIDA</UserId><Account>" + ACCOUNT
                        + "</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>"
                        + "</GetCallerIdentityResponse>")));
        wm.stubFor(any(urlPathEqualTo("/")).withRequestBody(containing("Action=DescribeInstanceTypes"))
                .willReturn(aResponse().withFixedDelay(DELAY_MS).withHeader("Content-Type", xml).withBody(
                        "<DescribeInstanceTypesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>1</requestId>"
                        + "<instanceTypeSet><item><instanceType>t4g.medium</instanceType><processorInfo>"
                        + "<supportedArchitectures><item>arm64</item></supportedArchitectures></processorInfo></item>"
                        + "</instanceTypeSet></DescribeInstanceTypesResponse>")));
        wm.stubFor(any(urlPathEqualTo("/")).withRequestBody(containing("Action=DescribeInstances"))
                .willReturn(aResponse().withFixedDelay(DELAY_MS).withHeader("Content-Type", xml).withBody(
                        "<DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>1</requestId>"
                        + "<reservationSet/></DescribeInstancesResponse>")));
        String index = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:" + "1".repeat(64)
                + "\",\"size\":1,\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
                + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:" + "2".repeat(64)
                + "\",\"size\":1,\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\"}}]}";
        wm.stubFor(any(urlPathEqualTo("/")).withHeader("X-Amz-Target", containing("BatchGetImage"))
                .willReturn(aResponse().withFixedDelay(DELAY_MS).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"images\":[{\"registryId\":\"" + ACCOUNT + "\",\"repositoryName\":\"jobintel\","
                                + "\"imageId\":{\"imageDigest\":\"" + DIGEST + "\"},\"imageManifest\":"
                                + "\"" + index.replace("\"", "\\\"") + "\""
                                + ",\"imageManifestMediaType\":\"application/vnd.oci.image.index.v1+json\"}],\"failures\":[]}")));
        String pointer = "{\"bundle_uri\":\"s3://bench-artifacts/jobintel/control-plane/bundles/20261129T000000Z-nogit.tar.gz\","
                + "\"bundle_sha256\":\"" + "d".repeat(64) + "\",\"created_at\":\"2026-11-29T00:00:00Z\",\"git_sha\":\"unknown\","
                + "\"image_ref_digest\":\"\"}";
        wm.stubFor(get(urlEqualTo("/bench-artifacts/jobintel/control-plane/current.json"))
                .willReturn(aResponse().withFixedDelay(DELAY_MS).withHeader("Content-Type", "application/json").withBody(pointer)));
        wm.stubFor(get(urlEqualTo("/bench-artifacts/jobintel/publish/canonical.json"))
                .willReturn(aResponse().withFixedDelay(DELAY_MS).withHeader("Content-Type", "application/json")
                        .withBody("{\"canonical\":\"dr\"}")));
    }

    static Path setUp(Path work, String endpoint) throws Exception {
        Path source = work.resolve("control-plane");
        for (String d : List.of("candidates", "alerts", "providers", "scoring")) {
            Files.createDirectories(source.resolve(d));
            Files.writeString(source.resolve(d).resolve("a.yaml"), d + ": []\n");
        }
        Path run = dev.dr.steps.EarlierRun.write(work.resolve("receipts"), "earlier",
                Map.of("aws.endpoint", endpoint, "s3.endpoint", endpoint));
        Path plan = work.resolve("preview.yaml");
        Files.writeString(plan, String.join("\n", "apiVersion: dr/v1", "kind: DrillPlan", "metadata: {name: preview-bench}",
                "target: {accountId: \"" + ACCOUNT + "\", region: us-east-1, namespace: jobintel}",
                "inputs: {bucket: bench-artifacts, prefix: jobintel, imageRef: \"" + ACCOUNT
                        + ".dkr.ecr.us-east-1.amazonaws.com/jobintel@" + DIGEST + "\"}",
                "sizing: {instanceType: t4g.medium}",
                "run: {autoPromote: true, allowPromoteBypass: true, fromReceipt: \"" + run + "\", receiptDir: \""
                        + work.resolve("receipts") + "\"}",
                "phases:",
                "  - name: publish-bundle",
                "    steps: [{uses: control-plane.publish, with: {source: \"" + source + "\", gitSha: 0123456789abcdef}}]",
                "  - name: bringup", "    steps: [{uses: ec2.verify-no-runners}]",
                "  - name: restore", "    steps: [{uses: control-plane.fetch}]",
                "  - name: promote", "    approval: {required: true, ticketRequired: true, timeout: 1h}",
                "    steps: [{uses: pointers.promote}]",
                "  - name: failback", "    steps: [{uses: failback.check-promoted}]", ""));
        return plan;
    }
}
