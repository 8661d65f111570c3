package dev.dr.steps.aws.ecr;

import dev.dr.aws.AwsClients;
import dev.dr.step.Step;
import dev.dr.step.kit.ContractDrill;
import dev.dr.steps.contract.LoopbackStepContract;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * ecr.pull-secret: ECR's token from WireMock stubs (a read: GetAuthorizationToken), the Secret
 * and ServiceAccount on the defaulting API server, whose requests the contract counts.
 */
class EcrPullSecretContractTest extends LoopbackStepContract {

    EcrStub ecr;

    @BeforeEach
    void ecrAndNamespace() {
        ecr = new EcrStub();
        ecr.token("contract-password", Instant.parse("2030-01-01T00:00:00Z"));
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("jobintel").endMetadata().build())
                .create();
    }

    @AfterEach
    void stopEcr() {
        ecr.close();
    }

    @Override
    protected Step step() {
        return new EcrPullSecretStep();
    }

    @Override
    protected List<String> examples() {
        return List.of("{}", "{secretName: ecr-pull, serviceAccount: jobintel}");
    }

    @Override
    protected Map<String, String> inputs() {
        return Map.of("imageRef", EcrStub.IMAGE);
    }

    @Override
    protected String phase() {
        return "restore";
    }

    @Override
    protected ContractDrill around(ContractDrill drill) {
        return drill.withEarlierOutputs(Map.of(AwsClients.ENDPOINT_OUTPUT, ecr.endpoint().toString()));
    }

    @Override
    protected Set<String> outputs() {
        return Set.of(EcrPullSecretStep.SECRET_OUTPUT, EcrPullSecretStep.SERVICE_ACCOUNT_OUTPUT,
                EcrPullSecretStep.REGISTRY_OUTPUT, EcrPullSecretStep.EXPIRES_OUTPUT);
    }
}
