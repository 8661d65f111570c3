package dev.dr.steps.aws.ec2;

/** An EC2 instance that carries the DR runner tags, and its state (pending, running, stopping, stopped). */
public record Runner(String instanceId, String state) {
    @Override
    public String toString() {
        return instanceId + " (" + state + ")";
    }
}
