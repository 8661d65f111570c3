package dev.dr.lock;

import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Which store holds the locks: DynamoDB when {@value #TABLE_ENV} names a table (in the
 * target's region, credentials from the SDK's default chain, or the stand-in server of
 * {@value #ENDPOINT_ENV}), otherwise the file store of {@link FileLockStore#defaultDir}.
 */
public final class LockStores {
    /** The DynamoDB table of the drill locks; unset, locks are files on this machine. */
    public static final String TABLE_ENV = "DR_LOCK_TABLE";
    /** A DynamoDB-compatible stand-in server for the lock table, e.g. http://127.0.0.1:4567. */
    public static final String ENDPOINT_ENV = "DR_LOCK_ENDPOINT_URL";

    private LockStores() {}

    /**
     * @param region the region of the lock's target (the table's region)
     * @throws LockStoreUnavailableException when the variables name no usable table or endpoint
     */
    public static LockStore select(Map<String, String> env, String region, Clock clock)
            throws LockStoreUnavailableException {
        String table = env.getOrDefault(TABLE_ENV, "").strip();
        if (table.isEmpty()) {
            return new FileLockStore(FileLockStore.defaultDir(env), clock);
        }
        Optional<URI> endpoint;
        try {
            endpoint = Optional.of(env.getOrDefault(ENDPOINT_ENV, "").strip()).filter(s -> !s.isEmpty()).map(URI::create);
            if (endpoint.isPresent() && (endpoint.get().getScheme() == null || endpoint.get().getHost() == null)) {
                throw new IllegalArgumentException("not an absolute URL");
            }
        } catch (IllegalArgumentException e) {
            throw new LockStoreUnavailableException(ENDPOINT_ENV + " '" + env.get(ENDPOINT_ENV)
                    + "' is not a URL such as http://127.0.0.1:4567; no drill runs without its lock", e, false);
        }
        try {
            return DynamoDbLockStore.open(table, region, endpoint, DynamoDbLockStore.DEFAULT_LEASE, clock);
        } catch (IllegalArgumentException e) {
            throw new LockStoreUnavailableException(TABLE_ENV + ": " + e.getMessage() + "; no drill runs without its lock",
                    e, false);
        }
    }
}
