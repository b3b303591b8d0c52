#!/usr/bin/env bash
# Runs every fuzz target of the module for a short time each: the CI's
# regression fuzzing (the committed corpus under */testdata/fuzz is replayed
# by plain `go test` too). A failure prints the target's output; the input
# that failed is written under that package's testdata/fuzz/ by Go.
#
#   scripts/fuzz.sh                       # every target, 3000 execs each (CI)
#   FUZZTIME=60s scripts/fuzz.sh          # a longer session
#
# The default budget is a count of executions, not a duration: with a
# duration, Go 1.26's fuzz coordinator can report a bare "context deadline
# exceeded" at the deadline on a loaded machine although nothing failed
# (golang/go#75804, fixed in Go 1.27). A count has no deadline to race. When
# a duration is asked for, a failure that is only that message, with no
# failing input written, is retried once and then reported as the flake it is.
#   FUZZTIME=5m TARGETS='FuzzArchive FuzzReadInput' scripts/fuzz.sh
#   PKGS=./pkg/parse scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZTIME=${FUZZTIME:-3000x}
# Minimizing a new input can take far longer than a short run; bound it.
MINIMIZE=${FUZZMINIMIZETIME:-5s}
PKGS=${PKGS:-./...}
TARGETS=${TARGETS:-}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# fuzz_one PKG TARGET runs one target, its output in $log.
fuzz_one() {
  go test "$1" -run '^$' -fuzz "^${2}\$" -fuzztime "$FUZZTIME" -fuzzminimizetime "$MINIMIZE" >"$log" 2>&1
}

# deadline_flake says whether the failure in $log is golang/go#75804: a
# duration budget, the bare deadline message, and no failing input or panic.
deadline_flake() {
  [[ "$FUZZTIME" != *x ]] &&
    grep -q 'context deadline exceeded' "$log" &&
    ! grep -qE 'Failing input written|panic:|_test\.go:[0-9]+:' "$log"
}

failed=0
flakes=0
n=0
start=$SECONDS
for pkg in $(go list $PKGS); do
  for t in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
    if [ -n "$TARGETS" ] && ! [[ " $TARGETS " == *" $t "* ]]; then
      continue
    fi
    n=$((n + 1))
    t0=$SECONDS
    if fuzz_one "$pkg" "$t"; then
      printf 'ok    %-24s %-45s %3ds\n' "$t" "$pkg" $((SECONDS - t0))
    elif deadline_flake && fuzz_one "$pkg" "$t"; then
      printf 'ok    %-24s %-45s %3ds (retried after a fuzztime deadline flake)\n' "$t" "$pkg" $((SECONDS - t0))
    elif deadline_flake; then
      printf 'FLAKE %-24s %-45s %3ds (context deadline exceeded twice, no failing input)\n' "$t" "$pkg" $((SECONDS - t0))
      flakes=$((flakes + 1))
    else
      printf 'FAIL  %-24s %-45s %3ds\n' "$t" "$pkg" $((SECONDS - t0))
      tail -40 "$log"
      failed=1
    fi
  done
done
echo "fuzz: $n targets, $FUZZTIME each, $flakes deadline flakes, $((SECONDS - start))s in all"
exit $failed
