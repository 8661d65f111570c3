#!/usr/bin/env bash
# Benchmark of docs/performance.md: building the control-plane bundle. A 10,000-file control
# plane (candidates/, alerts/, providers/, scoring/; see bench/java/dev/dr/bench/Generate.java)
# is bundled in each round by these, in an order that rotates from round to round:
#   java17            - `dr bundle publish --dry-run` against a local S3 server (builds and hashes
#                       the bundle, reads the pointer, uploads nothing), whole process: java on
#                       dr's class path with the JVM options of runner/dr.java (C1 only), Java 17
#   java17+appcds     - the same with a dynamic AppCDS archive written by a training publish
#   java25+aot        - Java 25 with an AOT cache written by a training publish, C1 only
#   java25+aot-tiered - Java 25 with its own AOT cache (with the training's method profiles),
#                       the default tiered JIT (C1, then C2 with its SHA-256 intrinsics)
#   java25+dr-cache   - Java 25 with the start-up cache dr writes for its users (dev.dr.cli.StartupCache:
#                       trained by previews, lints and a compile, not by a publish), dr.java's options:
#                       what dr bundle publish runs with when JBang's own launcher starts it
#   java25+dr-s3-cache - the same with the S3 family's cache, dr-s3.aot (trained by those and a
#                       publish of a small generated control plane): what ./jbang gives it
#   jbang             - `./jbang dr@catalog bundle publish --dry-run ...` as a user starts it: the
#                       wrapper's fast path, the JDK 25 JBang picks and the S3 family's cache in the
#                       user's cache folder (~/.cache/dr/startup/dr-s3.aot), which a first run trains
#   java25+aot-tiered-x10 - the same with C2's thresholds ten times higher
#                       (-XX:CompileThresholdScaling=10, a cache of its own): C2 compiles only the
#                       hottest methods, among them SHA-256's loop, and spends far less CPU
#   writer            - BundleWriter.write in a bench main (BundleBench), Java 17, dr's options:
#                       the bundle alone, timed whole and in the process
#   tar+gzip          - `tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -c ... | gzip -n`,
#                       then sha256sum of every file (what a manifest needs) and of the archive
# With BEFORE (another checkout of dr, e.g. the commit before a change, extracted with
# `git archive REV | tar -x -C DIR`), before+aot and before+aot-tiered run that checkout's dr as
# java25+aot and java25+aot-tiered run this one, in the same rounds (each with its own cache).
# CPU is user + sys of every process of the command (GNU time), the guide on a busy machine. The
# training runs are not timed. Every run's bundle SHA-256 is checked: all variants, and a copy of
# the folder (new inodes, mtimes and listing order), must give one bundle.
#   usage: bench/publish.sh [rounds] [BEFORE]     (default 5 rounds)
# JAVA17 and JAVA25 name the two java binaries (defaults: java on the PATH; the first Java 25
# installed, see find_java25 in bench/lib.sh).
set -euo pipefail
rounds=${1:-5}
before=${2:-}
if [[ -n $before ]]; then before=$(cd "$before" && pwd); fi
cd "$(dirname "$0")/.."
for tool in tar gzip sha256sum javac; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done
[[ -x /usr/bin/time ]] || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }

source bench/lib.sh # dr_jvm, dr_jvm_variants, dr_classpath, find_java25, start_local_s3
java17=${JAVA17:-java}
find_java25
dr_jvm_variants
dr_classpath runtime; cp=$dr_cp   # dr's own
dr_classpath test; tcp=$dr_cp     # the benchmark's S3 server needs the sandbox's S3Proxy
cp_before=
if [[ -n $before ]]; then cp_before=$(checkout_classpath "$before" runtime); fi
ref=048622080012.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef

# outside any git work tree, so dr records git "unknown" as BundleBench does
work=$(mktemp -d "${TMPDIR:-/tmp}/dr-publish-bench.XXXXXX")
s3pid=
cleanup() {
  exec 9>&- 2>/dev/null || true
  if [[ -n $s3pid ]]; then kill "$s3pid" 2>/dev/null || true; wait "$s3pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
javac -nowarn -d "$work/classes" -cp "$tcp" bench/java/dev/dr/bench/*.java
bcp="$work/classes:$tcp"

src="$work/control-plane"
java -cp "$bcp" dev.dr.bench.Generate control-plane "$src" >/dev/null
echo "control plane:"
for d in candidates alerts providers scoring; do
  find "$src/$d" -type f -printf '%s\n' | sort -n |
    awk -v d="$d" '{a[NR]=$1; s+=$1} END {printf "  %-11s %5d files, %9d bytes (median %d, largest %d)\n", d "/", NR, s, a[int((NR+1)/2)], a[NR]}'
done
find "$src" -type f -printf '%s\n' | awk '{s+=$1} END {printf "  in all      %5d files, %9d bytes\n", NR, s}'

# --- S3 server in its own JVM (bench/lib.sh) ---
start_local_s3 "$work" "$bcp" bench

# publish_cmd VARIANT [SOURCE]: sets cmd to the command line of one dr bundle publish --dry-run;
# train_opts to what its training run adds instead of the cache option
publish_cmd() {
  local v=$1 s=${2:-$src} j c o=() cache=()
  case $v in
    java17) j=$java17 c=$cp o=("${dr_c1[@]}") ;;
    java17+appcds) j=$java17 c=$cp o=("${dr_c1[@]}") cache=(-XX:SharedArchiveFile="$work/j17.jsa") train_opts=(-XX:ArchiveClassesAtExit="$work/j17.jsa") ;;
    java25+aot) j=$java25 c=$cp o=("${dr_c1_25[@]}") cache=(-XX:AOTCache="$work/c1.aot") train_opts=(-XX:AOTCacheOutput="$work/c1.aot") ;;
    java25+aot-tiered) j=$java25 c=$cp o=("${dr_tiered_25[@]}") cache=(-XX:AOTCache="$work/tiered.aot") train_opts=(-XX:AOTCacheOutput="$work/tiered.aot") ;;
    java25+dr-cache) j=$java25 c=$cp o=("${dr_c1_25[@]}") cache=(-XX:AOTCache="$work/dr.aot" -Ddr.aot.cache="$work/dr.aot") train_opts=() ;;
    java25+dr-s3-cache) j=$java25 c=$cp o=("${dr_c1_25[@]}") cache=(-XX:AOTCache="$work/dr-s3.aot" -Ddr.aot.cache="$work/dr-s3.aot") train_opts=() ;;
    java25+aot-tiered-x10) j=$java25 c=$cp o=("${dr_tiered_25[@]}" -XX:CompileThresholdScaling=10) cache=(-XX:AOTCache="$work/x10.aot") train_opts=(-XX:AOTCacheOutput="$work/x10.aot") ;;
    before+aot) j=$java25 c=$cp_before o=("${dr_c1_25[@]}") cache=(-XX:AOTCache="$work/b-c1.aot") train_opts=(-XX:AOTCacheOutput="$work/b-c1.aot") ;;
    before+aot-tiered) j=$java25 c=$cp_before o=("${dr_tiered_25[@]}") cache=(-XX:AOTCache="$work/b-tiered.aot") train_opts=(-XX:AOTCacheOutput="$work/b-tiered.aot") ;;
  esac
  if [[ $v == jbang ]]; then
    cmd_java=./jbang cmd_opts=() cmd_cache=()
    cmd_args=(dr@catalog bundle publish --bucket bench --prefix jobintel --image-ref-digest "$ref" --source "$s"
      --dry-run --endpoint-url "$endpoint" --no-sign-request --region us-east-1)
    return
  fi
  cmd_opts=("${o[@]}")
  cmd_cache=("${cache[@]}")
  cmd_java=$j
  cmd_args=(-cp "$c" dev.dr.cli.Main bundle publish --bucket bench --prefix jobintel --image-ref-digest "$ref" --source "$s"
    --dry-run --endpoint-url "$endpoint" --no-sign-request --region us-east-1)
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }
cpu_ms() { awk '{printf "%d", ($1 + $2) * 1000}' "$work/time"; } # user + sys of what GNU time ran
# each prints "<wall ms> <CPU ms> [<in-process ms>] <sha256>"
run_writer() { # $1: source
  local start end out
  rm -f "$work/bundle.tar.gz"
  start=$(now_ms)
  out=$(/usr/bin/time -f '%U %S' -o "$work/time" "$java17" "${dr_c1[@]}" -cp "$bcp" dev.dr.bench.BundleBench "$1" "$work/bundle.tar.gz" "$ref")
  end=$(now_ms)
  echo "$((end - start)) $(cpu_ms) $(sed 's/.*in_process_ms=\([0-9]*\).*/\1/' <<<"$out") $(sed 's/.*sha256=\([0-9a-f]*\).*/\1/' <<<"$out")"
}
run_publish() { # $1: variant, $2: source (default the control plane)
  local start end out
  publish_cmd "$@"
  start=$(now_ms)
  out=$(/usr/bin/time -f '%U %S' -o "$work/time" "$cmd_java" "${cmd_opts[@]}" "${cmd_cache[@]}" "${cmd_args[@]}" 2>"$work/err") ||
    { echo "$1 failed: $(cat "$work/err")" >&2; exit 1; }
  end=$(now_ms)
  # a cache that does not fit the class path or the JDK is ignored with a warning: that would not time the cache
  if [[ -s $work/err ]]; then echo "$1 printed on stderr: $(head -3 "$work/err")" >&2; exit 1; fi
  echo "$((end - start)) $(cpu_ms) $(sed -n 's/.*sha256 \([0-9a-f]\{64\}\).*/\1/p' <<<"$out")"
}
run_tar() {
  local start end
  rm -f "$work/out.tar.gz"
  start=$(now_ms)
  /usr/bin/time -f '%U %S' -o "$work/time" bash -c '
    tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -c -C "$1" candidates alerts providers scoring |
      gzip -n >"$2/out.tar.gz"
    (cd "$1" && find candidates alerts providers scoring -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) >"$2/manifest.txt"
    sha256sum "$2/out.tar.gz" >/dev/null' _ "$src" "$work"
  end=$(now_ms)
  echo "$((end - start)) $(cpu_ms)"
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

dr_variants=(java17 java17+appcds java25+aot java25+dr-cache java25+dr-s3-cache jbang java25+aot-tiered java25+aot-tiered-x10)
if [[ -n $before ]]; then dr_variants+=(before+aot before+aot-tiered); fi
variants=("${dr_variants[@]}" writer tar+gzip)

# training runs: one publish each writes the archive or cache its variant's timed runs read
for v in "${dr_variants[@]}"; do
  publish_cmd "$v"
  if [[ $v == java17+appcds ]]; then
    # Java 17 (17.0.15) crashes writing an archive that would hold the lambdas of the native
    # SHA-256 provider's signed jar (as bench/restore.sh says): write it from the training run's
    # class list without them
    "$cmd_java" "${cmd_opts[@]}" -XX:DumpLoadedClassList="$work/j17.classlist" "${cmd_args[@]}" >"$work/train.out" 2>"$work/train.err" ||
      { echo "training $v failed: $(tail -3 "$work/train.err")" >&2; exit 1; }
    grep -v '^@lambda-proxy com/amazon/corretto/' "$work/j17.classlist" >"$work/j17.classes"
    "$cmd_java" -Xshare:dump -XX:SharedClassListFile="$work/j17.classes" -XX:SharedArchiveFile="$work/j17.jsa" \
      "${cmd_opts[@]}" -cp "$cp" >"$work/train.out" 2>&1 || { echo "AppCDS dump failed: $(tail -3 "$work/train.out")" >&2; exit 1; }
  elif [[ $v == java25+dr-cache || $v == java25+dr-s3-cache ]]; then
    # dr's first run starts the training in the background (StartupTraining) and says so; wait for it
    f=${cmd_cache[0]#-XX:AOTCache=}
    "$cmd_java" "${cmd_opts[@]}" "${cmd_cache[@]}" "${cmd_args[@]}" >"$work/train.out" 2>"$work/train.err" ||
      { echo "training $v failed: $(tail -3 "$work/train.err")" >&2; exit 1; }
    for _ in $(seq 1 900); do [[ -e $f.lock ]] || break; sleep 0.2; done
    [[ -s $f ]] || { echo "dr wrote no start-up cache: $(tail -3 "$f.log" 2>/dev/null)" >&2; exit 1; }
  elif [[ $v == jbang ]]; then
    # the first run builds dr and starts the S3 family's training when its cache is missing or stale
    "$cmd_java" "${cmd_args[@]}" >"$work/train.out" 2>"$work/train.err" ||
      { echo "training $v failed: $(tail -3 "$work/train.err")" >&2; exit 1; }
    for _ in $(seq 1 900); do [[ -e $HOME/.cache/dr/startup/dr-s3.aot.lock ]] || break; sleep 0.2; done
    [[ -s $HOME/.cache/dr/startup/dr-s3.aot ]] || { echo "./jbang's dr wrote no S3 start-up cache" >&2; exit 1; }
  elif [[ ${#cmd_cache[@]} -gt 0 ]]; then
    "$cmd_java" "${cmd_opts[@]}" "${train_opts[@]}" "${cmd_args[@]}" >"$work/train.out" 2>"$work/train.err" ||
      { echo "training $v failed: $(tail -3 "$work/train.err")" >&2; exit 1; }
  fi
done
# warm-up: one untimed run of each
for v in "${variants[@]}"; do
  case $v in writer) run_writer "$src" >/dev/null ;; tar+gzip) run_tar >/dev/null ;; *) run_publish "$v" >/dev/null ;; esac
done

declare -A wall cpu sha
w_in=()
n=${#variants[@]}
for ((r = 0; r < rounds; r++)); do
  for ((k = 0; k < n; k++)); do
    v=${variants[$(((r + k) % n))]}
    case $v in
      writer) out=$(run_writer "$src"); read -r t c in s <<<"$out"; w_in+=("$in"); sha[$v]+="$s " ;;
      tar+gzip) out=$(run_tar); read -r t c <<<"$out" ;;
      *) out=$(run_publish "$v"); read -r t c s <<<"$out"; sha[$v]+="$s " ;;
    esac
    wall[$v]+="$t "; cpu[$v]+="$c "
  done
done
dr_size=$(stat -c %s "$work/bundle.tar.gz")
gz_size=$(stat -c %s "$work/out.tar.gz")

# the same files elsewhere: new inodes and mtimes, another listing order
cp -r "$src" "$work/copy"
out=$(run_writer "$work/copy"); read -r _ _ _ copy_sha <<<"$out"
copy_psha=
for v in "${dr_variants[@]}"; do out=$(run_publish "$v" "$work/copy"); read -r _ _ s <<<"$out"; copy_psha+="$s "; done

# shellcheck disable=SC2086 # the lists are space-separated numbers
m() { median ${1}; }
m_t=$(m "${wall[tar+gzip]}")
echo
echo "$rounds rounds, order rotating; CPU is user + sys of all the command's processes; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  $("$java17" -version 2>&1 | head -1); $("$java25" -version 2>&1 | head -1)"
for v in "${variants[@]}"; do
  label=$v
  case $v in
    writer) label="BundleWriter (java17), JVM whole" ;;
    tar+gzip) label="tar | gzip -n + sha256sum" ;;
    *) label="dr bundle publish --dry-run, $v" ;;
  esac
  mw=$(m "${wall[$v]}")
  printf '  %-50s median %5d ms  CPU %5.2f s  %5.2fx  (%s)\n' "$label" "$mw" "$(awk -v c="$(m "${cpu[$v]}")" 'BEGIN {print c / 1000}')" \
    "$(awk -v t="$m_t" -v a="$mw" 'BEGIN {print t / a}')" "${wall[$v]% }"
done
printf '  %-50s median %5d ms                      %5.2fx  (%s)\n' "BundleWriter (java17), in the process" "$(median "${w_in[@]}")" \
  "$(awk -v t="$m_t" -v a="$(median "${w_in[@]}")" 'BEGIN {print t / a}')" "${w_in[*]}"
echo "  (the x column: tar | gzip -n + sha256sum's median / the command's; the goal for dr bundle publish is >= 1.0x)"
echo "  archive sizes: dr $dr_size bytes, gzip $gz_size"
echo "  cache sizes: $(for f in "$work"/*.jsa "$work"/*.aot; do [[ -e $f ]] && printf '%s %s, ' "$(basename "$f")" "$(du -h "$f" | cut -f1)"; done)"
echo
echo "SHA-256 of the bundle:"
all=()
for v in "${variants[@]}"; do
  [[ $v == tar+gzip ]] && continue
  echo "  $v, $rounds runs: $(tr ' ' '\n' <<<"${sha[$v]}" | grep . | sort -u | tr '\n' ' ')"
  read -r -a s <<<"${sha[$v]}"
  all+=("${s[@]}")
done
read -r -a s <<<"$copy_psha"
echo "  a copy of the folder (writer, then each dr variant): $copy_sha ${s[*]}"
all+=("$copy_sha" "${s[@]}")
[[ ${#all[@]} -eq $(((${#dr_variants[@]} + 1) * (rounds + 1))) ]] || { echo "  some run printed no SHA-256" >&2; exit 1; }
distinct=$(printf '%s\n' "${all[@]}" | sort -u | wc -l)
if [[ $distinct -eq 1 ]]; then echo "  byte-identical: yes (${#all[@]} bundles)"; else echo "  byte-identical: NO ($distinct distinct)"; exit 1; fi
