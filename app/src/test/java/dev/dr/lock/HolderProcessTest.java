package dev.dr.lock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Whether a lock's holder still runs: only its own host can tell. */
class HolderProcessTest {

    @Test
    void thisProcessIsAliveAnEndedOneIsGoneAnotherHostsIsUnknown() throws Exception {
        HolderProcess me = HolderProcess.current();
        assertThat(me.liveness()).isEqualTo(HolderProcess.Liveness.ALIVE);

        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        HolderProcess ended = new HolderProcess(me.host(), p.pid(), p.toHandle().info().startInstant());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ended.liveness()).isEqualTo(HolderProcess.Liveness.GONE);

        assertThat(new HolderProcess(me.host() + "-elsewhere", me.pid(), me.startedAt()).liveness())
                .isEqualTo(HolderProcess.Liveness.UNKNOWN);
    }

    @Test
    void aPidTakenByALaterProcessIsGone() {
        HolderProcess me = HolderProcess.current();
        // the same pid, started an hour earlier: the recorded holder ended, this JVM reused its pid
        HolderProcess earlier = new HolderProcess(me.host(), me.pid(), me.startedAt().map(t -> t.minusSeconds(3600)));
        assertThat(earlier.liveness()).isEqualTo(HolderProcess.Liveness.GONE);
        assertThat(new Holder("a", "r", Instant.EPOCH).liveness()).as("no process recorded")
                .isEqualTo(HolderProcess.Liveness.UNKNOWN);
        assertThat(new Holder("a", "r", Instant.EPOCH, Optional.of(me)).liveness()).isEqualTo(HolderProcess.Liveness.ALIVE);
    }
}
