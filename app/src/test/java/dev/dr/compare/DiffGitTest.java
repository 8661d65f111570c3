package dev.dr.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dr.cli.DrRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * dr diff --git REV FILE against a throwaway repository: the old side is the file, and the
 * plans it extends, as they are at REV; a plan new or removed since REV; and the errors of git
 * (no repository, an unknown revision). Skipped where git is not installed.
 */
class DiffGitTest {

    static final String PLAN = "plans/drill.yaml";

    @TempDir
    Path tmp;
    GitRepo repo;

    @BeforeEach
    void repository() throws Exception {
        assumeTrue(GitRepo.gitAvailable(), "git is not on PATH");
        repo = GitRepo.init(tmp.resolve("repo"));
        repo.put("base.yaml", "plans/base.yaml").put("stop-after-validate.yaml", PLAN).commit("plans");
    }

    DrRun diff(String... args) {
        return DrRun.in(repo.dir(), Map.of(), args);
    }

    static JsonNode json(DrRun r) {
        return JsonMapper.builder().build().readTree(r.out());
    }

    /** The invocation of the pull-request workflow: dr diff --git BASE --format markdown FILE. */
    @Test
    void theOldSideIsTheFileAtTheRevision() throws Exception {
        repo.put("stop-after-promote.yaml", PLAN);
        DrRun md = diff("diff", "--git", "HEAD", "--format", "markdown", PLAN);
        assertThat(md.exit()).as(md.err()).isZero();
        assertThat(md.out()).contains("| File | `plans/drill.yaml` at `HEAD` | `plans/drill.yaml` |",
                "- run.stopAfter: \"validate\"\n+ run.stopAfter: \"promote\"");
        DrRun r = diff("diff", "--git", "HEAD", PLAN, "--format", "json", "--detailed-exitcode");
        assertThat(r.exit()).isEqualTo(10);
        JsonNode d = json(r);
        assertThat(d.get("old").get("revision").asString()).isEqualTo("HEAD");
        assertThat(d.get("new").get("revision").isNull()).isTrue();
        assertThat(d.get("changes").valueStream().map(c -> c.get("field").asString()))
                .containsExactly("run.stopAfter", "decision", "");
    }

    @Test
    void nothingChangedSinceTheRevision() {
        DrRun r = diff("diff", "--git", "HEAD", PLAN, "--detailed-exitcode");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("  old: plans/drill.yaml at HEAD (extends plans/base.yaml)\n",
                "Diff: no changes in behaviour;");
    }

    /** The base plan is read at the revision too: a change to it alone shows in the plan that extends it. */
    @Test
    void basesAreReadAtTheRevision() throws Exception {
        String base = Files.readString(repo.dir().resolve("plans/base.yaml")).replace("instanceType: t4g.medium",
                "instanceType: t4g.large");
        repo.write("plans/base.yaml", base);
        DrRun r = diff("diff", "--git", "HEAD", PLAN, "--format", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(json(r).get("changes").valueStream().map(c -> c.get("field").asString()))
                .containsExactly("sizing.instanceType");
        // and an older revision is read whole: HEAD~1 has the old base, HEAD the new one
        repo.commit("larger runner");
        JsonNode committed = json(diff("diff", "--git", "HEAD~1", PLAN, "--format", "json"));
        assertThat(committed.get("changes").get(0).get("after").asString()).isEqualTo("t4g.large");
        assertThat(json(diff("diff", "--git", "HEAD", PLAN, "--format", "json")).get("changes")).isEmpty();
    }

    @Test
    void aPlanThatIsNewSinceTheRevision() throws Exception {
        repo.put("stop-after-promote.yaml", "plans/new.yaml");
        DrRun r = diff("diff", "--git", "HEAD", "plans/new.yaml", "--detailed-exitcode");
        assertThat(r.exit()).as(r.err()).isEqualTo(10);
        assertThat(r.out()).contains("  old: plans/new.yaml at HEAD (absent: a new plan)\n",
                "  + plan: new plan \"restore-and-validate\"\n", "old planDigest: (none)\n");
        JsonNode d = json(diff("diff", "--git", "HEAD", "plans/new.yaml", "--format", "json"));
        assertThat(d.get("old").get("exists").asBoolean()).isFalse();
        assertThat(d.get("phases").valueStream().map(p -> p.get("old").asString())).containsOnly("absent");
    }

    @Test
    void aPlanRemovedSinceTheRevision() throws Exception {
        Files.delete(repo.dir().resolve(PLAN));
        DrRun r = diff("diff", "--git", "HEAD", PLAN);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("  new: plans/drill.yaml (absent: removed)\n", "  - plan: removed: restore-and-validate\n");
    }

    @Test
    void aFileInNeitherPlaceIsAnError() {
        DrRun r = diff("diff", "--git", "HEAD", "plans/nowhere.yaml");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("dr: plans/nowhere.yaml is neither in the working tree nor at HEAD\n");
    }

    @Test
    void anInvalidOldSideNamesTheRevisionInItsProblems() throws Exception {
        repo.put("invalid.yaml", PLAN).put("stop-after-validate.yaml", "plans/stop-after-validate.yaml").commit("broken");
        repo.put("stop-after-validate.yaml", PLAN);
        DrRun r = diff("diff", "--git", "HEAD", PLAN);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("HEAD:plans/drill.yaml:8:14: run.stopAfter: expected one of bringup, restore,"
                + " validate, promote, teardown, failback, publish-bundle; was 'publish'\n"
                + "dr: the old plan, plans/drill.yaml at HEAD, is invalid (1 error); nothing was compared\n");
    }

    @Test
    void anUnknownRevision() {
        DrRun r = diff("diff", "--git", "no-such-branch", PLAN);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("dr: unknown git revision 'no-such-branch' in ");
        DrRun option = diff("diff", "--git=--output=x", PLAN);
        assertThat(option.exit()).isEqualTo(2);
        assertThat(option.err()).isEqualTo("dr: not a git revision: '--output=x'\n");
    }

    @Test
    void outsideARepository() throws Exception {
        Path plain = Files.createDirectories(tmp.resolve("plain/plans"));
        Files.copy(DiffGoldenTest.FIXTURES.resolve("base.yaml"), plain.resolve("base.yaml"));
        DrRun r = DrRun.in(plain.getParent(), Map.of(), "diff", "--git", "HEAD", "plans/base.yaml");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("dr: not in a git repository: ");
    }
}
