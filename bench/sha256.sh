#!/usr/bin/env bash
# SHA-256 on dr's JVMs: the JDK's digest under the default tiered JIT (C2 has the SHA-256
# intrinsics, which use the CPU's SHA instructions), the same with C2's thresholds ten times
# higher (-XX:CompileThresholdScaling=10, "x10"), under C1 only (no intrinsics: the digest runs
# as Java code), and the Amazon Corretto Crypto Provider (AWS-LC in native code, which dr
# used for large hashes while it ran C1 only), on Java 25 and Java 17. bench/java/dev/dr/bench/ShaBench.java.
#   throughput - each JVM hashes 64 MiB in memory 6 times in 128 KiB updates: the first round
#                cold (the JIT has not compiled the digest yet), the median of the others warm,
#                and for the provider the time its load took (native library, self-test)
#   large file - a fresh JVM hashes one file of 281 MB (the size of the 500 MiB tree's backup,
#                which a restore hashes as it streams it), timed whole: what a restore's hash
#                costs with each choice, the provider's load included
# Runs alternate within each round; medians of RUNS.
#   usage: bench/sha256.sh [RUNS]     (default 5)
# JAVA17 and JAVA25 name the two java binaries (see find_java25 in bench/lib.sh).
set -euo pipefail
runs=${1:-5}
cd "$(dirname "$0")/.."
[[ -x /usr/bin/time ]] || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }
source bench/lib.sh
java17=${JAVA17:-java}
find_java25

work=$(mktemp -d "${TMPDIR:-/tmp}/dr-sha256-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
# the provider's jar (the native library for Linux on x86-64) from the Maven repository
mvn -B -q dependency:copy -Dartifact=software.amazon.cryptools:AmazonCorrettoCryptoProvider:2.5.0:jar:linux-x86_64 \
  -DoutputDirectory="$work/lib" >/dev/null
javac -nowarn -d "$work/classes" bench/java/dev/dr/bench/ShaBench.java
bcp="$work/classes:$(ls "$work"/lib/*.jar)"
big="$work/state.bin"
head -c 281000000 /dev/urandom >"$big"

# variant: java, JIT, provider
declare -A spec=(
  [java25-tiered-jdk]="$java25 tiered jdk" [java25-x10-jdk]="$java25 x10 jdk" [java25-c1-jdk]="$java25 c1 jdk" [java25-c1-accp]="$java25 c1 accp"
  [java25-tiered-accp]="$java25 tiered accp" [java17-tiered-jdk]="$java17 tiered jdk" [java17-c1-jdk]="$java17 c1 jdk"
  [java17-c1-accp]="$java17 c1 accp")
variants=(java25-tiered-jdk java25-x10-jdk java25-c1-jdk java25-c1-accp java25-tiered-accp java17-tiered-jdk java17-c1-jdk java17-c1-accp)
bench() { # VARIANT ARGS...: runs ShaBench in a fresh JVM with the variant's java, JIT and provider
  local j jit p o=(-XX:+UseSerialGC -Xshare:auto)
  read -r j jit p <<<"${spec[$1]}"
  shift
  [[ $jit == c1 ]] && o+=(-XX:TieredStopAtLevel=1)
  [[ $jit == x10 ]] && o+=(-XX:CompileThresholdScaling=10)
  [[ $j == "$java25" ]] && o+=(--enable-native-access=ALL-UNNAMED)
  "$j" "${o[@]}" -cp "$bcp" dev.dr.bench.ShaBench "$p" "$@"
}
field() { sed -n "s/.*$1=\([0-9]*\).*/\1/p"; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  $("$java17" -version 2>&1 | head -1); $("$java25" -version 2>&1 | head -1)"
declare -A cold warm load whole hash sums
n=${#variants[@]}
for v in "${variants[@]}"; do bench "$v" file "$big" >/dev/null; done # warm the page cache
for ((r = 0; r < runs; r++)); do
  for ((k = 0; k < n; k++)); do
    v=${variants[$(((r + k) % n))]}
    out=$(bench "$v" mem 64 6)
    cold[$v]+="$(field cold_mb_s <<<"$out") "; warm[$v]+="$(field warm_mb_s <<<"$out") "; load[$v]+="$(field load_ms <<<"$out") "
    sums[$v]+="$(sed -n 's/.*sha256=\([0-9a-f]*\).*/\1/p' <<<"$out") "
    start=$(date +%s%N)
    out=$(bench "$v" file "$big")
    end=$(date +%s%N)
    whole[$v]+="$(((end - start) / 1000000)) "; hash[$v]+="$(field hash_ms <<<"$out") "
    sums[$v]+="$(sed -n 's/.*sha256=\([0-9a-f]*\).*/\1/p' <<<"$out") "
  done
done

# shellcheck disable=SC2086 # the lists are space-separated numbers
m() { median ${1}; }
echo "$runs runs each, alternating; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '  %-20s %16s %16s %12s   %s\n' "" "64 MiB cold MB/s" "64 MiB warm MB/s" "load ms" "281 MB file, JVM whole ms (hash alone ms)"
for v in "${variants[@]}"; do
  printf '  %-20s %16s %16s %12s   %6s (%s)   runs: %s\n' "$v" "$(m "${cold[$v]}")" "$(m "${warm[$v]}")" "$(m "${load[$v]}")" \
    "$(m "${whole[$v]}")" "$(m "${hash[$v]}")" "${whole[$v]% }"
done
distinct=$(for v in "${variants[@]}"; do tr ' ' '\n' <<<"${sums[$v]}"; done | grep . | sort -u | wc -l)
if [[ $distinct -eq 2 ]]; then echo "  hashes: every run of each input gave the same SHA-256"; else echo "  hashes: $distinct distinct for 2 inputs" >&2; exit 1; fi
