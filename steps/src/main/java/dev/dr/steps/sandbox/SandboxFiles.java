package dev.dr.steps.sandbox;

/**
 * What the sandbox server process and the steps that start and stop it agree on: the files it
 * leaves in its folder and its main class. The steps run in dr's JVM, the server in its own,
 * on a class path of its own (runner/sandbox.java): neither may name the other's classes.
 */
public final class SandboxFiles {

    /** The server's main class: bringup starts it, teardown recognises its process by it. */
    public static final String SERVER_CLASS = "dev.dr.sandbox.SandboxServer";
    public static final String KUBECONFIG = "kubeconfig.yaml";
    /** Written last, with the server's pid, once both servers serve. */
    public static final String READY = "sandbox.ready";
    public static final String S3_ENDPOINT = "s3.endpoint";

    private SandboxFiles() {}
}
