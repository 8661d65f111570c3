#!/usr/bin/env bash
# Benchmark (b) of docs/performance.md: `dr lint` of 200 plans in one JVM against `dr lint` of
# one plan, run alternately so both see the same machine state. Prints medians and the ratio.
# With BEFORE, another checkout of dr (e.g. the commit before a change) lints the same 200 plans
# in the same rounds, so a change is measured against it side by side.
#   usage: bench/lint.sh [runs] [BEFORE]     (default 11 runs of each)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-11}
before=${2:-}
if [[ -n $before ]]; then before=$(cd "$before" && pwd); fi

source bench/lib.sh
dr_classpath runtime; cp=$dr_cp
if [[ -n $before ]]; then cp_before=$(checkout_classpath "$before" runtime); fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/plans"
cp -r plans/base "$work/plans/"
# 200 distinct plans: the runbook modes, each renamed, cycled
modes=(bringup-only restore-only validate-only teardown full-drill failback publish-bundle)
for i in $(seq 1 200); do
  m=${modes[$(( (i - 1) % ${#modes[@]} ))]}
  sed "s/^  name: .*/  name: bench-$i/" "plans/$m.yaml" > "$work/plans/p$i.yaml"
done

time_ms() { # CLASSPATH FILE...: one dr lint, in ms
  local start end c=$1
  shift
  start=$(date +%s%N)
  java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -cp "$c" dev.dr.cli.Main lint "$@" >/dev/null 2>&1
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}

one=(); many=(); before_many=()
files=("$work"/plans/p*.yaml)
for _ in $(seq 1 "$runs"); do
  one+=("$(time_ms "$cp" "$work/plans/p1.yaml")")
  many+=("$(time_ms "$cp" "${files[@]}")")
  if [[ -n $before ]]; then before_many+=("$(time_ms "$cp_before" "${files[@]}")"); fi
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }
m1=$(median "${one[@]}"); m200=$(median "${many[@]}")
echo "lint 1 plan:    median ${m1} ms   (runs: ${one[*]})"
echo "lint 200 plans: median ${m200} ms   (runs: ${many[*]})"
awk -v a="$m200" -v b="$m1" 'BEGIN {printf "ratio 200/1: %.2fx (goal <= 2x)\n", a / b}'
if [[ -n $before ]]; then
  mb=$(median "${before_many[@]}")
  echo "BEFORE, lint 200 plans: median ${mb} ms   (runs: ${before_many[*]})"
  awk -v a="$m200" -v b="$mb" 'BEGIN {printf "this / BEFORE, 200 plans: %.2fx\n", a / b}'
fi
