package dev.dr.steps.terraform;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dr.testing.MissingTool;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The terraform folder the terraform steps' contract tests run in: a copy of the tests' drill
 * folder (terraform_data only, local backend: the state file is the "server" the steps change),
 * and that state held by another apply, which is how terraform refuses.
 */
final class ContractFolder {
    private ContractFolder() {}

    /** A copy of the drill folder in {@code dir}; skips here, fails on CI, without terraform. */
    static Path copy(Path dir) throws IOException {
        if (Terraform.onPath(System.getenv("PATH")).isEmpty()) {
            throw MissingTool.skipOrFail("terraform is not on the PATH (https://developer.hashicorp.com/terraform/install)");
        }
        assumeTrue(System.getenv().getOrDefault(RemoteBackend.BUCKET, "").isBlank(),
                "TF_BACKEND_BUCKET is set: the steps would init the test folder with the remote backend");
        Path tf = Files.createDirectories(dir);
        Files.copy(PlanJsonTest.RECORDED.resolve("drill/main.tf"), tf.resolve("main.tf"));
        return tf;
    }

    /** Runs terraform in {@code tf} as an operator would, e.g. {@code apply -auto-approve}. */
    static void run(Path tf, String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(args)).directory(tf.toFile()).redirectErrorStream(true)
                .redirectOutput(tf.resolveSibling("terraform.log").toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", args) + " failed: " + Files.readString(tf.resolveSibling("terraform.log")));
        }
    }

    /**
     * Holds the state's lock as a running {@code terraform apply} does: the lock on the state
     * file, and the lock info it writes beside it, which terraform shows to whoever waits.
     */
    static FileLock heldByAnotherApply(Path tf) throws IOException {
        Files.writeString(tf.resolve(".terraform.tfstate.lock.info"), "{\"ID\":\"6f1c2a9e-contract\",\"Operation\":"
                + "\"OperationTypeApply\",\"Info\":\"\",\"Who\":\"operator@elsewhere\",\"Version\":\"1.11.4\","
                + "\"Created\":\"2026-11-29T10:00:00Z\",\"Path\":\"terraform.tfstate\"}");
        FileChannel state = FileChannel.open(tf.resolve("terraform.tfstate"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        return state.lock();
    }
}
