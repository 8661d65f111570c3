#!/usr/bin/env bash
# Benchmark of docs/performance.md: building the control-plane bundle. A 10,000-file control
# plane (candidates/, alerts/, providers/, scoring/; see bench/java/dev/dr/bench/Generate.java)
# is bundled in each round by these, in an order that rotates from round to round:
#   writer    - BundleWriter.write in a bench main (BundleBench), timed whole and in the process
#   publish   - `dr bundle publish --dry-run` against a local S3 server (builds and hashes the
#               bundle, reads the pointer, uploads nothing)
#   tar+gzip  - `tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -c ... | gzip -n`,
#               then sha256sum of every file (what a manifest needs) and of the archive
#   gzip -9   - the same with `gzip -9 -n` (dr compresses at level 9), for comparison
# dr runs with the JVM options runner/dr.java gives it (C1 only, SerialGC). Every dr run's
# SHA-256 is printed: the same folder must give the same bundle, and a copy of the folder
# (new inodes, mtimes and listing order) must too.
#   usage: bench/publish.sh [rounds]     (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
for tool in tar gzip sha256sum javac; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done

mvn -B -o -q package -DskipTests >/dev/null
cp="target/classes:$(cat target/runtime-classpath.txt)"
jvm=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC) # as runner/dr.java runs dr
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
javac -nowarn -d "$work/classes" -cp "$cp" bench/java/dev/dr/bench/*.java
bcp="$work/classes:$cp"

src="$work/control-plane"
java -cp "$bcp" dev.dr.bench.Generate control-plane "$src" >/dev/null
echo "control plane:"
for d in candidates alerts providers scoring; do
  find "$src/$d" -type f -printf '%s\n' | sort -n |
    awk -v d="$d" '{a[NR]=$1; s+=$1} END {printf "  %-11s %5d files, %9d bytes (median %d, largest %d)\n", d "/", NR, s, a[int((NR+1)/2)], a[NR]}'
done
find "$src" -type f -printf '%s\n' | awk '{s+=$1} END {printf "  in all      %5d files, %9d bytes\n", NR, s}'

# --- S3 server in its own JVM; it stops when its stdin (the fifo held open on fd 9) closes ---
mkfifo "$work/s3.stdin"
java -XX:+UseSerialGC -cp "$bcp" dev.dr.bench.LocalS3Server "$work/s3" bench \
  <"$work/s3.stdin" >"$work/s3.out" 2>"$work/s3.err" &
s3pid=$!
exec 9>"$work/s3.stdin"
for _ in $(seq 1 600); do
  grep -q '^endpoint ' "$work/s3.out" 2>/dev/null && break
  kill -0 "$s3pid" 2>/dev/null || { cat "$work/s3.err" >&2; exit 1; }
  sleep 0.1
done
endpoint=$(sed -n 's/^endpoint //p' "$work/s3.out")
[[ -n $endpoint ]] || { echo "S3 server did not start" >&2; exit 1; }

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# each prints "<wall ms> [<in-process ms>] <sha256>"
run_writer() {
  local start end out
  rm -f "$work/bundle.tar.gz"
  start=$(now_ms)
  out=$(java "${jvm[@]}" -cp "$bcp" dev.dr.bench.BundleBench "$1" "$work/bundle.tar.gz" "$ref")
  end=$(now_ms)
  echo "$((end - start)) $(sed 's/.*in_process_ms=\([0-9]*\).*/\1/' <<<"$out") $(sed 's/.*sha256=\([0-9a-f]*\).*/\1/' <<<"$out")"
}
run_publish() {
  local start end out
  start=$(now_ms)
  out=$(java "${jvm[@]}" -cp "$cp" dev.dr.cli.Main bundle publish --bucket bench --prefix jobintel \
    --image-ref-digest "$ref" --source "$1" --dry-run --endpoint-url "$endpoint" --no-sign-request --region us-east-1)
  end=$(now_ms)
  echo "$((end - start)) $(sed -n 's/.*sha256 \([0-9a-f]\{64\}\).*/\1/p' <<<"$out")"
}
run_tar() { # $1: gzip level option ("" for gzip's default, 6)
  local start end
  rm -f "$work/out.tar.gz"
  start=$(now_ms)
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -c -C "$src" candidates alerts providers scoring |
    gzip -n $1 >"$work/out.tar.gz"
  (cd "$src" && find candidates alerts providers scoring -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) >"$work/manifest.txt"
  sha256sum "$work/out.tar.gz" >/dev/null
  end=$(now_ms)
  echo $((end - start))
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

# warm-up: one untimed run of each
run_writer "$src" >/dev/null; run_publish "$src" >/dev/null; run_tar "" >/dev/null

w_t=() w_in=() w_sha=() p_t=() p_sha=() t_t=() t9_t=()
for ((r = 0; r < rounds; r++)); do
  for ((k = 0; k < 4; k++)); do
    case $(((r + k) % 4)) in
      0) read -r t in s < <(run_writer "$src"); w_t+=("$t"); w_in+=("$in"); w_sha+=("$s") ;;
      1) read -r t s < <(run_publish "$src"); p_t+=("$t"); p_sha+=("$s") ;;
      2) t_t+=("$(run_tar "")") ;;
      3) t9_t+=("$(run_tar -9)") ;;
    esac
  done
done
dr_size=$(stat -c %s "$work/bundle.tar.gz")
run_tar "" >/dev/null; gz_size=$(stat -c %s "$work/out.tar.gz")
run_tar -9 >/dev/null; gz9_size=$(stat -c %s "$work/out.tar.gz")

# the same files elsewhere: new inodes and mtimes, another listing order
cp -r "$src" "$work/copy"
read -r _ _ copy_sha < <(run_writer "$work/copy")
read -r _ copy_psha < <(run_publish "$work/copy")

m_w=$(median "${w_t[@]}"); m_in=$(median "${w_in[@]}"); m_p=$(median "${p_t[@]}")
m_t=$(median "${t_t[@]}"); m_t9=$(median "${t9_t[@]}")
echo
echo "$rounds rounds, order rotating"
printf '  %-40s median %5d ms   (%s)\n' "BundleWriter, JVM whole" "$m_w" "${w_t[*]}"
printf '  %-40s median %5d ms   (%s)\n' "BundleWriter, in the process" "$m_in" "${w_in[*]}"
printf '  %-40s median %5d ms   (%s)\n' "dr bundle publish --dry-run" "$m_p" "${p_t[*]}"
printf '  %-40s median %5d ms   (%s)\n' "tar | gzip -n + sha256sum" "$m_t" "${t_t[*]}"
printf '  %-40s median %5d ms   (%s)\n' "tar | gzip -9 -n + sha256sum" "$m_t9" "${t9_t[*]}"
echo "  archive sizes: dr $dr_size bytes, gzip $gz_size, gzip -9 $gz9_size"
awk -v t="$m_t" -v a="$m_in" -v b="$m_w" -v c="$m_p" \
  'BEGIN {printf "  speed dr / tar+gzip: %.2fx in the process, %.2fx JVM whole, %.2fx dr bundle publish (goal >= 1.0x)\n", t / a, t / b, t / c}'
awk -v t="$m_t9" -v a="$m_in" -v b="$m_w" -v c="$m_p" \
  'BEGIN {printf "  against gzip -9:     %.2fx in the process, %.2fx JVM whole, %.2fx dr bundle publish\n", t / a, t / b, t / c}'
echo
echo "SHA-256 of the bundle:"
echo "  BundleWriter, $rounds runs:                $(printf '%s\n' "${w_sha[@]}" | sort -u | tr '\n' ' ')"
echo "  dr bundle publish --dry-run, $rounds runs: $(printf '%s\n' "${p_sha[@]}" | sort -u | tr '\n' ' ')"
echo "  a copy of the folder:                $copy_sha $copy_psha"
distinct=$(printf '%s\n' "${w_sha[@]}" "${p_sha[@]}" "$copy_sha" "$copy_psha" | sort -u | wc -l)
if [[ $distinct -eq 1 ]]; then echo "  byte-identical: yes"; else echo "  byte-identical: NO ($distinct distinct)"; fi
