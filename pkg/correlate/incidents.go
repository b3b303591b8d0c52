package correlate

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"time"
)

// A series is what the tests count: one source's events of one kind, or
// (for warnings and errors without a kind) of one template.
type seriesKey struct {
	src  int32
	kind string // "" for a template series
	tmpl string // final template id; "" for a kind series
}

type series struct {
	key    seriesKey
	counts map[int64]int64 // per analysis bucket
	recs   []int           // indexes into Analyzer.recs, in time order
	rate   float64         // normal per-bucket rate, from quiet periods or the baseline
	total  int64
	first  time.Time // the series' first event
}

// cell is one significant bucket of one series (or one source's silence).
type cell struct {
	bucket  int64
	s       *series // nil for silence
	src     int32
	count   int64
	p       float64
	silence bool
	runHead bool // the first bucket of a silent run (weighed once)
}

// window is a time range of significant cells: an incident in the making.
type spanWin struct {
	first, last int64 // buckets, inclusive
	cells       []cell
	significant map[seriesKey]bool // series with a significant cell here
}

// bucketFor picks the analysis bucket width for a span: about 360 buckets,
// rounded to a width people read easily, between 10 s and 10 min.
func bucketFor(span time.Duration) time.Duration {
	for _, w := range []time.Duration{10 * time.Second, 20 * time.Second, 30 * time.Second, time.Minute, 2 * time.Minute, 5 * time.Minute} {
		if span/w <= 360 {
			return w
		}
	}
	return 10 * time.Minute
}

// detection holds the outcome of the tests for one pass.
type detection struct {
	bucket  time.Duration
	origin  time.Time // start of bucket 0
	n       int64     // buckets in the bundle
	series  map[seriesKey]*series
	windows []spanWin
}

func (d *detection) bucketOf(t time.Time) int64 { return int64(t.Sub(d.origin) / d.bucket) }
func (d *detection) timeOf(b int64) time.Time   { return d.origin.Add(time.Duration(b) * d.bucket) }

// mergeGap joins significant buckets into one incident.
const mergeGap = 5 * time.Minute

// Minimum evidence: a series needs this many events in a window to count,
// and a window this many anomalous events, so one-off noise stays out.
const (
	minSeriesEvents = 3
	minWindowEvents = 5
)

// detect runs the burst and silence tests over the records (with their
// current, skew-corrected times) and groups significant buckets into windows.
func (a *Analyzer) detect() *detection {
	d := &detection{series: map[seriesKey]*series{}}
	first, last := a.coreSpan()
	span := last.Sub(first)
	d.bucket = a.cfg.Bucket
	if d.bucket <= 0 {
		d.bucket = bucketFor(span)
	}
	d.origin = first.Truncate(d.bucket)
	d.n = int64(last.Sub(d.origin)/d.bucket) + 1
	for i := range a.recs.len() {
		r := a.recs.at(i)
		t := r.time()
		if t.Before(d.origin) || t.After(last) {
			continue // a stray timestamp far outside the bundle's span
		}
		k := seriesKey{src: r.src, kind: a.kindOf(r)}
		if r.kind == 0 {
			k.tmpl = a.tmplOf(r).ID
		}
		s := d.series[k]
		if s == nil {
			s = &series{key: k, counts: map[int64]int64{}}
			d.series[k] = s
		}
		b := d.bucketOf(t)
		s.counts[b]++
		s.total++
		if s.first.IsZero() || t.Before(s.first) {
			s.first = t
		}
		s.recs = append(s.recs, i)
	}
	floor := 0.5 / float64(d.n)
	var cells []cell
	var ps []float64
	m := 0
	// Series and buckets in a fixed order: the cells' order decides the
	// order of float sums over them later (an incident's weight), and map
	// order would make equal-looking reports rank differently run to run.
	for _, s := range d.sortedSeries() {
		shape := math.Inf(1)
		if a.base.covers(a.sources[s.key.src].name) {
			s.rate, shape = a.baseRate(d, s.key)
		} else {
			s.rate = robustRate(s.counts, d.n, floor)
		}
		m += int(d.n)
		for _, b := range sortedKeys(s.counts) {
			c := s.counts[b]
			if float64(c) <= s.rate {
				continue
			}
			p := burstP(c, s.rate, shape)
			cells = append(cells, cell{bucket: b, s: s, src: s.key.src, count: c, p: p})
			ps = append(ps, p)
		}
	}
	sc, sps, sm := a.silenceCells(d)
	cells, ps, m = append(cells, sc...), append(ps, sps...), m+sm
	cut := bhThreshold(ps, m, a.cfg.FDR)
	var sig []cell
	for _, c := range cells {
		if c.p <= cut {
			sig = append(sig, c)
		}
	}
	d.windows = groupCells(sig, d)
	return d
}

// silenceCells tests each source that logs steadily enough for its quiet
// runs: a run of k buckets with (almost) nothing, where lambda per bucket
// are normal, has probability about exp(-lambda*k) (Poisson lower tail of
// the run's total). One test per run; every bucket of a significant run
// becomes a cell, so the window covers the whole silence. Sparse sources
// (a MySQL error log) are tested too: their silences are just longer.
func (a *Analyzer) silenceCells(d *detection) (cells []cell, ps []float64, m int) {
	active := map[int64]int{} // sources logging in each bucket
	vols := make([]map[int64]int64, len(a.sources))
	for si, s := range a.sources {
		v := map[int64]int64{}
		for vb, c := range s.volume {
			b := d.bucketOf(time.Unix(vb*int64(volumeBucket/time.Second), 0))
			if b >= 0 && b < d.n {
				v[b] += c
			}
		}
		for b := range v {
			active[b]++
		}
		vols[si] = v
	}
	for si, s := range a.sources {
		v := vols[si]
		firstB, lastB := max(d.bucketOf(s.first), 0), min(d.bucketOf(s.last), d.n-1)
		n := lastB - firstB + 1
		if n < 12 {
			continue // too short a history to call anything silence
		}
		lambda := robustRate(v, n, 0)
		if lambda < 0.2 {
			continue // logs too rarely for a silence to mean anything
		}
		quiet := func(b int64) bool { return float64(v[b]) < lambda/4 }
		for b := firstB + 1; b < d.n; {
			if !quiet(b) {
				b++
				continue
			}
			start := b
			var seen int64
			for b < d.n && quiet(b) && (b <= lastB || active[b] > 0) {
				seen += v[b]
				b++
			}
			k := b - start
			if k == 0 {
				b++
				continue
			}
			m++
			p := poissonLower(seen, lambda*float64(k))
			ps = append(ps, p)
			for x := start; x < start+k; x++ {
				cells = append(cells, cell{bucket: x, src: int32(si), count: v[x], p: p, silence: true, runHead: x == start})
			}
		}
	}
	return cells, ps, m
}

// groupCells merges significant cells closer than the gap into windows and
// drops windows with too little evidence.
func groupCells(cells []cell, d *detection) []spanWin {
	sort.SliceStable(cells, func(i, j int) bool { return cells[i].bucket < cells[j].bucket })
	// An outage errs intermittently (retries back off, a disk frees a little
	// and fills again): significant buckets up to mergeGap apart belong to
	// one incident. Unrelated trouble tens of minutes apart stays apart.
	gap := max(int64(3), int64(math.Ceil(float64(mergeGap)/float64(d.bucket))))
	var out []spanWin
	for _, c := range cells {
		if n := len(out); n > 0 && c.bucket-out[n-1].last <= gap {
			w := &out[n-1]
			w.last = max(w.last, c.bucket)
			w.cells = append(w.cells, c)
			continue
		}
		out = append(out, spanWin{first: c.bucket, last: c.bucket, cells: []cell{c}})
	}
	kept := out[:0]
	for _, w := range out {
		perSeries := map[*series]int64{}
		var events int64
		silent := false
		for _, c := range w.cells {
			if c.silence {
				silent = true
				continue
			}
			perSeries[c.s] += c.count
		}
		for _, n := range perSeries {
			if n >= minSeriesEvents {
				events += n
			}
		}
		if events >= minWindowEvents || (silent && events > 0) {
			w.significant = map[seriesKey]bool{}
			for s, n := range perSeries {
				if n >= minSeriesEvents {
					w.significant[s.key] = true
				}
			}
			kept = append(kept, w)
		}
	}
	return kept
}

// coreSpan is the time range that holds all but the outermost 0.05% of
// events at each end, from the per-source volume counters. One line stamped
// in 1970 or 2200 (a broken clock, a bad parse) must not stretch the span:
// that would coarsen every bucket and slow every test.
func (a *Analyzer) coreSpan() (time.Time, time.Time) {
	vol := map[int64]int64{}
	var total int64
	for _, s := range a.sources {
		for b, c := range s.volume {
			vol[b] += c
			total += c
		}
	}
	if total == 0 {
		return a.first, a.last
	}
	keys := make([]int64, 0, len(vol))
	for b := range vol {
		keys = append(keys, b)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	trim := total / 2000
	lo, hi := keys[0], keys[len(keys)-1]
	var acc int64
	for _, b := range keys {
		if acc+vol[b] > trim {
			lo = b
			break
		}
		acc += vol[b]
	}
	acc = 0
	for i := len(keys) - 1; i >= 0; i-- {
		if acc+vol[keys[i]] > trim {
			hi = keys[i]
			break
		}
		acc += vol[keys[i]]
	}
	sec := int64(volumeBucket / time.Second)
	first := time.Unix(lo*sec, 0).UTC()
	last := time.Unix((hi+1)*sec, 0).UTC().Add(-time.Nanosecond)
	if first.Before(a.first) {
		first = a.first
	}
	if last.After(a.last) {
		last = a.last
	}
	return first, last
}

// sortedSeries returns the detection's series ordered by source, kind and
// template.
func (d *detection) sortedSeries() []*series {
	out := make([]*series, 0, len(d.series))
	for _, s := range d.series {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].key, out[j].key
		if a.src != b.src {
			return a.src < b.src
		}
		if a.kind != b.kind {
			return a.kind < b.kind
		}
		return a.tmpl < b.tmpl
	})
	return out
}

// sortedKeys returns a map's keys in increasing order.
func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
