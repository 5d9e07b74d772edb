#!/bin/sh
# Run the bats suite and end with a "N passed, N failed" line.
# usage: tests/run-bats.sh [bats-file ...]
# BATS_JOBS=N runs N tests at a time (bats --jobs, which needs GNU parallel).
cd "$(dirname "$0")/.." || exit 2
[ $# -gt 0 ] || set -- tests/*.bats
out=$(mktemp) || exit 2
trap 'rm -f "$out" "$out.rc"' EXIT
{ bats --tap ${BATS_JOBS:+--jobs "$BATS_JOBS"} "$@"; echo $? >"$out.rc"; } |
    tee "$out"
status=$(cat "$out.rc")
pass=$(grep -c '^ok ' "$out")
fail=$(grep -c '^not ok ' "$out")
echo "bats: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$status" -eq 0 ]
