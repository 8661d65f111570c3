#!/usr/bin/env bash
# Posts the comments pr-review.sh built, one per plan: the pull request's comment that starts
# with the same hidden marker is updated in place, otherwise a new one is created. A plan's
# earlier comment whose plan this run no longer reviews (the change was reverted) is marked
# as such, so no stale plan-diff stays on the pull request.
#
# Usage: examples/ci/post-comments.sh DIR
#   GITHUB_REPOSITORY  owner/name (set by GitHub Actions)
#   PR_NUMBER          the pull request's number
#   GH_TOKEN           a token that may write pull-request comments
# Needs gh and jq.
set -euo pipefail

dir=${1:?usage: examples/ci/post-comments.sh DIR}
repo=${GITHUB_REPOSITORY:?GITHUB_REPOSITORY is not set}
pr=${PR_NUMBER:?PR_NUMBER is not set}
prefix='<!-- dr-plan-review: '

existing=$(gh api --paginate "repos/$repo/issues/$pr/comments")

# The id of the first comment whose body starts with $1, or nothing.
comment_id() {
  jq -rs --arg m "$1" '[.[][] | select((.body // "") | startswith($m)) | .id] | first // empty' <<< "$existing"
}

send() { # METHOD PATH FILE: the file's text as the comment body
  jq -cRs '{body: .}' < "$3" | gh api --method "$1" "$2" --input - > /dev/null
}

posted=()
for body in "$dir"/*.md; do
  [[ -f $body ]] || continue
  marker=$(head -n 1 "$body")
  [[ $marker == "$prefix"* ]] || { echo "post-comments: $body does not start with the marker; skipped" >&2; continue; }
  posted+=("$marker")
  id=$(comment_id "$marker")
  if [[ -n $id ]]; then
    send PATCH "repos/$repo/issues/comments/$id" "$body"
    echo "post-comments: updated comment $id for ${marker#"$prefix"}" >&2
  else
    send POST "repos/$repo/issues/$pr/comments" "$body"
    echo "post-comments: created a comment for ${marker#"$prefix"}" >&2
  fi
done

stale=$(mktemp)
while IFS=$'\t' read -r id marker; do
  [[ -n $id ]] || continue
  for m in "${posted[@]}"; do [[ $m == "$marker" ]] && continue 2; done
  plan=${marker#"$prefix"}
  plan=${plan% -->}
  printf '%s\n## dr review: `%s`\n\nThis pull request no longer changes `%s`.\n' "$marker" "$plan" "$plan" > "$stale"
  # already marked: leave it alone rather than edit it on every push
  if jq -se --arg id "$id" --rawfile b "$stale" '[.[][] | select((.id | tostring) == $id and .body == $b)] | length > 0' \
      <<< "$existing" > /dev/null; then
    continue
  fi
  send PATCH "repos/$repo/issues/comments/$id" "$stale"
  echo "post-comments: marked comment $id: $plan is no longer changed" >&2
done < <(jq -rs --arg p "$prefix" '.[][] | select((.body // "") | startswith($p)) | [(.id | tostring), (.body | split("\n") | first)] | @tsv' <<< "$existing")
rm -f "$stale"
