#!/usr/bin/env bash
# Benchmark of docs/performance.md: peak memory of the sandbox drill. GNU time reports the
# largest resident set of `dr apply` and of the processes it waited for, among them the sandbox
# cluster that bringup starts and teardown stops.
#   usage: bench/sandbox-memory.sh [runs]     (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }
source bench/lib.sh
dr_classpath test; cp=$dr_cp   # in a Maven build the sandbox server runs on dr's class path
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for i in $(seq 1 "$runs"); do
  RECEIPT_DIR="$work/receipts" DR_LOCK_DIR="$work/locks" /usr/bin/time -f "%M %e" -o "$work/time.$i" \
    java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$cp" dev.dr.cli.Main apply examples/sandbox/drill.yaml --yes \
    >/dev/null 2>&1
  read -r kb secs <"$work/time.$i"
  echo "run $i: peak RSS $((kb / 1024)) MiB, wall ${secs}s"
done
