#!/usr/bin/env bash
# Runs every fuzz target of the module for a short time each: the CI's
# regression fuzzing (the committed corpus under */testdata/fuzz is replayed
# by plain `go test` too). A failure prints the target's output; the input
# that failed is written under that package's testdata/fuzz/ by Go.
#
#   scripts/fuzz.sh                       # every target, 2s each (CI)
#   FUZZTIME=60s scripts/fuzz.sh          # a longer session
#   FUZZTIME=5m TARGETS='FuzzArchive FuzzReadInput' scripts/fuzz.sh
#   PKGS=./pkg/parse scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZTIME=${FUZZTIME:-2s}
# Minimizing a new input can take far longer than a short run; bound it.
MINIMIZE=${FUZZMINIMIZETIME:-5s}
PKGS=${PKGS:-./...}
TARGETS=${TARGETS:-}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

failed=0
n=0
start=$SECONDS
for pkg in $(go list $PKGS); do
  for t in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
    if [ -n "$TARGETS" ] && ! [[ " $TARGETS " == *" $t "* ]]; then
      continue
    fi
    n=$((n + 1))
    t0=$SECONDS
    if go test "$pkg" -run '^$' -fuzz "^${t}\$" -fuzztime "$FUZZTIME" -fuzzminimizetime "$MINIMIZE" >"$log" 2>&1; then
      printf 'ok    %-24s %-45s %3ds\n' "$t" "$pkg" $((SECONDS - t0))
    else
      printf 'FAIL  %-24s %-45s %3ds\n' "$t" "$pkg" $((SECONDS - t0))
      tail -40 "$log"
      failed=1
    fi
  done
done
echo "fuzz: $n targets, $FUZZTIME each, $((SECONDS - start))s in all"
exit $failed
