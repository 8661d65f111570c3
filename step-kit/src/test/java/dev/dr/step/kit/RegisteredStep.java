package dev.dr.step.kit;

import dev.dr.step.Change;
import dev.dr.step.PreviewKind;
import dev.dr.step.Step;
import dev.dr.step.StepContext;
import dev.dr.step.StepResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one step on the kit's own test class path ({@value #NAME}), so that the plans of
 * {@link StepContractSelfTest} load: the misbehaving step there takes its name.
 */
public final class RegisteredStep implements Step {
    static final String NAME = "kit.registered";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Does nothing; it is there to be named.";
    }

    @Override
    public PreviewKind previewKind() {
        return PreviewKind.EXACT;
    }

    @Override
    public String withSchema() {
        return "{\"type\":\"object\",\"additionalProperties\":false}";
    }

    @Override
    public Optional<List<Change>> preview(StepContext ctx) {
        return Optional.of(List.of());
    }

    @Override
    public StepResult apply(StepContext ctx) {
        return new StepResult(Map.of());
    }
}
