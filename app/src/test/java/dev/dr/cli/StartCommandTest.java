package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.aws.sfn.SfnStubs;
import dev.dr.json.JsonTrees;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** dr start: StartExecution with the boundaries as input, after the account guards; nothing started when refused. */
class StartCommandTest {

    static final String ACCOUNT = "048622080012";
    static final String MACHINE = "arn:aws:states:us-east-1:" + ACCOUNT + ":stateMachine:signalcraft-dr-orchestrator-state-machine";
    static final String EXECUTION = "arn:aws:states:us-east-1:" + ACCOUNT
            + ":execution:signalcraft-dr-orchestrator-state-machine:restore-then-validate";

    SfnStubs aws;

    @BeforeEach
    void start() {
        aws = SfnStubs.start();
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    DrRun drStart(String machine, String... more) {
        List<String> a = new ArrayList<>(List.of("start", "--state-machine-arn", machine, "--expected-account-id", ACCOUNT,
                "--endpoint-url", aws.endpoint().toString(), "--no-sign-request"));
        a.addAll(List.of(more));
        return DrRun.inProject(Map.of(), a.toArray(String[]::new));
    }

    @Test
    void startsAnExecutionWithTheBoundariesAsItsInputAndPrintsItsArn() {
        aws.caller(ACCOUNT);
        aws.startExecution(EXECUTION, Instant.parse("2026-12-07T10:00:00Z"));

        DrRun r = drStart(MACHINE, "--region", "us-east-1", "--start-at", "restore", "--stop-after", "validate",
                "--from-receipt", "receipts/bringup-only-20261129T101500Z-3f2a", "--name", "restore-then-validate");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(EXECUTION + "\n");
        assertThat(r.err()).contains("Started at 2026-12-07T10:00:00Z").contains("dr status --state-machine-arn " + MACHINE);
        assertThat(aws.requests().get(0).getBodyAsString()).as("the caller is checked first").contains("Action=GetCallerIdentity");
        List<String> sent = aws.bodies("StartExecution");
        assertThat(sent).hasSize(1);
        JsonNode body = JsonTrees.read(sent.get(0));
        assertThat(body.get("stateMachineArn").asString()).isEqualTo(MACHINE);
        assertThat(body.get("name").asString()).isEqualTo("restore-then-validate");
        assertThat(body.get("input").asString()).isEqualTo(
                "{\"startAt\":\"restore\",\"stopAfter\":\"validate\",\"fromReceipt\":\"receipts/bringup-only-20261129T101500Z-3f2a\"}");
    }

    @Test
    void theReceiptFolderGoesIntoTheInputForTheWorkersAndForDrStatus() {
        aws.caller(ACCOUNT);
        aws.startExecution(EXECUTION, Instant.parse("2026-12-07T10:00:00Z"));

        DrRun r = drStart(MACHINE, "--receipt-bucket", "dr-receipts-048622080012", "--receipt-prefix", "drills/2026");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(JsonTrees.read(aws.bodies("StartExecution").get(0)).get("input").asString())
                .isEqualTo("{\"receiptBucket\":\"dr-receipts-048622080012\",\"receiptPrefix\":\"drills/2026\"}");
        DrRun bad = drStart(MACHINE, "--receipt-bucket", "Receipts_Bucket");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--receipt-bucket: 'Receipts_Bucket' is not an S3 bucket name");
        DrRun badPrefix = drStart(MACHINE, "--receipt-prefix", "/drills/");
        assertThat(badPrefix.exit()).isEqualTo(2);
        assertThat(badPrefix.err()).contains("--receipt-prefix '/drills/' is not a key prefix");
        assertThat(aws.bodies("StartExecution")).as("nothing more started").hasSize(1);
    }

    @Test
    void withoutBoundariesTheInputIsEmptyAndTheMachineRunsThePlansOwn() {
        aws.caller(ACCOUNT);
        aws.startExecution(EXECUTION, Instant.parse("2026-12-07T10:00:00Z"));

        DrRun r = drStart(MACHINE);

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode body = JsonTrees.read(aws.bodies("StartExecution").get(0));
        assertThat(body.get("input").asString()).isEqualTo("{}");
        assertThat(body.has("name")).isFalse();
    }

    @Test
    void aMachineOfAnotherAccountOrRegionIsRefusedBeforeAnyCall() {
        DrRun other = drStart(MACHINE.replace(ACCOUNT, "111122223333"));
        assertThat(other.exit()).isEqualTo(3);
        assertThat(other.err()).startsWith("dr start: refused: ").contains("111122223333").endsWith("nothing called\n");

        DrRun region = drStart(MACHINE, "--region", "eu-west-1");
        assertThat(region.exit()).isEqualTo(3);
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void credentialsOfAnotherAccountStartNothing() {
        aws.caller("111122223333");
        aws.startExecution(EXECUTION, Instant.parse("2026-12-07T10:00:00Z"));

        DrRun r = drStart(MACHINE, "--start-at", "restore");

        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).contains("are of account 111122223333, not the expected account " + ACCOUNT)
                .endsWith("nothing started\n");
        assertThat(aws.bodies("StartExecution")).isEmpty();
    }

    @Test
    void anExecutionOfTheSameNameIsNotStartedAgain() {
        aws.caller(ACCOUNT);
        aws.fail("StartExecution", 400, "ExecutionAlreadyExists", "Execution Already Exists");

        DrRun r = drStart(MACHINE, "--name", "restore-then-validate");

        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).contains("an execution named restore-then-validate").contains("give another --name");
    }

    @Test
    void aFailureOfStepFunctionsItselfIsAFailedRunNotARefusal() {
        aws.caller(ACCOUNT);
        aws.fail("StartExecution", 500, "InternalFailure", "boom");

        DrRun r = drStart(MACHINE);

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("StartExecution of " + MACHINE).endsWith("nothing started\n");
    }

    @Test
    void malformedArgumentsAreUsageErrorsAndCallNothing() {
        assertThat(drStart(MACHINE, "--start-at", "Restore!").exit()).isEqualTo(2);
        assertThat(drStart(MACHINE, "--name", "has spaces").exit()).isEqualTo(2);
        assertThat(drStart("arn:aws:states:us-east-1:" + ACCOUNT + ":execution:m:x").exit()).isEqualTo(2);
        assertThat(aws.requests()).isEmpty();
    }
}
