package dev.dr.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EcrImageRefTest {

    static final String DIGEST = "@sha256:" + "a".repeat(64);

    @Test
    void aDigestPinnedEcrRefNamesItsRegistry() {
        EcrImageRef r = EcrImageRef.parse("048622080012.dkr.ecr.us-east-1.amazonaws.com/jobintel" + DIGEST);
        assertThat(r).isEqualTo(new EcrImageRef("048622080012", "us-east-1", "048622080012.dkr.ecr.us-east-1.amazonaws.com",
                "jobintel", null, "sha256:" + "a".repeat(64)));
    }

    @Test
    void tagsNestedRepositoriesFipsAndChinaAreEcrToo() {
        assertThat(EcrImageRef.parse("123456789012.dkr.ecr.eu-central-1.amazonaws.com/team/jobintel:v1.2").repository())
                .isEqualTo("team/jobintel");
        assertThat(EcrImageRef.parse("123456789012.dkr.ecr.us-gov-west-1.amazonaws.com/jobintel:v1" + DIGEST).region())
                .isEqualTo("us-gov-west-1");
        assertThat(EcrImageRef.parse("123456789012.dkr.ecr-fips.us-east-2.amazonaws.com/jobintel" + DIGEST).host())
                .isEqualTo("123456789012.dkr.ecr-fips.us-east-2.amazonaws.com");
        assertThat(EcrImageRef.parse("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/jobintel" + DIGEST).region())
                .isEqualTo("cn-north-1");
    }

    @Test
    void otherRegistriesAreRefusedWithTheirHostOnly() {
        assertThatThrownBy(() -> EcrImageRef.parse("ghcr.io/acme/jobintel" + DIGEST))
                .hasMessageContaining("registry ghcr.io is not a private ECR registry")
                .hasMessageContaining(EcrImageRef.EXPECTED)
                .hasMessageNotContaining("acme/jobintel");
        assertThatThrownBy(() -> EcrImageRef.parse("public.ecr.aws/acme/jobintel:1"))
                .hasMessageContaining("ECR Public images are pulled without credentials");
        assertThatThrownBy(() -> EcrImageRef.parse("jobintel:1")).hasMessageContaining("names no registry host");
        assertThatThrownBy(() -> EcrImageRef.parse("")).hasMessageContaining("no image ref");
        assertThatThrownBy(() -> EcrImageRef.parse("04862208001.dkr.ecr.us-east-1.amazonaws.com/jobintel:1"))
                .as("an account id has 12 digits").hasMessageContaining("not a private ECR registry");
        assertThatThrownBy(() -> EcrImageRef.parse("048622080012.dkr.ecr.us-east-1.amazonaws.com.evil.example/jobintel:1"))
                .hasMessageContaining("not a private ECR registry");
        assertThatThrownBy(() -> EcrImageRef.parse("048622080012.dkr.ecr.us-east-1.amazonaws.com/"))
                .hasMessageContaining("has no valid repository");
        assertThatThrownBy(() -> EcrImageRef.parse("048622080012.dkr.ecr.us-east-1.amazonaws.com/Job Intel:1"))
                .hasMessageContaining("has no valid repository");
    }

    @Test
    void theGuardReadsOnlyDigestPinnedRefsWithTheSameGrammar() {
        String host = "048622080012.dkr.ecr.us-east-1.amazonaws.com";
        EcrImageRef r = EcrImageRef.parsePinned(host + "/team/jobintel" + DIGEST);
        assertThat(r).isEqualTo(new EcrImageRef("048622080012", "us-east-1", host, "team/jobintel", null, "sha256:" + "a".repeat(64)));
        assertThat(r.shortName()).isEqualTo("team/jobintel@sha256:aaaaaaaaaaaa");
        assertThatThrownBy(() -> EcrImageRef.parsePinned(host + "/jobintel:1")).hasMessageContaining("is a tag, not a digest");
        assertThatThrownBy(() -> EcrImageRef.parsePinned(host + "/job..intel" + DIGEST))
                .hasMessageContaining("has no valid repository name");
        assertThatThrownBy(() -> EcrImageRef.parsePinned("ghcr.io/acme/jobintel" + DIGEST))
                .hasMessage("registry ghcr.io is not a private ECR registry; expected " + EcrImageRef.EXPECTED_PINNED);
    }

    @Test
    void planValidationAcceptsAnyRegistryInTheSameForm() {
        assertThat(EcrImageRef.isPinned("registry.example.com:5000/team/jobintel" + DIGEST)).isTrue();
        assertThat(EcrImageRef.isPinned("registry.example.com/jobintel@sha256:178c975b4eb7")).isFalse();
        assertThat(EcrImageRef.isPinned("registry.example.com/jobintel:1" + DIGEST)).isFalse();
        assertThat(EcrImageRef.isPinned("jobintel" + DIGEST)).as("no registry").isFalse();
        assertThat(EcrImageRef.isPinned("registry.example.com/Job-Intel" + DIGEST)).as("upper case").isFalse();
        assertThat(EcrImageRef.isTagged("registry.example.com/jobintel:1.4.2")).isTrue();
        assertThat(EcrImageRef.isTagged("registry.example.com/jobintel" + DIGEST)).isFalse();
    }
}
