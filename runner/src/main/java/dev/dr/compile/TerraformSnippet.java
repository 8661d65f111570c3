package dev.dr.compile;

import dev.dr.plan.model.Plan;
import java.util.Optional;

/** The Terraform wrapping of the state machine: not written yet, refused as a usage error. */
public final class TerraformSnippet {
    private TerraformSnippet() {}

    public static String render(Plan plan, String asl, Optional<String> approvalTopicArn) {
        throw new IllegalArgumentException("--target stepfunctions-terraform is not available yet");
    }
}
