package dev.dr.compile;

import java.util.List;
import java.util.Objects;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where a phase's {@code dr apply} runs: a CodeBuild build or an ECS task, each started by
 * Step Functions' {@code .sync} integration, which waits for the build or task to end and
 * fails the state with {@code States.TaskFailed} when it fails.
 */
public sealed interface Worker permits Worker.CodeBuild, Worker.Ecs {

    /** The Task state's resource. */
    String resource();

    /** The Task state's parameters: run {@code script} with {@code env} set. */
    ObjectNode parameters(String script, List<EnvVar> env);

    /**
     * An environment variable of the worker.
     *
     * @param dynamic the value is a path or intrinsic function Step Functions resolves ({@code "Value.$"})
     */
    record EnvVar(String name, String value, boolean dynamic) {
        public EnvVar {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /** A CodeBuild project whose image has dr and the plans; the script comes as a buildspec override. */
    record CodeBuild(String project) implements Worker {
        public CodeBuild {
            if (project == null || project.isBlank()) {
                throw new IllegalArgumentException("the CodeBuild project must not be empty");
            }
        }

        @Override
        public String resource() {
            return "arn:aws:states:::codebuild:startBuild.sync";
        }

        @Override
        public ObjectNode parameters(String script, List<EnvVar> env) {
            ObjectNode p = JsonNodeFactory.instance.objectNode();
            p.put("ProjectName", project);
            p.put("BuildspecOverride", buildspec(script));
            ArrayNode vars = p.putArray("EnvironmentVariablesOverride");
            for (EnvVar v : env) {
                ObjectNode o = vars.addObject();
                o.put("Name", v.name());
                o.put("Type", "PLAINTEXT");
                o.put(v.dynamic() ? "Value.$" : "Value", v.value());
            }
            return p;
        }

        /** The script as the build phase's one command. */
        static String buildspec(String script) {
            return "version: 0.2\nphases:\n  build:\n    commands:\n      - |\n        " + script + "\n";
        }
    }

    /**
     * A Fargate task of {@code taskDefinition} on {@code cluster}; the container named
     * {@code container} runs the script with {@code sh -c}.
     */
    record Ecs(String cluster, String taskDefinition, String container, List<String> subnets, List<String> securityGroups)
            implements Worker {
        public Ecs {
            if (cluster == null || cluster.isBlank() || taskDefinition == null || taskDefinition.isBlank()) {
                throw new IllegalArgumentException("an ECS worker needs a cluster and a task definition");
            }
            if (container == null || container.isBlank()) {
                throw new IllegalArgumentException("the ECS container name must not be empty");
            }
            subnets = List.copyOf(subnets);
            securityGroups = List.copyOf(securityGroups);
            if (subnets.isEmpty()) {
                throw new IllegalArgumentException("a Fargate task needs at least one subnet (--ecs-subnet)");
            }
        }

        @Override
        public String resource() {
            return "arn:aws:states:::ecs:runTask.sync";
        }

        @Override
        public ObjectNode parameters(String script, List<EnvVar> env) {
            JsonNodeFactory f = JsonNodeFactory.instance;
            ObjectNode p = f.objectNode();
            p.put("Cluster", cluster);
            p.put("TaskDefinition", taskDefinition);
            p.put("LaunchType", "FARGATE");
            ObjectNode vpc = p.putObject("NetworkConfiguration").putObject("AwsvpcConfiguration");
            ArrayNode sn = vpc.putArray("Subnets");
            subnets.forEach(sn::add);
            if (!securityGroups.isEmpty()) {
                ArrayNode sg = vpc.putArray("SecurityGroups");
                securityGroups.forEach(sg::add);
            }
            vpc.put("AssignPublicIp", "DISABLED");
            ObjectNode c = p.putObject("Overrides").putArray("ContainerOverrides").addObject();
            c.put("Name", container);
            ArrayNode cmd = c.putArray("Command");
            cmd.add("sh");
            cmd.add("-c");
            cmd.add(script);
            ArrayNode vars = c.putArray("Environment");
            for (EnvVar v : env) {
                ObjectNode o = vars.addObject();
                o.put("Name", v.name());
                o.put(v.dynamic() ? "Value.$" : "Value", v.value());
            }
            return p;
        }
    }
}
