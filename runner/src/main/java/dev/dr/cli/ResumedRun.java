package dev.dr.cli;

import dev.dr.diff.PhaseDecision;
import dev.dr.engine.PhaseOutcome;
import dev.dr.plan.model.PhaseName;
import dev.dr.receipt.ReceiptReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The run {@code --resume} names, as its receipts left it: what it is bound to (the static
 * digest of its run.json, else of its phase receipts), which phases it keeps, and the planDigests
 * it ran under (an approval given for one of them still opens its gate).
 *
 * @param boundTo empty when the run recorded no static digest (it left no receipt, or an
 *                earlier dr wrote them)
 */
record ResumedRun(Path dir, String id, Optional<String> boundTo, Map<PhaseName, ReceiptReader.Read> receipts,
                  boolean ended) {

    ResumedRun {
        receipts = Map.copyOf(receipts);
    }

    static ResumedRun read(Path dir) throws IOException {
        Map<PhaseName, ReceiptReader.Read> receipts = ReceiptReader.phases(dir);
        Optional<String> bound = ReceiptReader.staticDigest(dir);
        if (bound.isEmpty()) {
            bound = receipts.values().stream().map(ReceiptReader.Read::staticDigest).filter(s -> !s.isEmpty()).findFirst();
        }
        return new ResumedRun(dir, dir.getFileName().toString(), bound, receipts, ReceiptReader.ended(dir));
    }

    /**
     * Why this run cannot continue under {@code staticDigest}, or empty: a receipt (or the run
     * itself) bound to another, or receipts without one (written by an earlier dr).
     */
    Optional<String> mismatch(String staticDigest) {
        if (boundTo.isPresent() && !boundTo.get().equals(staticDigest)) {
            return Optional.of("it was started under static digest " + boundTo.get() + ", the plan now gives " + staticDigest);
        }
        for (ReceiptReader.Read r : receipts.values()) {
            if (!r.staticDigest().equals(staticDigest)) {
                return Optional.of(r.staticDigest().isEmpty()
                        ? "its " + r.outcome().phase().id() + " receipt records no static digest (an earlier dr wrote it)"
                        : "its " + r.outcome().phase().id() + " receipt was written under static digest " + r.staticDigest()
                                + ", the plan now gives " + staticDigest);
            }
        }
        return Optional.empty();
    }

    /** The phases that succeeded: a resume keeps them. */
    Map<PhaseName, PhaseOutcome> kept() {
        Map<PhaseName, PhaseOutcome> out = new EnumMap<>(PhaseName.class);
        receipts.forEach((p, r) -> {
            if (r.outcome().status() == PhaseOutcome.Status.SUCCESS) {
                out.put(p, r.outcome());
            }
        });
        return out;
    }

    /** The outputs of the kept phases, in phase order, as the engine hands them on. */
    Map<String, String> keptOutputs() {
        Map<String, String> out = new LinkedHashMap<>();
        kept().values().forEach(o -> out.putAll(o.outputs()));
        return out;
    }

    /** The planDigests the run's receipts were written under. */
    Set<String> planDigests() {
        Set<String> out = new TreeSet<>();
        receipts.values().forEach(r -> out.add(r.planDigest()));
        return out;
    }

    /** The first phase of {@code decisions} that runs and did not succeed in this run, if any. */
    Optional<PhaseName> firstUnfinished(List<PhaseDecision> decisions) {
        Map<PhaseName, PhaseOutcome> kept = kept();
        return decisions.stream().filter(PhaseDecision::runs).map(d -> d.phase().name())
                .filter(p -> !kept.containsKey(p)).findFirst();
    }

    /**
     * Whether the run at {@code dir} left one of the phases {@code decisions} runs unfinished
     * (failed, interrupted, or not reached by a run that was killed): a new run that reuses its
     * receipts for them reruns them.
     */
    static boolean leftUnfinished(Path dir, List<PhaseDecision> decisions) {
        try {
            ResumedRun earlier = read(dir);
            for (PhaseDecision d : decisions) {
                if (!d.runs()) {
                    continue;
                }
                ReceiptReader.Read r = earlier.receipts().get(d.phase().name());
                boolean unfinished = r == null ? !earlier.ended()
                        : r.outcome().status() == PhaseOutcome.Status.FAILED
                                || r.outcome().status() == PhaseOutcome.Status.INTERRUPTED;
                if (unfinished) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false; // the run reports an unreadable receipt folder itself
        }
    }
}
