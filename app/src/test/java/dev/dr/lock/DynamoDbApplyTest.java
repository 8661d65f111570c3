package dev.dr.lock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.cli.DrRun;
import dev.dr.command.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dr apply and dr force-unlock with DR_LOCK_TABLE set: the lock lives in DynamoDB (dynalite here). */
class DynamoDbApplyTest {

    static final String PLAN = "app/src/test/resources/cli/apply-test.yaml";
    static final LockKey KEY = new LockKey("048622080012", "us-east-1", "jobintel");

    static Dynalite dynalite;

    @TempDir
    Path tmp;
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

    DrRun dr(Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new HashMap<>(Map.of(
                "DR_LOCK_TABLE", table,
                "DR_LOCK_ENDPOINT_URL", dynalite.endpoint().toString(),
                "DR_LOCK_DIR", tmp.resolve("file-locks").toString(),
                "RECEIPT_DIR", tmp.resolve("receipts").toString(),
                "DR_OPERATOR", "tester"));
        env.putAll(extraEnv);
        return DrRun.inProject(env, args);
    }

    DynamoDbLockStore store() {
        return dynalite.store(table, Clock.systemUTC());
    }

    boolean nothingRan() {
        return !Files.exists(tmp.resolve("receipts"));
    }

    @Test
    void aLockHeldByAnotherRunRefusesWithItsRunIdAndRunsNothing() throws Exception {
        Instant since = Instant.now().minusSeconds(600);
        store().acquire(KEY, new Holder("alice", "validate-only-20261129T101500Z-3f2a", since));
        DrRun r = dr(Map.of(), "apply", PLAN, "--yes");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(r.err()).contains("dr: another drill holds 048622080012/us-east-1/jobintel: run"
                + " validate-only-20261129T101500Z-3f2a by alice, for 10m. If that run is gone, dr force-unlock"
                + " 048622080012/us-east-1/jobintel releases it. Nothing was run.");
        assertThat(nothingRan()).isTrue();
        assertThat(store().holder(KEY)).map(Holder::runId).as("the holder's lock stays")
                .contains("validate-only-20261129T101500Z-3f2a");
        assertThat(tmp.resolve("file-locks")).as("the file store is not used").doesNotExist();
    }

    @Test
    void aStaleLockStillRefusesAndSaysItIsStale() throws Exception {
        Instant since = Instant.parse("2026-01-01T00:00:00Z");
        dynalite.store(table, Clock.fixed(since, ZoneOffset.UTC)).acquire(KEY, new Holder("alice", "run-of-alice", since));
        DrRun r = dr(Map.of(), "apply", PLAN, "--yes");
        assertThat(r.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(r.err()).contains("run run-of-alice by alice, for ")
                .contains(" (stale: expired at 2026-01-01T12:00:00Z). If that run is gone, dr force-unlock");
        assertThat(nothingRan()).isTrue();
    }

    @Test
    void aFreeLockIsTakenForTheRunAndReleasedAfter() throws Exception {
        DrRun r = dr(Map.of(), "apply", PLAN, "--yes");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("Run apply-test-");
        assertThat(store().holder(KEY)).as("released").isEmpty();
        assertThat(tmp.resolve("file-locks")).as("the file store is not used").doesNotExist();
    }

    @Test
    void aMissingTableRefusesToRunWithoutTheLock() {
        DrRun r = dr(Map.of("DR_LOCK_TABLE", "no-such-table"), "apply", PLAN, "--yes");
        assertThat(r.exit()).as("refused, not a failed phase").isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(r.err()).contains("cannot take the lock 048622080012/us-east-1/jobintel in DynamoDB table no-such-table"
                + " in us-east-1 at " + dynalite.endpoint() + ": the table does not exist")
                .contains("no drill runs without its lock");
        assertThat(nothingRan()).isTrue();
    }

    @Test
    void forceUnlockRemovesTheLockFromTheTableAndSaysSo() throws Exception {
        Instant since = Instant.parse("2026-11-29T10:15:00Z");
        store().acquire(KEY, new Holder("alice", "run-of-alice", since));
        DrRun r = dr(Map.of(), "force-unlock", KEY.id());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).isEqualTo("Removed the lock on 048622080012/us-east-1/jobintel held by run run-of-alice"
                + " (alice, since 2026-11-29T10:15:00Z) from DynamoDB table " + table + " in us-east-1 at "
                + dynalite.endpoint() + ". If that run is still going, a second drill can now start beside it."
                + System.lineSeparator());
        assertThat(store().holder(KEY)).isEmpty();
        DrRun again = dr(Map.of(), "force-unlock", KEY.id());
        assertThat(again.exit()).isEqualTo(ExitCodes.OK);
        assertThat(again.out()).isEqualTo("No lock on 048622080012/us-east-1/jobintel in DynamoDB table " + table
                + " in us-east-1 at " + dynalite.endpoint() + "; nothing removed." + System.lineSeparator());
    }

    @Test
    void forceUnlockRefusesWhenTheTableCannotBeUsed() {
        DrRun r = dr(Map.of("DR_LOCK_TABLE", "no-such-table"), "force-unlock", KEY.id());
        assertThat(r.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(r.err()).startsWith("dr: cannot remove the lock 048622080012/us-east-1/jobintel in DynamoDB table"
                + " no-such-table in us-east-1 at " + dynalite.endpoint() + ": the table does not exist"
                + " (ResourceNotFoundException, HTTP 400)").contains("; nothing removed");
    }

    @Test
    void aRunKilledWithSigkillIsResumedAndItsLockInTheTableTakenOverThenReleased() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("DR_LOCK_TABLE", table,
                "DR_LOCK_ENDPOINT_URL", dynalite.endpoint().toString(), "DR_LOCK_DIR", tmp.resolve("file-locks").toString(),
                "RECEIPT_DIR", tmp.resolve("receipts").toString(), "DR_OPERATOR", "tester", "RUN_ID", "killed"));
        String plan = "app/src/test/resources/cli/kill-test.yaml";
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                dev.dr.cli.CliProcess.classpath(Path.of(dev.dr.cli.CliProcess.classesDir() + java.io.File.pathSeparator
                        + dev.dr.cli.CliProcess.projectDir().resolve("app/target/test-classes"))),
                "dev.dr.cli.Main", "apply", plan, "--yes").directory(dev.dr.cli.CliProcess.projectDir().toFile())
                .redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(tmp.resolve("err.txt").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process killed = pb.start();
        Path applied = tmp.resolve("receipts/killed/work/applied.log");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(applied) && Files.readString(applied).contains("restore")) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        killed.destroyForcibly();
        assertThat(killed.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        Holder stale = store().holder(KEY).orElseThrow();
        assertThat(stale.runId()).isEqualTo("killed");
        assertThat(stale.process().orElseThrow().pid()).as("the item names the process").isEqualTo(killed.pid());

        DrRun resumed = dr(Map.of("RUN_ID", "killed"), "apply", plan, "--yes", "--resume",
                tmp.resolve("receipts/killed").toString());
        assertThat(resumed.exit()).as(resumed.err()).isEqualTo(ExitCodes.OK);
        assertThat(resumed.err()).contains("dr: taking over the lock 048622080012/us-east-1/jobintel of run killed (pid "
                + killed.pid() + " on ");
        assertThat(Files.readAllLines(applied)).containsExactly("bringup", "restore", "restore", "validate");
        assertThat(store().holder(KEY)).as("released at the end").isEmpty();
    }
}
