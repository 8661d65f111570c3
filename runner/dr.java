///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25+
// The same runtime dependencies and versions as pom.xml but the sandbox server's, which
// runner/sandbox.java names: DepsAgreementTest checks it.
//DEPS tools.jackson:jackson-bom:3.2.3@pom
//DEPS tools.jackson.core:jackson-databind
//DEPS tools.jackson.dataformat:jackson-dataformat-yaml
//DEPS org.snakeyaml:snakeyaml-engine:3.1.1
//DEPS com.networknt:json-schema-validator:3.0.9
//DEPS info.picocli:picocli:4.7.7
//DEPS io.fabric8:kubernetes-client:8.0.0
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
//DEPS software.amazon.cryptools:AmazonCorrettoCryptoProvider:2.5.0:linux-x86_64
//DEPS org.apache.commons:commons-compress:1.28.0
//DEPS org.slf4j:slf4j-nop:2.0.20
// The Maven modules dr runs on, one line each (pom.xml; docs/architecture.md): the step API, the
// shared AWS clients, the runner and the built-in steps, with their class-path resources. The
// sandbox's servers are their own module and script (runner/sandbox.java).
//SOURCES ../step-api/src/main/java/**/*.java
//SOURCES ../aws/src/main/java/**/*.java
//SOURCES src/main/java/**/*.java
//SOURCES ../steps/src/main/java/**/*.java
//FILES schema/=../schema/**
//FILES dr/startup-training/=../plans/**
//FILES ../steps/src/main/resources/**
// JVM warnings go to stderr, never into the plan-diff on stdout.
// The start-up cache: Java 25's AOT cache of the classes and profiles of a preview, which dr
// writes in the background when it is missing or was written for another JDK or class path
// (dev.dr.cli.StartupCache); the JVM goes without it, silently, until then. It replaces JBang's
// //CDS archive, which the JVM does not take together with an AOT cache. The commands that talk
// to S3 (dr.aot.family.s3) have a cache of their own, dr-s3.aot, which ./jbang gives them: JBang
// gives every command these options, so its own launcher gives them dr.aot.
// -XX:-UsePerfData: no hsperfdata file (jps/jcmd do not list dr); jdk.console: System.console()
// without a search of the JDK's modules for another console provider.
// zstd-jni and the native SHA-256 load JNI libraries: Java 24 and later warn on stderr about
// that unless native access is enabled for the class path.
// Naming the slf4j provider spares slf4j its ServiceLoader search of every jar; its own
// notes (which provider it loaded) stay quiet below WARN.
// The sources are UTF-8 (→, …): javac must not take the locale's charset, which is US-ASCII
// under LC_ALL=C; file.encoding makes Java 17's default charset UTF-8, as it is from Java 18 on.
//JAVAC_OPTIONS -encoding UTF-8
//JAVA_OPTIONS -Dfile.encoding=UTF-8 --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:disable -Xlog:all=warning,cds*=off,aot*=off:stderr -Dslf4j.provider=org.slf4j.nop.NOPServiceProvider -Dslf4j.internal.verbosity=WARN -XX:AOTCache=${user.home}/.cache/dr/startup/dr.aot -Ddr.aot.cache=${user.home}/.cache/dr/startup/dr.aot -Ddr.aot.family.s3=apply,bundle,failback -XX:-UsePerfData -Djdk.console=java.base

/** Runs dr from source with JBang: `./jbang dr@catalog PLAN` (see jbang-catalog.json). */
class dr {
    public static void main(String[] args) {
        dev.dr.cli.Main.main(args);
    }
}
