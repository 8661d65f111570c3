#!/usr/bin/env bash
# Benchmark (a) of docs/performance.md: warm start-up of the preview
#   ./jbang dr@catalog PLAN
# against a warm JBang hello-world script, launched two ways:
#   stock   - as JBang's own launcher script runs it (launcher JVM with default options)
#   wrapper - through this project's ./jbang (launcher JVM C1-only with an AppCDS archive)
# The three commands alternate within each round so a busy machine slows all alike.
# Usage: bench/startup.sh [RUNS] [PLAN]   (defaults: 11, plans/validate-only.yaml)
set -euo pipefail

runs=${1:-11}
plan=${2:-plans/validate-only.yaml}
cd "$(dirname "$0")/.."
lib="${XDG_CACHE_HOME:-$HOME/.cache}/dr/jbang-0.132.1/lib"

# What JBang's official launcher script does: the launcher prints the java command line,
# exits 255, and the script execs that line.
stock_jbang() {
  local out rc=0
  out=$(JBANG_RUNTIME_SHELL=bash java ${JBANG_JAVA_OPTIONS:-} -cp "$lib/*" dev.jbang.Main "$@") || rc=$?
  if [[ $rc -eq 255 ]]; then eval "exec $out"; fi
  return "$rc"
}

time_ms() {
  local start end rc=0
  start=$(date +%s%N)
  ("$@") >/dev/null 2>&1 || rc=$?
  end=$(date +%s%N)
  if [[ $rc -ne 0 ]]; then echo "warning: '$*' exited with $rc" >&2; fi
  echo $(((end - start) / 1000000))
}

median() {
  sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

dr=(./jbang dr@catalog "$plan")
hello_stock=(stock_jbang bench/hello/hello.java)
hello_wrapper=(./jbang bench/hello/hello.java)

# Warm-up: JBang builds both into its cache, writes their CDS archives and the launcher's.
for _ in 1 2; do
  time_ms "${dr[@]}" >/dev/null
  time_ms "${hello_wrapper[@]}" >/dev/null
  time_ms "${hello_stock[@]}" >/dev/null
done

dr_t=() stock_t=() wrap_t=()
for ((i = 0; i < runs; i++)); do
  dr_t+=("$(time_ms "${dr[@]}")")
  stock_t+=("$(time_ms "${hello_stock[@]}")")
  wrap_t+=("$(time_ms "${hello_wrapper[@]}")")
done

dr_m=$(printf '%s\n' "${dr_t[@]}" | median)
stock_m=$(printf '%s\n' "${stock_t[@]}" | median)
wrap_m=$(printf '%s\n' "${wrap_t[@]}" | median)
echo "runs: $runs each, alternating"
echo "./jbang dr@catalog $plan   median ${dr_m} ms  (${dr_t[*]})"
echo "hello.java, stock JBang launch      median ${stock_m} ms  (${stock_t[*]})"
echo "hello.java, through ./jbang         median ${wrap_m} ms  (${wrap_t[*]})"
awk -v a="$dr_m" -v b="$stock_m" 'BEGIN { printf "ratio dr / hello (stock JBang):  %.2f  (goal <= 1.3)\n", a / b }'
awk -v a="$dr_m" -v b="$wrap_m" 'BEGIN { printf "ratio dr / hello (same ./jbang): %.2f\n", a / b }'
