#!/usr/bin/env bash
# Benchmark of docs/performance.md: the engine's own overhead per phase. A five-phase plan of
# no-op steps (the test step testing.ok) is applied (`dr apply --yes`: engine, lock, receipts)
# and previewed (`dr plan`: the same JVM start, loading and plan-diff) in alternating runs; the
# difference of the medians, divided by five, is the overhead per phase. The plan's target is the
# sandbox environment, so the AWS guards (which apply runs live) ask no account.
#   usage: bench/engine.sh [runs]     (default 11)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-11}

source bench/lib.sh
dr_classpath test; cp=$dr_cp   # the test step testing.ok is in app's test classes

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/five.yaml" <<'PLAN'
apiVersion: dr/v1
kind: DrillPlan
metadata: {name: five-noop}
target: {accountId: "048622080012", region: us-east-1, namespace: jobintel, environment: sandbox}
sizing: {instanceType: t4g.medium}
run: {teardown: true, allowFullDrill: true, autoPromote: true, allowPromoteBypass: true}
phases:
  - {name: bringup, steps: [{uses: testing.ok}]}
  - {name: restore, steps: [{uses: testing.ok}]}
  - {name: validate, steps: [{uses: testing.ok}]}
  - {name: promote, steps: [{uses: testing.ok}]}
  - {name: teardown, steps: [{uses: testing.ok}]}
PLAN

time_ms() {
  local start end
  start=$(date +%s%N)
  RECEIPT_DIR="$work/receipts" DR_LOCK_DIR="$work/locks" \
    java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$cp" dev.dr.cli.Main "$@" >/dev/null 2>&1 \
    || { echo "failed: $*" >&2; exit 1; }
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}

plan=(); apply=()
for _ in $(seq 1 "$runs"); do
  plan+=("$(time_ms plan "$work/five.yaml")")
  apply+=("$(time_ms apply "$work/five.yaml" --yes --receipt-dir "$work/receipts")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }
mp=$(median "${plan[@]}"); ma=$(median "${apply[@]}")
echo "dr plan  (5 phases): median ${mp} ms   (runs: ${plan[*]})"
echo "dr apply (5 phases): median ${ma} ms   (runs: ${apply[*]})"
awk -v a="$ma" -v p="$mp" 'BEGIN {printf "engine overhead: %d ms in all, %.1f ms per phase (goal <= 20 ms)\n", a - p, (a - p) / 5}'
echo "receipts written: $(find "$work/receipts" -name '*.json' | wc -l) JSON files"
