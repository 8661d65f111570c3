package dev.dr.compile;

import dev.dr.cli.CliProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The cases of dr compile the golden files and asl-validator cover. */
final class Compiles {
    static final Path PROJECT = CliProcess.projectDir();
    static final Path GOLDEN = PROJECT.resolve("app/src/test/resources/dr/compile");
    static final String TOPIC = "arn:aws:sns:us-east-1:048622080012:dr-approvals";

    private Compiles() {}

    /**
     * One golden case: a plan compiled with some flags.
     *
     * @param name the golden file's name without its extension
     */
    record Case(String name, String plan, List<String> flags) {
        String[] argv(String target) {
            List<String> a = new ArrayList<>(List.of("compile", "--target", target, plan));
            a.addAll(flags);
            return a.toArray(String[]::new);
        }
    }

    /** Every plan of plans/ as it is, then the gate (auto-promote) and the ECS worker. */
    static List<Case> cases() throws IOException {
        List<Case> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(PROJECT.resolve("plans"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                String name = p.getFileName().toString().replace(".yaml", "");
                out.add(new Case(name, "plans/" + p.getFileName(), List.of()));
            }
        }
        out.add(new Case("full-drill.auto-promote", "plans/full-drill.yaml",
                List.of("--auto-promote", "true", "--approval-topic-arn", TOPIC)));
        out.add(new Case("restore-only.ecs", "plans/restore-only.yaml", List.of("--worker", "ecs", "--ecs-cluster", "dr",
                "--ecs-task-definition", "dr-worker:3", "--ecs-subnet", "subnet-11001d5c", "--ecs-security-group",
                "sg-0a1b2c3d")));
        return out;
    }
}
