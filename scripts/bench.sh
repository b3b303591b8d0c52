#!/usr/bin/env bash
# Benchmark harness: generates a deterministic realistic bundle (cached),
# then times each command on the same files, several runs each, and prints
# medians, MB/s, events/s, peak RSS and the ratios to `grep -c ERROR` and
# to lnav (installed with apt when missing; LNAV=0 skips it).
#
#   scripts/bench.sh                 # 1 GB bundle, 3 runs
#   SIZE=50MB RUNS=3 scripts/bench.sh
#   BUNDLE=/path/to/bundle scripts/bench.sh   # your own files
#   DIFF=1 SIZE=200MB scripts/bench.sh        # also rca diff of two bundles of the same job
#   DIFF=only SIZE=200MB scripts/bench.sh     # only rca diff (and grep on both bundles)
#
# With DIFF, a second bundle is generated with seed SEED+1 (same job,
# other ids, times and volumes), and `rca diff BUNDLE BUNDLE2` is compared
# with `grep -c ERROR` over the files of both bundles.
#
# Absolute times on shared machines drift: compare the ratios, which come
# from the same run on the same files.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE=${SIZE:-1GB}
SEED=${SEED:-1}
RUNS=${RUNS:-3}
WORK=${WORK:-${TMPDIR:-/tmp}/rca-bench}
mkdir -p "$WORK"

if ! [ -x /usr/bin/time ]; then
  echo "bench: installing GNU time for peak RSS" >&2
  (apt-get update -qq && apt-get install -y -qq time) >/dev/null 2>&1 || true
fi

LNAV=${LNAV:-1}
if [ "$LNAV" = 1 ] && ! command -v lnav >/dev/null 2>&1; then
  echo "bench: installing lnav (the baseline the targets are set against)" >&2
  (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq lnav || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq lnav; }) >/dev/null 2>&1 || true
  command -v lnav >/dev/null 2>&1 || { echo "bench: lnav unavailable, its row is skipped" >&2; LNAV=0; }
fi

echo "bench: building rca" >&2
go build -o "$WORK/rca" ./cmd/rca
RCA="$WORK/rca"

BUNDLE=${BUNDLE:-$WORK/bundle-$SIZE-$SEED}
if [ ! -d "$BUNDLE" ]; then
  echo "bench: generating $SIZE bundle in $BUNDLE" >&2
  go run ./scripts/gen large -size "$SIZE" -seed "$SEED" "$BUNDLE.tmp"
  mv "$BUNDLE.tmp" "$BUNDLE"
fi
BYTES=$(find "$BUNDLE" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
FILES=$(find "$BUNDLE" -type f | wc -l)
EVENTS=$("$RCA" parse --stats "$BUNDLE" 2>&1 >/dev/null | awk -F: '/"events"/ {gsub(/[ ,]/,"",$2); e=$2} END {print e}')
echo "bench: $FILES files, $BYTES bytes, $EVENTS events" >&2

DIFF=${DIFF:-0}
if [ "$DIFF" != 0 ]; then
  BUNDLE2=${BUNDLE2:-$WORK/bundle-$SIZE-$((SEED + 1))}
  if [ ! -d "$BUNDLE2" ]; then
    echo "bench: generating the second $SIZE bundle (seed $((SEED + 1))) in $BUNDLE2" >&2
    go run ./scripts/gen large -size "$SIZE" -seed "$((SEED + 1))" "$BUNDLE2.tmp"
    mv "$BUNDLE2.tmp" "$BUNDLE2"
  fi
  BYTES2=$(find "$BUNDLE2" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
  EVENTS2=$("$RCA" parse --stats "$BUNDLE2" 2>&1 >/dev/null | awk -F: '/"events"/ {gsub(/[ ,]/,"",$2); e=$2} END {print e}')
  echo "bench: second bundle: $BYTES2 bytes, $EVENTS2 events" >&2
fi

# run NAME CMD...: RUNS timed runs; records median seconds and max RSS.
# NBYTES, NEVENTS and NBASE give a run's input and the grep it is compared
# with, when not the one bundle's.
declare -A MED RSS NBYTES NEVENTS NBASE
NAMES=()
FAILED=0
run() {
  local name=$1; shift
  local times=() rss=0
  for _ in $(seq "$RUNS"); do
    local secs kib=0 status=0
    if [ -x /usr/bin/time ]; then
      /usr/bin/time -f 'TIME %e %M' -o "$WORK/time.out" bash -c "$*" >/dev/null 2>"$WORK/err.out" || status=$?
      read -r secs kib < <(awk '$1 == "TIME" {print $2, $3}' "$WORK/time.out")
    else
      local s e; s=$(date +%s.%N); bash -c "$*" >/dev/null 2>"$WORK/err.out" || status=$?; e=$(date +%s.%N)
      secs=$(awk -v s="$s" -v e="$e" 'BEGIN {print e - s}')
    fi
    # grep exits 1 when a file has no match; anything else failing is a
    # broken harness or a broken rca, and the run says so.
    if [ "$status" -ne 0 ] && ! { [[ "$name" == grep* ]] && [ "$status" -eq 1 ]; }; then
      echo "bench: $name failed (exit $status):" >&2
      tail -5 "$WORK/err.out" >&2
      FAILED=1
    fi
    times+=("$secs")
    [ "${kib:-0}" -gt "$rss" ] && rss=$kib
  done
  MED[$name]=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  RSS[$name]=$rss
  NAMES+=("$name")
  echo "bench: $name: runs ${times[*]} s" >&2
}

if [ "$DIFF" != only ]; then
  run "grep -c ERROR" "find '$BUNDLE' -type f -print0 | xargs -0 grep -c ERROR"
  if [ "$LNAV" = 1 ]; then
    # lnav reads the files it is given (a folder is not walked); its own
    # config and index stay in a scratch HOME. The query is the one the
    # performance issue measured lnav with.
    mkdir -p "$WORK/lnav-home"
    run "lnav" "find '$BUNDLE' -type f ! -name rca.yaml -print0 | HOME='$WORK/lnav-home' xargs -0 lnav -n -c ';SELECT count(*) FROM all_logs WHERE log_level >= \"error\"'"
  fi
  run "rca parse" "'$RCA' parse -q '$BUNDLE'"
  # every event in time order, repeats collapsed, as piped to grep or less
  run "rca timeline (piped)" "'$RCA' timeline -q '$BUNDLE'"
  run "rca analyze --no-index" "'$RCA' analyze --no-index --format json '$BUNDLE'"
  # The search index (issue 4): analyze building a fresh index, a re-run of
  # analyze on the unchanged bundle (it reuses the analysis the index keeps),
  # one of rca index, and query latency on that index.
  IDX="$WORK/index-$(basename "$BUNDLE")"
  run "rca analyze (fresh index)" "rm -rf '$IDX' && '$RCA' analyze --index '$IDX' --format json '$BUNDLE'"
  run "analyze: re-run, unchanged" "'$RCA' analyze --index '$IDX' --format json '$BUNDLE'"
  run "index: no-op re-run" "'$RCA' index --index '$IDX' '$BUNDLE'"
  run "search: term" "'$RCA' search --count --index '$IDX' kind:upstream_unavailable"
  run "search: phrase" "'$RCA' search --count --index '$IDX' '\"Lock wait timeout\"'"
  run "search: 10-min range" "'$RCA' search --count --index '$IDX' --since 2023-08-15T06:00:00Z --until 2023-08-15T06:10:00Z ''"
  # One large file alone: read whole by one goroutine, then in segments
  # on every core (what rca does by itself for a file this large).
  LARGEST=$(find "$BUNDLE" -type f ! -name '*.gz' ! -name rca.yaml -printf '%s %p\n' | sort -n | tail -1 | cut -d' ' -f2-)
  if [ -n "$LARGEST" ]; then
    LBYTES=$(stat -c %s "$LARGEST")
    LEVENTS=$("$RCA" parse --stats "$LARGEST" 2>&1 >/dev/null | awk -F: '/"events"/ {gsub(/[ ,]/,"",$2); e=$2} END {print e}')
    run "grep -c ERROR (largest file)" "grep -c ERROR '$LARGEST'"
    run "rca analyze 1 file, whole" "'$RCA' analyze --no-index --segment-size -1 --format json '$LARGEST'"
    run "rca analyze 1 file, segments" "'$RCA' analyze --no-index --format json '$LARGEST'"
    for n in "grep -c ERROR (largest file)" "rca analyze 1 file, whole" "rca analyze 1 file, segments"; do
      NBYTES[$n]=$LBYTES; NEVENTS[$n]=$LEVENTS; NBASE[$n]="grep -c ERROR (largest file)"
    done
  fi
fi
if [ "$DIFF" != 0 ]; then
  g2="grep -c ERROR (2 bundles)"
  run "$g2" "find '$BUNDLE' '$BUNDLE2' -type f -print0 | xargs -0 grep -c ERROR"
  run "rca diff" "'$RCA' diff '$BUNDLE' '$BUNDLE2'"
  for n in "$g2" "rca diff"; do
    NBYTES[$n]=$((BYTES + BYTES2)); NEVENTS[$n]=$((EVENTS + EVENTS2)); NBASE[$n]=$g2
  done
fi
if [ -n "${EXTRA:-}" ]; then # EXTRA='name=command;name2=command2'
  IFS=';' read -ra extras <<< "$EXTRA"
  for x in "${extras[@]}"; do run "${x%%=*}" "${x#*=}"; done
fi

printf '\n%-30s %9s %8s %11s %9s %8s %8s\n' "command" "median s" "MB/s" "events/s" "peak MiB" "x grep" "x lnav"
lnav=${MED["lnav"]:-0}
for name in "${NAMES[@]}"; do
  base=${MED["${NBASE[$name]:-grep -c ERROR}"]}
  l=$lnav
  [ -n "${NBASE[$name]:-}" ] && l=0 # lnav read one bundle, not two
  awk -v n="$name" -v s="${MED[$name]}" -v b="${NBYTES[$name]:-$BYTES}" -v e="${NEVENTS[$name]:-$EVENTS}" -v r="${RSS[$name]}" -v g="$base" -v l="$l" \
    'BEGIN {printf "%-30s %9.2f %8s %11s %9.0f %8s %8s\n", n, s, (s > 0 ? sprintf("%.0f", b/1e6/s) : "-"), (n ~ /^rca/ && s > 0 ? sprintf("%.0f", e/s) : "-"), r/1024, (g > 0 ? sprintf("%.2f", s/g) : "-"), (l > 0 ? sprintf("%.2f", s/l) : "-")}'
done
if [ -n "${MED["rca analyze 1 file, segments"]:-}" ]; then
  awk -v w="${MED["rca analyze 1 file, whole"]}" -v s="${MED["rca analyze 1 file, segments"]}" -v f="$LARGEST" \
    'BEGIN {printf "\nlargest file (%s): read whole / in segments = %.2f\n", f, w/s}'
fi
if [ -n "${MED["rca analyze (fresh index)"]:-}" ]; then
  awk -v a="${MED["rca analyze (fresh index)"]}" -v n="${MED["rca analyze --no-index"]}" \
    'BEGIN {printf "\nindex cost: analyze with a fresh index / analyze --no-index = %.2f\n", a/n}'
fi
echo
echo "bundle: $BUNDLE ($FILES files, $(awk -v b="$BYTES" 'BEGIN{printf "%.0f", b/1e6}') MB, $EVENTS events), runs: $RUNS, median of each"
if [ "$DIFF" != 0 ]; then
  echo "second bundle (rca diff): $BUNDLE2 ($(awk -v b="$BYTES2" 'BEGIN{printf "%.0f", b/1e6}') MB, $EVENTS2 events); rca diff and its grep read both"
fi
exit $FAILED
