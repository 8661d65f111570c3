package acme;

import dev.dr.step.Step;
import dev.dr.step.kit.ContractDrill;
import dev.dr.step.kit.FileLog;
import dev.dr.step.kit.RequestLog;
import dev.dr.step.kit.StepContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;

/**
 * The step contract for acme.append-line: copy this class for your own step. dr's contract
 * (StepContract) brings the checks; this class says what the step is, which settings are valid,
 * and where the thing it changes lives. For a step that talks to a server, start that server on
 * loopback here (S3Proxy, a Kubernetes API mock, WireMock stubs), point the drill at it through an
 * earlier run's outputs, and let {@link #requests()} list what the server received; for one that
 * changes files or processes, the kit's FileLog and ProcessLog list those changes.
 */
class AppendLineStepContractTest extends StepContract {

    private FileLog journalWrites;

    @BeforeEach
    void watchTheJournal() {
        journalWrites = FileLog.under(journal());
    }

    @Override
    protected Step step() {
        return new AppendLineStep();
    }

    @Override
    protected List<String> examples() {
        // ${JOURNAL} comes from the drill's environment, so the refusing drill can move the file
        return List.of("{file: \"${JOURNAL}\", line: \"validated {namespace}\"}");
    }

    @Override
    protected ContractDrill drill() {
        return ContractDrill.of("validate", Map.of()).withEnv(Map.of("JOURNAL", journal().toString()));
    }

    @Override
    protected ContractDrill refusingDrill() throws Exception {
        // a "folder" that is a file: no one may create a file in it
        Path notAFolder = Files.writeString(contractDir.resolve("not-a-folder"), "");
        return ContractDrill.of("validate", Map.of()).withEnv(Map.of("JOURNAL", notAFolder.resolve("journal.txt").toString()));
    }

    /** This step's "server" is the file system: each change to the journal counts as a write to it. */
    @Override
    protected RequestLog requests() {
        return journalWrites;
    }

    @Override
    protected Set<String> outputs() {
        return Set.of("journal");
    }

    private Path journal() {
        return contractDir.resolve("journal.txt");
    }
}
