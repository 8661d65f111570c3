package dev.dr.lock;

import dev.dr.aws.AwsClients;
import dev.dr.aws.S3Settings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Locks as items of one DynamoDB table, for real targets: many operators' machines and CI
 * runners share it. The table's partition key is {@code lockId} (String), the
 * {@link LockKey#id()}; an item also holds {@code holder} (the operator), {@code runId},
 * {@code createdAt} and {@code expiresAt} (epoch seconds).
 *
 * <p>Taking the lock is a PutItem on condition {@code attribute_not_exists(lockId)}, so of
 * runs racing for it exactly one wins and the others are told who did. Releasing is a
 * DeleteItem on condition that the item is still this run's ({@code runId}), so a late
 * release never removes another run's lock. A lock has a lease (12 hours unless told
 * otherwise): past {@code expiresAt} it is reported as stale, and still stands until
 * {@code dr force-unlock} removes it. Failures of DynamoDB itself (unreachable, throttled,
 * access denied, no such table) are {@link LockStoreUnavailableException}s: the lock was not
 * taken, and no drill runs without it.
 */
public final class DynamoDbLockStore implements LockStore, AutoCloseable {

    /** How long a lock is taken for before it is reported as stale. */
    public static final Duration DEFAULT_LEASE = Duration.ofHours(12);

    static final String ID = "lockId";
    static final String HOLDER = "holder";
    static final String RUN_ID = "runId";
    static final String CREATED_AT = "createdAt";
    static final String EXPIRES_AT = "expiresAt";
    /** The process that took the lock: host, pid and its start (epoch milliseconds). */
    static final String HOST = "host";
    static final String PID = "pid";
    static final String PID_STARTED_AT = "pidStartedAt";

    /** DynamoDB's rule for table names. */
    private static final Pattern TABLE_NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");
    /** Times a put is retried when the lock it collided with was gone before it could be read. */
    private static final int ATTEMPTS = 5;
    /** Error codes of requests DynamoDB did not let through for their credentials. */
    private static final Set<String> DENIED = Set.of("AccessDeniedException", "UnrecognizedClientException",
            "InvalidSignatureException", "MissingAuthenticationTokenException", "ExpiredTokenException",
            "IncompleteSignatureException", "InvalidClientTokenId");
    private static final Set<String> THROTTLED = Set.of("ProvisionedThroughputExceededException", "ThrottlingException",
            "RequestLimitExceeded");

    private final DynamoDbClient client;
    private final String table;
    private final Duration lease;
    private final Clock clock;
    private final String location;

    /**
     * @param client the client, whose region (and endpoint, for a stand-in) is the table's;
     *               {@link #close()} closes it
     * @param table  the table's name
     * @param lease  how long a lock stands before it is reported as stale
     */
    public DynamoDbLockStore(DynamoDbClient client, String table, Duration lease, Clock clock) {
        if (table == null || !TABLE_NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("'" + table + "' is not a DynamoDB table name (3 to 255 of a-z, A-Z, 0-9,"
                    + " '_', '-', '.')");
        }
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("a lock's lease must be positive; was " + lease);
        }
        this.client = client;
        this.table = table;
        this.lease = lease;
        this.clock = clock;
        var config = client.serviceClientConfiguration();
        String region = config.region() == null ? "the SDK's default region" : config.region().id();
        this.location = "DynamoDB table " + table + " in " + region
                + config.endpointOverride().map(e -> " at " + e).orElse("");
    }

    /**
     * A store on a client of its own: AWS in {@code region} with the SDK's default credentials,
     * or a stand-in server at {@code endpoint} (then signed with fixed placeholder credentials:
     * the operator's own never leave for a stand-in).
     */
    public static DynamoDbLockStore open(String table, String region, Optional<URI> endpoint, Duration lease, Clock clock) {
        if (table == null || !TABLE_NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("'" + table + "' is not a DynamoDB table name (3 to 255 of a-z, A-Z, 0-9,"
                    + " '_', '-', '.')");
        }
        DynamoDbClientBuilder builder = DynamoDbClient.builder();
        if (endpoint.isPresent()) {
            builder.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("dr-stand-in", "dr-stand-in")));
        }
        DynamoDbClient client = AwsClients.open(builder,
                new S3Settings(Optional.ofNullable(region).filter(r -> !r.isBlank()), endpoint, false), false);
        return new DynamoDbLockStore(client, table, lease, clock);
    }

    public String table() {
        return table;
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public Lease acquire(LockKey key, Holder holder) throws LockHeldException, LockStoreUnavailableException {
        Map<String, AttributeValue> item = item(key, holder);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                call("cannot take the lock " + key.id(), () -> client.putItem(b -> b.tableName(table).item(item)
                        .conditionExpression("attribute_not_exists(#id)")
                        .expressionAttributeNames(Map.of("#id", ID))));
                return new DynamoLease(key, holder.runId());
            } catch (ConditionalCheckFailedException held) {
                Optional<HeldLock> current = describe(key);
                if (current.isPresent()) {
                    HeldLock h = current.get();
                    throw new LockHeldException(key, h.holder(), clock.instant(), h.expiresAt());
                }
                // released between the put and the read: try again
            }
        }
        throw new LockStoreUnavailableException("cannot take the lock " + key.id() + " in " + location
                + ": it was taken and released " + ATTEMPTS + " times while dr tried; no drill runs without its lock", null, true);
    }

    @Override
    public Lease takeOver(LockKey key, Holder stale, Holder holder) throws LockHeldException, LockStoreUnavailableException {
        // one conditional put: the item is replaced only while it still names the stale holder
        Map<String, String> names = new java.util.HashMap<>(Map.of("#run", RUN_ID, "#created", CREATED_AT));
        Map<String, AttributeValue> values = new java.util.HashMap<>(Map.of(":run", s(stale.runId()),
                ":created", n(stale.since().getEpochSecond())));
        StringBuilder condition = new StringBuilder("#run = :run AND #created = :created");
        if (stale.process().isPresent()) {
            names.put("#host", HOST);
            names.put("#pid", PID);
            values.put(":host", s(stale.process().get().host()));
            values.put(":pid", n(stale.process().get().pid()));
            condition.append(" AND #host = :host AND #pid = :pid");
        }
        try {
            call("cannot take over the lock " + key.id(), () -> client.putItem(b -> b.tableName(table).item(item(key, holder))
                    .conditionExpression(condition.toString()).expressionAttributeNames(names)
                    .expressionAttributeValues(values)));
            return new DynamoLease(key, holder.runId());
        } catch (ConditionalCheckFailedException changed) {
            Optional<HeldLock> current = describe(key);
            if (current.isEmpty()) {
                return acquire(key, holder);
            }
            throw new LockHeldException(key, current.get().holder(), clock.instant(), current.get().expiresAt());
        }
    }

    private Map<String, AttributeValue> item(LockKey key, Holder holder) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(Map.of(
                ID, s(key.id()),
                HOLDER, s(holder.operator()),
                RUN_ID, s(holder.runId()),
                CREATED_AT, n(holder.since().getEpochSecond()),
                EXPIRES_AT, n(holder.since().plus(lease).getEpochSecond())));
        holder.process().ifPresent(p -> {
            item.put(HOST, s(p.host()));
            item.put(PID, n(p.pid()));
            p.startedAt().ifPresent(t -> item.put(PID_STARTED_AT, n(t.toEpochMilli())));
        });
        return Map.copyOf(item);
    }

    /** The lock as it stands (a strongly consistent read), with its lease. */
    public Optional<HeldLock> describe(LockKey key) throws LockStoreUnavailableException {
        Map<String, AttributeValue> item = call("cannot read the lock " + key.id(), () -> client.getItem(b -> b
                .tableName(table).key(Map.of(ID, s(key.id()))).consistentRead(true))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(parse(key, item));
    }

    @Override
    public Optional<Holder> holder(LockKey key) throws LockStoreUnavailableException {
        return describe(key).map(HeldLock::holder);
    }

    @Override
    public Optional<Holder> forceUnlock(LockKey key) throws LockStoreUnavailableException {
        Map<String, AttributeValue> old = call("cannot remove the lock " + key.id(), () -> client.deleteItem(b -> b
                .tableName(table).key(Map.of(ID, s(key.id()))).returnValues(ReturnValue.ALL_OLD))).attributes();
        return old == null || old.isEmpty() ? Optional.empty() : Optional.of(parse(key, old).holder());
    }

    @Override
    public void close() {
        client.close();
    }

    /** Closing releases the lock if the item is still this run's; another run's lock stays. */
    private final class DynamoLease implements Lease {
        private final LockKey key;
        private final String runId;

        DynamoLease(LockKey key, String runId) {
            this.key = key;
            this.runId = runId;
        }

        @Override
        public void close() throws LockStoreUnavailableException {
            try {
                call("cannot release the lock " + key.id() + " of run " + runId, () -> client.deleteItem(b -> b
                        .tableName(table).key(Map.of(ID, s(key.id())))
                        .conditionExpression("#run = :run")
                        .expressionAttributeNames(Map.of("#run", RUN_ID))
                        .expressionAttributeValues(Map.of(":run", s(runId)))));
            } catch (ConditionalCheckFailedException gone) {
                // already released, or removed and taken by another run: not ours to delete
            }
        }
    }

    private HeldLock parse(LockKey key, Map<String, AttributeValue> item) {
        Instant since = Instant.ofEpochSecond(number(item.get(CREATED_AT), 0));
        Instant expires = Instant.ofEpochSecond(number(item.get(EXPIRES_AT), since.plus(lease).getEpochSecond()));
        long pid = number(item.get(PID), 0);
        Optional<HolderProcess> process = pid > 0 && item.get(HOST) != null && item.get(HOST).s() != null
                ? Optional.of(new HolderProcess(item.get(HOST).s(), pid, item.get(PID_STARTED_AT) == null ? Optional.empty()
                        : Optional.of(Instant.ofEpochMilli(number(item.get(PID_STARTED_AT), 0)))))
                : Optional.empty();
        return new HeldLock(key, new Holder(string(item.get(HOLDER)), string(item.get(RUN_ID)), since, process), expires);
    }

    private static String string(AttributeValue v) {
        return v == null || v.s() == null ? "unknown" : v.s();
    }

    private static long number(AttributeValue v, long otherwise) {
        try {
            return v == null || v.n() == null ? otherwise : Long.parseLong(v.n());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    /** Runs one request; a lost condition passes through, every other failure says what it stopped. */
    private <T> T call(String what, Supplier<T> request) throws LockStoreUnavailableException {
        try {
            return request.get();
        } catch (ConditionalCheckFailedException e) {
            throw e;
        } catch (SdkException e) {
            throw unavailable(what, e);
        }
    }

    private LockStoreUnavailableException unavailable(String what, SdkException e) {
        String head = what + " in " + location + ": ";
        String tail = what.startsWith("cannot take") ? "; the lock was not taken, and no drill runs without its lock" : "";
        java.util.Optional<String> identity = dev.dr.aws.AwsErrors.identityProblem(e);
        if (identity.isPresent() && !(e instanceof AwsServiceException)) {
            return new LockStoreUnavailableException(head + identity.get() + tail, e, false);
        }
        if (e instanceof AwsServiceException s) {
            int status = s.statusCode();
            String code = s.awsErrorDetails() == null || s.awsErrorDetails().errorCode() == null
                    ? "" : s.awsErrorDetails().errorCode();
            String detail = s.awsErrorDetails() == null || s.awsErrorDetails().errorMessage() == null
                    ? "" : ": " + s.awsErrorDetails().errorMessage();
            String named = (code.isEmpty() ? "HTTP " + status : code + ", HTTP " + status);
            if ("ResourceNotFoundException".equals(code)) {
                return new LockStoreUnavailableException(head + "the table does not exist (" + named + "); create it with"
                        + " partition key " + ID + " (String), or set DR_LOCK_TABLE to the table that holds drill locks"
                        + tail, e, false);
            }
            if (s.isThrottlingException() || THROTTLED.contains(code) || status == 429) {
                return new LockStoreUnavailableException(head + "throttled (" + named + ") after the SDK's retries" + tail,
                        e, true);
            }
            if (status == 403 || DENIED.contains(code)) {
                return new LockStoreUnavailableException(head + "access denied for the current AWS credentials (" + named
                        + ")" + detail + tail, e, false);
            }
            if (status >= 500) {
                return new LockStoreUnavailableException(head + "DynamoDB failed (" + named + ") after the SDK's retries"
                        + detail + tail, e, true);
            }
            return new LockStoreUnavailableException(head + "DynamoDB refused the request (" + named + ")" + detail + tail,
                    e, false);
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return new LockStoreUnavailableException(head + "DynamoDB did not answer in time" + tail, e, true);
        }
        String cause = e.getCause() instanceof java.io.IOException io && io.getMessage() != null ? io.getMessage() : e.getMessage();
        return new LockStoreUnavailableException(head + "DynamoDB could not be reached (" + cause + ")" + tail, e, true);
    }
}
