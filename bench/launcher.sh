#!/usr/bin/env bash
# JBang's launcher JVM alone (what ./jbang starts when its fast path cannot serve, and what an
# installed jbang always starts): the time to print the command line of
#   jbang --offline dr@catalog PLAN
# on Java 17 and Java 25, each with default options (as JBang's own launcher script runs it),
# C1-only, C1 with a dynamic AppCDS archive (what ./jbang does), and on Java 25 with an AOT
# cache (C1-only and tiered). The archives are made here, once, from the same command.
# Alternating runs; median wall and CPU (user+sys) time.
# Usage: bench/launcher.sh [RUNS] [PLAN]   (defaults: 7, plans/validate-only.yaml; needs Java 25)
set -euo pipefail

runs=${1:-7}
plan=${2:-plans/validate-only.yaml}
cd "$(dirname "$0")/.."
lib="${XDG_CACHE_HOME:-$HOME/.cache}/dr/jbang-0.132.1/lib"
[[ -d $lib ]] || ./jbang version >/dev/null
j17=java
j25=
for home in "${JAVA_HOME:-}" /usr/lib/jvm/*25*/; do
  if [[ -n $home && -x $home/bin/java ]] && "$home/bin/java" -version 2>&1 | grep -q 'version "25'; then j25=${home%/}/bin/java && break; fi
done
[[ -n $j25 ]] || { echo "no Java 25 found (JAVA_HOME or /usr/lib/jvm/*25*)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export JBANG_RUNTIME_SHELL=bash JBANG_STDIN_NOTTY=true
c1=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC)
q17=(-Xlog:disable "-Xlog:all=warning,cds*=off:stderr")
q25=(-Xlog:disable "-Xlog:all=warning,cds*=off,aot*=off:stderr")
main=(-cp "$lib/*" dev.jbang.Main --offline dr@catalog "$plan")

# Warm JBang's own caches (built jar, CDS archive of dr) first, then make the archives.
./jbang dr@catalog "$plan" >/dev/null 2>&1 || true
./jbang dr@catalog "$plan" >/dev/null 2>&1 || true
"$j17" "${c1[@]}" "-XX:ArchiveClassesAtExit=$work/17.jsa" "${main[@]}" >/dev/null 2>"$work/train.err" || true
"$j25" "${c1[@]}" "-XX:ArchiveClassesAtExit=$work/25.jsa" "${main[@]}" >/dev/null 2>>"$work/train.err" || true
"$j25" "${c1[@]}" "-XX:AOTCacheOutput=$work/25c1.aot" "${main[@]}" >/dev/null 2>>"$work/train.err" || true
"$j25" -XX:+UseSerialGC "-XX:AOTCacheOutput=$work/25.aot" "${main[@]}" >/dev/null 2>>"$work/train.err" || true

names=("Java 17, default options (stock)" "Java 17, C1" "Java 17, C1 + AppCDS (./jbang)"
  "Java 25, default options" "Java 25, C1" "Java 25, C1 + AppCDS" "Java 25, C1 + AOT cache" "Java 25, tiered + AOT cache")
cmds=("$j17 ${q17[*]}" "$j17 ${c1[*]} ${q17[*]}" "$j17 ${c1[*]} ${q17[*]} -XX:SharedArchiveFile=$work/17.jsa"
  "$j25 ${q25[*]}" "$j25 ${c1[*]} ${q25[*]}" "$j25 ${c1[*]} ${q25[*]} -XX:SharedArchiveFile=$work/25.jsa"
  "$j25 ${c1[*]} ${q25[*]} -XX:AOTCache=$work/25c1.aot" "$j25 -XX:+UseSerialGC ${q25[*]} -XX:AOTCache=$work/25.aot")

# Prints "WALL_MS CPU_MS" of one run.
time_ms() {
  local t tf
  tf=$(mktemp)
  TIMEFORMAT='%3R %3U %3S'
  # shellcheck disable=SC2086 # each entry is options without spaces; the log options are one word each
  { time { $1 "${main[@]}" >/dev/null 2>"$work/run.err" || true; }; } 2>"$tf"
  read -r t <"$tf"
  rm -f "$tf"
  awk -v t="$t" 'BEGIN { split(t, v, " "); printf "%d %d\n", v[1] * 1000, (v[2] + v[3]) * 1000 }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -a wall cpu
for ((i = 0; i < runs; i++)); do
  for k in "${!cmds[@]}"; do
    read -r w c < <(time_ms "${cmds[k]}")
    wall[k]+="$w "
    cpu[k]+="$c "
  done
done
echo "JBang launcher printing the command line of dr@catalog $plan; $runs runs each, alternating"
for k in "${!cmds[@]}"; do
  printf '%-36s median %5s ms (CPU %5s ms)  (%s)\n' "${names[k]}" "$(tr ' ' '\n' <<<"${wall[k]}" | grep . | median)" \
    "$(tr ' ' '\n' <<<"${cpu[k]}" | grep . | median)" "${wall[k]% }"
done
echo "archives: $(cd "$work" && du -h -- *.jsa *.aot | tr '\t\n' ' ')"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
