# Shared by the benchmark scripts: source it.

# dr_jvm: the JVM options dr runs with, read from the //JAVA_OPTIONS line of runner/dr.java
# (C1 only, SerialGC, quiet logs), so a benchmark runs dr as JBang launches it.
# The start-up cache's options (-XX:AOTCache, -Ddr.aot.cache) are left out of dr_jvm, so the same
# options run on Java 17 too and a benchmark names its cache itself; dr_cache_options has them,
# with JBang's ${user.home} expanded, and the log tag the JVM before 25 does not know is dropped.
read -r -a dr_java_options <<<"$(sed -n 's|^//JAVA_OPTIONS ||p' "$(dirname "${BASH_SOURCE[0]}")/../runner/dr.java")"
[[ ${#dr_java_options[@]} -gt 0 ]] || { echo "no //JAVA_OPTIONS line in runner/dr.java" >&2; exit 1; }
dr_jvm=() dr_cache_options=()
for o in "${dr_java_options[@]}"; do
  o=${o//'${user.home}'/$HOME}
  case $o in
    -XX:AOTCache=* | -Ddr.aot.cache=*) dr_cache_options+=("$o") ;;
    -Xlog:*) dr_jvm+=("${o//,aot\*=off/}") ;;
    *) dr_jvm+=("$o") ;;
  esac
done
# dr_jvm_beside_wiremock: the same but the slf4j provider's name, for a JVM that also runs
# WireMock, whose shaded slf4j reads the same property and fails on it
dr_jvm_beside_wiremock=()
for o in "${dr_jvm[@]}"; do [[ $o == -Dslf4j.provider=* ]] || dr_jvm_beside_wiremock+=("$o"); done

# dr_classpath SCOPE: sets dr_cp to dr's class path from the Maven build, as its assembly (the app
# module) has it: "runtime" is dr itself (the module jars and their libraries, and the sandbox's,
# whose server a Maven build starts from dr's class path), "test" adds the tests' stubs and servers
# (S3Proxy, WireMock) and app's test classes. "jbang" is the class path JBang computes for
# runner/dr.java, as a user's dr runs on (its //DEPS, 112 jars), with the Maven build's jars of the
# modules dr.java compiles in place of JBang's jar of them, which Java 17 could not load.
dr_classpath() {
  local scope=${1:-runtime} out
  if [[ $scope == jbang ]]; then
    local deps m
    deps=$(./jbang info classpath runner/dr.java 2>/dev/null) || { ./jbang info classpath runner/dr.java; exit 1; }
    mvn -B -o -q -DskipTests package -pl runner,steps -am >/dev/null
    dr_cp=""
    for m in step-api aws runner steps; do dr_cp+="$(ls "$PWD/$m"/target/"$m"-*.jar | grep -v -- '-tests.jar$' | head -1):"; done
    dr_cp+=${deps#*:}   # JBang's first entry is its own jar of dr's sources
    return
  fi
  out="$PWD/target/bench-$scope-classpath.txt"
  mkdir -p target
  mvn -B -o -q -DskipTests package dependency:build-classpath -pl app -am \
    -Dmdep.includeScope="$scope" -Dmdep.outputFile="$out" >/dev/null
  dr_cp=$(cat "$out")
  if [[ $scope == test ]]; then dr_cp="$PWD/app/target/test-classes:$dr_cp"; fi
}

# checkout_classpath DIR SCOPE: prints the class path of dr in another checkout DIR (e.g. the
# commit before a change, extracted with `git archive REV | tar -x -C DIR`), built there: the
# Maven modules' (dr_classpath) or, before the modules, the one module's target/classes.
checkout_classpath() {
  local dir=$1 scope=${2:-runtime}
  if [[ -f $dir/app/pom.xml ]]; then
    (cd "$dir" && source bench/lib.sh && dr_classpath "$scope" && echo "$dr_cp")
  else
    (cd "$dir" && mvn -B -o -q -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope="$scope" \
      -Dmdep.outputFile=target/bench-"$scope"-classpath.txt >/dev/null)
    local extra=""
    [[ $scope == test ]] && extra="$dir/target/test-classes:"
    echo "$dir/target/classes:$extra$(cat "$dir/target/bench-$scope-classpath.txt")"
  fi
}

# start_local_s3 WORK CLASSPATH BUCKET: S3Proxy over the folder WORK/s3 in a JVM of its own,
# which stops when its stdin (a fifo held open on fd 9) closes. Sets s3pid and endpoint; the
# caller's EXIT trap should close fd 9 and kill "$s3pid".
start_local_s3() {
  local work=$1 cp=$2 bucket=$3
  mkfifo "$work/s3.stdin"
  java -XX:+UseSerialGC -cp "$cp" dev.dr.bench.LocalS3Server "$work/s3" "$bucket" \
    <"$work/s3.stdin" >"$work/s3.out" 2>"$work/s3.err" &
  s3pid=$!
  exec 9>"$work/s3.stdin"
  for _ in $(seq 1 600); do
    grep -q '^endpoint ' "$work/s3.out" 2>/dev/null && break
    kill -0 "$s3pid" 2>/dev/null || { cat "$work/s3.err" >&2; exit 1; }
    sleep 0.1
  done
  endpoint=$(sed -n 's/^endpoint //p' "$work/s3.out")
  [[ -n $endpoint ]] || { echo "S3 server did not start" >&2; exit 1; }
}

# find_java25: sets java25 to $JAVA25, or else the first Java 25 among the JDKs in Debian's JVM
# folder and update-alternatives; exits with a message when there is none.
find_java25() {
  java25=${JAVA25:-}
  if [[ -z $java25 ]]; then
    local candidate
    while IFS= read -r candidate; do
      if "$candidate" -version 2>&1 | grep -q 'version "25'; then java25=$candidate; break; fi
    done < <(ls /usr/lib/jvm/*/bin/java 2>/dev/null; update-alternatives --list java 2>/dev/null || true)
  fi
  [[ -n $java25 && -x $java25 ]] || { echo "no Java 25 found (set JAVA25 to its java)" >&2; exit 1; }
  "$java25" -version 2>&1 | grep -q 'version "25' || { echo "$java25 is not Java 25" >&2; exit 1; }
}

# dr_jvm_variants: from dr_jvm, the option sets the Java 17 / Java 25 comparisons run dr with:
# dr_c1 (dr's own, C1 only) and dr_tiered (the same without -XX:TieredStopAtLevel: the default
# tiered JIT, C1 then C2); dr_c1_25 and dr_tiered_25 add --enable-native-access=ALL-UNNAMED for
# Java 25 (zstd-jni's native load warns without it) unless dr_jvm has it already.
dr_jvm_variants() {
  local o
  dr_c1=("${dr_jvm[@]}")
  dr_tiered=()
  for o in "${dr_jvm[@]}"; do [[ $o == -XX:TieredStopAtLevel=* ]] || dr_tiered+=("$o"); done
  dr_c1_25=("${dr_c1[@]}")
  dr_tiered_25=("${dr_tiered[@]}")
  if [[ " ${dr_jvm[*]} " != *" --enable-native-access="* ]]; then
    dr_c1_25+=(--enable-native-access=ALL-UNNAMED)
    dr_tiered_25+=(--enable-native-access=ALL-UNNAMED)
  fi
}
