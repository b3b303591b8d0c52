#!/usr/bin/env bash
# Refreshes cmd/rca/default.pgo, the CPU profile `go build` uses for
# profile-guided optimization of the rca binary (Go's -pgo=auto default:
# hot calls are inlined and devirtualized). The profile is of rca's main
# jobs on the benchmark bundle: `analyze --no-index`, `analyze` building a
# fresh index, and `parse`, merged into one.
#
#   scripts/pgo.sh                  # 1 GB bench bundle (generated and cached)
#   SIZE=200MB scripts/pgo.sh       # quicker
#
# The 1 GB profile serves best: on slice3 (the first 3% of each 1 GB
# file) a profile of the 200 MB bundle gave 0.5% more instructions than
# the old profile, one of the 1 GB bundle 0.5% fewer (session 8).
#
# Re-run it after changes to the hot path; a stale profile costs only the
# gain, never correctness (Go ignores what no longer matches the code).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE=${SIZE:-1GB}
SEED=${SEED:-1}
WORK=${WORK:-${TMPDIR:-/tmp}/rca-bench}
mkdir -p "$WORK"
BUNDLE=${BUNDLE:-$WORK/bundle-$SIZE-$SEED}
if [ ! -d "$BUNDLE" ]; then
  echo "pgo: generating $SIZE bundle in $BUNDLE" >&2
  go run ./scripts/gen large -size "$SIZE" -seed "$SEED" "$BUNDLE.tmp"
  mv "$BUNDLE.tmp" "$BUNDLE"
fi

# built without a profile, so that the profile describes plain code
BIN="$WORK/rca-nopgo"
go build -pgo=off -o "$BIN" ./cmd/rca
PROF=$(mktemp -d)
trap 'rm -rf "$PROF"' EXIT
echo "pgo: profiling on $BUNDLE" >&2
"$BIN" analyze --no-index --cpuprofile "$PROF/noindex.prof" --format json "$BUNDLE" >/dev/null
"$BIN" analyze --index "$PROF/index" --cpuprofile "$PROF/index.prof" --format json "$BUNDLE" >/dev/null
"$BIN" parse -q --cpuprofile "$PROF/parse.prof" "$BUNDLE" >/dev/null
go tool pprof -proto "$PROF/noindex.prof" "$PROF/index.prof" "$PROF/parse.prof" >cmd/rca/default.pgo
echo "pgo: wrote cmd/rca/default.pgo ($(stat -c %s cmd/rca/default.pgo) bytes)" >&2
