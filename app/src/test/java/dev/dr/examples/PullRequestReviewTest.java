package dev.dr.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.cli.CliProcess;
import dev.dr.cli.DrRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * examples/ci/github-actions.yml, run as GitHub would run it, minus GitHub: a temporary git
 * repository gets a base commit and a pull-request commit, and the workflow's own run: steps
 * run in it with bash -eo pipefail, GitHub's shell. {@code ./jbang dr@catalog} is a stand-in that
 * runs the dr of this build. Posting runs against a stand-in gh that records what would be
 * sent; nothing reaches GitHub.
 */
class PullRequestReviewTest {

    static final Path ROOT = Path.of(System.getProperty("dr.projectDir", ".")).toAbsolutePath();
    static final Path WORKFLOW = ROOT.resolve("examples/ci/github-actions.yml");
    static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{\\s*(.+?)\\s*}}");

    @TempDir
    Path tmp;

    record Step(String id, String name, String ifCondition, Map<String, String> env, String run) {}

    record Result(int exit, String out, String err) {}

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> steps() throws IOException {
        Map<String, Object> wf = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(WORKFLOW));
        Map<String, Object> jobs = (Map<String, Object>) wf.get("jobs");
        assertThat(jobs).containsOnlyKeys("review");
        return (List<Map<String, Object>>) ((Map<String, Object>) jobs.get("review")).get("steps");
    }

    @SuppressWarnings("unchecked")
    static Step step(String id) throws IOException {
        for (Map<String, Object> s : steps()) {
            if (id.equals(s.get("id"))) {
                return new Step(id, (String) s.get("name"), (String) s.getOrDefault("if", ""),
                        (Map<String, String>) s.getOrDefault("env", Map.of()), (String) s.get("run"));
            }
        }
        throw new AssertionError("the workflow has no step with id " + id);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theWorkflowChecksOutHistoryRunsJava17AndKeepsExpressionsOutOfItsScripts() throws IOException {
        Map<String, Object> wf = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(WORKFLOW));
        assertThat((Map<String, Object>) wf.get("on")).containsKey("pull_request");
        assertThat((Map<String, Object>) wf.get("permissions")).containsEntry("pull-requests", "write");
        List<Map<String, Object>> steps = steps();
        Map<String, Object> checkout = steps.stream().filter(s -> String.valueOf(s.get("uses")).startsWith("actions/checkout@"))
                .findFirst().orElseThrow();
        assertThat((Map<String, Object>) checkout.get("with")).containsEntry("fetch-depth", 0);
        Map<String, Object> java = steps.stream().filter(s -> String.valueOf(s.get("uses")).startsWith("actions/setup-java@"))
                .findFirst().orElseThrow();
        assertThat((Map<String, Object>) java.get("with")).containsEntry("java-version", "17");
        // every run: step is one this test runs; none interpolates an expression into shell
        List<String> runIds = steps.stream().filter(s -> s.containsKey("run")).map(s -> (String) s.get("id")).toList();
        assertThat(runIds).containsExactly("lint", "comments", "post");
        steps.stream().filter(s -> s.containsKey("run"))
                .forEach(s -> assertThat((String) s.get("run")).as("run of %s", s.get("id")).doesNotContain("${{"));
        assertThat(step("lint").run().strip()).isEqualTo("./jbang dr@catalog lint --format github plans/*.yaml");
        assertThat(step("comments").ifCondition()).contains("failure()");
    }

    @Test
    void aPullRequestThatChangesAddsAndRemovesPlansGetsAnnotationsAndOneCommentPerPlan() throws Exception {
        Path repo = repo(List.of());
        String base = commit(repo, "base");
        Path validateOnly = repo.resolve("plans/validate-only.yaml");
        Files.writeString(validateOnly, Files.readString(validateOnly) + "sizing:\n  validateJob:\n    limits:\n      memory: 4Gi\n");
        Files.writeString(repo.resolve("plans/broken.yaml"), """
                apiVersion: dr/v1
                kind: DrillPlan
                extends: base/drill.yaml
                metadata:
                  name: broken
                retry:
                  phases:
                    validate:
                      maxAttempts: 0
                run:
                  validateOnly: true
                """);
        Files.delete(repo.resolve("plans/bringup-only.yaml"));
        commit(repo, "pull request");
        Map<String, String> github = github(base);

        Result lint = run(repo, step("lint"), github, Map.of());
        assertThat(lint.exit()).as("lint fails the check; stderr %s", lint.err()).isEqualTo(2);
        assertThat(lint.out()).isEqualTo("::error file=plans/broken.yaml,line=9,col=20::retry.phases.validate.maxAttempts:"
                + " must be between 1 and 10, was 0\n");

        Result comments = run(repo, step("comments"), github, Map.of());
        assertThat(comments.exit()).as(comments.err()).isZero();
        Path out = tmp.resolve("runner/dr-review");
        assertThat(list(out)).containsExactly("plans__bringup-only.yaml.md", "plans__broken.yaml.md", "plans__validate-only.yaml.md");

        String changed = Files.readString(out.resolve("plans__validate-only.yaml.md"));
        String shortBase = base.substring(0, 12);
        assertThat(changed).startsWith("<!-- dr-plan-review: plans/validate-only.yaml -->\n## dr review: `plans/validate-only.yaml`\n\n"
                + "### What changes in behaviour\n\n`dr diff --git " + shortBase + " --format markdown plans/validate-only.yaml`,"
                + " against the base of this pull request:\n\n");
        String diff = dr(repo, "diff", "--git", base, "--format", "markdown", "plans/validate-only.yaml");
        assertThat(diff).contains("4Gi");
        assertThat(changed).contains(diff);
        assertThat(changed).endsWith("### Plan-diff of this version\n\n<details><summary><code>dr plan plans/validate-only.yaml"
                + " --format markdown</code></summary>\n\n" + dr(repo, "plan", "plans/validate-only.yaml", "--format", "markdown")
                + "\n</details>\n");

        assertThat(Files.readString(out.resolve("plans__broken.yaml.md"))).isEqualTo("""
                <!-- dr-plan-review: plans/broken.yaml -->
                ## dr review: `plans/broken.yaml`

                A new plan: the base of this pull request (%s) has no `plans/broken.yaml`.

                ### Plan-diff of this version

                **dr refuses this plan** (exit 2); the lint annotations of this check point at each problem:

                ```text
                plans/broken.yaml:9:20: retry.phases.validate.maxAttempts: must be between 1 and 10, was 0
                dr: plans/broken.yaml is invalid (1 error); nothing was run
                ```
                """.formatted(shortBase));
        assertThat(Files.readString(out.resolve("plans__bringup-only.yaml.md"))).isEqualTo("""
                <!-- dr-plan-review: plans/bringup-only.yaml -->
                ## dr review: `plans/bringup-only.yaml`

                This pull request removes `plans/bringup-only.yaml` (it was in %s).
                """.formatted(shortBase));
        assertThat(Files.readString(tmp.resolve("summary.md"))).contains("<!-- dr-plan-review: plans/validate-only.yaml -->",
                "<!-- dr-plan-review: plans/broken.yaml -->", "<!-- dr-plan-review: plans/bringup-only.yaml -->");
    }

    @Test
    void aChangedBaseFileReviewsThePlansThatExtendItAndNoOther() throws Exception {
        Path repo = repo(List.of("plans/validate-only.yaml", "plans/publish-bundle.yaml"));
        String base = commit(repo, "base");
        Path drill = repo.resolve("plans/base/drill.yaml");
        Files.writeString(drill, Files.readString(drill).replace("timeout: 20m", "timeout: 25m"));
        commit(repo, "longer validate timeout");

        Result lint = run(repo, step("lint"), github(base), Map.of());
        assertThat(lint.exit()).as(lint.err()).isZero();
        assertThat(lint.out()).isEmpty();
        Result comments = run(repo, step("comments"), github(base), Map.of());
        assertThat(comments.exit()).as(comments.err()).isZero();
        Path out = tmp.resolve("runner/dr-review");
        // publish-bundle extends base/common.yaml only
        assertThat(list(out)).containsExactly("plans__validate-only.yaml.md");
        // dr diff --git takes the base file from the base commit too: the change shows as a behaviour change
        String diff = dr(repo, "diff", "--git", base, "--format", "markdown", "plans/validate-only.yaml");
        assertThat(diff).contains("20m").contains("25m");
        assertThat(Files.readString(out.resolve("plans__validate-only.yaml.md"))).contains(diff).contains("timeout 25m");
    }

    @Test
    void nothingUnderPlansChangedMeansNoComment() throws Exception {
        Path repo = repo(List.of("plans/validate-only.yaml"));
        String base = commit(repo, "base");
        Files.writeString(repo.resolve("README.md"), "docs only\n");
        commit(repo, "docs");
        Result comments = run(repo, step("comments"), github(base), Map.of());
        assertThat(comments.exit()).as(comments.err()).isZero();
        assertThat(comments.err()).contains("pr-review: no file under plans/ changed since " + base.substring(0, 12));
        assertThat(list(tmp.resolve("runner/dr-review"))).isEmpty();
    }

    @Test
    void postingUpdatesTheMarkedCommentCreatesTheMissingOnesAndMarksTheStaleOne() throws Exception {
        Path repo = repo(List.of("plans/validate-only.yaml"));
        Path dir = tmp.resolve("runner/dr-review");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("plans__validate-only.yaml.md"), "<!-- dr-plan-review: plans/validate-only.yaml -->\nnew\n");
        Files.writeString(dir.resolve("plans__teardown.yaml.md"), "<!-- dr-plan-review: plans/teardown.yaml -->\nnew too\n");
        // two pages, as gh api --paginate prints them; a reviewer's comment quotes a marker
        Files.writeString(tmp.resolve("comments.json"), """
                [{"id": 101, "body": "LGTM"},
                 {"id": 102, "body": "<!-- dr-plan-review: plans/validate-only.yaml -->\\nold"}]
                [{"id": 103, "body": "<!-- dr-plan-review: plans/restore-only.yaml -->\\nold"},
                 {"id": 104, "body": "see <!-- dr-plan-review: plans/teardown.yaml -->"}]
                """);
        Path bin = tmp.resolve("bin");
        Files.createDirectories(bin);
        executable(bin.resolve("gh"), """
                #!/usr/bin/env bash
                # stand-in for gh api: lists the comments of comments.json, records what would be sent
                set -euo pipefail
                [[ $1 == api ]] || exit 9
                shift
                if [[ $1 == --paginate ]]; then echo "GET $2" >> "$GH_LOG"; cat "$GH_COMMENTS"; exit 0; fi
                [[ $1 == --method && $4 == --input && $5 == - ]] || { echo "unexpected: $*" >&2; exit 9; }
                echo "$2 $3 $(cat)" >> "$GH_LOG"
                echo '{}'
                """);
        Path log = tmp.resolve("gh.log");
        Map<String, String> extra = Map.of("PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                "GH_LOG", log.toString(), "GH_COMMENTS", tmp.resolve("comments.json").toString());

        Result post = run(repo, step("post"), github("0".repeat(40)), extra);
        assertThat(post.exit()).as(post.err()).isZero();
        assertThat(Files.readAllLines(log)).containsExactly(
                "GET repos/acme/drills/issues/7/comments",
                "POST repos/acme/drills/issues/7/comments {\"body\":\"<!-- dr-plan-review: plans/teardown.yaml -->\\nnew too\\n\"}",
                "PATCH repos/acme/drills/issues/comments/102 {\"body\":\"<!-- dr-plan-review: plans/validate-only.yaml -->\\nnew\\n\"}",
                "PATCH repos/acme/drills/issues/comments/103 {\"body\":\"<!-- dr-plan-review: plans/restore-only.yaml -->\\n"
                        + "## dr review: `plans/restore-only.yaml`\\n\\nThis pull request no longer changes"
                        + " `plans/restore-only.yaml`.\\n\"}");

        // the next push: the stale comment is already marked and is left alone
        Files.writeString(tmp.resolve("comments.json"), """
                [{"id": 103, "body": "<!-- dr-plan-review: plans/restore-only.yaml -->\\n## dr review: `plans/restore-only.yaml`\\n\\nThis pull request no longer changes `plans/restore-only.yaml`.\\n"}]
                """);
        Files.delete(log);
        Files.delete(dir.resolve("plans__teardown.yaml.md"));
        Files.delete(dir.resolve("plans__validate-only.yaml.md"));
        assertThat(run(repo, step("post"), github("0".repeat(40)), extra).exit()).isZero();
        assertThat(Files.readAllLines(log)).containsExactly("GET repos/acme/drills/issues/7/comments");
    }

    // ---- the repository, the GitHub context, the runner

    /** A git repository with the project's plans (all, or those named and the base files), examples/ci and a jbang stand-in. */
    private Path repo(List<String> only) throws IOException, InterruptedException {
        Path repo = tmp.resolve("repo");
        copyTree(ROOT.resolve("plans"), repo.resolve("plans"));
        if (!only.isEmpty()) {
            try (Stream<Path> s = Files.list(repo.resolve("plans"))) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    if (!only.contains("plans/" + p.getFileName())) {
                        Files.delete(p);
                    }
                }
            }
        }
        copyTree(ROOT.resolve("examples/ci"), repo.resolve("examples/ci"));
        for (String script : List.of("pr-review.sh", "post-comments.sh")) {
            Files.setPosixFilePermissions(repo.resolve("examples/ci/" + script), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        executable(repo.resolve("jbang"), """
                #!/usr/bin/env bash
                # stand-in for the jbang wrapper: runs the dr of the build under test
                [[ $1 == dr@catalog ]] || { echo "this jbang runs dr@catalog only, not $1" >&2; exit 2; }
                shift
                exec '%s' -cp '%s' dev.dr.cli.Main "$@"
                """.formatted(Path.of(System.getProperty("java.home"), "bin", "java"), CliProcess.classpath(CliProcess.classesDir())));
        git(repo, "init", "-q", "-b", "main");
        return repo;
    }

    private String commit(Path repo, String message) throws IOException, InterruptedException {
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", message);
        return git(repo, "rev-parse", "HEAD").strip();
    }

    private Map<String, String> github(String baseSha) {
        return Map.of("github.event.pull_request.base.sha", baseSha, "github.event.pull_request.number", "7",
                "github.token", "token-of-the-test");
    }

    /** Runs a step's run: script as GitHub runs it: bash -eo pipefail, its env with expressions resolved. */
    private Result run(Path repo, Step step, Map<String, String> github, Map<String, String> extra)
            throws IOException, InterruptedException {
        Map<String, String> env = new TreeMap<>(baseEnv());
        env.putAll(Map.of("GITHUB_WORKSPACE", repo.toString(), "GITHUB_REPOSITORY", "acme/drills",
                "RUNNER_TEMP", tmp.resolve("runner").toString(), "GITHUB_STEP_SUMMARY", tmp.resolve("summary.md").toString()));
        for (Map.Entry<String, String> e : step.env().entrySet()) {
            Matcher m = EXPRESSION.matcher(e.getValue());
            StringBuilder v = new StringBuilder();
            while (m.find()) {
                assertThat(github).as("a value for the expression %s of step %s", m.group(1), step.id()).containsKey(m.group(1));
                m.appendReplacement(v, Matcher.quoteReplacement(github.get(m.group(1))));
            }
            m.appendTail(v);
            env.put(e.getKey(), v.toString());
        }
        env.putAll(extra);
        Files.createDirectories(tmp.resolve("runner"));
        return exec(repo, env, "bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step.run());
    }

    private Map<String, String> baseEnv() throws IOException {
        Path home = tmp.resolve("home");
        Files.createDirectories(home);
        return Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), "HOME", home.toString(),
                "GIT_CONFIG_NOSYSTEM", "1", "GIT_AUTHOR_NAME", "Dev", "GIT_AUTHOR_EMAIL", "dev@example.com",
                "GIT_COMMITTER_NAME", "Dev", "GIT_COMMITTER_EMAIL", "dev@example.com", "LC_ALL", "C.UTF-8");
    }

    private String git(Path repo, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        Result r = exec(repo, baseEnv(), cmd.toArray(String[]::new));
        assertThat(r.exit()).as("git %s: %s", String.join(" ", args), r.err()).isZero();
        return r.out();
    }

    /** dr of this build in the repository, in process: what the comments must contain. */
    private static String dr(Path repo, String... args) {
        DrRun r = DrRun.in(repo, Map.of(), args);
        assertThat(r.exit()).as("dr %s: %s", String.join(" ", args), r.err()).isIn(0, 10);
        return r.out();
    }

    private Result exec(Path dir, Map<String, String> env, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("did not finish in 5 minutes: " + String.join(" ", cmd));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static List<String> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
