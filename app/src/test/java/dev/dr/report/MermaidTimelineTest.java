package dev.dr.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.cli.Goldens;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The timeline of each golden report, read by Mermaid's own parser: the bars are the phases that ran. */
class MermaidTimelineTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"complete", "restore-failed", "killed"})
    void mermaidDrawsThePhasesAsRecorded(String run) throws Exception {
        String md = Goldens.read(ReportGoldenTest.golden(run, "markdown"));
        var tasks = MermaidCheck.tasks(MermaidCheck.block(md), tmp);
        MermaidCheck.assertBarsAreThePhases(tasks, ReportGoldenTest.PROJECT.resolve(ReportGoldenTest.FIXTURES + run));
    }

    /** The check can fail: a time Mermaid cannot read under the dateFormat is a bar it misplaces. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"complete"})
    void aTimeInAnotherFormatIsCaught(String run) throws Exception {
        String md = Goldens.read(ReportGoldenTest.golden(run, "markdown"));
        String broken = MermaidCheck.block(md).replaceFirst("(p1, [0-9T:.-]+), ([0-9T:.-]+)", "$1, $2Z");
        assertThat(broken).isNotEqualTo(MermaidCheck.block(md));
        var tasks = MermaidCheck.tasks(broken, tmp);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MermaidCheck.assertBarsAreThePhases(tasks,
                ReportGoldenTest.PROJECT.resolve(ReportGoldenTest.FIXTURES + run))).isInstanceOf(AssertionError.class);
    }
}
