#!/usr/bin/env bash
# Warm start-up of `./jbang dr@catalog PLAN` against a JBang hello-world script.
# Usage: bench/startup.sh [RUNS] [PLAN]   (from anywhere; defaults: 10, plans/validate-only.yaml)
# Runs alternate between the two so that a busy machine slows both alike; the median
# of each is printed with the ratio dr/hello.
set -euo pipefail

runs=${1:-10}
plan=${2:-plans/validate-only.yaml}
cd "$(dirname "$0")/.."

dr=(./jbang dr@catalog "$plan")
hello=(./jbang bench/hello/hello.java)

# Milliseconds of wall time for one run; output is discarded, a failure is reported.
time_ms() {
  local start end rc=0
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || rc=$?
  end=$(date +%s%N)
  if [[ $rc -ne 0 ]]; then echo "warning: '$*' exited with $rc" >&2; fi
  echo $(((end - start) / 1000000))
}

median() {
  sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Warm-up: compile both into JBang's cache and write their CDS archives.
time_ms "${dr[@]}" >/dev/null
time_ms "${hello[@]}" >/dev/null

dr_times=() hello_times=()
for ((i = 0; i < runs; i++)); do
  dr_times+=("$(time_ms "${dr[@]}")")
  hello_times+=("$(time_ms "${hello[@]}")")
done

dr_median=$(printf '%s\n' "${dr_times[@]}" | median)
hello_median=$(printf '%s\n' "${hello_times[@]}" | median)
echo "runs:                 $runs each, alternating"
echo "dr@catalog $plan: median ${dr_median} ms  (${dr_times[*]})"
echo "hello.java:           median ${hello_median} ms  (${hello_times[*]})"
awk -v a="$dr_median" -v b="$hello_median" 'BEGIN { printf "ratio dr/hello:       %.2f\n", a / b }'
