package dev.dr.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;

/**
 * What every lock store does when a resume takes over the lock of a killed run: replace it only
 * while it still names that run's (gone) process, and never another run's lock.
 */
final class TakeOverContract {
    static final LockKey KEY = new LockKey("048622080012", "us-east-1", "jobintel");
    static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

    private TakeOverContract() {}

    static Holder killed() {
        return new Holder("alice", "run-a", T0, Optional.of(new HolderProcess("host-a", 4242, Optional.of(T0))));
    }

    static Holder resumer() {
        return new Holder("alice", "run-a", T0.plusSeconds(60), Optional.of(new HolderProcess("host-a", 5151,
                Optional.of(T0.plusSeconds(59)))));
    }

    /** The stale lock is replaced by the resumer's; its lease releases it. */
    static void replacesTheStaleHolder(LockStore store) throws Exception {
        store.acquire(KEY, killed()); // the killed run never released it
        Holder stale = store.holder(KEY).orElseThrow();
        assertThat(stale.process()).as("the lock names its process").contains(killed().process().orElseThrow());
        LockStore.Lease lease = store.takeOver(KEY, stale, resumer());
        assertThat(store.holder(KEY).orElseThrow().process()).contains(resumer().process().orElseThrow());
        lease.close();
        assertThat(store.holder(KEY)).isEmpty();
    }

    /** A lock that changed hands since it was read is refused, naming its holder, and stays. */
    static void refusesALockThatChangedHands(LockStore store) throws Exception {
        store.acquire(KEY, killed());
        Holder stale = store.holder(KEY).orElseThrow();
        store.forceUnlock(KEY);
        Holder other = new Holder("bob", "run-b", T0, Optional.of(new HolderProcess("host-b", 7, Optional.empty())));
        store.acquire(KEY, other);
        assertThatThrownBy(() -> store.takeOver(KEY, stale, resumer())).isInstanceOf(LockHeldException.class)
                .hasMessageContaining("run run-b by bob");
        assertThat(store.holder(KEY).orElseThrow().runId()).isEqualTo("run-b");
    }

    /** A lock released meanwhile is simply taken. */
    static void takesALockReleasedMeanwhile(LockStore store) throws Exception {
        store.acquire(KEY, killed());
        Holder stale = store.holder(KEY).orElseThrow();
        store.forceUnlock(KEY);
        try (LockStore.Lease lease = store.takeOver(KEY, stale, resumer())) {
            assertThat(store.holder(KEY).orElseThrow().process()).contains(resumer().process().orElseThrow());
        }
    }
}
