package dev.dr.lock;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One of the racing processes of {@link LockRaceTest}: a JVM of its own with its own client,
 * told over stdin when to reach for the lock.
 *
 * <pre>
 * args: ENDPOINT TABLE NAME
 * in:   go ROUND EPOCH_MILLIS   take the lock at that instant, as run NAME-ROUND
 *       release                 release the lock this racer holds
 *       quit
 * out:  ready
 *       won RUN_ID START_MICROS END_MICROS
 *       held HOLDER_RUN_ID START_MICROS END_MICROS MESSAGE
 *       released
 * </pre>
 */
public final class LockRacer {

    static final LockKey KEY = new LockKey("048622080012", "us-east-1", "race");

    public static void main(String[] args) throws Exception {
        String name = args[2];
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (DynamoDbLockStore store = DynamoDbLockStore.open(args[1], "us-east-1", Optional.of(URI.create(args[0])),
                DynamoDbLockStore.DEFAULT_LEASE, Clock.systemUTC())) {
            // warm up every request the race makes, on a lock of its own, so that neither racer is slowed by class loading
            LockKey own = new LockKey("048622080012", "us-east-1", "warm-" + name);
            for (int i = 0; i < 3; i++) {
                store.acquire(own, new Holder(name, "warm", Instant.now())).close();
                store.describe(own);
            }
            out.println("ready");
            LockStore.Lease lease = null;
            for (String line; (line = in.readLine()) != null; ) {
                String[] cmd = line.split(" ");
                switch (cmd[0]) {
                    case "go" -> {
                        String runId = name + "-" + cmd[1];
                        waitUntil(Long.parseLong(cmd[2]));
                        long start = micros();
                        try {
                            lease = store.acquire(KEY, new Holder(name, runId, Instant.now()));
                            out.println("won " + runId + " " + start + " " + micros());
                        } catch (LockHeldException e) {
                            out.println("held " + e.holder().runId() + " " + start + " " + micros() + " " + e.getMessage());
                        }
                    }
                    case "release" -> {
                        lease.close();
                        lease = null;
                        out.println("released");
                    }
                    case "quit" -> {
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown command: " + line);
                }
            }
        }
    }

    /** Sleeps until shortly before the instant, then spins: both racers start within a fraction of a millisecond. */
    private static void waitUntil(long epochMillis) throws InterruptedException {
        long left = epochMillis - System.currentTimeMillis();
        if (left > 3) {
            Thread.sleep(left - 3);
        }
        while (System.currentTimeMillis() < epochMillis) {
            Thread.onSpinWait();
        }
    }

    private static long micros() {
        Instant now = Instant.now();
        return TimeUnit.SECONDS.toMicros(now.getEpochSecond()) + now.getNano() / 1000;
    }

    private LockRacer() {}
}
