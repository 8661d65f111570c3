package dev.dr.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLockStoreTest {

    static final LockKey KEY = new LockKey("048622080012", "us-east-1", "jobintel");
    static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void exactlyOneOfManyRacingRunsGetsTheLock() throws Exception {
        FileLockStore store = new FileLockStore(dir, Clock.fixed(T0, ZoneOffset.UTC));
        int n = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String runId = "run-" + i;
            results.add(pool.submit(() -> {
                start.await();
                try {
                    store.acquire(KEY, new Holder("op", runId, T0));
                    return "won " + runId;
                } catch (LockHeldException e) {
                    return "held by " + e.holder().runId();
                }
            }));
        }
        start.countDown();
        List<String> outcomes = new ArrayList<>();
        for (Future<String> f : results) {
            outcomes.add(f.get());
        }
        pool.shutdown();
        assertThat(outcomes.stream().filter(o -> o.startsWith("won"))).hasSize(1);
        String winner = outcomes.stream().filter(o -> o.startsWith("won")).findFirst().orElseThrow().substring(4);
        assertThat(outcomes.stream().filter(o -> o.startsWith("held"))).hasSize(n - 1)
                .allMatch(o -> o.equals("held by " + winner));
    }

    @Test
    void aHeldLockNamesItsHolderRunAndAge() throws Exception {
        new FileLockStore(dir, Clock.fixed(T0, ZoneOffset.UTC)).acquire(KEY, new Holder("alice", "run-a", T0));
        FileLockStore later = new FileLockStore(dir, Clock.fixed(T0.plusSeconds(3 * 3600 + 120), ZoneOffset.UTC));
        assertThatThrownBy(() -> later.acquire(KEY, new Holder("bob", "run-b", T0)))
                .isInstanceOf(LockHeldException.class)
                .hasMessage("another drill holds 048622080012/us-east-1/jobintel: run run-a by alice, for 3h2m."
                        + " If that run is gone, dr force-unlock 048622080012/us-east-1/jobintel releases it.");
    }

    @Test
    void releaseFreesTheLockButNeverAnotherRunsLock() throws Exception {
        FileLockStore store = new FileLockStore(dir, Clock.systemUTC());
        LockStore.Lease a = store.acquire(KEY, new Holder("alice", "run-a", T0));
        a.close();
        assertThat(store.holder(KEY)).isEmpty();
        LockStore.Lease b = store.acquire(KEY, new Holder("bob", "run-b", T0));
        a.close(); // a stale lease must not release run-b's lock
        assertThat(store.holder(KEY)).map(Holder::runId).contains("run-b");
        b.close();
    }

    @Test
    void forceUnlockRemovesAndReportsTheHolder() throws Exception {
        FileLockStore store = new FileLockStore(dir, Clock.systemUTC());
        store.acquire(KEY, new Holder("alice", "run-a", T0));
        assertThat(store.forceUnlock(KEY)).map(Holder::runId).contains("run-a");
        assertThat(store.holder(KEY)).isEmpty();
        assertThat(store.forceUnlock(KEY)).isEmpty();
    }

    @Test
    void lockIdsParseBackAndBadOnesAreRefused() {
        assertThat(LockKey.parse(KEY.id())).isEqualTo(KEY);
        assertThatThrownBy(() -> LockKey.parse("048622080012-us-east-1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("<accountId>/<region>/<namespace>");
    }

    @Test
    void aResumeTakesOverTheStaleLockOfItsRunOnlyWhileItStillNamesIt() throws Exception {
        TakeOverContract.replacesTheStaleHolder(new FileLockStore(dir, Clock.systemUTC()));
        TakeOverContract.refusesALockThatChangedHands(new FileLockStore(dir.resolve("b"), Clock.systemUTC()));
        TakeOverContract.takesALockReleasedMeanwhile(new FileLockStore(dir.resolve("c"), Clock.systemUTC()));
    }
}
