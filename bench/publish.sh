#!/usr/bin/env bash
# Benchmark of docs/performance.md: building the control-plane bundle. A 10,000-file control
# plane (candidates/, alerts/, providers/, scoring/; see bench/java/dev/dr/bench/Generate.java)
# is bundled in each round by these, in an order that rotates from round to round:
#   writer    - BundleWriter.write in a bench main (BundleBench), timed whole and in the process
#   publish   - `dr bundle publish --dry-run` against a local S3 server (builds and hashes the
#               bundle, reads the pointer, uploads nothing)
#   tar+gzip  - `tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -c ... | gzip -n`,
#               then sha256sum of every file (what a manifest needs) and of the archive
#   gzip -9   - the same with `gzip -9 -n`, for comparison
#   writer C2 - BundleWriter with the JVM's default JIT (C1 and C2), for comparison
# dr runs with the JVM options runner/dr.java gives it (C1 only, SerialGC). CPU is user + sys of
# every process of the command (GNU time), the guide on a busy machine. Every dr run's
# SHA-256 is printed: the same folder must give the same bundle, and a copy of the folder
# (new inodes, mtimes and listing order) must too.
#   usage: bench/publish.sh [rounds]     (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
for tool in tar gzip sha256sum javac; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done
[[ -x /usr/bin/time ]] || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }

source bench/lib.sh # dr_jvm: the JVM options runner/dr.java gives dr; dr_classpath
dr_classpath runtime; cp=$dr_cp   # dr's own
dr_classpath test; tcp=$dr_cp     # the benchmark's S3 server needs the sandbox's S3Proxy
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

now_ms() { echo $(($(date +%s%N) / 1000000)); }
cpu_ms() { awk '{printf "%d", ($1 + $2) * 1000}' "$work/time"; } # user + sys of what GNU time ran
# each prints "<wall ms> <CPU ms> [<in-process ms>] <sha256>"
run_writer() { # $1: source; the rest: JVM options
  local start end out src=$1
  shift
  rm -f "$work/bundle.tar.gz"
  start=$(now_ms)
  out=$(/usr/bin/time -f '%U %S' -o "$work/time" java "$@" -cp "$bcp" dev.dr.bench.BundleBench "$src" "$work/bundle.tar.gz" "$ref")
  end=$(now_ms)
  echo "$((end - start)) $(cpu_ms) $(sed 's/.*in_process_ms=\([0-9]*\).*/\1/' <<<"$out") $(sed 's/.*sha256=\([0-9a-f]*\).*/\1/' <<<"$out")"
}
run_publish() {
  local start end out
  start=$(now_ms)
  out=$(/usr/bin/time -f '%U %S' -o "$work/time" java "${dr_jvm[@]}" -cp "$cp" dev.dr.cli.Main bundle publish --bucket bench \
    --prefix jobintel --image-ref-digest "$ref" --source "$1" --dry-run --endpoint-url "$endpoint" --no-sign-request \
    --region us-east-1)
  end=$(now_ms)
  echo "$((end - start)) $(cpu_ms) $(sed -n 's/.*sha256 \([0-9a-f]\{64\}\).*/\1/p' <<<"$out")"
}
run_tar() { # $1: gzip level option ("" for gzip's default, 6)
  local start end
  rm -f "$work/out.tar.gz"
  start=$(now_ms)
  /usr/bin/time -f '%U %S' -o "$work/time" bash -c '
    tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -c -C "$1" candidates alerts providers scoring |
      gzip -n $3 >"$2/out.tar.gz"
    (cd "$1" && find candidates alerts providers scoring -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) >"$2/manifest.txt"
    sha256sum "$2/out.tar.gz" >/dev/null' _ "$src" "$work" "$1"
  end=$(now_ms)
  echo "$((end - start)) $(cpu_ms)"
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

# warm-up: one untimed run of each
run_writer "$src" "${dr_jvm[@]}" >/dev/null; run_publish "$src" >/dev/null; run_tar "" >/dev/null

w_t=() w_c=() w_in=() w_sha=() c2_t=() c2_c=() c2_in=() p_t=() p_c=() p_sha=() t_t=() t_c=() t9_t=() t9_c=()
for ((r = 0; r < rounds; r++)); do
  for ((k = 0; k < 5; k++)); do
    case $(((r + k) % 5)) in
      0) read -r t c in s < <(run_writer "$src" "${dr_jvm[@]}"); w_t+=("$t"); w_c+=("$c"); w_in+=("$in"); w_sha+=("$s") ;;
      1) read -r t c s < <(run_publish "$src"); p_t+=("$t"); p_c+=("$c"); p_sha+=("$s") ;;
      2) read -r t c < <(run_tar ""); t_t+=("$t"); t_c+=("$c") ;;
      3) read -r t c < <(run_tar -9); t9_t+=("$t"); t9_c+=("$c") ;;
      4) read -r t c in s < <(run_writer "$src" -XX:+UseSerialGC); c2_t+=("$t"); c2_c+=("$c"); c2_in+=("$in"); w_sha+=("$s") ;;
    esac
  done
done
dr_size=$(stat -c %s "$work/bundle.tar.gz")
run_tar "" >/dev/null; gz_size=$(stat -c %s "$work/out.tar.gz")
run_tar -9 >/dev/null; gz9_size=$(stat -c %s "$work/out.tar.gz")

# the same files elsewhere: new inodes and mtimes, another listing order
cp -r "$src" "$work/copy"
read -r _ _ _ copy_sha < <(run_writer "$work/copy" "${dr_jvm[@]}")
read -r _ _ copy_psha < <(run_publish "$work/copy")

m_w=$(median "${w_t[@]}"); m_in=$(median "${w_in[@]}"); m_p=$(median "${p_t[@]}")
m_t=$(median "${t_t[@]}"); m_t9=$(median "${t9_t[@]}"); m_c2=$(median "${c2_in[@]}")
cpu() { awk -v c="$(median "$@")" 'BEGIN {printf "%5.2f s", c / 1000}'; }
echo
echo "$rounds rounds, order rotating; CPU is user + sys of all the command's processes; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '  %-40s median %5d ms  CPU %s  (%s)\n' "BundleWriter, JVM whole" "$m_w" "$(cpu "${w_c[@]}")" "${w_t[*]}"
printf '  %-40s median %5d ms              (%s)\n' "BundleWriter, in the process" "$m_in" "${w_in[*]}"
printf '  %-40s median %5d ms  CPU %s  (%s)\n' "BundleWriter with C2, JVM whole" "$(median "${c2_t[@]}")" "$(cpu "${c2_c[@]}")" "${c2_t[*]}"
printf '  %-40s median %5d ms              (%s)\n' "BundleWriter with C2, in the process" "$m_c2" "${c2_in[*]}"
printf '  %-40s median %5d ms  CPU %s  (%s)\n' "dr bundle publish --dry-run" "$m_p" "$(cpu "${p_c[@]}")" "${p_t[*]}"
printf '  %-40s median %5d ms  CPU %s  (%s)\n' "tar | gzip -n + sha256sum" "$m_t" "$(cpu "${t_c[@]}")" "${t_t[*]}"
printf '  %-40s median %5d ms  CPU %s  (%s)\n' "tar | gzip -9 -n + sha256sum" "$m_t9" "$(cpu "${t9_c[@]}")" "${t9_t[*]}"
echo "  archive sizes: dr $dr_size bytes, gzip $gz_size, gzip -9 $gz9_size"
awk -v t="$m_t" -v a="$m_in" -v b="$m_w" -v c="$m_p" \
  'BEGIN {printf "  speed dr / tar+gzip: %.2fx in the process, %.2fx JVM whole, %.2fx dr bundle publish (goal >= 1.0x)\n", t / a, t / b, t / c}'
awk -v t="$(median "${t_c[@]}")" -v a="$(median "${w_c[@]}")" -v c="$(median "${p_c[@]}")" \
  'BEGIN {printf "  CPU tar+gzip / dr:   %.2fx BundleWriter JVM whole, %.2fx dr bundle publish\n", t / a, t / c}'
awk -v t="$m_t9" -v a="$m_in" -v b="$m_w" -v c="$m_p" \
  'BEGIN {printf "  against gzip -9:     %.2fx in the process, %.2fx JVM whole, %.2fx dr bundle publish\n", t / a, t / b, t / c}'
echo
echo "SHA-256 of the bundle:"
echo "  BundleWriter, $((2 * rounds)) runs (C1 and C2): $(printf '%s\n' "${w_sha[@]}" | sort -u | tr '\n' ' ')"
echo "  dr bundle publish --dry-run, $rounds runs: $(printf '%s\n' "${p_sha[@]}" | sort -u | tr '\n' ' ')"
echo "  a copy of the folder:                $copy_sha $copy_psha"
distinct=$(printf '%s\n' "${w_sha[@]}" "${p_sha[@]}" "$copy_sha" "$copy_psha" | sort -u | wc -l)
if [[ $distinct -eq 1 ]]; then echo "  byte-identical: yes"; else echo "  byte-identical: NO ($distinct distinct)"; fi
