///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
// The sandbox's servers (see examples/sandbox): fabric8's mock Kubernetes API server and S3Proxy,
// in a background process that sandbox.up starts. Their libraries stay off dr's own class path
// (runner/dr.java), where S3Proxy alone brought ~120 jars that every dr command opened at start-up.
// The same versions as pom.xml: DepsAgreementTest checks it.
//DEPS tools.jackson:jackson-bom:3.2.3@pom
//DEPS io.netty:netty-bom:4.2.18.Final@pom
//DEPS io.fabric8:kubernetes-client:8.0.0
//DEPS io.fabric8:kubernetes-server-mock:8.0.0
//DEPS org.gaul:s3proxy:3.3.0
// jackson-bom 3.2.3 names a jackson-dataformat-xml 3.2.3 that Maven Central does not have
//DEPS tools.jackson.dataformat:jackson-dataformat-xml:3.2.2
//DEPS jakarta.servlet:jakarta.servlet-api:6.0.0
//DEPS org.slf4j:slf4j-nop:2.0.20
//SOURCES ../sandbox/src/main/java/**/*.java
//FILES ../sandbox/src/main/resources/**
// JBang cannot exclude S3Proxy's logback as pom.xml does: naming the slf4j provider keeps
// logback from logging every request at DEBUG.
// UTF-8 sources and default charset whatever the locale (see runner/dr.java).
//JAVAC_OPTIONS -encoding UTF-8
//JAVA_OPTIONS -Dfile.encoding=UTF-8 -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dslf4j.provider=org.slf4j.nop.NOPServiceProvider -Dslf4j.internal.verbosity=WARN

/**
 * Runs the sandbox's servers by hand: {@code ./jbang runner/sandbox.java FOLDER LIFETIME_SECONDS [BUCKET]}.
 * sandbox.up asks JBang for this script's class path and starts the server class itself.
 */
class sandbox {
    public static void main(String[] args) throws Exception {
        dev.dr.sandbox.SandboxServer.main(args);
    }
}
