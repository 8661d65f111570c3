package dev.dr.steps.aws.ec2;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.dr.aws.AwsClients;
import dev.dr.aws.AwsStubs;
import dev.dr.step.Step;
import dev.dr.step.kit.ContractDrill;
import dev.dr.step.kit.RequestLog;
import dev.dr.step.kit.StepContract;
import dev.dr.step.kit.WireMockServers;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** ec2.verify-no-runners against WireMock answering as EC2 does; refused with UnauthorizedOperation. */
class Ec2VerifyNoRunnersContractTest extends StepContract {

    AwsStubs aws;
    WireMockServer refuser;

    @BeforeEach
    void start() {
        aws = AwsStubs.start();
        aws.ec2Instances();
    }

    @AfterEach
    void stop() {
        aws.close();
        if (refuser != null) {
            refuser.stop();
        }
    }

    @Override
    protected Step step() {
        return new Ec2VerifyNoRunnersStep();
    }

    @Override
    protected List<String> examples() {
        return List.of("{}", "{tags: {\"dr:role\": runner, team: jobintel}}");
    }

    @Override
    protected ContractDrill drill() {
        return at(aws.endpoint().toString());
    }

    @Override
    protected ContractDrill refusingDrill() {
        refuser = WireMockServers.refusing(403, "text/xml", "<Response><Errors><Error><Code>UnauthorizedOperation</Code>"
                + "<Message>You are not authorized to perform this operation.</Message></Error></Errors>"
                + "<RequestID>contract</RequestID></Response>");
        return at(refuser.baseUrl());
    }

    private static ContractDrill at(String endpoint) {
        return ContractDrill.of("teardown", Map.of(AwsClients.ENDPOINT_OUTPUT, endpoint)).withRun("teardown: true");
    }

    @Override
    protected RequestLog requests() {
        return WireMockServers.requests(aws.server());
    }

    @Override
    protected Set<String> outputs() {
        return Set.of("runners.left");
    }
}
