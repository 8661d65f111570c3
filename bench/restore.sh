#!/usr/bin/env bash
# Benchmark of docs/performance.md: restoring a backup archive (state.tar.zst) from S3 to disk.
# Two state trees are generated (about 500 MiB and 50 MiB, see bench/java/dev/dr/bench/Generate.java),
# packed with tar and `zstd -3` and put on a local S3 server (S3Proxy over a folder, in its own
# JVM) as a backup: backups/<id>/ with state.tar.zst, manifests.tar.zst (the sandbox's manifests)
# and metadata.json. In each round these restore the same state object, in an order that rotates
# from round to round:
#   dr        - what backup.restore reads, as it reads it (BackupRestore.run, bench main
#               RestoreBench): metadata.json and the contract, manifests.tar.zst restored and
#               parsed, then state.tar.zst streamed through SHA-256, zstd and tar into the
#               destination (applying the manifests to a namespace is left out); with the JVM
#               options dr runs with (C1 only, SerialGC); timed whole, in the process, and the
#               state archive alone (from its GET to its move into place)
#   dr, C2    - the same with the JVM's default JIT, for comparison
#   aws       - the runbook's `aws s3 cp s3://.../state.tar.zst - | zstd -d | tar -x -C DEST`
#   local     - `zstd -d < state.tar.zst | tar -x -C DEST` from local disk: the limit
# Each destination is absent before its run and renamed aside after it (deleted at the end: on
# ext4 without a journal, creating files within minutes of deleting thousands makes the inode
# allocator check each recently deleted inode, which would time the deletion rather than the
# restore; so a second run right after one may be slower), then `sync`.
# Prints medians of the wall time and of the CPU time (user + sys of every process of the
# command; the S3 server's is not counted), throughput of the compressed object, ratios, and
# dr's peak RSS.
#   usage: bench/restore.sh [rounds]     (default 5)
# DR_BENCH_DEST_DIR puts the destinations elsewhere, e.g. /dev/shm to leave the disk out.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
for tool in zstd tar aws sha256sum javac; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done
[[ -x /usr/bin/time ]] || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }

source bench/lib.sh # dr_jvm: the JVM options runner/dr.java gives dr; dr_classpath
dr_classpath runtime; cp=$dr_cp   # dr's own
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
bcp="$work/classes:$tcp"

# --- data -----------------------------------------------------------------------------------
sizes=(50 500)
for mib in "${sizes[@]}"; do
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
for mib in "${sizes[@]}"; do
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
echo "destinations: $fstype"
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

# dr: prints "<wall ms> <CPU ms> <in-process ms> <peak RSS KiB (GNU time)> <VmHWM KiB> <restore ms>", the last
# the state archive's restore alone, as backup.restore runs it (after the contract and the manifests)
run_dr() {
  local mib=$1 start end out
  shift
  start=$(now_ms)
  /usr/bin/time -f '%U %S %M' -o "$work/time" java "$@" -cp "$bcp" dev.dr.bench.RestoreBench "$endpoint" \
    "s3://bench/backups/state-$mib" "$dest" >"$work/dr.out"
  end=$(now_ms)
  out=$(cat "$work/dr.out")
  echo "$((end - start)) $(cpu_ms) $(sed 's/.*in_process_ms=\([0-9]*\).*/\1/' <<<"$out") $(awk '{print $3}' "$work/time")" \
    "$(sed 's/.*vmhwm_kib=\([0-9-]*\).*/\1/' <<<"$out")" "$(sed 's/.*restore_ms=\([0-9]*\).*/\1/' <<<"$out")"
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
line() { # name, bytes, wall times (ms) as one word, CPU times (ms) as one word or "-"
  local m c
  m=$(median $3)
  if [[ $4 == - ]]; then c="      "; else c=$(awk -v c="$(median $4)" 'BEGIN {printf "%5.1f s", c / 1000}'); fi
  printf '  %-32s median %6d ms  %4s MB/s  CPU %s   (%s)\n' "$1" "$m" "$(mbps "$2" "$m")" "$c" "$3"
}

declare -A size rss_med
for mib in "${sizes[@]}"; do
  size[$mib]=$(stat -c %s "$work/state-$mib.tar.zst")
done

# warm-up: one untimed run of each on the small object
run_dr 50 "${dr_jvm[@]}" >/dev/null; set_aside
run_aws 50 >/dev/null; set_aside
run_local 50 >/dev/null; set_aside

for mib in "${sizes[@]}"; do
  dr_t=() dr_cpu=() dr_in=() dr_rss=() dr_hwm=() dr_r=() c2_t=() c2_cpu=() c2_in=() aws_t=() aws_cpu=() local_t=() local_cpu=()
  for ((r = 0; r < rounds; r++)); do
    for ((k = 0; k < 4; k++)); do
      case $(((r + k) % 4)) in
        0) read -r t c in rss hwm rs < <(run_dr "$mib" "${dr_jvm[@]}")
           dr_t+=("$t"); dr_cpu+=("$c"); dr_in+=("$in"); dr_rss+=("$rss"); dr_hwm+=("$hwm"); dr_r+=("$rs")
           if ((r == 0)); then same_tree "$mib" dr; fi ;;
        1) read -r t c in _ _ _ < <(run_dr "$mib" -XX:+UseSerialGC)
           c2_t+=("$t"); c2_cpu+=("$c"); c2_in+=("$in")
           if ((r == 0)); then same_tree "$mib" "dr C2"; fi ;;
        2) read -r t c < <(run_aws "$mib"); aws_t+=("$t"); aws_cpu+=("$c")
           if ((r == 0)); then same_tree "$mib" aws; fi ;;
        3) read -r t c < <(run_local "$mib"); local_t+=("$t"); local_cpu+=("$c")
           if ((r == 0)); then same_tree "$mib" local; fi ;;
      esac
      set_aside
    done
  done
  b=${size[$mib]}
  m_dr=$(median "${dr_t[@]}"); m_c2=$(median "${c2_t[@]}"); m_aws=$(median "${aws_t[@]}"); m_local=$(median "${local_t[@]}")
  rss_med[$mib]=$(median "${dr_rss[@]}")
  echo
  echo "state-$mib: state.tar.zst $b bytes, $rounds rounds, order rotating; CPU is user + sys of all its processes;" \
    "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  line "dr, JVM whole" "$b" "${dr_t[*]}" "${dr_cpu[*]}"
  line "dr, in the process" "$b" "${dr_in[*]}" -
  line "dr, state.tar.zst alone" "$b" "${dr_r[*]}" -
  line "dr with C2, JVM whole" "$b" "${c2_t[*]}" "${c2_cpu[*]}"
  line "dr with C2, in the process" "$b" "${c2_in[*]}" -
  line "aws s3 cp - | zstd -d | tar -x" "$b" "${aws_t[*]}" "${aws_cpu[*]}"
  line "zstd -d < local | tar -x" "$b" "${local_t[*]}" "${local_cpu[*]}"
  awk -v a="$m_aws" -v d="$m_dr" -v c="$m_c2" 'BEGIN {printf "  throughput dr / aws pipeline:   %.2fx (goal >= 1.2x); with C2 %.2fx\n", a / d, a / c}'
  awk -v l="$m_local" -v d="$m_dr" -v c="$m_c2" 'BEGIN {printf "  throughput dr / local zstd|tar: %.2fx (goal >= 0.8x); with C2 %.2fx\n", l / d, l / c}'
  awk -v a="$m_aws" -v l="$m_local" -v r="$(median "${dr_r[@]}")" \
    'BEGIN {printf "  state.tar.zst alone, as backup.restore runs it: %.2fx the aws pipeline, %.2fx local\n", a / r, l / r}'
  echo "  dr peak RSS: median $((rss_med[$mib] / 1024)) MiB (GNU time, KiB: ${dr_rss[*]}; VmHWM KiB: ${dr_hwm[*]})"
done
echo
awk -v a="${rss_med[50]}" -v b="${rss_med[500]}" \
  'BEGIN {printf "dr peak RSS, 500 MiB vs 50 MiB state: %d vs %d MiB, %.2fx (goal: flat)\n", b / 1024, a / 1024, b / a}'
