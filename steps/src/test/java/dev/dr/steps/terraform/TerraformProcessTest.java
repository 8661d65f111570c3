package dev.dr.steps.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dr.step.ErrorClass;
import dev.dr.step.StepFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The terraform process itself: a missing binary, a held state lock, an interrupted apply. The
 * tests that run terraform are skipped where it is not installed.
 */
class TerraformProcessTest {
    static final Path SLOW = PlanJsonTest.RECORDED.resolve("slow");

    @TempDir
    Path dir;

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("TF_BACKEND_"));
        return env;
    }

    @Test
    void withoutTerraformTheApplyFailsAndThePreviewStaysOffline() throws Exception {
        Path tf = Files.createDirectories(dir.resolve("tf"));
        Map<String, String> env = Map.of("PATH", dir.resolve("no-bin").toString());
        TestContext ctx = TestContext.forFolder(tf, dir.resolve("work"));
        assertThat(new TerraformApplyStep(env).preview(ctx)).isEmpty();
        assertThatThrownBy(() -> new TerraformDestroyStep(env).apply(ctx)).isInstanceOf(StepFailure.class)
                .hasMessageStartingWith("terraform is not on the PATH");
        TestContext missing = TestContext.forFolder(dir.resolve("absent"), dir.resolve("work"));
        assertThat(new TerraformApplyStep(env).preview(missing)).isEmpty();
        assertThatThrownBy(() -> new TerraformApplyStep(env).apply(missing))
                .hasMessage("with.dir: no terraform folder " + dir.resolve("absent"));
    }

    @Test
    void anInstanceTypeInVarsIsRefusedForTheCheckedSizing() throws Exception {
        Path tf = Files.createDirectories(dir.resolve("tf"));
        TestContext ctx = new TestContext("{\"dir\": \"" + tf + "\", \"vars\": {\"instance_type\": \"m5.large\"}}",
                Map.of("sizing.instanceType", "t4g.medium"), dir.resolve("work"), false);
        assertThatThrownBy(() -> new TerraformApplyStep(Map.of()).apply(ctx))
                .hasMessage("with.vars.instance_type: set sizing.instanceType instead");
    }

    @Test
    void aHeldStateLockIsAConflictAndAnInterruptedApplyStopsTerraformAndReleasesIt() throws Exception {
        assumeTrue(Terraform.onPath(System.getenv("PATH")).isPresent(),
                "terraform is not on the PATH: this test runs a slow apply and interrupts it");
        Path tf = Files.createDirectories(dir.resolve("tf"));
        Files.copy(SLOW.resolve("main.tf"), tf.resolve("main.tf"));
        TestContext first = TestContext.forFolder(tf, dir.resolve("work1"));
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread applying = new Thread(() -> {
            try {
                new TerraformApplyStep(env()).apply(first);
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        applying.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (first.progress.stream().noneMatch(l -> l.contains("Provisioning with 'local-exec'"))) {
            assertThat(System.nanoTime()).as("the slow apply reaches its provisioner").isLessThan(deadline);
            assertThat(outcome).isNotDone();
            Thread.sleep(50);
        }

        TestContext second = TestContext.forFolder(tf, dir.resolve("work2"));
        assertThatThrownBy(() -> new TerraformApplyStep(env()).apply(second)).isInstanceOfSatisfying(StepFailure.class, f -> {
            assertThat(f.errorClass()).isEqualTo(ErrorClass.CONFLICT);
            assertThat(f.getMessage()).startsWith("terraform plan failed (exit 1): Error: Error acquiring the state lock");
        });

        long interrupted = System.nanoTime();
        applying.interrupt();
        Throwable t = outcome.get(60, TimeUnit.SECONDS);
        assertThat(t).isInstanceOf(InterruptedException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - interrupted)).as("terraform stops without waiting for the provisioner")
                .isLessThan(Duration.ofSeconds(25));
        assertThat(first.log).anyMatch(l -> l.startsWith("terraform apply: interrupted; terraform stopped (exit "));
        assertThat(tf.resolve(".terraform.tfstate.lock.info")).as("the lock is released; log:\n%s", String.join("\n", first.log))
                .doesNotExist();
        assertThat(dir.resolve("work1/terraform").resolve(TerraformWork.slug(tf.toString())).resolve("apply.tfplan"))
                .doesNotExist();
    }
}
