package correlate

import (
	"math"
	"sort"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// A baseline is what good runs of the same system (`rca analyze
// --baseline`) say is normal: per source, its volume and, per series
// (source and kind, or source and template for warnings and errors
// without a kind), how many events each time bucket of the good runs
// held. It replaces what the analysis otherwise learns from the target's
// own quiet periods, for the sources the good runs have:
//
//   - the burst test of a series compares each bucket of the target with
//     the baseline's counts in buckets of the same width: their mean,
//     scaled by the source's volume ratio (target over baseline, within
//     1/4..4), and their dispersion (a negative binomial when the good
//     runs show bursts of it, else a Poisson). What bursts harmlessly in
//     a good run is not significant when it bursts alike in the target;
//   - a series or template never seen in any good run has the floor rate
//     of half an event over the good runs' time: any burst of it is
//     significant;
//   - "new" (novelty in the ranking, relevance to an incident) means never
//     seen in any good run, instead of first seen in the target during
//     the incident.
//
// The good runs go through the same template miners as the target, fed
// first, so that their messages and the target's meet in the same
// templates although ids, times and numbers differ (as in Differ).
// Sources the good runs lack (a node the good run did not collect) keep
// the target's own quiet periods. Silence tests always use the target's
// own volume.
type baseline struct {
	runs    []*baseRun
	sources map[string]*baseSource
	// settled by settle: per source, the final template ids seen
	models map[baseModelKey]baseModel
}

// baseRun is one good run.
type baseRun struct {
	name        string
	inputs      []event.InputSummary
	events      int64
	first, last time.Time
}

// baseSource is what the good runs showed of one source.
type baseSource struct {
	runs   map[int32]bool            // the runs in which the source logged
	volume map[baseCell]int64        // all events, per run and 10 s
	kinds  map[string]*baseSeries    // notable events with a kind, by kind
	tmpls  map[*Template]*baseSeries // warnings and errors without a kind, by template
	seen   map[*Template]int64       // every notable template, for novelty
	// settled
	byID   map[string]*baseSeries // tmpls merged by final template id
	seenID map[string]bool
	volOne float64 // mean events per 10 s over the runs' spans
}

// baseCell is a 10 s bucket of one run (unix time / 10 s).
type baseCell struct {
	run int32
	b   int64
}

type baseSeries struct {
	counts map[baseCell]int64
	total  int64
}

type baseModelKey struct {
	src    string
	kind   string
	tmpl   string
	bucket time.Duration
}

// baseModel is the distribution of a series' count per bucket of one
// width: mean mu, and shape r of a negative binomial (variance mu+mu²/r);
// r = +Inf is a Poisson.
type baseModel struct {
	mu, r float64
}

// ObserveBaseline takes one event of good run run (0, 1, … in the order
// the runs are fed). Feed every baseline event before the target's first
// Observe, from the same goroutine. Events are classified unless
// Config.Classified says they already are; Since and Until do not apply.
func (a *Analyzer) ObserveBaseline(run int, ev *event.Event) {
	if ev.Unparsed || ev.Time.IsZero() || run < 0 {
		return
	}
	b := a.base
	if b == nil {
		b = &baseline{sources: map[string]*baseSource{}}
		a.base = b
	}
	for len(b.runs) <= run {
		b.runs = append(b.runs, &baseRun{})
	}
	r := b.runs[run]
	if r.events == 0 || ev.Time.Before(r.first) {
		r.first = ev.Time
	}
	if ev.Time.After(r.last) {
		r.last = ev.Time
	}
	r.events++
	kind := ev.Kind
	if !a.cfg.Classified {
		kind = a.cls.Classify(ev)
	}
	s := b.sources[ev.Source]
	if s == nil {
		s = &baseSource{runs: map[int32]bool{}, volume: map[baseCell]int64{}, kinds: map[string]*baseSeries{},
			tmpls: map[*Template]*baseSeries{}, seen: map[*Template]int64{}}
		b.sources[ev.Source] = s
	}
	s.runs[int32(run)] = true
	c := baseCell{int32(run), ev.Time.Unix() / int64(volumeBucket/time.Second)}
	s.volume[c]++
	if kind == "" && ev.Level.Rank() < event.LevelWarn.Rank() {
		return
	}
	tmpl := a.miner(ev.Source).Add(firstLine(ev.Message))
	s.seen[tmpl]++
	var bs *baseSeries
	if kind != "" {
		if bs = s.kinds[kind]; bs == nil {
			bs = &baseSeries{counts: map[baseCell]int64{}}
			s.kinds[kind] = bs
		}
	} else if bs = s.tmpls[tmpl]; bs == nil {
		bs = &baseSeries{counts: map[baseCell]int64{}}
		s.tmpls[tmpl] = bs
	}
	bs.counts[c]++
	bs.total++
}

// SetBaselineRun names good run run (the path it was read from) and gives
// its inputs, for the report.
func (a *Analyzer) SetBaselineRun(run int, name string, inputs []event.InputSummary) {
	if a.base == nil {
		a.base = &baseline{sources: map[string]*baseSource{}}
	}
	for len(a.base.runs) <= run {
		a.base.runs = append(a.base.runs, &baseRun{})
	}
	a.base.runs[run].name, a.base.runs[run].inputs = name, inputs
}

// settle maps the baseline's templates to their final ids (the miners
// fold templates while the target is mined) and measures each source's
// volume. Called once by Finish.
func (b *baseline) settle() {
	b.models = map[baseModelKey]baseModel{}
	for _, s := range b.sources {
		s.byID = map[string]*baseSeries{}
		s.seenID = map[string]bool{}
		for t := range s.seen {
			s.seenID[t.ID] = true
		}
		for t, bs := range s.tmpls {
			m := s.byID[t.ID]
			if m == nil {
				m = &baseSeries{counts: map[baseCell]int64{}}
				s.byID[t.ID] = m
			}
			for c, n := range bs.counts {
				m.counts[c] += n
			}
			m.total += bs.total
		}
		var total int64
		for _, n := range s.volume {
			total += n
		}
		if n := b.buckets(s, volumeBucket); n > 0 {
			s.volOne = float64(total) / float64(n)
		}
	}
}

// covers reports whether the good runs have the source at all.
func (b *baseline) covers(src string) bool {
	return b != nil && b.sources[src] != nil
}

// runOrigin is the start of bucket 0 of a run at a bucket width.
func (b *baseline) runOrigin(run int32, width time.Duration) time.Time {
	return b.runs[run].first.Truncate(width)
}

// buckets counts the buckets of the given width in the runs the source
// logged in.
func (b *baseline) buckets(s *baseSource, width time.Duration) int64 {
	var n int64
	for run := range s.runs {
		r := b.runs[run]
		n += int64(r.last.Sub(b.runOrigin(run, width))/width) + 1
	}
	return n
}

// model is the baseline's distribution of a series' count per bucket of
// the target's width, before volume scaling. A series the good runs never
// showed has mean 0.
func (b *baseline) model(src string, k seriesKey, width time.Duration) baseModel {
	mk := baseModelKey{src: src, kind: k.kind, tmpl: k.tmpl, bucket: width}
	if m, ok := b.models[mk]; ok {
		return m
	}
	s := b.sources[src]
	var bs *baseSeries
	if k.kind != "" {
		bs = s.kinds[k.kind]
	} else {
		bs = s.byID[k.tmpl]
	}
	m := baseModel{r: math.Inf(1)}
	n := b.buckets(s, width)
	if bs != nil && n > 0 {
		per := map[baseCell]int64{}
		for c, cnt := range bs.counts {
			t := time.Unix(c.b*int64(volumeBucket/time.Second), 0)
			per[baseCell{c.run, int64(t.Sub(b.runOrigin(c.run, width)) / width)}] += cnt
		}
		var s1, s2 float64
		for _, cnt := range per {
			s1 += float64(cnt)
			s2 += float64(cnt) * float64(cnt)
		}
		m.mu = s1 / float64(n)
		if v := s2/float64(n) - m.mu*m.mu; v > m.mu*1.05 {
			m.r = m.mu * m.mu / (v - m.mu)
		}
	}
	b.models[mk] = m
	return m
}

// volumeRatio is a source's volume in the target over its volume in the
// good runs (events per 10 s, the target's counted robustly so that a
// burst does not inflate it), kept within 1/4..4: traffic differs between
// runs of one system, and a series changed when it departs from that.
func (a *Analyzer) volumeRatio(si int32) float64 {
	if v, ok := a.volRatio[si]; ok {
		return v
	}
	if a.volRatio == nil {
		a.volRatio = map[int32]float64{}
	}
	v := a.measureVolumeRatio(si)
	a.volRatio[si] = v
	return v
}

func (a *Analyzer) measureVolumeRatio(si int32) float64 {
	s := a.sources[si]
	bs := a.base.sources[s.name]
	if bs == nil || bs.volOne <= 0 {
		return 1
	}
	n := int64(s.last.Sub(s.first)/volumeBucket) + 1
	v := robustRate(s.volume, n, 0) / bs.volOne
	return math.Min(math.Max(v, 1/diffVolumeCap), diffVolumeCap)
}

// baseRate is the per-bucket distribution a target series is tested
// against when the good runs cover its source: the baseline's, scaled by
// the source's volume ratio, at least the floor of half an event over the
// good runs' buckets.
func (a *Analyzer) baseRate(d *detection, k seriesKey) (lambda, shape float64) {
	name := a.sources[k.src].name
	m := a.base.model(name, k, d.bucket)
	floor := 0.5 / float64(max(a.base.buckets(a.base.sources[name], d.bucket), 1))
	return math.Max(m.mu*a.volumeRatio(k.src), floor), m.r
}

// baselineNew reports whether a record's template is new against the
// good runs, and whether the good runs speak for its source at all.
func (a *Analyzer) baselineNew(r *record) (isNew, covered bool) {
	if a.base == nil {
		return false, false
	}
	s := a.base.sources[a.sources[r.src].name]
	if s == nil {
		return false, false
	}
	return !s.seenID[a.tmplOf(r).ID], true
}

// isNew reports whether a record's template is new in the incident that
// starts at from: never seen in any good run when a baseline covers its
// source, else first seen in the target at or after from.
func (a *Analyzer) isNew(r *record, from time.Time) bool {
	if n, ok := a.baselineNew(r); ok {
		return n
	}
	ft, ok := a.firstSeen(r)
	return ok && !ft.Before(from)
}

// baselineKindSeen reports whether the good runs, when they cover the
// record's source, ever showed its kind there.
func (a *Analyzer) baselineKindSeen(r *record) (seen, covered bool) {
	if a.base == nil {
		return false, false
	}
	s := a.base.sources[a.sources[r.src].name]
	if s == nil {
		return false, false
	}
	return s.kinds[a.kindOf(r)] != nil, true
}

// baselineReport describes the baseline for the report: its runs, the
// sources it covers and the target's sources it does not.
func (a *Analyzer) baselineReport() *event.Baseline {
	b := a.base
	if b == nil {
		return nil
	}
	out := &event.Baseline{Runs: []event.BaselineRun{}, Sources: []string{}, Uncovered: []string{}}
	for _, r := range b.runs {
		in := r.inputs
		if in == nil {
			in = []event.InputSummary{}
		}
		minutes := 0.0
		if r.events > 0 {
			minutes = math.Round(r.last.Sub(r.first).Minutes()*10) / 10
		}
		out.Runs = append(out.Runs, event.BaselineRun{Path: r.name, Events: r.events, Start: event.Time{Time: r.first},
			End: event.Time{Time: r.last}, Minutes: minutes, Inputs: in})
	}
	for name := range b.sources {
		out.Sources = append(out.Sources, name)
	}
	sort.Strings(out.Sources)
	var tmpls, shared int
	for _, s := range a.sources {
		bs := b.sources[s.name]
		if bs == nil {
			out.Uncovered = append(out.Uncovered, s.name)
			continue
		}
		for id := range s.firstByID {
			tmpls++
			if bs.seenID[id] {
				shared++
			}
		}
	}
	if tmpls > 0 {
		out.SharedTemplates = math.Round(float64(shared)/float64(tmpls)*1000) / 1000
	}
	sort.Strings(out.Uncovered)
	return out
}
