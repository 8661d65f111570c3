#!/usr/bin/env bash
# Builds one Markdown review comment per plan that a pull request changes: what changes in
# behaviour (dr diff against the pull request's base) and the plan-diff of the new version
# (dr plan). A plan counts as changed when its own file changed or a file it extends did.
# Comments go to OUT_DIR, one file each, starting with the hidden marker that
# post-comments.sh finds them by; nothing is posted here, so the script runs anywhere.
#
# Usage: examples/ci/pr-review.sh BASE_REV OUT_DIR
#   run from the repository root, in a clone with the base's history (fetch-depth: 0)
#   DR   the dr command line (default: ./jbang dr@catalog)
# Needs git and jq. Exit 0 when every comment was built, even for a plan that dr refuses:
# the comment says why, and dr lint's annotations fail the check.
set -euo pipefail

usage="usage: examples/ci/pr-review.sh BASE_REV OUT_DIR"
base_rev=${1:?$usage}
out=${2:?$usage}
read -r -a dr <<< "${DR:-./jbang dr@catalog}"

# The base of the comparison is where the pull request branched off, whether HEAD is the
# pull request's head or GitHub's merge commit.
base=$(git merge-base "$base_rev" HEAD)
short=$(git rev-parse --short=12 "$base")
mkdir -p "$out"

mapfile -t changed < <(git diff --name-only --no-renames "$base" HEAD -- plans/)
mapfile -t deleted < <(git diff --name-only --no-renames --diff-filter=D "$base" HEAD -- 'plans/*.yaml')
[[ ${#changed[@]} -gt 0 ]] || { echo "pr-review: no file under plans/ changed since $short" >&2; exit 0; }

is_changed() {
  local f
  for f in "${changed[@]}"; do [[ $f == "$1" ]] && return 0; done
  return 1
}

# True when a file the plan extends changed. Only asked when a file that is not itself a
# plan of plans/*.yaml changed (a base file); an invalid plan has no chain to ask about.
base_changed() {
  local json f
  json=$("${dr[@]}" plan "$1" --format json 2>/dev/null) || return 1
  while IFS= read -r f; do
    is_changed "$f" && return 0
  done < <(jq -r '.plan.extends[]' <<< "$json")
  return 1
}

other_changed=false
for f in "${changed[@]}"; do
  [[ $f == plans/*.yaml && $f != plans/*/* ]] || other_changed=true
done

# Runs dr; its stdout goes to $2, and stderr with the exit code to $2.err.
run_dr() {
  local to=$1; shift
  local rc=0
  "${dr[@]}" "$@" > "$to" 2> "$to.err" || rc=$?
  echo "$rc" > "$to.rc"
}

fence() { # a fenced block for text that dr printed to stderr
  printf '```text\n%s\n```\n' "$(cat "$1")"
}

comment_file() { # plans/x.yaml -> OUT_DIR/plans__x.yaml.md
  echo "$out/${1//\//__}.md"
}

for plan in plans/*.yaml; do
  [[ -f $plan ]] || continue
  if ! is_changed "$plan" && ! { $other_changed && base_changed "$plan"; }; then
    continue
  fi
  body=$(comment_file "$plan")
  work=$(mktemp -d)
  {
    echo "<!-- dr-plan-review: $plan -->"
    echo "## dr review: \`$plan\`"
    echo
    if git cat-file -e "$base:$plan" 2>/dev/null; then
      run_dr "$work/diff" diff --git "$base" --format markdown "$plan"
      echo "### What changes in behaviour"
      echo
      echo "\`dr diff --git $short --format markdown $plan\`, against the base of this pull request:"
      echo
      case $(cat "$work/diff.rc") in
        0|10) cat "$work/diff" ;;
        *) echo "dr diff could not compare the two versions (exit $(cat "$work/diff.rc")):"; echo; fence "$work/diff.err" ;;
      esac
    else
      echo "A new plan: the base of this pull request ($short) has no \`$plan\`."
    fi
    echo
    run_dr "$work/plan" plan "$plan" --format markdown
    rc=$(cat "$work/plan.rc")
    echo "### Plan-diff of this version"
    echo
    case $rc in
      0|10)
        echo "<details><summary><code>dr plan $plan --format markdown</code></summary>"
        echo
        cat "$work/plan"
        echo
        echo "</details>"
        ;;
      3)
        echo "**A guard refuses this plan** (exit 3): \`dr apply\` would run nothing."
        echo
        fence "$work/plan.err"
        echo
        cat "$work/plan"
        ;;
      *)
        echo "**dr refuses this plan** (exit $rc); the lint annotations of this check point at each problem:"
        echo
        fence "$work/plan.err"
        ;;
    esac
  } > "$body"
  rm -rf "$work"
  echo "pr-review: $body" >&2
done

for plan in "${deleted[@]}"; do
  [[ -n $plan ]] || continue
  body=$(comment_file "$plan")
  {
    echo "<!-- dr-plan-review: $plan -->"
    echo "## dr review: \`$plan\`"
    echo
    echo "This pull request removes \`$plan\` (it was in $short)."
  } > "$body"
  echo "pr-review: $body" >&2
done

# The same comments in the job's summary, where they can be read even when the token may
# not comment (a pull request from a fork).
if [[ -n ${GITHUB_STEP_SUMMARY:-} ]]; then
  for body in "$out"/*.md; do
    [[ -f $body ]] || continue
    cat "$body" >> "$GITHUB_STEP_SUMMARY"
    echo >> "$GITHUB_STEP_SUMMARY"
  done
fi
