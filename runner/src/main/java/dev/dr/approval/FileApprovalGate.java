package dev.dr.approval;

import dev.dr.engine.ApprovalGate;
import dev.dr.plan.model.Phase;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Holds a gated phase until {@code dr approve} records an approval in the run's receipt
 * folder, checking every two seconds, up to the phase's approval timeout. An approval for
 * another planDigest, or without the ticket the plan requires, does not open the gate.
 */
public final class FileApprovalGate implements ApprovalGate {
    static final Duration POLL = Duration.ofSeconds(2);

    private final ApprovalStore store;
    private final String planDigest;
    private final java.util.Set<String> earlierDigests;
    private final Clock clock;
    private final Consumer<String> say;

    public FileApprovalGate(ApprovalStore store, String planDigest, Clock clock, Consumer<String> say) {
        this(store, planDigest, java.util.Set.of(), clock, say);
    }

    /** @param earlierDigests the planDigests a resumed run ran under before */
    public FileApprovalGate(ApprovalStore store, String planDigest, java.util.Set<String> earlierDigests, Clock clock,
                            Consumer<String> say) {
        this.store = store;
        this.planDigest = planDigest;
        this.earlierDigests = java.util.Set.copyOf(earlierDigests);
        this.clock = clock;
        this.say = say;
    }

    @Override
    public String await(Phase phase, String runId) throws InterruptedException {
        Phase.Approval gate = phase.approval();
        // a gate without a timeout waits as long as it takes (Ctrl-C ends the wait)
        Duration timeout = gate.timeout();
        Instant deadline = timeout == null ? Instant.MAX : clock.instant().plus(timeout);
        boolean told = false;
        try {
            store.pending(new Approval(runId, phase.name().id(), "", gate.ticketRequired() ? "required" : "",
                    clock.instant().toString(), planDigest));
        } catch (IOException e) {
            return "cannot record that " + phase.name().id() + " waits for approval: " + e.getMessage();
        }
        while (true) {
            Optional<Approval> a;
            try {
                a = store.find(phase.name().id());
            } catch (IOException e) {
                return e.getMessage();
            }
            if (a.isPresent()) {
                if (!a.get().planDigest().equals(planDigest) && !earlierDigests.contains(a.get().planDigest())) {
                    return "the approval by " + a.get().approver() + " was given for planDigest " + a.get().planDigest()
                            + ", this run's is " + planDigest;
                }
                if (gate.ticketRequired() && a.get().ticket().isBlank()) {
                    return "the approval by " + a.get().approver() + " names no change ticket, and the plan requires one";
                }
                say.accept(phase.name().id() + ": approved by " + a.get().approver() + " (ticket " + a.get().ticket() + ")");
                return null;
            }
            if (timeout != null && !clock.instant().isBefore(deadline)) {
                return "no approval within " + dev.dr.step.Durations.format(timeout)
                        + "; approve with dr approve " + runId + ", then continue with dr apply --resume";
            }
            if (!told) {
                say.accept(phase.name().id() + ": waiting for approval ("
                        + (timeout == null ? "no time limit" : "up to " + dev.dr.step.Durations.format(timeout))
                        + "): dr approve " + runId + " --approver NAME" + (gate.ticketRequired() ? " --ticket TICKET" : ""));
                told = true;
            }
            Thread.sleep(POLL.toMillis());
        }
    }
}
