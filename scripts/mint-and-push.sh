#!/bin/sh
# Mints accessions for the submissions merged into main and pushes them in one commit (run by
# .github/workflows/mint.yml, from a clean checkout of main). When the push is rejected because main moved on
# (another merge, another minting run), the run's own commit is thrown away and minting starts again from a
# fresh origin/main, whose ledger (accessions.tsv) already holds every accession pushed before: two runs can
# never push the same accession, because git accepts only a fast-forward of main.
#
# Environment (all optional):
#   CATALOGUE_DIR  the catalogue, relative to the repository root (default: archive)
#   MINT_MESSAGE   the merge commit's message; its pull-request title becomes the version summary, verbatim
#                  (it is data: passed through the environment and as one `--summary=` argument)
#   MINT_REMOTE    the remote to push to (default: origin)
#   MINT_BRANCH    the branch (default: main)
#   MINT_ATTEMPTS  how many times to try before giving up (default: 5)
#   MINT_PUSH_TOKEN  a token that may push (mint.yml: the job's GITHUB_TOKEN), sent as an HTTP header by the
#                  fetch and push commands only, the way actions/checkout does; minting never sees it, and it is
#                  never written to .git/config (the checkout keeps no credentials)
#   NODE           the Node.js 24 binary (default: node on PATH)
# Exit codes: 0 pushed or nothing to mint, 1 gave up or minting failed, 2 not a clean git checkout.
set -eu

catalog="${CATALOGUE_DIR:-archive}"
remote="${MINT_REMOTE:-origin}"
branch="${MINT_BRANCH:-main}"
attempts="${MINT_ATTEMPTS:-5}"
node="${NODE:-node}"
# Kept in a shell variable that is not exported: no command started below inherits the token.
token="${MINT_PUSH_TOKEN:-}"
unset MINT_PUSH_TOKEN
cli="$(cd "$(dirname "$0")/.." && pwd)/cli/catalogue.mjs"

# `git reset --hard` below must never throw away someone's work: insist on a clean checkout.
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "mint-and-push: run this inside the repository's git checkout" >&2
  exit 2
fi
if [ -n "$(git status --porcelain)" ]; then
  echo "mint-and-push: the working tree has uncommitted changes; run it on a clean checkout of $branch" >&2
  exit 2
fi

# The version summary: a merge commit says "Merge pull request #N from ..." then, after a blank line, the pull
# request's title; a squash merge's subject is the title itself ("Title (#N)").
message="${MINT_MESSAGE:-}"
subject=$(printf '%s\n' "$message" | sed -n '1p')
case "$subject" in
  "Merge pull request #"*) summary=$(printf '%s\n' "$message" | sed -n '3p') ;;
  *) summary="$subject" ;;
esac
[ -n "$summary" ] || summary="Metadata updated"

# git with the token for the remote, as configuration in the environment of that one command
# (GIT_CONFIG_COUNT, git >= 2.31), so that it shows neither in the process list nor in .git/config.
remote_git() (
  if [ -n "$token" ]; then
    GIT_CONFIG_COUNT=1
    GIT_CONFIG_KEY_0=http.extraheader
    GIT_CONFIG_VALUE_0="AUTHORIZATION: basic $(printf 'x-access-token:%s' "$token" | base64 | tr -d '\n')"
    export GIT_CONFIG_COUNT GIT_CONFIG_KEY_0 GIT_CONFIG_VALUE_0
  fi
  exec git "$@"
)

attempt=1
while :; do
  # One argument, `--summary=TEXT`: a title such as `--help` or `--json` given as a separate argument would be
  # read as an option (and `--help` would print the usage and mint nothing).
  "$node" "$cli" accession mint --catalog "$catalog" "--summary=$summary"
  git add -A -- "$catalog"
  if git diff --cached --quiet; then
    echo "mint-and-push: nothing to mint"
    exit 0
  fi
  minted=$(git diff --cached --name-only --no-renames --diff-filter=A -- "$catalog/entries/*/entry.yaml" | sed 's#.*/entries/\([^/]*\)/entry.yaml#\1#' | tr '\n' ' ')
  git commit -q -m "Mint accessions ${minted:-(new versions)}" -m "$summary"
  if remote_git push -q "$remote" "HEAD:refs/heads/$branch"; then
    echo "mint-and-push: pushed $(git rev-parse --short HEAD) to $remote/$branch (attempt $attempt)"
    exit 0
  fi
  if [ "$attempt" -ge "$attempts" ]; then
    echo "mint-and-push: the push was rejected $attempt times; giving up (re-run the workflow)" >&2
    exit 1
  fi
  echo "mint-and-push: the push was rejected (main moved on); minting again from a fresh $remote/$branch" >&2
  attempt=$((attempt + 1))
  # A short random pause, so that two runs that collided do not collide again in lock step.
  sleep "$(awk -v s="$$" 'BEGIN { srand(s); printf "%.2f", 0.2 + rand() }')"
  remote_git fetch -q "$remote" "$branch"
  git reset -q --hard FETCH_HEAD
  git clean -q -fd -- "$catalog"
done
