package dev.dr.approval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.cli.DrRun;
import dev.dr.command.ExitCodes;
import dev.dr.json.JsonTrees;
import dev.dr.plan.model.Phase;
import dev.dr.plan.model.PhaseName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The promotion gate: dr approve records an approval once, for one planDigest; apply waits for it or times out. */
class ApprovalTest {

    static final String PLAN = "app/src/test/resources/cli/approval-test.yaml";
    static final String DIGEST = "sha256:" + "1".repeat(64);

    @TempDir
    Path tmp;

    DrRun dr(String... args) {
        return DrRun.inProject(Map.of("DR_LOCK_DIR", tmp.resolve("locks").toString(), "RECEIPT_DIR",
                tmp.resolve("receipts").toString(), "RUN_ID", "r1", "DR_OPERATOR", "tester"), args);
    }

    static Phase promote(boolean ticketRequired, Duration timeout) {
        return new Phase(PhaseName.PROMOTE, "", null, new Phase.Approval(true, ticketRequired, timeout), List.of());
    }

    @Test
    void withoutAnApprovalThePhaseFailsAtItsTimeoutThenApproveAndResumePromote() throws Exception {
        DrRun first = dr("apply", PLAN, "--yes");
        assertThat(first.exit()).as(first.err()).isEqualTo(ExitCodes.PHASE_FAILED);
        assertThat(first.err()).contains("promote: waiting for approval (up to 1s): dr approve r1 --approver NAME --ticket TICKET")
                .contains("promote: failed (approval)");
        Path run = tmp.resolve("receipts/r1");
        JsonNode failed = JsonTrees.read(Files.readString(run.resolve("phases/promote.json")));
        assertThat(failed.get("reason").get("kind").asString()).isEqualTo("approval");
        assertThat(failed.get("reason").get("detail").asString())
                .isEqualTo("no approval within 1s; approve with dr approve r1, then continue with dr apply --resume");
        assertThat(failed.get("attempts")).as("no step ran").isEmpty();

        DrRun approve = dr("approve", "r1", "--approver", "alice", "--ticket", "CHG-7");
        assertThat(approve.exit()).as(approve.err()).isZero();
        String digest = failed.get("planDigest").asString();
        assertThat(approve.out()).contains("Approved promote of run r1 by alice (ticket CHG-7) for " + digest + ".");

        DrRun resumed = dr("apply", PLAN, "--yes", "--resume", run.toString());
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        JsonNode promoted = JsonTrees.read(Files.readString(run.resolve("phases/promote.json")));
        assertThat(promoted.get("status").asString()).isEqualTo("success");
        assertThat(promoted.get("approval").get("mode").asString()).isEqualTo("approved");
        assertThat(promoted.get("approval").get("operator").asString()).isEqualTo("alice");
        assertThat(promoted.get("approval").get("ticket").asString()).isEqualTo("CHG-7");
        assertThat(promoted.get("approval").get("planDigest").asString()).isEqualTo(digest);
    }

    @Test
    void approveRefusesARunThatIsNotAtTheGateAndAUnknownRun() {
        DrRun unknown = dr("approve", "nope", "--approver", "alice", "--ticket", "T");
        assertThat(unknown.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(unknown.err()).contains("dr approve: no run nope");
        assertThat(dr("apply", "app/src/test/resources/cli/apply-test.yaml", "--yes", "--stop-after", "bringup").exit()).isZero();
        DrRun notWaiting = dr("approve", "r1", "--approver", "alice", "--ticket", "T");
        assertThat(notWaiting.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(notWaiting.err()).contains("has not reached the approval gate of promote");
    }

    @Test
    void anApprovalForAnotherPlanOrWithoutTheRequiredTicketKeepsTheGateShut() throws Exception {
        ApprovalStore store = new ApprovalStore(tmp);
        store.record(new Approval("r1", "promote", "alice", "", "2026-11-29T10:00:00Z", DIGEST));
        List<String> said = new ArrayList<>();
        FileApprovalGate other = new FileApprovalGate(store, "sha256:" + "2".repeat(64), Clock.systemUTC(), said::add);
        assertThat(other.await(promote(false, Duration.ofSeconds(5)), "r1"))
                .isEqualTo("the approval by alice was given for planDigest " + DIGEST + ", this run's is sha256:" + "2".repeat(64));
        FileApprovalGate same = new FileApprovalGate(store, DIGEST, Clock.systemUTC(), said::add);
        assertThat(same.await(promote(true, Duration.ofSeconds(5)), "r1"))
                .isEqualTo("the approval by alice names no change ticket, and the plan requires one");
        assertThat(same.await(promote(false, Duration.ofSeconds(5)), "r1")).isNull();
        assertThat(said).containsExactly("promote: approved by alice (ticket )");
    }

    @Test
    void aResumedRunAcceptsAnApprovalGivenForAPlanDigestItRanUnderBefore() throws Exception {
        ApprovalStore store = new ApprovalStore(tmp);
        store.record(new Approval("r1", "promote", "alice", "CHG-1", "2026-11-29T10:00:00Z", DIGEST));
        String now = "sha256:" + "3".repeat(64); // the live state the run's own phases changed moved it
        List<String> said = new ArrayList<>();
        FileApprovalGate resumed = new FileApprovalGate(store, now, java.util.Set.of(DIGEST), Clock.systemUTC(), said::add);
        assertThat(resumed.await(promote(true, Duration.ofSeconds(5)), "r1")).isNull();
        assertThat(said).containsExactly("promote: approved by alice (ticket CHG-1)");
        FileApprovalGate otherRun = new FileApprovalGate(store, now, java.util.Set.of("sha256:" + "4".repeat(64)),
                Clock.systemUTC(), said::add);
        assertThat(otherRun.await(promote(true, Duration.ofSeconds(5)), "r1"))
                .startsWith("the approval by alice was given for planDigest " + DIGEST);
    }

    @Test
    void anApprovalIsRecordedOnce() throws Exception {
        ApprovalStore store = new ApprovalStore(tmp);
        store.record(new Approval("r1", "promote", "alice", "CHG-1", "2026-11-29T10:00:00Z", DIGEST));
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                store.record(new Approval("r1", "promote", "mallory", "CHG-2", "2026-11-29T10:05:00Z", DIGEST)))
                .hasMessage("the promote phase of run r1 was already approved by alice at 2026-11-29T10:00:00Z (ticket CHG-1)");
        assertThat(store.find("promote").orElseThrow().approver()).isEqualTo("alice");
    }
}
