package dev.dr.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The phases as a Mermaid Gantt chart, which GitHub renders in a pull request or release body.
 * Times are the receipts' UTC instants to the millisecond, written without a zone: Mermaid reads
 * them as the viewer's local clock and draws them back on that clock, so the axis shows the UTC
 * times as recorded wherever the page is viewed. Skipped phases did not run and get no bar;
 * a failed or interrupted phase is marked critical.
 */
final class MermaidGantt {
    /** Mermaid's (dayjs) form of {@link #TIME}. */
    static final String DATE_FORMAT = "YYYY-MM-DDTHH:mm:ss.SSS";
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private MermaidGantt() {}

    static String render(ProofReport report) {
        RunRecord run = report.run();
        StringBuilder b = new StringBuilder();
        b.append("```mermaid\n");
        b.append("gantt\n");
        // a title carries no colon or hash: Mermaid would end it there
        b.append("    title ").append(safe(run.planName() + " run " + run.runId())).append(" (UTC)\n");
        b.append("    dateFormat ").append(DATE_FORMAT).append('\n');
        b.append("    axisFormat %H:%M:%S\n");
        b.append("    section phases\n");
        int n = 0;
        for (RunRecord.Phase p : run.phases()) {
            if (!p.ran()) {
                continue;
            }
            n++;
            String tag = p.status().equals("success") ? "done" : "crit";
            String label = p.name() + " " + p.status()
                    + (p.attempts().size() > 1 ? " after " + p.attempts().size() + " attempts" : "");
            b.append("    ").append(label).append(" :").append(tag).append(", p").append(n).append(", ")
                    .append(TIME.format(p.startedAt())).append(", ").append(TIME.format(end(p))).append('\n');
        }
        b.append("```\n");
        return b.toString();
    }

    /** A phase shorter than a millisecond still gets a bar Mermaid can draw. */
    private static Instant end(RunRecord.Phase p) {
        Instant start = p.startedAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Instant end = p.finishedAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        return end.isAfter(start) ? end : start.plusMillis(1);
    }

    private static String safe(String s) {
        return s.replaceAll("[:#;`\\n\\r]", " ");
    }
}
