#!/usr/bin/env bash
# Benchmark (a) of docs/performance.md: warm start-up of the preview
#   ./jbang dr@catalog PLAN
# against a warm JBang hello-world script started by JBang's own launcher ("stock": the
# launcher JVM with default options, as JBang's launcher script runs it, then the command
# line it prints). Rows, alternating within each round:
#   ./jbang dr@catalog PLAN               - ./jbang's fast path: the last command line JBang
#                                           printed, run without JBang (nothing changed)
#   hello.java, stock JBang launch        - the baseline of both goals
#   ./jbang, DR_JBANG_NO_FAST=1           - ./jbang starting JBang's launcher (C1, AppCDS,
#                                           --offline): what a run after a change costs
#   jbang dr@catalog PLAN, stock          - as a user with JBang installed runs it
#   hello.java, through ./jbang           - the hello world on ./jbang's fast path
# With BEFORE, the preview of another checkout of dr (e.g. an older commit, extracted with
# `git archive REV | tar -x -C DIR`) runs too, so that a change is measured against it in
# the same run.
# JBang's own launcher finds the JDK 25 that runner/dr.java asks for only on JAVA_HOME, the PATH
# or among the JDKs JBang installed or linked: the warm-up's first ./jbang run links one when
# JBang knows none (see README), so that the stock rows run too.
# Each one's wall time and CPU time (user + sys of all its processes) are recorded; CPU time is
# less disturbed by other work on the machine, so both are given.
# Usage: bench/startup.sh [RUNS] [PLAN] [BEFORE]   (defaults: 11, plans/validate-only.yaml, none)
set -euo pipefail

runs=${1:-11}
plan=${2:-plans/validate-only.yaml}
before=${3:-}
if [[ -n $before ]]; then before=$(cd "$before" && pwd); fi
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

# Prints "WALL_MS CPU_MS" of one run of the command.
time_ms() {
  local t rc=0 tf
  tf=$(mktemp)
  TIMEFORMAT='%3R %3U %3S'
  # The command runs in a subshell of its own (stock_jbang ends in exec), timed from this
  # shell: a subshell timed directly would report its time itself, and an exec never does.
  { time { ("$@" >/dev/null 2>&1); }; } 2>"$tf" || rc=$?
  read -r t <"$tf" || true
  rm -f "$tf"
  awk -v t="$t" 'BEGIN { split(t, v, " "); printf "%d %d\n", v[1] * 1000, (v[2] + v[3]) * 1000 }'
  if [[ $rc -ne 0 ]]; then echo "warning: '$*' exited with $rc" >&2; fi
}

median() {
  sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

dr_before() { cd "$before" && ./jbang dr@catalog "$plan"; }

dr_no_fast() { DR_JBANG_NO_FAST=1 ./jbang dr@catalog "$plan"; }
dr_stock() { stock_jbang dr@catalog "$plan"; }

names=("./jbang dr@catalog $plan" "hello.java, stock JBang launch" "./jbang dr@catalog, DR_JBANG_NO_FAST=1"
  "jbang dr@catalog, stock JBang launch" "hello.java, through ./jbang")
cmds=("./jbang dr@catalog $plan" "stock_jbang bench/hello/hello.java" "dr_no_fast" "dr_stock" "./jbang bench/hello/hello.java")
if [[ -n $before ]]; then
  names+=("the same, in BEFORE")
  cmds+=("dr_before")
fi

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
# Warm-up: JBang builds each into its cache, writes their CDS archives and the launcher's.
# The first run after a build is a preview, so dr's //CDS archive holds what a preview loads.
for _ in 1 2; do
  for c in "${cmds[@]}"; do
    # shellcheck disable=SC2086 # each entry is a command line of words without spaces
    time_ms $c >/dev/null
  done
done

declare -a wall cpu
for ((i = 0; i < runs; i++)); do
  for k in "${!cmds[@]}"; do
    # shellcheck disable=SC2086
    read -r w c < <(time_ms ${cmds[$k]})
    wall[k]+="$w "
    cpu[k]+="$c "
  done
done

declare -a wall_m cpu_m
echo "runs: $runs each, alternating; median wall (CPU user+sys), then each run's wall time in ms"
for k in "${!cmds[@]}"; do
  wall_m[k]=$(tr " " "\n" <<<"${wall[k]}" | grep . | median)
  cpu_m[k]=$(tr " " "\n" <<<"${cpu[k]}" | grep . | median)
  printf '%-48s median %5s ms (CPU %5s ms)  (%s)\n' "${names[k]}" "${wall_m[k]}" "${cpu_m[k]}" "${wall[k]% }"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "ratio ./jbang dr (fast path) / hello (stock JBang): $(ratio "${wall_m[0]}" "${wall_m[1]}")  (goal <= 1.0; CPU $(ratio "${cpu_m[0]}" "${cpu_m[1]}"))"
echo "ratio jbang dr (stock) / hello (stock JBang):       $(ratio "${wall_m[3]}" "${wall_m[1]}")  (goal <= 1.5; CPU $(ratio "${cpu_m[3]}" "${cpu_m[1]}"))"
echo "ratio ./jbang dr, no fast path / hello (stock):     $(ratio "${wall_m[2]}" "${wall_m[1]}")  (CPU $(ratio "${cpu_m[2]}" "${cpu_m[1]}"))"
echo "ratio ./jbang dr / hello (same ./jbang):            $(ratio "${wall_m[0]}" "${wall_m[4]}")  (CPU $(ratio "${cpu_m[0]}" "${cpu_m[4]}"))"
if [[ -n $before ]]; then
  echo "BEFORE: ratio dr / hello (stock JBang): $(ratio "${wall_m[5]}" "${wall_m[1]}")  (CPU $(ratio "${cpu_m[5]}" "${cpu_m[1]}"));" \
    "this dr / BEFORE's: $(ratio "${wall_m[0]}" "${wall_m[5]}")"
fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
