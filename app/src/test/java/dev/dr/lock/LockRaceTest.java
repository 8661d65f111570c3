package dev.dr.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.dr.cli.CliProcess;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two drills on two machines reaching for the same lock at the same instant: two JVMs
 * ({@link LockRacer}), each with its own DynamoDB client, against one dynalite. Every round
 * exactly one wins, and the other is refused with the winner's run id.
 */
class LockRaceTest {

    static final int ROUNDS = 30;

    static Dynalite dynalite;

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

    /** One racing JVM and its pipes. */
    static final class Racer implements AutoCloseable {
        final String name;
        final Process process;
        final PrintStream in;
        final BufferedReader out;
        final Path err;

        Racer(String name, String table) throws IOException {
            this.name = name;
            String testClasses = Path.of(LockRacer.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                    .toString();
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", testClasses + File.pathSeparator + CliProcess.classpath(CliProcess.classesDir()),
                    LockRacer.class.getName(), dynalite.endpoint().toString(), table, name);
            this.err = Files.createTempFile("racer-" + name, ".err");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
            this.process = pb.start();
            this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        String send(String command) throws IOException {
            in.println(command);
            return next();
        }

        String next() throws IOException {
            String line = out.readLine();
            if (line == null) {
                fail("racer " + name + " ended: " + Files.readString(err));
            }
            return line;
        }

        @Override
        public String toString() {
            return name;
        }

        @Override
        public void close() throws IOException {
            in.println("quit");
            in.close();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            Files.deleteIfExists(err);
        }
    }

    /** What one racer said of one round. */
    record Attempt(Racer racer, boolean won, String runId, long start, long end, String message) {
        static Attempt parse(Racer r, String line) {
            String[] f = line.split(" ", 5);
            return new Attempt(r, f[0].equals("won"), f[1], Long.parseLong(f[2]), Long.parseLong(f[3]),
                    f.length > 4 ? f[4] : "");
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void exactlyOneOfTwoProcessesGetsTheLockEveryRound() throws Exception {
        String table = dynalite.newTable();
        DynamoDbLockStore observer = dynalite.store(table, Clock.systemUTC());
        int overlapping = 0;
        List<String> winners = new ArrayList<>();
        try (Racer a = new Racer("racer-a", table); Racer b = new Racer("racer-b", table)) {
            assertThat(a.next()).isEqualTo("ready");
            assertThat(b.next()).isEqualTo("ready");
            for (int round = 1; round <= ROUNDS; round++) {
                long at = System.currentTimeMillis() + 150;
                a.in.println("go " + round + " " + at);
                b.in.println("go " + round + " " + at);
                Attempt x = Attempt.parse(a, a.next());
                Attempt y = Attempt.parse(b, b.next());
                assertThat(x.won() ^ y.won()).as("round %d: exactly one wins: %s / %s", round, x, y).isTrue();
                Attempt won = x.won() ? x : y;
                Attempt lost = x.won() ? y : x;
                assertThat(won.runId()).isEqualTo(won.racer().name + "-" + round);
                assertThat(lost.runId()).as("round %d: the loser is told the winner's run id", round).isEqualTo(won.runId());
                assertThat(lost.message()).matches("another drill holds 048622080012/us-east-1/race: run "
                        + won.runId() + " by " + won.racer().name + ", for \\d+s\\. If that run is gone, dr force-unlock"
                        + " 048622080012/us-east-1/race releases it\\.");
                assertThat(observer.holder(LockRacer.KEY)).map(Holder::runId).contains(won.runId());
                if (lost.start() < won.end() && won.start() < lost.end()) {
                    overlapping++;
                }
                winners.add(won.racer().name);
                assertThat(won.racer().send("release")).isEqualTo("released");
                assertThat(observer.holder(LockRacer.KEY)).as("released after round %d", round).isEmpty();
            }
        } finally {
            observer.close();
        }
        System.out.printf("%d of %d rounds overlapped; wins: racer-a %d, racer-b %d%n", overlapping, ROUNDS,
                winners.stream().filter("racer-a"::equals).count(), winners.stream().filter("racer-b"::equals).count());
        // the rounds were races: both requests were in flight at once, not one after the other
        assertThat(overlapping).as("rounds whose two attempts overlapped in time; winners %s", winners)
                .isGreaterThanOrEqualTo(ROUNDS / 2);
    }
}
