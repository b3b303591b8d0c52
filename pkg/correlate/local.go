package correlate

import (
	"strings"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// Most events of a bundle are plain: no kind, below warning. Observe does
// nothing with them but count (volume, events, formats, first and last
// time, upstream edges), and counting needs no time order. Local lets the
// parse pipeline count them where they are read, in parallel, instead of
// merging them into the one ordered stream; Finish adds the counts up.
// Everything that depends on order (the first sighting of a source, which
// numbers it; templates, records, runs) still comes through Observe.

// localCounts is what one input's reader counted of its plain events.
type localCounts struct {
	source  string
	events  int64
	first   time.Time
	last    time.Time
	volume  map[int64]int64 // events per 10 s bucket, as sourceState.volume
	bucket  tally[int64]    // the bucket being counted, not yet in volume
	formats map[string]int64
	format  tally[string]    // the format being counted, not yet in formats
	edges   map[string]int64 // upstream address -> events
	upSeen  [4]string        // upstreams seen lately (copies), see upstream
	upN     [4]int64         // events per upSeen slot, not yet in edges
	upNext  int              // the slot of upSeen to reuse next
	sent    bool             // an observable event went to Observe: its source is numbered
	lo, hi  event.TimeKey    // first and last as keys: widen's compares, cheaper, on every plain event
}

// Local returns the functions that count an input's plain events where
// they are read (parse.Options.Local): take takes an event when Observe
// would only count it, and leaves it to Observe otherwise; plain does the
// same for a record its decoder skimmed (classified already, its strings
// valid only during the call), once take has left the input's first
// observable event to Observe. Each call makes a new counter, for one
// input and one goroutine; Local itself must be called from the goroutine
// that calls Observe, before Finish. Events must be classified where they
// are read (Config.Classified): otherwise nothing is taken.
func (a *Analyzer) Local() (take, plain func(*event.Event) bool) {
	if !a.cfg.Classified {
		no := func(*event.Event) bool { return false }
		return no, no
	}
	lc := &localCounts{volume: map[int64]int64{}, formats: map[string]int64{}, edges: map[string]int64{},
		hi: event.KeyOf(time.Time{})}
	a.locals = append(a.locals, lc)
	take = func(ev *event.Event) bool { return a.takeLocal(lc, ev) }
	plain = func(ev *event.Event) bool { return lc.sent && a.takeLocal(lc, ev) }
	return take, plain
}

// takeLocal counts ev in lc and reports true when that is all Observe would
// do with it (unparsed and out-of-range events count nothing). The first
// observable event of an input is left to Observe, so that sources are
// numbered in the order of the merged stream, as without Local.
func (a *Analyzer) takeLocal(lc *localCounts, ev *event.Event) bool {
	if ev.Unparsed || ev.Time.IsZero() {
		return true
	}
	if a.bounded && a.outside(ev.Time) {
		return true
	}
	if ev.Kind != "" || ev.Level.Rank() >= event.LevelWarn.Rank() || !lc.sent {
		lc.sent = true
		return false
	}
	lc.source = ev.Source
	k := event.KeyOf(ev.Time)
	lc.bucket.add(lc.volume, k.Sec/int64(volumeBucket/time.Second))
	lc.events++
	lc.format.add(lc.formats, ev.Format)
	if lc.first.IsZero() || k.Before(lc.lo) { // widen, in keys (lo and hi mirror first and last)
		lc.first, lc.lo = ev.Time, k
	}
	if lc.hi.Before(k) {
		lc.last, lc.hi = ev.Time, k
	}
	if up, ok := ev.Get("upstream"); ok && up != "" {
		lc.upstream(up)
	}
	return true
}

// upstream counts an event to upstream up (which may alias a reader's
// buffer). A gateway's requests take turns among a handful of upstreams,
// so the few seen lately are counted in upSeen and upN; one that is not
// among them takes the oldest slot, whose count goes to edges.
func (lc *localCounts) upstream(up string) {
	for i := range lc.upSeen {
		if lc.upSeen[i] == up {
			lc.upN[i]++
			return
		}
	}
	j := lc.upNext
	if lc.upN[j] > 0 {
		lc.edges[lc.upSeen[j]] += lc.upN[j]
	}
	lc.upSeen[j], lc.upN[j] = strings.Clone(up), 1
	lc.upNext = (j + 1) % len(lc.upSeen)
}

// tally counts a run of events with the same key (a source's events
// mostly share their 10 s bucket and their format with the one before)
// before the run's count goes to a map: one map write per run, not per
// event.
type tally[K comparable] struct {
	key K
	n   int64 // events of the run so far, not yet in the map
}

// add counts one event with key k, moving the count of the run before
// into m when k starts a new one.
func (t *tally[K]) add(m map[K]int64, k K) {
	if k != t.key {
		t.flush(m)
		t.key = k
	}
	t.n++
}

// flush moves the run's count into m.
func (t *tally[K]) flush(m map[K]int64) {
	if t.n > 0 {
		m[t.key] += t.n
		t.n = 0
	}
}

// flushUpstreams moves the counts of upSeen into edges.
func (lc *localCounts) flushUpstreams() {
	for i, n := range lc.upN {
		if n > 0 {
			lc.edges[lc.upSeen[i]] += n
			lc.upN[i] = 0
		}
	}
}

// addLocals adds the counts of Local's counters to the analyzer's, as
// Observe would have, after the runs Observe's own tallies hold (Finish
// calls it first).
func (a *Analyzer) addLocals() {
	for _, s := range a.sources {
		s.bucket.flush(s.volume)
		s.format.flush(s.formats)
	}
	for _, lc := range a.locals {
		if lc.events == 0 {
			continue
		}
		lc.bucket.flush(lc.volume)
		lc.format.flush(lc.formats)
		lc.flushUpstreams()
		si := a.source(lc.source)
		s := a.sources[si]
		for b, n := range lc.volume {
			s.volume[b] += n
		}
		for f, n := range lc.formats {
			s.formats[f] += n
		}
		s.events += lc.events
		a.events += lc.events
		widen(&s.first, &s.last, lc.first, lc.last)
		widen(&a.first, &a.last, lc.first, lc.last)
		for up, n := range lc.edges {
			a.edges[edgeKey{si, a.intern(up)}] += n
		}
	}
	a.locals = nil
}
