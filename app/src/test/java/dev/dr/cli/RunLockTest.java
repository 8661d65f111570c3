package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.command.ExitCodes;
import dev.dr.command.ExitException;
import dev.dr.lock.FileLockStore;
import dev.dr.lock.Holder;
import dev.dr.lock.HolderProcess;
import dev.dr.lock.LockKey;
import dev.dr.lock.LockStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Taking a run's lock: free, held by another run, or left by the killed run this one continues. */
class RunLockTest {
    static final LockKey KEY = new LockKey("048622080012", "us-east-1", "jobintel");

    @TempDir
    Path tmp;

    final StringWriter err = new StringWriter();

    LockStore store() {
        return new FileLockStore(tmp, Clock.systemUTC());
    }

    static Holder holder(String runId, Optional<HolderProcess> process) {
        return new Holder("tester", runId, Instant.parse("2026-12-07T10:00:00Z"), process);
    }

    LockStore.Lease take(String runId, Set<String> continues) throws IOException {
        return RunLock.take(new PrintWriter(err, true), store(), KEY, holder(runId, Optional.of(HolderProcess.current())),
                continues);
    }

    @Test
    void aFreeLockIsTakenAndReleased() throws Exception {
        take("run-1", Set.of()).close();
        assertThat(store().holder(KEY)).isEmpty();
    }

    @Test
    void anotherRunsLockRefusesTheRun() throws Exception {
        store().acquire(KEY, holder("other", Optional.empty()));
        assertThatThrownBy(() -> take("run-1", Set.of()))
                .isInstanceOfSatisfying(ExitException.class, e -> assertThat(e.code()).isEqualTo(ExitCodes.GUARD_REFUSED))
                .hasMessageContaining("run other").hasMessageEndingWith("Nothing was run.");
        assertThat(store().holder(KEY).orElseThrow().runId()).isEqualTo("other");
    }

    @Test
    void theLockOfALiveRunThisOneContinuesStays() throws Exception {
        store().acquire(KEY, holder("killed", Optional.of(HolderProcess.current())));
        assertThatThrownBy(() -> take("killed", Set.of("killed")))
                .isInstanceOfSatisfying(ExitException.class, e -> assertThat(e.code()).isEqualTo(ExitCodes.GUARD_REFUSED))
                .hasMessageStartingWith("run killed is still going");
    }

    @Test
    void theLockOfAGoneRunThisOneContinuesIsTakenOver() throws Exception {
        HolderProcess me = HolderProcess.current();
        // this pid, started long ago: the process that held it is gone, its pid reused
        HolderProcess gone = new HolderProcess(me.host(), me.pid(), Optional.of(Instant.parse("2000-01-01T00:00:00Z")));
        store().acquire(KEY, holder("killed", Optional.of(gone)));
        assertThatThrownBy(() -> take("other", Set.of())).as("a run that continues another").isInstanceOf(ExitException.class);
        try (LockStore.Lease lease = take("killed", Set.of("killed"))) {
            assertThat(err.toString()).contains("dr: taking over the lock " + KEY.id() + " of run killed ("
                    + gone.describe() + "): that process is gone, and this run continues it");
            assertThat(store().holder(KEY).orElseThrow().process()).contains(me);
        }
        assertThat(store().holder(KEY)).isEmpty();
    }

    @Test
    void aLockNamingNoProcessCannotBeTakenOver() throws Exception {
        store().acquire(KEY, holder("killed", Optional.empty()));
        assertThatThrownBy(() -> take("killed", Set.of("killed")))
                .isInstanceOfSatisfying(ExitException.class, e -> assertThat(e.code()).isEqualTo(ExitCodes.GUARD_REFUSED))
                .hasMessageContaining("the lock names no process").hasMessageContaining("dr force-unlock " + KEY.id());
    }

    @Test
    void aLockThatCannotBeReleasedIsAWarning() throws Exception {
        StringWriter warned = new StringWriter();
        LockStore.Lease broken = () -> {
            throw new IOException("the store is down");
        };
        RunLock.releasedWithWarning(new PrintWriter(warned, true), broken, KEY).close();
        assertThat(warned.toString()).contains("dr: warning: the lock " + KEY.id() + " was not released: the store is"
                + " down; once the run is over, remove it with dr force-unlock " + KEY.id());
    }
}
