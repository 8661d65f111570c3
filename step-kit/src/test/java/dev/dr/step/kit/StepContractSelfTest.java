package dev.dr.step.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.dr.step.PreviewKind;
import dev.dr.step.Step;
import dev.dr.step.StepContext;
import dev.dr.step.StepResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract catches a step that breaks it: one that writes while it previews, throws an
 * unclassified exception, and accepts any setting. Each check below must fail on it.
 */
class StepContractSelfTest {

    @TempDir
    Path dir;

    WireMockServer system;
    Misbehaving contract;

    @BeforeEach
    void start() {
        system = WireMockServers.refusing(200, "text/plain", "ok");
        contract = new Misbehaving(system);
        contract.contractDir = dir;
    }

    @AfterEach
    void stop() {
        system.stop();
    }

    @Test
    void aPreviewThatPostsIsCaught() throws Exception {
        assertThatThrownBy(contract::previewsDirectlyWithoutMutating).isInstanceOf(AssertionError.class)
                .hasMessageContaining("POST /things");
    }

    @Test
    void anUnclassifiedFailureIsCaught() {
        assertThatThrownBy(contract::failuresCarryAnErrorClass).isInstanceOf(AssertionError.class)
                .hasMessageContaining("instead of a classified StepFailure");
    }

    @Test
    void aSchemaThatAcceptsAnythingIsCaught() {
        assertThatThrownBy(contract::settingsSchemaAgreesWithThePlanLoader).isInstanceOf(AssertionError.class)
                .hasMessageContaining("additionalProperties: false");
    }

    @Test
    void aStepWithoutAServiceEntryIsCaught() {
        assertThatThrownBy(contract::isFoundByServiceLoader).isInstanceOf(AssertionError.class)
                .hasMessageContaining("META-INF/services/dev.dr.step.Step entry for " + RegisteredStep.NAME);
    }

    @Test
    void readingRequestsAreNotMutating() {
        assertThat(ServerRequest.rest("GET", "/api/v1/namespaces").mutating()).isFalse();
        assertThat(ServerRequest.rest("DELETE", "/bucket/key").mutating()).isTrue();
        assertThat(new ServerRequest("POST", "/", Optional.of("DescribeInstances")).mutating()).isFalse();
        assertThat(new ServerRequest("POST", "/", Optional.of("StartExecution")).mutating()).isTrue();
    }

    /** A step that breaks every rule, and the contract around it (not run by itself: its name is no test's). */
    static final class Misbehaving extends StepContract {
        final WireMockServer system;

        Misbehaving(WireMockServer system) {
            this.system = system;
        }

        @Override
        protected Step step() {
            return new Step() {
                @Override
                public String name() {
                    // a name the catalog knows, so its plans load and the contract gets to each check
                    return RegisteredStep.NAME;
                }

                @Override
                public String description() {
                    return "Writes while it previews.";
                }

                @Override
                public PreviewKind previewKind() {
                    return PreviewKind.EXACT;
                }

                @Override
                public String withSchema() {
                    return "{\"type\":\"object\"}";
                }

                @Override
                public Optional<List<dev.dr.step.Change>> preview(StepContext ctx) throws InterruptedException {
                    try {
                        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(system.baseUrl() + "/things"))
                                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.discarding());
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                    return Optional.of(List.of());
                }

                @Override
                public StepResult apply(StepContext ctx) {
                    throw new IllegalStateException("unclassified");
                }
            };
        }

        @Override
        protected List<String> examples() {
            return List.of("{}");
        }

        @Override
        protected ContractDrill drill() {
            return ContractDrill.of("validate", Map.of());
        }

        @Override
        protected RequestLog requests() {
            return WireMockServers.requests(system);
        }

        @Override
        protected ContractDrill refusingDrill() {
            return drill();
        }

        @Override
        protected Set<String> outputs() {
            return Set.of();
        }
    }
}
