package dev.dr.steps.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.sandbox.SandboxServer;
import org.junit.jupiter.api.Test;

/** sandbox.up and the server it starts name the server's class and files alike. */
class SandboxFilesAgreementTest {

    @Test
    void theStepsAndTheServerAgree() {
        assertThat(SandboxFiles.SERVER_CLASS).isEqualTo(SandboxServer.class.getName());
        assertThat(SandboxFiles.KUBECONFIG).isEqualTo(SandboxServer.KUBECONFIG);
        assertThat(SandboxFiles.READY).isEqualTo(SandboxServer.READY);
        assertThat(SandboxFiles.S3_ENDPOINT).isEqualTo(SandboxServer.S3_ENDPOINT);
    }
}
