package dev.dr.steps.aws.ecr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.aws.EcrImageRef;
import dev.dr.aws.S3Settings;
import dev.dr.json.JsonTrees;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class RegistryAuthTest {

    static final String PASSWORD = "eyJwYXlsb2FkIjoiczNjcmV0In0.Unit-S3cret-91ab-password";
    static final String TOKEN = Base64.getEncoder().encodeToString(("AWS:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    static final Instant EXPIRES = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void theDockerConfigHasOneEntryForTheRegistry() {
        RegistryAuth a = RegistryAuth.of(EcrStub.HOST, TOKEN, EXPIRES);
        JsonNode doc = JsonTrees.read(new String(a.dockerConfigJson(), StandardCharsets.UTF_8));
        assertThat(JsonTrees.compact(doc)).isEqualTo("{\"auths\":{\"" + EcrStub.HOST + "\":{\"username\":\"AWS\",\"password\":\""
                + PASSWORD + "\",\"auth\":\"" + TOKEN + "\"}}}");
    }

    @Test
    void neitherToStringNorRedactedTextHoldsTheToken() {
        RegistryAuth a = RegistryAuth.of(EcrStub.HOST, TOKEN, EXPIRES);
        assertThat(a.toString()).contains(EcrStub.HOST).contains("2030-01-01T00:00:00Z").doesNotContain(PASSWORD);
        String encodedDoc = Base64.getEncoder().encodeToString(a.dockerConfigJson());
        String echoed = "invalid: " + PASSWORD + " / " + TOKEN + " / " + encodedDoc + " / "
                + Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8));
        String redacted = a.redact(echoed);
        for (String form : EcrStub.leakForms(PASSWORD)) {
            assertThat(redacted).doesNotContain(form);
        }
        assertThat(redacted).startsWith("invalid: (redacted) / (redacted) / ");
    }

    @Test
    void aTokenThatIsNotBase64OfUserAndPasswordIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> RegistryAuth.of(EcrStub.HOST, "not base64 " + PASSWORD, EXPIRES))
                .hasMessage("the authorization token ECR returned is not base64").hasMessageNotContaining(PASSWORD);
        String noColon = Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> RegistryAuth.of(EcrStub.HOST, noColon, EXPIRES))
                .hasMessage("the authorization token ECR returned is not base64 of user:password");
    }

    @Test
    void aReadOnlyRegistryClientFetchesNoToken() {
        try (EcrStub stub = new EcrStub()) {
            stub.token(PASSWORD, EXPIRES);
            EcrImageRef ref = EcrImageRef.parse(EcrStub.IMAGE);
            try (EcrRegistry ecr = EcrRegistry.open(new S3Settings(Optional.of("us-east-1"), Optional.of(stub.endpoint()), true),
                    true)) {
                assertThatThrownBy(() -> ecr.token(ref)).isInstanceOf(IllegalStateException.class)
                        .hasMessage("a preview fetches no ECR token");
            }
            assertThat(stub.calls("GetAuthorizationToken")).isZero();
        }
    }
}
