package dev.dr.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The DynamoDB lock store against dynalite, a DynamoDB API server on loopback. */
class DynamoDbLockStoreTest {

    static final LockKey KEY = new LockKey("048622080012", "us-east-1", "jobintel");
    static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

    static Dynalite dynalite;
    String table;

    @BeforeAll
    static void start() throws Exception {
        dynalite = Dynalite.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (dynalite != null) {
            dynalite.close();
        }
    }

    @BeforeEach
    void freshTable() throws Exception {
        table = dynalite.newTable();
    }

    DynamoDbLockStore at(Instant now) {
        return dynalite.store(table, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void theLockIsOneItemKeyedByTheLockId() throws Exception {
        at(T0).acquire(KEY, new Holder("alice", "run-a", T0));
        Map<String, AttributeValue> item = dynalite.client().getItem(b -> b.tableName(table)
                .key(Map.of("lockId", AttributeValue.fromS("048622080012/us-east-1/jobintel")))).item();
        assertThat(item).containsOnlyKeys("lockId", "holder", "runId", "createdAt", "expiresAt");
        assertThat(item.get("holder").s()).isEqualTo("alice");
        assertThat(item.get("runId").s()).isEqualTo("run-a");
        assertThat(item.get("createdAt").n()).isEqualTo(Long.toString(T0.getEpochSecond()));
        assertThat(item.get("expiresAt").n()).as("created + the 12h lease")
                .isEqualTo(Long.toString(T0.getEpochSecond() + 12 * 3600));
    }

    @Test
    void aHeldLockNamesItsHolderRunAndAge() throws Exception {
        at(T0).acquire(KEY, new Holder("alice", "run-a", T0));
        assertThatThrownBy(() -> at(T0.plusSeconds(3 * 3600 + 120)).acquire(KEY, new Holder("bob", "run-b", T0)))
                .isInstanceOf(LockHeldException.class)
                .hasMessage("another drill holds 048622080012/us-east-1/jobintel: run run-a by alice, for 3h2m."
                        + " If that run is gone, dr force-unlock 048622080012/us-east-1/jobintel releases it.")
                .satisfies(e -> assertThat(((LockHeldException) e).holder())
                        .isEqualTo(new Holder("alice", "run-a", T0)));
        assertThat(at(T0).holder(KEY)).contains(new Holder("alice", "run-a", T0));
    }

    @Test
    void aLockPastItsLeaseIsReportedStaleAndStillHeld() throws Exception {
        at(T0).acquire(KEY, new Holder("alice", "run-a", T0));
        Instant later = T0.plus(Duration.ofHours(13));
        assertThatThrownBy(() -> at(later).acquire(KEY, new Holder("bob", "run-b", later)))
                .isInstanceOf(LockHeldException.class)
                .hasMessage("another drill holds 048622080012/us-east-1/jobintel: run run-a by alice, for 13h0m"
                        + " (stale: expired at 2026-11-29T22:00:00Z)."
                        + " If that run is gone, dr force-unlock 048622080012/us-east-1/jobintel releases it.");
        HeldLock held = at(later).describe(KEY).orElseThrow();
        assertThat(held.expiresAt()).isEqualTo(Instant.parse("2026-11-29T22:00:00Z"));
        assertThat(held.stale(later)).isTrue();
        assertThat(held.stale(T0.plus(Duration.ofHours(11)))).isFalse();
        assertThat(at(later).holder(KEY)).map(Holder::runId).as("a stale lock is taken over only explicitly").contains("run-a");
    }

    @Test
    void aShorterLeaseIsWrittenAsTheExpiry() throws Exception {
        dynalite.store(table, Clock.fixed(T0, ZoneOffset.UTC), Duration.ofMinutes(30))
                .acquire(KEY, new Holder("alice", "run-a", T0));
        assertThat(at(T0).describe(KEY)).map(HeldLock::expiresAt).contains(T0.plusSeconds(1800));
    }

    @Test
    void releaseFreesTheLockButNeverAnotherRunsLock() throws Exception {
        DynamoDbLockStore store = at(T0);
        LockStore.Lease a = store.acquire(KEY, new Holder("alice", "run-a", T0));
        a.close();
        assertThat(store.holder(KEY)).isEmpty();
        a.close(); // twice is harmless
        LockStore.Lease b = store.acquire(KEY, new Holder("bob", "run-b", T0));
        a.close(); // a late lease of run-a must not release run-b's lock
        assertThat(store.holder(KEY)).map(Holder::runId).contains("run-b");
        b.close();
        assertThat(store.holder(KEY)).isEmpty();
    }

    @Test
    void forceUnlockRemovesAndReportsTheHolder() throws Exception {
        DynamoDbLockStore store = at(T0);
        LockStore.Lease a = store.acquire(KEY, new Holder("alice", "run-a", T0));
        assertThat(store.forceUnlock(KEY)).contains(new Holder("alice", "run-a", T0));
        assertThat(store.holder(KEY)).isEmpty();
        assertThat(store.forceUnlock(KEY)).isEmpty();
        store.acquire(KEY, new Holder("bob", "run-b", T0));
        a.close(); // the removed run, still going, ends: run-b's lock stays
        assertThat(store.holder(KEY)).map(Holder::runId).contains("run-b");
    }

    @Test
    void locksOfOtherTargetsAreIndependent() throws Exception {
        DynamoDbLockStore store = at(T0);
        store.acquire(KEY, new Holder("alice", "run-a", T0));
        LockKey other = new LockKey("048622080012", "us-west-2", "jobintel");
        store.acquire(other, new Holder("bob", "run-b", T0));
        assertThat(store.holder(other)).map(Holder::runId).contains("run-b");
        assertThat(store.holder(KEY)).map(Holder::runId).contains("run-a");
    }

    @Test
    void theStoreSaysWhereItsLocksLive() {
        assertThat(at(T0).location()).isEqualTo("DynamoDB table " + table + " in us-east-1 at " + dynalite.endpoint());
    }

    // ------------------------------------------------------------------ DynamoDB itself failing

    @Test
    void aMissingTableRefusesToTakeTheLock() {
        DynamoDbLockStore store = dynalite.store("no-such-table", Clock.systemUTC());
        assertThatThrownBy(() -> store.acquire(KEY, new Holder("alice", "run-a", T0)))
                .isInstanceOf(LockStoreUnavailableException.class)
                .hasMessage("cannot take the lock 048622080012/us-east-1/jobintel in DynamoDB table no-such-table in"
                        + " us-east-1 at " + dynalite.endpoint() + ": the table does not exist (ResourceNotFoundException,"
                        + " HTTP 400); create it with partition key lockId (String), or set DR_LOCK_TABLE to the table"
                        + " that holds drill locks; the lock was not taken, and no drill runs without its lock")
                .satisfies(e -> assertThat(((LockStoreUnavailableException) e).transientFailure()).isFalse());
    }

    @Test
    void unsignedRequestsAreDeniedAndSaySo() {
        DynamoDbClient anonymous = DynamoDbClient.builder().region(Region.US_EAST_1).endpointOverride(dynalite.endpoint())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(AnonymousCredentialsProvider.create()).build();
        DynamoDbLockStore store = new DynamoDbLockStore(anonymous, table, DynamoDbLockStore.DEFAULT_LEASE, Clock.systemUTC());
        assertThatThrownBy(() -> store.acquire(KEY, new Holder("alice", "run-a", T0)))
                .isInstanceOf(LockStoreUnavailableException.class)
                .hasMessageStartingWith("cannot take the lock 048622080012/us-east-1/jobintel in DynamoDB table " + table)
                .hasMessageContaining(": access denied for the current AWS credentials"
                        + " (MissingAuthenticationTokenException, HTTP 400): Request is missing Authentication Token;"
                        + " the lock was not taken, and no drill runs without its lock");
        store.close();
    }

    @Test
    void anUnreachableServerRefusesToTakeTheLock() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closed);
        try (DynamoDbLockStore store = DynamoDbLockStore.open("dr-locks", "us-east-1", Optional.of(nowhere),
                DynamoDbLockStore.DEFAULT_LEASE, Clock.systemUTC())) {
            assertThatThrownBy(() -> store.acquire(KEY, new Holder("alice", "run-a", T0)))
                    .isInstanceOf(LockStoreUnavailableException.class)
                    .hasMessageStartingWith("cannot take the lock 048622080012/us-east-1/jobintel in DynamoDB table dr-locks"
                            + " in us-east-1 at " + nowhere + ": DynamoDB could not be reached (")
                    .hasMessageEndingWith("); the lock was not taken, and no drill runs without its lock")
                    .satisfies(e -> assertThat(((LockStoreUnavailableException) e).transientFailure()).isTrue());
            assertThatThrownBy(() -> store.forceUnlock(KEY)).isInstanceOf(LockStoreUnavailableException.class)
                    .hasMessageStartingWith("cannot remove the lock 048622080012/us-east-1/jobintel in DynamoDB table");
        }
    }

    @Test
    void throttlingAfterTheSdksRetriesRefusesToTakeTheLock() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            byte[] body = ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\","
                    + "\"message\":\"The level of configured provisioned throughput for the table was exceeded.\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(400, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        URI throttling = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        // the SDK's own retry policy for DynamoDB backs off for most of a minute; three quick attempts show the same
        DynamoDbClient quick = DynamoDbClient.builder().region(Region.US_EAST_1).endpointOverride(throttling)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(3).backoffStrategy(BackoffStrategy.retryImmediately())
                        .throttlingBackoffStrategy(BackoffStrategy.retryImmediately()).build()))
                .build();
        try (DynamoDbLockStore store = new DynamoDbLockStore(quick, "dr-locks", DynamoDbLockStore.DEFAULT_LEASE,
                Clock.systemUTC())) {
            assertThatThrownBy(() -> store.acquire(KEY, new Holder("alice", "run-a", T0)))
                    .isInstanceOf(LockStoreUnavailableException.class)
                    .hasMessage("cannot take the lock 048622080012/us-east-1/jobintel in DynamoDB table dr-locks in"
                            + " us-east-1 at " + throttling + ": throttled (ProvisionedThroughputExceededException, HTTP 400)"
                            + " after the SDK's retries; the lock was not taken, and no drill runs without its lock")
                    .satisfies(e -> assertThat(((LockStoreUnavailableException) e).transientFailure()).isTrue());
            assertThat(requests.get()).as("the SDK retried before giving up").isEqualTo(3);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void badTableNamesAreRefused() {
        assertThatThrownBy(() -> DynamoDbLockStore.open("x", "us-east-1", Optional.empty(), Duration.ofHours(1),
                Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'x' is not a DynamoDB table name (3 to 255 of a-z, A-Z, 0-9, '_', '-', '.')");
    }

    @Test
    void aResumeTakesOverTheStaleLockOfItsRunOnlyWhileItStillNamesIt() throws Exception {
        TakeOverContract.replacesTheStaleHolder(dynalite.store(dynalite.newTable(), java.time.Clock.systemUTC()));
        TakeOverContract.refusesALockThatChangedHands(dynalite.store(dynalite.newTable(), java.time.Clock.systemUTC()));
        TakeOverContract.takesALockReleasedMeanwhile(dynalite.store(dynalite.newTable(), java.time.Clock.systemUTC()));
    }
}
