#!/usr/bin/env bash
# The live preview of bench/preview.sh in this checkout against another checkout of dr (e.g. the
# commit before a change), side by side: the two alternate, one benchmark JVM at a time, so a busy
# machine slows both alike. Prints each side's median over the timed rounds of all its JVMs, its
# ratio to one lookup, and the load average before and after.
#   usage: bench/preview/compare.sh <other checkout> [JVMs per side] [rounds per JVM] [delay ms]   (defaults 5, 9 and 200)
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
other=$(cd "$1" && pwd)
jvms=${2:-5}
rounds=${3:-9}
delay=${4:-200}
work=$(mktemp -d "${TMPDIR:-/tmp}/dr-preview-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT

build() { # checkout, name: the checkout's class path (built there) with its own PreviewBench compiled
    local cp
    cp=$(checkout_classpath "$1" test)
    javac -d "$work/$2-bench" -cp "$cp" "$1/bench/preview/PreviewBench.java"
    echo "$work/$2-bench:$cp"
}
source "$here/bench/lib.sh" # dr_jvm_beside_wiremock: dr's JVM options (runner/dr.java), as both sides run
cp_this=$(build "$here" this)
cp_other=$(build "$other" other)

echo "this: $here; other: $other"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 1 "$jvms"); do
    for side in other this; do
        [ $((i % 2)) -eq 0 ] && side=$([ "$side" = this ] && echo other || echo this) # alternate which goes first
        cp=cp_$side
        rm -rf "$work/run" && mkdir "$work/run"
        java "${dr_jvm_beside_wiremock[@]}" -cp "${!cp}" PreviewBench "$work/run" "$rounds" "$delay" | tee -a "$work/$side.log" \
            | sed -n "s/^median preview \([0-9]* ms\).*/  $side JVM $i: median \1/p"
    done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

median() { # log, field: the median of a field of the "round N: W ms (8 lookups), CPU C ms" lines, and their count
    grep '^round [0-9]*: ' "$1" | awk -v f="$2" '{print $f}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)], NR}'
}
for side in other this; do
    read -r wall n < <(median "$work/$side.log" 3)
    read -r cpu _ < <(median "$work/$side.log" 8)
    printf '%-5s median %4d ms over %d rounds' "$side" "$wall" "$n"
    [ "$delay" -gt 0 ] && printf ', ratio to one lookup %.2f' "$(echo "$wall / $delay" | bc -l)"
    printf ', CPU %d ms a round\n' "$cpu"
    eval "wall_$side=$wall cpu_$side=$cpu"
done
printf 'this / other: wall %.2f, CPU %.2f\n' "$(echo "$wall_this / $wall_other" | bc -l)" "$(echo "$cpu_this / $cpu_other" | bc -l)"
