#!/usr/bin/env bash
# Runs the `wfc-check` hook of .pre-commit-hooks.yaml through `pre-commit try-repo`, as a
# user's repository would: it must pass on a good policy and fail on a bad one.
# Usage: Scripts/check-pre-commit-hook.sh DIR_HOLDING_WFC
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${1:?give the folder holding the wfc binary}" && pwd)
export PATH="$bin:$PATH"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/cache"
repo="$work/policies"
mkdir -p "$repo/workflows"
cp "$here/Tests/GoldenTests/ignore/valid/same-line-and-line-before.yaml" "$repo/workflows/good.yaml"
printf 'workflow: bad\nversion: 1\ntitle: 坏\ntitle: 重复\n' > "$repo/workflows/bad.yaml"
git -C "$repo" init -q
git -C "$repo" add -A
cd "$repo"
python3 -m pre_commit try-repo "$here" wfc-check --files workflows/good.yaml > "$work/good.log" 2>&1 \
  || { echo "pre-commit hook failed on a good policy"; cat "$work/good.log"; exit 1; }
if python3 -m pre_commit try-repo "$here" wfc-check --files workflows/bad.yaml > "$work/bad.log" 2>&1; then
  echo "pre-commit hook passed a bad policy"; cat "$work/bad.log"; exit 1
fi
grep -q "WFC1003" "$work/bad.log" || { echo "pre-commit hook output lacks the diagnostic"; cat "$work/bad.log"; exit 1; }
echo "pre-commit hook: ok"
