package dev.dr.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.step.StepContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.utils.SdkAutoCloseable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** One client per service and settings for a run, shared by its threads, read-only where asked, closed with the run. */
class AwsClientRegistryTest {

    AwsStubs aws;
    AwsClientRegistry clients;

    @BeforeEach
    void start() {
        aws = AwsStubs.start();
        clients = new AwsClientRegistry();
    }

    @AfterEach
    void stop() {
        clients.close();
        aws.close();
    }

    @Test
    void theSameServiceAndSettingsGiveTheSameClient() {
        Ec2Client ec2 = clients.client(Ec2Client.class, Ec2Client::builder, aws.settings(), true);
        assertThat(clients.client(Ec2Client.class, Ec2Client::builder, aws.settings(), true)).isSameAs(ec2);
        S3Client s3 = clients.s3(aws.settings(), true);
        assertThat(clients.s3(aws.settings(), true)).isSameAs(s3);
        assertThat(clients.clientCount()).isEqualTo(2);
    }

    @Test
    void anotherRegionServiceOrReadOnlyFlagIsAnotherClient() {
        Ec2Client ec2 = clients.client(Ec2Client.class, Ec2Client::builder, aws.settings(), true);
        assertThat(clients.client(Ec2Client.class, Ec2Client::builder, aws.settings("eu-west-1"), true)).isNotSameAs(ec2);
        assertThat(clients.client(Ec2Client.class, Ec2Client::builder, aws.settings(), false)).isNotSameAs(ec2);
        assertThat(clients.client(EcrClient.class, EcrClient::builder, aws.settings(), true)).isNotNull();
        assertThat(clients.s3(aws.settings(), false)).isNotSameAs(clients.s3(aws.settings(), true));
        assertThat(clients.clientCount()).isEqualTo(6);
    }

    @Test
    void threadsAskingAtOnceGetOneClient() throws Exception {
        int threads = 8;
        CountDownLatch ready = new CountDownLatch(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<StsClient>> asked = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                asked.add(pool.submit(() -> {
                    ready.countDown();
                    ready.await(30, TimeUnit.SECONDS);
                    return clients.client(StsClient.class, StsClient::builder, aws.settings(), true);
                }));
            }
            StsClient first = asked.get(0).get(30, TimeUnit.SECONDS);
            for (Future<StsClient> f : asked) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isSameAs(first);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(clients.clientCount()).isEqualTo(1);
    }

    @Test
    void sharedReadOnlyClientsRefuseMutationsAndCredentialsBeforeSending() {
        Ec2Client ec2 = clients.client(Ec2Client.class, Ec2Client::builder, aws.settings(), true);
        assertThatThrownBy(() -> ec2.terminateInstances(b -> b.instanceIds("i-0123456789abcdef0")))
                .hasMessageContaining("a preview may only read: refused Ec2 TerminateInstances");
        StsClient sts = clients.client(StsClient.class, StsClient::builder, aws.settings(), true);
        assertThatThrownBy(() -> sts.getSessionToken())
                .hasMessageContaining("a preview may only read: refused Sts GetSessionToken");
        EcrClient ecr = clients.client(EcrClient.class, EcrClient::builder, aws.settings(), true);
        assertThatThrownBy(() -> ecr.getAuthorizationToken())
                .hasMessageContaining("a preview may only read: refused Ecr GetAuthorizationToken");
        S3Client s3 = clients.s3(aws.settings(), true);
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket("drill-artifacts").key("jobintel/x"), RequestBody.fromString("x")))
                .hasMessageContaining("a preview may only read: refused PUT /drill-artifacts/jobintel/x");
        assertThatThrownBy(() -> s3.deleteObject(b -> b.bucket("drill-artifacts").key("jobintel/x")))
                .hasMessageContaining("a preview may only read: refused DELETE /drill-artifacts/jobintel/x");
        assertThat(aws.requests()).as("nothing reached the server").isEmpty();
        // the same calls on the shared client that may write do leave the process
        aws.stsCallerIdentity("048622080012");
        assertThat(clients.client(StsClient.class, StsClient::builder, aws.settings(), false).getCallerIdentity().account())
                .isEqualTo("048622080012");
    }

    @Test
    void aClientThatCannotBeBuiltFailsEveryCallerWithItsOwnError() {
        AtomicInteger builds = new AtomicInteger();
        java.util.function.Supplier<StsClientBuilder> broken = () -> {
            builds.incrementAndGet();
            throw new IllegalArgumentException("no such region: mars-1");
        };
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> clients.client(StsClient.class, broken, aws.settings(), true))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("no such region: mars-1");
        }
        assertThat(builds).as("tried once per run").hasValue(1);
    }

    @Test
    void signedClientsResolveOneCredentialChainPerRunAndCloseItWithTheRun() {
        AtomicInteger chains = new AtomicInteger();
        List<ClosingCredentials> made = new ArrayList<>();
        S3Settings signed = new S3Settings(Optional.of("us-east-1"), Optional.of(aws.endpoint()), false);
        aws.stsCallerIdentity("048622080012");
        aws.ec2InstanceType("t4g.medium", "arm64");
        try (AwsClientRegistry run = new AwsClientRegistry(() -> {
            chains.incrementAndGet();
            ClosingCredentials c = new ClosingCredentials();
            made.add(c);
            return c;
        })) {
            StsClient sts = run.client(StsClient.class, StsClient::builder, signed, true);
            sts.getCallerIdentity();
            run.client(Ec2Client.class, Ec2Client::builder, signed, true)
                    .describeInstanceTypes(b -> b.instanceTypesWithStrings("t4g.medium"));
            run.s3(signed, true);
            sts.close(); // a client closing does not close the run's chain
            assertThat(made).singleElement().satisfies(c -> assertThat(c.closed).isZero());
        }
        assertThat(chains).hasValue(1);
        assertThat(made.get(0).closed).as("closed with the run").isEqualTo(1);
        assertThat(aws.requests()).hasSize(2).allSatisfy(r ->
                assertThat(r.getHeader("Authorization")).contains("Credential=AKIDRUNCHAIN/"));
    }

    @Test
    void unsignedSettingsNeverResolveCredentials() {
        try (AwsClientRegistry run = new AwsClientRegistry(() -> {
            throw new AssertionError("no credential chain for a stand-in server that takes unsigned requests");
        })) {
            assertThat(run.s3(aws.settings(), true)).isNotNull();
        }
    }

    @Test
    void aClosedRegistryHandsOutNoClient() {
        clients.s3(aws.settings(), true);
        clients.close();
        clients.close();
        assertThatThrownBy(() -> clients.s3(aws.settings(), true))
                .isInstanceOf(IllegalStateException.class).hasMessage("the AWS clients of this run are closed");
        assertThatThrownBy(() -> clients.client(Ec2Client.class, Ec2Client::builder, aws.settings(), true))
                .isInstanceOf(IllegalStateException.class).hasMessage("the AWS clients of this run are closed");
    }

    @Test
    void aStepGetsTheRunsClientInAPreviewAndOneOfItsOwnElsewhere() throws Exception {
        StepContext shared = new SharedCtx(clients);
        try (AwsClientRegistry.Lease<Ec2Client> lease = AwsClientRegistry.forStep(shared, Ec2Client.class, Ec2Client::builder,
                aws.settings())) {
            assertThat(lease.owned()).isFalse();
            assertThat(lease.client()).isSameAs(clients.client(Ec2Client.class, Ec2Client::builder, aws.settings(), true));
        }
        try (S3Objects s3 = S3Objects.forStep(shared)) {
            assertThat(s3.client()).isSameAs(clients.s3(S3Settings.of(shared), true));
        }
        // closing the step's lease and S3Objects left the run's clients working
        aws.ec2Instances();
        clients.client(Ec2Client.class, Ec2Client::builder, aws.settings(), true).describeInstances();
        assertThat(aws.count("DescribeInstances")).isEqualTo(1);

        StepContext alone = new Ctx(false);
        try (AwsClientRegistry.Lease<Ec2Client> lease = AwsClientRegistry.forStep(alone, Ec2Client.class, Ec2Client::builder,
                aws.settings())) {
            assertThat(lease.owned()).isTrue();
            assertThat(lease.client()).isNotSameAs(clients.client(Ec2Client.class, Ec2Client::builder, aws.settings(), true));
        }
        assertThat(clients.clientCount()).as("the step's own client is not the run's").isEqualTo(2);
    }

    /** A preview's context that shares the run's clients. */
    private final class SharedCtx extends Ctx implements AwsStepContext {
        final AwsClientRegistry registry;

        SharedCtx(AwsClientRegistry registry) {
            super(true);
            this.registry = registry;
        }

        @Override
        public AwsClientRegistry awsClients() {
            return registry;
        }
    }

    /** A step's context in apply: no shared clients. */
    private class Ctx implements StepContext {
        final boolean readOnly;

        Ctx(boolean readOnly) {
            this.readOnly = readOnly;
        }

        @Override
        public JsonNode with() {
            return JsonNodeFactory.instance.objectNode();
        }

        @Override
        public Optional<String> setting(String path) {
            return path.equals("target.region") ? Optional.of("us-east-1") : Optional.empty();
        }

        @Override
        public Map<String, String> outputs() {
            return Map.of(S3Settings.ENDPOINT_OUTPUT, aws.endpoint().toString());
        }

        @Override
        public Path workDir() {
            return Path.of("work");
        }

        @Override
        public void log(String line) {}

        @Override
        public boolean readOnly() {
            return readOnly;
        }
    }

    /** Credentials that count how often they are closed. */
    static final class ClosingCredentials implements AwsCredentialsProvider, SdkAutoCloseable {
        int closed;

        @Override
        public AwsCredentials resolveCredentials() {
            return AwsBasicCredentials.create("AKIDRUNCHAIN", "secret");
        }

        @Override
        public void close() {
            closed++;
        }
    }
}
