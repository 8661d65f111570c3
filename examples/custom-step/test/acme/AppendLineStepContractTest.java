package acme;

import dev.dr.step.Step;
import dev.dr.step.kit.ContractDrill;
import dev.dr.step.kit.RequestLog;
import dev.dr.step.kit.ServerRequest;
import dev.dr.step.kit.StepContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The step contract for acme.append-line: copy this class for your own step. dr's contract
 * (StepContract) brings the checks; this class says what the step is, which settings are valid,
 * and where the thing it changes lives. For a step that talks to a server, start that server on
 * loopback here (S3Proxy, a Kubernetes API mock, WireMock stubs), point the drill at it through an
 * earlier run's outputs, and let {@link #requests()} list what the server received.
 */
class AppendLineStepContractTest extends StepContract {

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
        return () -> {
            List<ServerRequest> out = new ArrayList<>();
            String now = Files.exists(journal()) ? Files.readString(journal()) : null;
            if (!java.util.Objects.equals(now, seen.get("journal"))) {
                out.add(ServerRequest.rest("PUT", journal().toString()));
            }
            seen.put("journal", now);
            return out;
        };
    }

    @Override
    protected Set<String> outputs() {
        return Set.of("journal");
    }

    private final Map<String, String> seen = new HashMap<>();

    private Path journal() {
        return contractDir.resolve("journal.txt");
    }
}
