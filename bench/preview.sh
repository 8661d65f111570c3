#!/usr/bin/env bash
# Benchmark of docs/performance.md: a live preview whose 8 lookups (the caller account, image and
# runner architecture guards, and 5 step previews reading S3 and EC2) each take 200 ms at WireMock.
# The guards and the step previews run at the same time: the goal is a preview within 1.3x of one
# lookup. Runs dr plan in one JVM (the first round warms it up; the later ones are timed), with the
# JVM options dr runs with (runner/dr.java's, read by bench/lib.sh: C1 only, SerialGC); the same
# without them (the JVM's default JIT and GC) is timed after, for comparison.
# Each round also prints the CPU time of the whole process (dr and WireMock), which a busy machine
# inflates much less than the wall time; bench/preview/compare.sh runs this against another checkout.
#   usage: bench/preview.sh [rounds] [delay ms]     (defaults 9 and 200; a delay of 0 shows what the preview costs besides waiting)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-9}
source bench/lib.sh
dr_classpath test; cp=$dr_cp   # WireMock and the AWS stubs are test classes
work=$(mktemp -d "${TMPDIR:-/tmp}/dr-preview-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
javac -d "$work/classes" -cp "$cp" bench/preview/PreviewBench.java
echo "with dr's JVM options: ${dr_jvm_beside_wiremock[*]}"
java "${dr_jvm_beside_wiremock[@]}" -cp "$work/classes:$cp" PreviewBench "$work/dr" "$rounds" "${2:-200}"
echo
echo "with the JVM's defaults (C2, G1), for comparison:"
java -cp "$work/classes:$cp" PreviewBench "$work/default" "$rounds" "${2:-200}"
