package dev.dr.steps.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.step.ErrorClass;
import org.junit.jupiter.api.Test;

class ApiErrorsTest {

    @Test
    void statusesMapToTheirRetryClass() {
        assertThat(ApiErrors.errorClass(409)).isEqualTo(ErrorClass.CONFLICT);
        assertThat(ApiErrors.errorClass(404)).isEqualTo(ErrorClass.NOT_FOUND);
        assertThat(ApiErrors.errorClass(429)).isEqualTo(ErrorClass.THROTTLED);
        assertThat(ApiErrors.errorClass(503)).isEqualTo(ErrorClass.UNAVAILABLE);
        assertThat(ApiErrors.errorClass(0)).as("no answer at all").isEqualTo(ErrorClass.UNAVAILABLE);
        assertThat(ApiErrors.errorClass(403)).isEqualTo(ErrorClass.PERMANENT);
        assertThat(ApiErrors.errorClass(422)).isEqualTo(ErrorClass.PERMANENT);
    }
}
