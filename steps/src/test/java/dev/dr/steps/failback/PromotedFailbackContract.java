package dev.dr.steps.failback;

import dev.dr.aws.S3Objects;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;

/** The contract of a failback step that reads the publish pointers of a DR side that was promoted. */
abstract class PromotedFailbackContract extends FailbackStepContract {

    @BeforeEach
    void promoted() throws Exception {
        try (S3Objects o = s3Objects()) {
            FailbackPublishState.promoted(o);
        }
    }

    @Override
    protected List<String> examples() {
        return List.of("{}", "{primaryPrefix: publish, drPrefix: dr/publish}");
    }
}
