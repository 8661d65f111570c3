///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
// The same runtime dependencies and versions as pom.xml: DepsAgreementTest checks it.
//DEPS tools.jackson:jackson-bom:3.2.3@pom
//DEPS tools.jackson.core:jackson-databind
//DEPS tools.jackson.dataformat:jackson-dataformat-yaml
//DEPS org.snakeyaml:snakeyaml-engine:3.1.1
//DEPS com.networknt:json-schema-validator:3.0.9
//DEPS info.picocli:picocli:4.7.7
//DEPS io.fabric8:kubernetes-client:8.0.0
//DEPS io.fabric8:kubernetes-server-mock:8.0.0
//DEPS software.amazon.awssdk:bom:2.57.8@pom
//DEPS io.netty:netty-bom:4.2.18.Final@pom
//DEPS software.amazon.awssdk:s3
//DEPS software.amazon.awssdk:url-connection-client
//DEPS software.amazon.awssdk:sts
//DEPS software.amazon.awssdk:ec2
//DEPS software.amazon.awssdk:ecr
//DEPS software.amazon.awssdk:sfn
//DEPS software.amazon.awssdk:dynamodb
//DEPS com.github.luben:zstd-jni:1.5.7-11
//DEPS org.apache.commons:commons-compress:1.28.0
//DEPS org.gaul:s3proxy:2.7.0
//DEPS org.eclipse.jetty.toolchain:jetty-jakarta-servlet-api:5.0.2
//DEPS org.slf4j:slf4j-nop:2.0.20
// The Maven source tree itself. A glob whose base folder is missing is an error in
// JBang, and Git keeps no empty folders, so the steps glob starts at steps/src/main
// (which holds resources) rather than at steps/src/main/java.
//SOURCES src/main/java/**/*.java
//SOURCES ../steps/src/main/**/*.java
// The classpath resources of pom.xml, at the same paths.
//FILES schema/=../schema/**
//FILES ../steps/src/main/resources/**
//CDS
// JVM warnings (e.g. CDS archiving on the first run after a change) go to stderr, never
// into the plan-diff on stdout.
// JBang cannot exclude S3Proxy's logback as pom.xml does: naming the slf4j provider keeps
// slf4j from warning about two of them and logback from logging at DEBUG; its own notes
// (which provider it loaded) stay quiet below WARN.
//JAVA_OPTIONS -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:disable -Xlog:all=warning,cds*=off:stderr -Dslf4j.provider=org.slf4j.nop.NOPServiceProvider -Dslf4j.internal.verbosity=WARN

/** Runs dr from source with JBang: `./jbang dr@catalog PLAN` (see jbang-catalog.json). */
class dr {
    public static void main(String[] args) {
        dev.dr.cli.Main.main(args);
    }
}
