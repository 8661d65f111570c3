package dev.dr.lock;


import dev.dr.aws.AwsClients;
import dev.dr.aws.S3Settings;
import dev.dr.cli.CliProcess;
import dev.dr.testing.MissingTool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * dynalite, an open-source DynamoDB API server (npm), on a free loopback port and in memory,
 * for the tests of the DynamoDB lock store. It is installed into the build's npm folder by
 * {@value #INSTALL}; without it the tests skip, except on CI ({@code CI=true}) where they fail.
 */
final class Dynalite implements AutoCloseable {

    static final String INSTALL = "npm install --prefix target/node dynalite@4";
    static final Path NPM = Path.of(System.getProperty("dr.npmDir", CliProcess.projectDir().resolve("target/node").toString()));
    static final Path CLI = NPM.resolve("node_modules/dynalite/cli.js");
    static final String REGION = "us-east-1";

    private static final AtomicInteger TABLES = new AtomicInteger();

    private final Process process;
    private final URI endpoint;
    private final DynamoDbClient client;

    private Dynalite(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
        this.client = AwsClients.open(DynamoDbClient.builder().credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))),
                new S3Settings(Optional.of(REGION), Optional.of(endpoint), false), false);
    }

    /** Starts dynalite, or skips the calling tests (fails them on CI) when node or dynalite is missing. */
    static Dynalite start() throws IOException, InterruptedException {
        String missing = null;
        if (!Files.isRegularFile(CLI)) {
            missing = "dynalite is not installed at " + CLI + "; run `" + INSTALL + "` in " + CliProcess.projectDir();
        } else if (!MissingTool.nodeRuns()) {
            missing = "node is not on the PATH; dynalite needs it";
        }
        if (missing != null) {
            throw MissingTool.skipOrFail(missing);
        }
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return launch();
            } catch (IOException e) {
                last = e; // the free port was taken in between: another one
            }
        }
        throw last;
    }


    private static Dynalite launch() throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(List.of("node", CLI.toString(), "--host", "127.0.0.1", "--port",
                Integer.toString(port), "--createTableMs", "0", "--deleteTableMs", "0"))
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> listening = CompletableFuture.supplyAsync(() -> {
            StringBuilder seen = new StringBuilder();
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("Dynalite listening")) {
                        drain(out);
                        return null;
                    }
                    seen.append(line).append('\n');
                }
            } catch (IOException e) {
                seen.append(e);
            }
            return seen.toString();
        });
        String failure;
        try {
            failure = listening.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            failure = "no answer within 60 s: " + e;
        }
        if (failure != null) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IOException("dynalite did not start on port " + port + ": " + failure);
        }
        Dynalite d = new Dynalite(p, URI.create("http://127.0.0.1:" + port));
        d.client.listTables(); // answers
        return d;
    }

    private static void drain(BufferedReader out) {
        Thread t = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // dynalite's own log lines are of no interest
                }
            } catch (IOException e) {
                // closed
            }
        }, "dynalite-output");
        t.setDaemon(true);
        t.start();
    }

    URI endpoint() {
        return endpoint;
    }

    DynamoDbClient client() {
        return client;
    }

    /** A new, empty lock table (partition key lockId, String), active. */
    String newTable() throws InterruptedException {
        String name = "dr-locks-" + TABLES.incrementAndGet();
        client.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("lockId")
                        .attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("lockId").keyType(KeyType.HASH).build()));
        for (int i = 0; i < 200; i++) {
            if (client.describeTable(b -> b.tableName(name)).table().tableStatus() == TableStatus.ACTIVE) {
                return name;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("table " + name + " did not become active");
    }

    /** A store on the table, opened as dr opens one for a stand-in server. */
    DynamoDbLockStore store(String table, Clock clock) {
        return store(table, clock, DynamoDbLockStore.DEFAULT_LEASE);
    }

    DynamoDbLockStore store(String table, Clock clock, Duration lease) {
        return DynamoDbLockStore.open(table, REGION, Optional.of(endpoint), lease, clock);
    }

    @Override
    public void close() {
        client.close();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
