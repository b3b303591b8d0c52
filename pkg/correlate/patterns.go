package correlate

import (
	"sort"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// patternSlices is how many slices of the span a pattern's rate is counted in.
const patternSlices = 24

// Patterns mines the templates of every source and counts them, for
// `rca patterns` and `rca parse --templates`. Feed it events from one
// goroutine; memory grows with the number of templates (capped per source
// by the miner) and the minutes in which each occurs.
type Patterns struct {
	miners map[string]*Miner
	stats  map[*Template]*patternAcc
	order  []*Template
}

type patternAcc struct {
	source  string
	count   int64
	first   time.Time
	last    time.Time
	level   event.Level
	kinds   map[string]int64
	minutes map[int64]int64 // unix minute -> events
	example string
	file    string
	line    int64
}

// NewPatterns makes an empty pattern table.
func NewPatterns() *Patterns {
	return &Patterns{miners: map[string]*Miner{}, stats: map[*Template]*patternAcc{}}
}

// Observe assigns the event its template (setting ev.TemplateID and
// ev.Template as they stand when it is seen) and counts it. Unparsed lines
// are not mined.
func (p *Patterns) Observe(ev *event.Event) {
	if ev.Unparsed || ev.Time.IsZero() {
		return
	}
	m := p.miners[ev.Source]
	if m == nil {
		m = NewMiner(MinerConfig{})
		p.miners[ev.Source] = m
	}
	t := m.Add(firstLine(ev.Message))
	ev.TemplateID, ev.Template = t.ID, t.Text
	a := p.stats[t]
	if a == nil {
		a = &patternAcc{source: ev.Source, first: ev.Time, kinds: map[string]int64{}, minutes: map[int64]int64{},
			example: capMessage(ev.Message), file: ev.File, line: ev.Line}
		p.stats[t] = a
		p.order = append(p.order, t)
	}
	a.count++
	if ev.Time.Before(a.first) {
		a.first = ev.Time
	}
	if ev.Time.After(a.last) {
		a.last = ev.Time
	}
	if ev.Level.Rank() > a.level.Rank() {
		a.level = ev.Level
	}
	if ev.Kind != "" {
		a.kinds[ev.Kind]++
	}
	a.minutes[ev.Time.Unix()/60]++
}

// Result returns the patterns, keyed by their final template (templates the
// miner folded together are one pattern), errors first: by most severe level,
// then count, then source and text.
func (p *Patterns) Result() []event.Pattern {
	type key struct{ source, id string }
	merged := map[key]*patternAcc{}
	texts := map[key]string{}
	var keys []key
	var start, end time.Time
	for _, t := range p.order {
		a := p.stats[t]
		k := key{a.source, t.ID}
		if start.IsZero() || a.first.Before(start) {
			start = a.first
		}
		if a.last.After(end) {
			end = a.last
		}
		m := merged[k]
		if m == nil {
			cp := *a
			cp.kinds, cp.minutes = map[string]int64{}, map[int64]int64{}
			m = &cp
			m.count = 0
			merged[k] = m
			texts[k] = t.Text
			keys = append(keys, k)
		}
		m.count += a.count
		if a.first.Before(m.first) {
			m.first, m.example, m.file, m.line = a.first, a.example, a.file, a.line
		}
		if a.last.After(m.last) {
			m.last = a.last
		}
		if a.level.Rank() > m.level.Rank() {
			m.level = a.level
		}
		for k2, n := range a.kinds {
			m.kinds[k2] += n
		}
		for k2, n := range a.minutes {
			m.minutes[k2] += n
		}
	}
	span := end.Sub(start)
	out := make([]event.Pattern, 0, len(keys))
	for _, k := range keys {
		m := merged[k]
		rate := make([]int64, patternSlices)
		for minute, n := range m.minutes {
			i := 0
			if span > 0 {
				i = int(time.Unix(minute*60, 0).Sub(start.Truncate(time.Minute)) * patternSlices / (span + time.Minute))
			}
			rate[min(max(i, 0), patternSlices-1)] += n
		}
		kind, best := "", int64(0)
		for k2, n := range m.kinds {
			if n > best || (n == best && k2 < kind) {
				kind, best = k2, n
			}
		}
		out = append(out, event.Pattern{
			Source: k.source, TemplateID: k.id, Template: texts[k], Count: m.count,
			First: event.Time{Time: m.first}, Last: event.Time{Time: m.last}, Level: event.Ptr(string(m.level)),
			Kind: event.Ptr(kind), Rate: rate, Example: m.example, File: m.file, Line: m.line,
		})
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		la, lb := 0, 0
		if a.Level != nil {
			la = event.Level(*a.Level).Rank()
		}
		if b.Level != nil {
			lb = event.Level(*b.Level).Rank()
		}
		if la != lb {
			return la > lb
		}
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		return a.Template < b.Template
	})
	return out
}
