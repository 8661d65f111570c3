package dev.dr.report;

import dev.dr.step.Durations;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The proof as a Markdown body for a pull request or a release: the run, the phases with their
 * RTO, the evidence the runbook asks for (bundle, validation Job, approval or bypass, runner
 * count, planDigest) and the timeline. Times are UTC; nothing depends on the clock or locale of
 * the machine that renders it.
 */
public final class ReportMarkdown {
    static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);

    public String render(ProofReport r) {
        RunRecord run = r.run();
        StringBuilder b = new StringBuilder();
        b.append("# DR proof: ").append(run.planName()).append(", run `").append(run.runId()).append("`\n\n");
        if (r.complete()) {
            b.append("**Complete drill**: every phase the plan requested succeeded, and teardown left no DR runner.\n\n");
        } else {
            b.append("**Partial run: not a complete proof.**\n\n");
            r.gaps().forEach(g -> b.append("- ").append(g).append('\n'));
            b.append('\n');
        }
        b.append("| | |\n| --- | --- |\n");
        row(b, "Plan", "`" + run.planName() + "` (`" + run.planFile() + "`)");
        row(b, "planDigest", "`" + run.planDigest() + "`");
        run.staticDigest().ifPresent(d -> row(b, "staticDigest", "`" + d + "`"));
        row(b, "Operator", cell(run.operator()));
        row(b, "Verdict", r.verdict());
        run.startedAt().ifPresent(t -> row(b, "Started", UTC.format(t)));
        run.summary().ifPresent(s -> row(b, "Finished", UTC.format(s.finishedAt())));
        run.reused().ifPresent(id -> row(b, "Reused the outputs of run", "`" + id + "`"));
        run.rerunOf().ifPresent(id -> row(b, "Reran a phase of run", "`" + id + "`"));
        b.append('\n');
        phases(b, r);
        evidence(b, r);
        if (r.run().phases().stream().anyMatch(RunRecord.Phase::ran)) {
            b.append("\n## Timeline\n\n").append(MermaidGantt.render(r));
        }
        return b.toString();
    }

    private static void phases(StringBuilder b, ProofReport r) {
        b.append("## Phases\n\n");
        if (r.run().phases().isEmpty()) {
            b.append("No phase receipts.\n\n");
            return;
        }
        b.append("| Phase | Status | Attempts | Started (UTC) | Duration (RTO) | Note |\n");
        b.append("| --- | --- | ---: | --- | ---: | --- |\n");
        for (RunRecord.Phase p : r.run().phases()) {
            String note = p.reason().map(x -> x.kind() + ": " + x.detail()).orElse(retries(p));
            b.append("| ").append(p.name()).append(" | ").append(p.status()).append(" | ").append(p.attempts().size())
                    .append(" | ").append(p.ran() ? CLOCK.format(p.startedAt()) : "").append(" | ")
                    .append(p.ran() ? Durations.format(p.duration()) : "").append(" | ").append(cell(note)).append(" |\n");
        }
        b.append("| **Total** | | | | **").append(Durations.format(r.phaseTotal())).append("** | sum of the phases that ran |\n\n");
        r.wallTime().ifPresent(w -> b.append("Wall time from the first phase's start to the last one's end: ")
                .append(Durations.format(w)).append(".\n\n"));
    }

    /** The attempts a phase that succeeded in the end needed, with their error classes. */
    private static String retries(RunRecord.Phase p) {
        return p.attempts().stream().filter(a -> !a.status().equals("success"))
                .map(a -> "attempt " + a.number() + " " + a.status() + a.errorClass().map(c -> " (" + c + ")").orElse(""))
                .collect(java.util.stream.Collectors.joining("; "));
    }

    private static void evidence(StringBuilder b, ProofReport r) {
        b.append("## Evidence\n\n");
        b.append("- **Control-plane bundle**: ").append(r.bundle().map(x -> "`" + x.uri() + "`, sha256 "
                + x.sha256().map(s -> "`" + s + "`").orElse("not recorded") + " (" + x.phase() + ")")
                .orElse("none recorded in this run")).append('\n');
        b.append("- **Validation Job**: ").append(r.validation().map(ReportMarkdown::validation)
                .orElse("the validate phase is not in this run")).append('\n');
        b.append("- **Approval**: ").append(r.approval().map(ReportMarkdown::gate)
                .orElse("no gated phase in this run")).append('\n');
        b.append("- **Teardown**: ").append(r.teardown().map(t -> t.runnersLeft()
                .map(n -> n + " DR runner" + (n == 1 ? "" : "s") + " left")
                .orElse(t.status() + t.reason().map(x -> " (" + x.kind() + ": " + cell(x.detail()) + ")").orElse("")
                        + ", runners not counted"))
                .orElse("not in this run, runners not counted")).append('\n');
        b.append("- **planDigest**: `").append(r.run().planDigest()).append("`\n");
    }

    private static String validation(ProofReport.Validation v) {
        String job = v.job().map(j -> "`" + j + "` ").orElse("");
        String tries = v.attempts() + " attempt" + (v.attempts() == 1 ? "" : "s");
        return switch (v.status()) {
            case "success" -> job + "passed (" + tries + ")";
            case "skipped" -> "skipped";
            default -> job + v.status() + " after " + tries + v.errorClass().map(c -> ", " + c).orElse("")
                    + v.message().filter(m -> !m.isEmpty()).map(m -> ": " + cell(m)).orElse("");
        };
    }

    private static String gate(ProofReport.Gate g) {
        if (g.approval().isPresent()) {
            RunRecord.Approval a = g.approval().get();
            String when = UTC.format(a.recordedAt());
            return a.mode().equals("approved")
                    ? g.phase() + " approved by " + cell(a.operator()) + a.ticket().map(t -> " (ticket " + cell(t) + ")").orElse("")
                            + " at " + when + " for `" + a.planDigest() + "`"
                    : g.phase() + ": drill bypass recorded for " + cell(a.operator()) + " at " + when + " under `"
                            + a.planDigest() + "`";
        }
        return g.phase() + " " + g.status() + g.skipped().map(x -> " (" + x.kind() + ")").orElse("") + ", no approval recorded";
    }

    private static void row(StringBuilder b, String name, String value) {
        b.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }

    /** Text in a table cell: one line, no column break. */
    private static String cell(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
