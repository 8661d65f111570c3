package dev.dr.cli;

import dev.dr.command.Context;
import dev.dr.command.ExitCodes;
import dev.dr.command.ExitException;
import dev.dr.report.ProofReport;
import dev.dr.report.ReceiptException;
import dev.dr.report.ReportJson;
import dev.dr.report.ReportMarkdown;
import dev.dr.report.RunReceipts;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Print the release proof of a run from its receipts: phases with status, attempts and duration"
                + " (RTO), the control-plane bundle, the validation Job, the approval or recorded bypass, teardown's"
                + " runner count, the planDigest and a Mermaid timeline. Reads only the receipts.",
        footer = {"", "Examples:",
                "  dr report receipts/full-drill-20261207T101500Z-3f2a > proof.md",
                "  dr report receipts/full-drill-20261207T101500Z-3f2a --format json",
                "", "Exit codes: 0 reported (also for a partial run, which the report says), 2 receipts missing or unreadable."})
final class ReportCommand implements Callable<Integer> {
    enum Format { markdown, json }

    private final Context ctx;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The run's receipt folder: <receiptDir>/<runId>.")
    Path runDir;

    @Option(names = "--format", paramLabel = "FORMAT", description = "markdown (default) or json (schema/report.schema.json).")
    Format format = Format.markdown;

    ReportCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        Path dir = ctx.cwd().resolve(runDir);
        ProofReport report;
        try {
            report = ProofReport.of(RunReceipts.read(dir));
        } catch (ReceiptException e) {
            // the file as the operator would name it: under the folder they gave, not an absolute path
            Path shown = e.file().startsWith(dir) ? runDir.resolve(dir.relativize(e.file())) : e.file();
            throw ExitException.invalidInput("cannot report on " + runDir + ": " + shown + ": " + e.problem());
        }
        ctx.out().print(format == Format.json ? new ReportJson().render(report) : new ReportMarkdown().render(report));
        ctx.out().flush();
        return ExitCodes.OK;
    }
}
