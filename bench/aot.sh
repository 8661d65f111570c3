#!/usr/bin/env bash
# dr's own JVM for one command (default: a preview, dr.cli.Main PLAN), started directly with java on the class path
# JBang computes for runner/dr.java (its jar of dr's sources, and the //DEPS), the JVM options of runner/dr.java's
# //JAVA_OPTIONS, on Java 17 and on Java 25, with and without a cache of the classes a
# preview loads:
#   java17          - Java 17, its default CDS archive only
#   java17+appcds   - Java 17, a dynamic AppCDS archive written by a training run of the same
#                     command (what JBang's //CDS does)
#   java25          - Java 25, its default CDS archive only
#   java25+aot      - Java 25, an AOT cache (JEP 483/514/515) written by a training run
#   java25+aot-c2   - the same with the default tiered JIT (the others are C1 only, as dr.java says)
#   java25+dr-cache - Java 25 with the start-up cache as dr writes it for its users (dev.dr.cli.StartupCache:
#                     its own training run, in the background after a first run), dr.java's options
# The commands alternate within each round so a busy machine slows all alike. The training
# runs are not timed; their output is discarded.
# Usage: bench/aot.sh [RUNS] [DR ARGUMENTS...]   (defaults: 11, plans/validate-only.yaml)
#   e.g. bench/aot.sh 11 lint plans/*.yaml
# JAVA17 and JAVA25 name the two java binaries (defaults: java on the PATH, and the first Java 25
# among the JDKs in Debian's JVM folder and update-alternatives).
set -euo pipefail

runs=${1:-11}
shift || true
args=("$@")
[[ ${#args[@]} -gt 0 ]] || args=(plans/validate-only.yaml)
java17=${JAVA17:-java}
cd "$(dirname "$0")/.."
source bench/lib.sh
find_java25

dr_classpath jbang
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
c1=("${dr_jvm[@]}")
c2=()
for o in "${dr_jvm[@]}"; do [[ $o == -XX:TieredStopAtLevel=* ]] || c2+=("$o"); done

# Training runs: one run of the command each writes the archive or cache the timed runs read.
"$java17" "${c1[@]}" -XX:ArchiveClassesAtExit="$work/j17.jsa" -cp "$dr_cp" dev.dr.cli.Main "${args[@]}" >/dev/null 2>&1
"$java25" "${c1[@]}" -XX:AOTCacheOutput="$work/c1.aot" -cp "$dr_cp" dev.dr.cli.Main "${args[@]}" >/dev/null 2>&1
"$java25" "${c2[@]}" -XX:AOTCacheOutput="$work/c2.aot" -cp "$dr_cp" dev.dr.cli.Main "${args[@]}" >/dev/null 2>&1
# dr's own start-up cache, as dr.java's options make dr write it: the first run starts the
# training (StartupTraining) in the background; wait for it to finish.
"$java25" "${c1[@]}" -XX:AOTCache="$work/dr.aot" -Ddr.aot.cache="$work/dr.aot" -cp "$dr_cp" dev.dr.cli.Main "${args[@]}" >/dev/null 2>&1
for _ in $(seq 1 600); do [[ -e $work/dr.aot.lock ]] || break; sleep 0.2; done
for f in j17.jsa c1.aot c2.aot dr.aot; do [[ -s $work/$f ]] || { echo "training wrote no $f" >&2; exit 1; }; done

names=(java17 java17+appcds java25 java25+aot java25+aot-c2 java25+dr-cache)
run_one() {
  case $1 in
    java17) "$java17" "${c1[@]}" -cp "$dr_cp" dev.dr.cli.Main "${args[@]}" ;;
    java17+appcds) "$java17" "${c1[@]}" -XX:SharedArchiveFile="$work/j17.jsa" -cp "$dr_cp" dev.dr.cli.Main "${args[@]}" ;;
    java25) "$java25" "${c1[@]}" -cp "$dr_cp" dev.dr.cli.Main "${args[@]}" ;;
    java25+aot) "$java25" "${c1[@]}" -XX:AOTCache="$work/c1.aot" -cp "$dr_cp" dev.dr.cli.Main "${args[@]}" ;;
    java25+aot-c2) "$java25" "${c2[@]}" -XX:AOTCache="$work/c2.aot" -cp "$dr_cp" dev.dr.cli.Main "${args[@]}" ;;
    java25+dr-cache) "$java25" "${c1[@]}" -XX:AOTCache="$work/dr.aot" -Ddr.aot.cache="$work/dr.aot" -cp "$dr_cp" dev.dr.cli.Main "${args[@]}" ;;
  esac
}

# Prints the wall time of one run in ms; the output is compared with java17's, so a cache
# that changed what dr prints would show.
time_ms() {
  local start end
  start=$(date +%s%N)
  run_one "$1" >"$work/out.$1" 2>"$work/err.$1" || { echo "$1 failed: $(tail -1 "$work/err.$1")" >&2; exit 1; }
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}

median() {
  sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for n in "${names[@]}"; do time_ms "$n" >/dev/null; done # warm the page cache
declare -A times
for ((i = 0; i < runs; i++)); do
  for n in "${names[@]}"; do
    times[$n]+="$(time_ms "$n") "
    cmp -s "$work/out.$n" "$work/out.java17" || { echo "$n printed another plan-diff than java17" >&2; exit 1; }
  done
done
base=$(tr ' ' '\n' <<<"${times[java17+appcds]}" | grep . | median)
echo "runs: $runs each, alternating; median wall ms, ratio to java17+appcds, then each run"
for n in "${names[@]}"; do
  m=$(tr ' ' '\n' <<<"${times[$n]}" | grep . | median)
  printf '%-15s %6s  %5s  %s\n' "$n" "$m" "$(awk -v a="$m" -v b="$base" 'BEGIN { printf "%.2f", a / b }')" "${times[$n]}"
done
echo "cache sizes: $(du -h "$work/j17.jsa" | cut -f1) appcds, $(du -h "$work/c1.aot" | cut -f1) aot (C1), $(du -h "$work/c2.aot" | cut -f1) aot (tiered), $(du -h "$work/dr.aot" | cut -f1) dr's"
