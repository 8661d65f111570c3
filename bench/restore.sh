#!/usr/bin/env bash
# Benchmark of docs/performance.md: restoring a backup archive (state.tar.zst) from S3 to disk,
# dr as a whole process on Java 17 and on Java 25 with an ahead-of-time cache, beside the runbook's
# pipeline.
# Two state trees are generated (about 500 MiB and 50 MiB, see bench/java/dev/dr/bench/Generate.java),
# packed with tar and `zstd -3` and put on a local S3 server (S3Proxy over a folder, in its own
# JVM) as a backup: backups/<id>/ with state.tar.zst, manifests.tar.zst (the sandbox's manifests)
# and metadata.json. In each round these restore the same state object, in an order that rotates
# from round to round (the variants; DR_BENCH_VARIANTS picks some, in this order):
#   j17             dr on Java 17 with the JVM options of runner/dr.java (C1 only, SerialGC)
#   j17+appcds      the same with an AppCDS archive of the classes a training restore loaded
#   j25             dr on Java 25, C1 only, no cache (not run unless named in DR_BENCH_VARIANTS)
#   j25+aot-c1      Java 25 with an AOT cache (JEP 483/514/515) written by a training restore, C1 only
#   j25+aot-tiered  the same with the default tiered JIT (C1 then C2), its cache trained tiered
#   j25+dr-cache    Java 25, C1 only, with the start-up cache dr writes for its users
#                   (dev.dr.cli.StartupCache, trained by previews, lints and a compile, not by a
#                   restore; written here by a `dr --version` on the same class path): what a
#                   user's restore runs with when JBang's own launcher starts dr
#   j25+dr-s3-cache the same with the S3 family's cache, dr-s3.aot (trained by those and a
#                   publish of a small generated control plane): what ./jbang gives dr apply
#   j25-tiered      Java 25, default tiered JIT, no cache (not run unless named)
#   j17-tiered      Java 17, no archive, default tiered JIT (not run unless named)
#   aws             the runbook's `aws s3 cp s3://.../state.tar.zst - | zstd -d | tar -x -C DEST`
#   local           `zstd -d < state.tar.zst | tar -x -C DEST` from local disk: the limit
# dr is the bench main RestoreBench, not a dr command: it runs BackupRestore.run, which the
# backup.restore step calls (metadata.json and the contract, manifests.tar.zst restored and
# checked, state.tar.zst streamed through SHA-256, zstd and tar into the destination), with one
# S3 client built for the run. Only applying the manifests to a namespace is left out; no dr
# command runs backup.restore without a cluster to apply them to (dr apply refuses a plan in
# which nothing gives the step its kubeconfig). Each training run restores the 50 MiB backup
# once, untimed, with the same class path (jars only) and options as the timed runs.
# "first byte" is the time from the JVM's start (RuntimeMXBean) to the first byte of
# state.tar.zst (S3's answer to its GET), printed by the bench main; "from launch" measures the
# same moment from the script's start of the process. The timed runs fail rather than run
# without their archive or cache (-Xshare:on, -XX:AOTMode=on).
# Each destination is absent before its run and renamed aside after it (deleted at the end: on
# ext4 without a journal, creating files within minutes of deleting thousands makes the inode
# allocator check each recently deleted inode, which would time the deletion rather than the
# restore; so a second run right after one may be slower), then `sync`.
# Prints medians of the wall time and of the CPU time (user + sys of every process of the
# command; the S3 server's is not counted), throughput of the compressed object, ratios, the
# goals met or not, and dr's peak RSS.
#   usage: bench/restore.sh [rounds]     (default 5)
# DR_BENCH_VARIANTS="j17 j25+aot-c1 aws" runs only those; DR_BENCH_SIZES="50" only the small tree;
# DR_BENCH_DEST_DIR puts the destinations elsewhere, e.g. /dev/shm to leave the disk out;
# JAVA17 and JAVA25 name the two java binaries (defaults: java on the PATH, and the first Java 25
# among the JDKs in Debian's JVM folder and update-alternatives).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
read -r -a variants <<<"${DR_BENCH_VARIANTS:-j17 j17+appcds j25+aot-c1 j25+dr-cache j25+dr-s3-cache j25+aot-tiered aws local}"
read -r -a sizes <<<"${DR_BENCH_SIZES:-50 500}"
for v in "${variants[@]}"; do
  case $v in j17 | j17+appcds | j17-tiered | j25 | j25-tiered | j25+aot-c1 | j25+aot-tiered | j25+dr-cache | j25+dr-s3-cache | aws | local) ;;
    *) echo "unknown variant $v" >&2; exit 2 ;; esac
done
for tool in zstd tar aws sha256sum javac jar; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done
[[ -x /usr/bin/time ]] || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }
java17=${JAVA17:-java}
java25=${JAVA25:-}
if [[ -z $java25 ]]; then
  while IFS= read -r candidate; do
    if "$candidate" -version 2>&1 | grep -q 'version "25'; then java25=$candidate; break; fi
  done < <(ls /usr/lib/jvm/*/bin/java 2>/dev/null; update-alternatives --list java 2>/dev/null || true)
fi
[[ -n $java25 && -x $java25 ]] || { echo "no Java 25 found (set JAVA25 to its java)" >&2; exit 1; }
"$java25" -version 2>&1 | grep -q 'version "25' || { echo "$java25 is not Java 25" >&2; exit 1; }
"$java17" -version 2>&1 | grep -q 'version "17' || { echo "$java17 is not Java 17 (set JAVA17)" >&2; exit 1; }

source bench/lib.sh # dr_jvm: the JVM options runner/dr.java gives dr; dr_classpath
dr_classpath runtime; cp=$dr_cp   # dr's own: jars only, as an AOT cache needs
dr_classpath test; tcp=$dr_cp     # the benchmark's S3 server needs the sandbox's S3Proxy

work=$(mktemp -d "${TMPDIR:-/tmp}/dr-restore-bench.XXXXXX")
s3pid=
cleanup() {
  exec 9>&- 2>/dev/null || true
  if [[ -n $s3pid ]]; then kill "$s3pid" 2>/dev/null || true; wait "$s3pid" 2>/dev/null || true; fi
  rm -rf "$work" "${dests:-}"
}
trap cleanup EXIT
javac -nowarn -d "$work/classes" -cp "$tcp" bench/java/dev/dr/bench/*.java
jar cf "$work/bench.jar" -C "$work/classes" dev/dr/bench/RestoreBench.class
bcp="$work/classes:$tcp"
# dr's class path and the bench main, all jars; the project's own copied, so a build during the
# run changes nothing (a cache is refused once a jar of its class path changed)
mkdir "$work/lib"
drcp="$work/bench.jar"
IFS=: read -r -a entries <<<"$cp"
for e in "${entries[@]}"; do
  if [[ $e == "$PWD"/* ]]; then cp "$e" "$work/lib/"; e="$work/lib/$(basename "$e")"; fi
  drcp+=":$e"
done

# --- the JVMs ---------------------------------------------------------------------------------
c1=("${dr_jvm[@]}")
tiered=()
for o in "${dr_jvm[@]}"; do [[ $o == -XX:TieredStopAtLevel=* ]] || tiered+=("$o"); done
j25=(--enable-native-access=ALL-UNNAMED -Xlog:aot*=off) # zstd-jni's native load, quietly; cache notes off
dr_cmd() { # variant: the java command line of that dr variant, in the array cmd
  case $1 in
    j17) cmd=("$java17" "${c1[@]}") ;;
    j17+appcds) cmd=("$java17" "${c1[@]}" -Xshare:on -XX:SharedArchiveFile="$work/j17.jsa") ;;
    j17-tiered) cmd=("$java17" "${tiered[@]}") ;;
    j25) cmd=("$java25" "${c1[@]}" "${j25[@]}") ;;
    j25-tiered) cmd=("$java25" "${tiered[@]}" "${j25[@]}") ;;
    j25+aot-c1) cmd=("$java25" "${c1[@]}" "${j25[@]}" -XX:AOTMode=on -XX:AOTCache="$work/c1.aot") ;;
    j25+aot-tiered) cmd=("$java25" "${tiered[@]}" "${j25[@]}" -XX:AOTMode=on -XX:AOTCache="$work/tiered.aot") ;;
    j25+dr-cache) cmd=("$java25" "${c1[@]}" "${j25[@]}" -XX:AOTMode=on -XX:AOTCache="$work/dr.aot") ;;
    j25+dr-s3-cache) cmd=("$java25" "${c1[@]}" "${j25[@]}" -XX:AOTMode=on -XX:AOTCache="$work/dr-s3.aot") ;;
  esac
  cmd+=(-cp "$drcp" dev.dr.bench.RestoreBench)
}

# --- data -----------------------------------------------------------------------------------
for mib in $(printf '%s\n' 50 "${sizes[@]}" | sort -un); do
  files=$(java -cp "$bcp" dev.dr.bench.Generate state "$work/state-$mib" "$mib" | sed 's/files=//')
  tar -C "$work/state-$mib" -cf - . | zstd -3 -q -o "$work/state-$mib.tar.zst"
  bytes=$(find "$work/state-$mib" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
  echo "state-$mib: $files files, $bytes bytes; state.tar.zst $(stat -c %s "$work/state-$mib.tar.zst") bytes"
done

# --- S3 server in its own JVM (bench/lib.sh) ---
start_local_s3 "$work" "$bcp" bench
export AWS_REQUEST_CHECKSUM_CALCULATION=when_required AWS_RESPONSE_CHECKSUM_VALIDATION=when_required
export AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
s3=(aws --endpoint-url "$endpoint" --no-sign-request --region us-east-1)
tar -C examples/sandbox/backup/manifests -cf - . | zstd -3 -q -o "$work/manifests.tar.zst"
object_json() { # name file
  printf '"%s": {"sha256": "%s", "size": %s}' "$1" "$(sha256sum "$2" | cut -d' ' -f1)" "$(stat -c %s "$2")"
}
for mib in $(printf '%s\n' 50 "${sizes[@]}" | sort -un); do
  backup="s3://bench/backups/state-$mib"
  printf '{"schema_version": 1, "backup_id": "state-%s", "created_at": "2025-01-31T02:00:00Z",\n "objects": {%s,\n  %s}}\n' \
    "$mib" "$(object_json state.tar.zst "$work/state-$mib.tar.zst")" "$(object_json manifests.tar.zst "$work/manifests.tar.zst")" \
    >"$work/metadata-$mib.json"
  "${s3[@]}" s3 cp --only-show-errors "$work/state-$mib.tar.zst" "$backup/state.tar.zst"
  "${s3[@]}" s3 cp --only-show-errors "$work/manifests.tar.zst" "$backup/manifests.tar.zst"
  "${s3[@]}" s3 cp --only-show-errors "$work/metadata-$mib.json" "$backup/metadata.json"
  "${s3[@]}" s3 cp --only-show-errors "$backup/state.tar.zst" - >/dev/null # warm the server
done

# --- the commands ---------------------------------------------------------------------------
dests=$(mktemp -d "${DR_BENCH_DEST_DIR:-$work}/dr-restore-dest.XXXXXX")
dest="$dests/dest"
mkdir -p "$dests/trash"
n=0
fstype=$(df --output=fstype "$dests" | tail -1)
set_aside() { # the destination out of the way, not deleted (see the header), and on disk
  n=$((n + 1))
  if [[ $fstype == tmpfs ]]; then
    rm -rf "$dest" # in memory: kept, the trees of all rounds would fill it; and tmpfs has no such inode effect
  elif [[ -e $dest ]]; then
    mv "$dest" "$dests/trash/$n"
  fi
  sync
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
cpu_ms() { awk '{printf "%d", ($1 + $2) * 1000}' "$work/time"; } # user + sys of what GNU time ran
field() { sed -n "s/.*$1=\([0-9-]*\).*/\1/p" "$work/dr.out"; }

# Training: one untimed restore of the 50 MiB backup writes each archive or cache (stderr, with
# the JVM's notes on what it could not cache, to a file).
train() { # variant, then the option that writes its file
  local v=$1 opt=$2 cmd
  dr_cmd "$v"
  cmd=("${cmd[0]}" "$opt" "${cmd[@]:1}")
  "${cmd[@]}" "$endpoint" s3://bench/backups/state-50 "$dest" >"$work/train-$v.out" 2>"$work/train-$v.err" ||
    { echo "training $v failed: $(tail -3 "$work/train-$v.err")" >&2; exit 1; }
  set_aside
}
has() { [[ " ${variants[*]} " == *" $1 "* ]]; }
if has j17+appcds; then
  # Java 17 (17.0.15) crashes writing an archive, at exit (-XX:ArchiveClassesAtExit) as from a
  # class list, in SystemDictionaryShared::adjust_lambda_proxy_class_dictionary when it holds the
  # lambdas of the native SHA-256 provider's signed jar (whose classes it does not archive): the
  # archive is written from the training run's class list without those lambdas
  train j17 -XX:DumpLoadedClassList="$work/j17.classlist"
  grep -v '^@lambda-proxy com/amazon/corretto/' "$work/j17.classlist" >"$work/j17.classes"
  dr_cmd j17
  "$java17" -Xshare:dump -XX:SharedClassListFile="$work/j17.classes" -XX:SharedArchiveFile="$work/j17.jsa" \
    "${c1[@]}" -cp "$drcp" >"$work/train-j17-dump.out" 2>&1 || { echo "AppCDS dump failed: $(tail -3 "$work/train-j17-dump.out")" >&2; exit 1; }
fi
if has j25+aot-c1; then train j25 -XX:AOTCacheOutput="$work/c1.aot"; fi
if has j25+aot-tiered; then train j25-tiered -XX:AOTCacheOutput="$work/tiered.aot"; fi
for f in dr.aot:j25+dr-cache dr-s3.aot:j25+dr-s3-cache; do
  if has "${f#*:}"; then
    # dr's first run on this class path starts its training in the background; wait for it
    c=$work/${f%%:*}
    "$java25" "${c1[@]}" "${j25[@]}" -XX:AOTCache="$c" -Ddr.aot.cache="$c" -cp "$drcp" dev.dr.cli.Main --version \
      >"$work/train-dr.out" 2>"$work/train-dr.err" || { echo "dr --version failed: $(tail -3 "$work/train-dr.err")" >&2; exit 1; }
    for _ in $(seq 1 900); do [[ -e $c.lock ]] || break; sleep 0.2; done
  fi
done
for f in j17.jsa:j17+appcds c1.aot:j25+aot-c1 tiered.aot:j25+aot-tiered dr.aot:j25+dr-cache dr-s3.aot:j25+dr-s3-cache; do
  if has "${f#*:}" && [[ ! -s $work/${f%%:*} ]]; then echo "training wrote no ${f%%:*}" >&2; exit 1; fi
done

# dr: prints "<wall ms> <CPU ms> <in-process ms> <peak RSS KiB (GNU time)> <VmHWM KiB> <restore ms>
# <first byte ms from the JVM's start> <first byte ms from the launch>"; the restore is the state
# archive's alone, as backup.restore runs it (after the contract and the manifests)
run_dr() {
  local v=$1 mib=$2 start end cmd
  dr_cmd "$v"
  start=$(now_ms)
  /usr/bin/time -f '%U %S %M' -o "$work/time" "${cmd[@]}" "$endpoint" "s3://bench/backups/state-$mib" "$dest" \
    >"$work/dr.out" 2>"$work/dr.err" || { echo "$v failed: $(tail -3 "$work/dr.err")" >&2; exit 1; }
  end=$(now_ms)
  if [[ -s $work/dr.err ]]; then echo "$v printed on stderr: $(head -3 "$work/dr.err")" >&2; fi
  echo "$((end - start)) $(cpu_ms) $(field in_process_ms) $(awk '{print $3}' "$work/time") $(field vmhwm_kib)" \
    "$(field restore_ms) $(field first_state_byte_ms) $(($(field first_state_byte_epoch_ms) - start))"
}
# the pipelines: print "<wall ms> <CPU ms>", the CPU of every process in the pipeline
run_aws() {
  local mib=$1 start end
  mkdir "$dest"
  start=$(now_ms)
  /usr/bin/time -f '%U %S' -o "$work/time" bash -c \
    'aws --endpoint-url "$1" --no-sign-request --region us-east-1 s3 cp --only-show-errors "$2" - | zstd -d -q | tar -x -C "$3"' \
    _ "$endpoint" "s3://bench/backups/state-$mib/state.tar.zst" "$dest"
  end=$(now_ms)
  echo "$((end - start)) $(cpu_ms)"
}
run_local() {
  local mib=$1 start end
  mkdir "$dest"
  start=$(now_ms)
  /usr/bin/time -f '%U %S' -o "$work/time" bash -c 'zstd -d -q <"$1" | tar -x -C "$2"' _ "$work/state-$mib.tar.zst" "$dest"
  end=$(now_ms)
  echo "$((end - start)) $(cpu_ms)"
}
same_tree() { # the restored tree is the generated one
  diff -r -q "$work/state-$1" "$dest" >/dev/null || { echo "restored tree differs ($2, state-$1)" >&2; exit 1; }
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }
mbps() { awk -v b="$1" -v ms="$2" 'BEGIN {printf "%.0f", b / 1e6 / (ms / 1000)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
meets() { awk -v v="$1" -v op="$2" -v g="$3" 'BEGIN {ok = (op == ">=") ? v >= g : v <= g; print ok ? "met" : "NOT met"}'; }

echo "variants: ${variants[*]}; sizes: ${sizes[*]} MiB; $rounds rounds, order rotating; destinations on $fstype"
echo "java17: $("$java17" -version 2>&1 | head -1); java25: $("$java25" -version 2>&1 | head -1)"
echo "dr's JVM options (runner/dr.java): ${dr_jvm[*]}; on Java 25 also ${j25[*]}"
[[ ! -s $work/c1.aot ]] || echo "cache sizes: $(du -h "$work"/*.jsa "$work"/*.aot 2>/dev/null | awk '{printf "%s %s  ", $2, $1}' | sed "s|$work/||g")"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# warm-up: one untimed run of each on the small object
for v in "${variants[@]}"; do
  case $v in aws) run_aws 50 >/dev/null ;; local) run_local 50 >/dev/null ;; *) run_dr "$v" 50 >/dev/null ;; esac
  set_aside
done

declare -A size wall cpu inproc rss hwm rst fb fbl
for mib in "${sizes[@]}"; do
  size[$mib]=$(stat -c %s "$work/state-$mib.tar.zst")
  nv=${#variants[@]}
  for ((r = 0; r < rounds; r++)); do
    order=()
    for ((k = 0; k < nv; k++)); do
      v=${variants[$(((r + k) % nv))]}
      order+=("$v")
      case $v in
        aws) read -r t c < <(run_aws "$mib") ;;
        local) read -r t c < <(run_local "$mib") ;;
        *) read -r t c in m h rs f fl < <(run_dr "$v" "$mib")
           inproc[$v,$mib]+="$in "; rss[$v,$mib]+="$m "; hwm[$v,$mib]+="$h "; rst[$v,$mib]+="$rs "
           fb[$v,$mib]+="$f "; fbl[$v,$mib]+="$fl " ;;
      esac
      wall[$v,$mib]+="$t "; cpu[$v,$mib]+="$c "
      if ((r == 0)); then same_tree "$mib" "$v"; fi
      set_aside
    done
    echo "state-$mib round $((r + 1))/$rounds: ${order[*]}; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  done
done

for mib in "${sizes[@]}"; do
  b=${size[$mib]}
  echo
  echo "state-$mib: state.tar.zst $b bytes, $rounds rounds; medians; CPU is user + sys of all its processes;" \
    "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '  %-15s %8s %6s %7s %8s %8s %11s %11s %8s %8s\n' variant "wall ms" MB/s "CPU s" "/aws" "/local" \
    "1st byte" "from launch" "state ms" "RSS MiB"
  for v in "${variants[@]}"; do
    m=$(median ${wall[$v,$mib]})
    fa="-" fl="-" st="-" mr="-" fr="-"
    if [[ $v != aws && $v != local ]]; then
      fa=$(median ${fb[$v,$mib]}); fr=$(median ${fbl[$v,$mib]}); st=$(median ${rst[$v,$mib]})
      mr=$(($(median ${rss[$v,$mib]}) / 1024))
    fi
    rel_aws="-" rel_local="-"
    if has aws; then rel_aws="$(ratio "$(median ${wall[aws,$mib]})" "$m")x"; fi
    if has local; then rel_local="$(ratio "$(median ${wall[local,$mib]})" "$m")x"; fi
    printf '  %-15s %8d %6s %7s %8s %8s %11s %11s %8s %8s\n' "$v" "$m" "$(mbps "$b" "$m")" \
      "$(awk -v c="$(median ${cpu[$v,$mib]})" 'BEGIN {printf "%.1f", c / 1000}')" "$rel_aws" "$rel_local" "$fa" "$fr" "$st" "$mr"
  done
  for v in "${variants[@]}"; do echo "    $v wall ms: ${wall[$v,$mib]}"; done
done

# --- the goals, per dr variant ------------------------------------------------------------------
echo
echo "goals (issue 16), whole process, medians:"
for v in "${variants[@]}"; do
  [[ $v != aws && $v != local ]] || continue
  out=()
  for mib in "${sizes[@]}"; do
    m=$(median ${wall[$v,$mib]})
    if has aws && [[ $mib == 500 ]]; then x=$(ratio "$(median ${wall[aws,500]})" "$m"); out+=("500 MiB ${x}x aws (>= 1.2: $(meets "$x" '>=' 1.2))"); fi
    if has local && [[ $mib == 500 ]]; then x=$(ratio "$(median ${wall[local,500]})" "$m"); out+=("${x}x local (>= 0.8: $(meets "$x" '>=' 0.8))"); fi
    if has aws && [[ $mib == 50 ]]; then x=$(ratio "$(median ${wall[aws,50]})" "$m"); out+=("50 MiB ${x}x aws (>= 1.0: $(meets "$x" '>=' 1.0))"); fi
    f=$(median ${fb[$v,$mib]}); out+=("first byte $mib MiB ${f} ms (<= 500: $(meets "$f" '<=' 500))")
  done
  if [[ -n ${rss[$v,50]:-} && -n ${rss[$v,500]:-} ]]; then
    out+=("peak RSS 500 vs 50 MiB $(ratio "$(median ${rss[$v,500]})" "$(median ${rss[$v,50]})")x (flat)")
  fi
  printf '  %-15s %s\n' "$v" "$(IFS=';'; echo "${out[*]}" | sed 's/;/; /g')"
done
