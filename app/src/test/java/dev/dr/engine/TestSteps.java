package dev.dr.engine;

import dev.dr.step.ErrorClass;
import dev.dr.step.PreviewKind;
import dev.dr.step.Step;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Steps for the engine's own tests (registered in the test class path only). They keep any
 * state in the run's work folder, as a real step keeps it in the systems it drives.
 */
public final class TestSteps {
    private TestSteps() {}

    /** Succeeds and leaves an output named after its setting {@code output}. */
    public static final class Ok implements Step {
        @Override public String name() { return "testing.ok"; }
        @Override public String description() { return "Succeeds (engine tests)."; }
        @Override public PreviewKind previewKind() { return PreviewKind.EXACT; }
        @Override public String withSchema() {
            return "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{\"output\":{\"type\":\"string\"}}}";
        }
        @Override public List<String> reads() { return List.of("target.namespace"); }
        @Override public StepResult apply(StepContext ctx) {
            ctx.log("ok in " + ctx.setting("target.namespace").orElse("?"));
            String out = ctx.with().path("output").asString("");
            return out.isEmpty() ? StepResult.none() : StepResult.of(out, ctx.setting("target.namespace").orElse(""));
        }
    }

    /** Fails with {@code failWith} for its first {@code failures} calls, counted in the work folder. */
    public static final class Flaky implements Step {
        @Override public String name() { return "testing.flaky"; }
        @Override public String description() { return "Fails a given number of times (engine tests)."; }
        @Override public PreviewKind previewKind() { return PreviewKind.OPAQUE; }
        @Override public String withSchema() {
            return "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"failWith\",\"failures\"],"
                    + "\"properties\":{\"failWith\":{\"type\":\"string\"},\"failures\":{\"type\":\"integer\"}}}";
        }
        @Override public StepResult apply(StepContext ctx) throws StepFailure {
            Path counter = ctx.workDir().resolve("flaky.count");
            try {
                int calls = Files.exists(counter) ? Integer.parseInt(Files.readString(counter).strip()) : 0;
                Files.createDirectories(ctx.workDir());
                Files.writeString(counter, Integer.toString(calls + 1));
                if (calls < ctx.with().get("failures").asInt()) {
                    throw new StepFailure(ErrorClass.of(ctx.with().get("failWith").asString()), "failure " + (calls + 1));
                }
                return StepResult.of("flaky.calls", Integer.toString(calls + 1));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Builds nothing itself: takes the S3 client a step gets and outputs its identity as {@code s3.<output>}. */
    public static final class S3Client implements Step {
        @Override public String name() { return "testing.s3-client"; }
        @Override public String description() { return "Names the S3 client it gets (engine tests)."; }
        @Override public PreviewKind previewKind() { return PreviewKind.OPAQUE; }
        @Override public String withSchema() {
            return "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"output\"],"
                    + "\"properties\":{\"output\":{\"type\":\"string\"}}}";
        }
        @Override public StepResult apply(StepContext ctx) {
            try (dev.dr.aws.S3Objects s3 = dev.dr.aws.S3Objects.forStep(ctx)) {
                return StepResult.of("s3." + ctx.with().get("output").asString(),
                        Integer.toHexString(System.identityHashCode(s3.client())));
            }
        }
    }

    /** Sleeps {@code millis}, interruptibly. */
    public static final class Sleep implements Step {
        @Override public String name() { return "testing.sleep"; }
        @Override public String description() { return "Sleeps (engine tests)."; }
        @Override public PreviewKind previewKind() { return PreviewKind.OPAQUE; }
        @Override public String withSchema() {
            return "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{\"millis\":{\"type\":\"integer\"}}}";
        }
        @Override public StepResult apply(StepContext ctx) throws InterruptedException {
            Files.exists(ctx.workDir()); // touch nothing; only wait
            Thread.sleep(ctx.with().path("millis").asLong(60_000));
            return StepResult.none();
        }
    }

    /** Throws an unexpected exception: the engine counts it as permanent. */
    public static final class Broken implements Step {
        @Override public String name() { return "testing.broken"; }
        @Override public String description() { return "Throws (engine tests)."; }
        @Override public PreviewKind previewKind() { return PreviewKind.OPAQUE; }
        @Override public String withSchema() { return "{\"type\":\"object\"}"; }
        @Override public StepResult apply(StepContext ctx) {
            throw new IllegalStateException("bug in a step");
        }
    }

    /** Appends its {@code mark} to applied.log in the work folder, then sleeps {@code millis}. */
    public static final class Mark implements Step {
        @Override public String name() { return "testing.mark"; }
        @Override public String description() { return "Records that it ran, then waits (engine tests)."; }
        @Override public PreviewKind previewKind() { return PreviewKind.EXACT; }
        @Override public String withSchema() {
            return "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"mark\"],"
                    + "\"properties\":{\"mark\":{\"type\":\"string\"},\"millis\":{\"type\":\"integer\"},"
                    + "\"until\":{\"type\":\"string\"}}}";
        }
        @Override public StepResult apply(StepContext ctx) throws InterruptedException {
            try {
                Files.createDirectories(ctx.workDir());
                Files.writeString(ctx.workDir().resolve("applied.log"), ctx.with().get("mark").asString() + "\n",
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            long millis = ctx.with().path("millis").asLong(0);
            String until = ctx.with().path("until").asString("");
            if (until.isEmpty()) {
                Thread.sleep(millis);
                return StepResult.none();
            }
            // Hold the phase until the test says so (a file in the work folder), so a test of
            // what happens while a run is in progress does not depend on how fast the machine is;
            // millis is only the cap.
            long deadline = System.nanoTime() + millis * 1_000_000L;
            while (!Files.exists(ctx.workDir().resolve(until)) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            return StepResult.none();
        }
    }

    /**
     * A step that swallows its interrupt, as a client that retries on InterruptedException does.
     * Its first call stays until the work folder has {@code stubborn.release} (or a minute has
     * passed), then returns the late output {@code stubborn.late}. Its second call is the retry:
     * it notes whether the first call's thread was still alive, releases it, waits until that
     * thread has ended (so whatever the abandoned attempt writes is written), then works
     * {@code millis} and returns {@code stubborn.attempt} and {@code stubborn.besideStuck}.
     */
    public static final class Stubborn implements Step {
        static final String RELEASE = "stubborn.release";
        static final String THREAD = "stubborn.thread";

        @Override public String name() { return "testing.stubborn"; }
        @Override public String description() { return "Ignores interrupts on its first call (engine tests)."; }
        @Override public PreviewKind previewKind() { return PreviewKind.OPAQUE; }
        @Override public String withSchema() {
            return "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{\"millis\":{\"type\":\"integer\"}}}";
        }
        @Override public StepResult apply(StepContext ctx) throws InterruptedException {
            Path dir = ctx.workDir();
            try {
                Files.createDirectories(dir);
                Path counter = dir.resolve("stubborn.count");
                int call = (Files.exists(counter) ? Integer.parseInt(Files.readString(counter).strip()) : 0) + 1;
                Files.writeString(counter, Integer.toString(call));
                if (call == 1) {
                    Files.writeString(dir.resolve(THREAD), Thread.currentThread().getName());
                    int ignored = 0;
                    long deadline = System.nanoTime() + 60_000_000_000L;
                    while (!Files.exists(dir.resolve(RELEASE)) && System.nanoTime() < deadline) {
                        try {
                            Thread.sleep(10);
                        } catch (InterruptedException e) {
                            ignored++; // swallowed, and the flag with it
                        }
                    }
                    ctx.log("released after ignoring " + ignored + " interrupt(s)");
                    return StepResult.of("stubborn.late", "from attempt 1");
                }
                String holder = Files.readString(dir.resolve(THREAD));
                Optional<Thread> first = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().equals(holder) && t != Thread.currentThread()).findFirst();
                boolean besideStuck = first.isPresent() && first.get().isAlive();
                Files.writeString(dir.resolve(RELEASE), "");
                if (first.isPresent()) {
                    first.get().join(10_000);
                }
                Thread.sleep(ctx.with().path("millis").asLong(0));
                return new StepResult(Map.of("stubborn.attempt", Integer.toString(call),
                        "stubborn.besideStuck", Boolean.toString(besideStuck)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
