///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+

/** Baseline for bench/startup.sh: what JBang and a JVM cost with nothing else to do. */
class hello {
    public static void main(String[] args) {
        System.out.println("hello");
    }
}
