package correlate

import (
	"math"
	"sort"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// A Differ compares a target run (a failing CI job, today's bundle) with
// one or more good runs of the same system (the baselines), template by
// template, for `rca diff`.
//
// Every source has ONE miner for all runs: the baselines are fed first,
// then the target, so a target message that is an instance of a baseline
// template joins it, and templates are compared by their final id (see
// Template: a template can still generalize or fold while later runs are
// mined; grouping by the id read at the end puts such templates together).
// Variable parts (ids, numbers, times, addresses, hosts) are masked by the
// miner, so two runs of the same job share their templates.
//
// For each (source, template) with n1 events in the baselines (spans summed
// to e1 minutes) and n2 in the target (e2 minutes), under "same rate" n2 is
// Binomial(n1+n2, v·e2/(e1+v·e2)) given the total, where v is the runs'
// volume ratio (the median per-minute rate ratio of the templates with at
// least 5 events on both sides, within 1/4..4: traffic differs between
// runs of one job, and a template changed when it departs from that); the
// two-sided p-value of that test is corrected over all templates with
// Benjamini–Hochberg. The rate ratio reported is relative to v too.
//
//   - NEW: n1 == 0 (never in any baseline). Reported whatever its p-value:
//     it is a fact, and one new error is what CI wants to know about.
//   - GONE: present in every baseline run, n2 == 0, and significant.
//   - rate: significant and the rate ratio (with 0.5 added to each count)
//     is at least MinRatio or at most 1/MinRatio.
//   - new_value: a value of one of Fields, on a warning or error, never
//     seen on any baseline warning or error of the source (fields whose
//     baselines show more than maxDiffValues distinct values are ids and
//     are skipped, and values on NEW templates are left to the template's
//     finding).
//
// Feed it from one goroutine.
type Differ struct {
	cfg    DiffConfig
	nbase  int
	miners map[string]*Miner
	acc    map[*Template]*diffAcc
	order  []*Template
	runs   []diffRun
	values map[diffFieldKey]*diffField
}

// DiffConfig tunes a Differ. The zero value selects the defaults.
type DiffConfig struct {
	// FDR is the false-discovery rate of the Benjamini–Hochberg correction.
	// Default 0.001.
	FDR float64
	// MinRatio is the smallest rate ratio (or inverse) a rate change must
	// show to be reported, whatever its significance: runs of one job vary
	// in traffic. Default 2.
	MinRatio float64
	// Fields are the extracted fields whose new values are reported.
	// Default: DefaultDiffFields. "kind" means the event's kind.
	Fields []string
}

// DefaultDiffFields are the fields a diff looks for new values of.
var DefaultDiffFields = []string{"kind", "status", "upstream_status", "error_code", "upstream", "target", "class"}

const (
	defaultDiffFDR      = 0.001
	defaultDiffMinRatio = 2.0
	// maxDiffValues: a field whose baselines show more distinct values
	// (per source) is an id, not a vocabulary; its values are not compared.
	maxDiffValues = 64
	// diffVolumeMin: templates with at least this many events on both
	// sides estimate the runs' volume ratio; it is kept within a factor of
	// diffVolumeCap.
	diffVolumeMin = 5
	diffVolumeCap = 4.0
)

type diffRun struct {
	events      int64
	first, last time.Time
}

// minutes is the run's span in minutes, at least one.
func (r diffRun) minutes() float64 {
	if r.events == 0 {
		return 0
	}
	return math.Max(r.last.Sub(r.first).Minutes(), 1)
}

type diffAcc struct {
	source      string
	counts      []int64 // per run; the target is the last
	level       event.Level
	kinds       map[string]int64
	firstBase   *event.Occurrence
	firstTarget *event.Occurrence
}

type diffFieldKey struct{ source, field string }

type diffField struct {
	base   map[string]int64
	target map[string]*diffValue
	many   bool // more than maxDiffValues distinct baseline values
}

type diffValue struct {
	count int64
	level event.Level
	first event.Occurrence
	tmpl  *Template
}

// NewDiffer returns a Differ for baselines good runs and one target.
func NewDiffer(cfg DiffConfig, baselines int) *Differ {
	if cfg.FDR <= 0 {
		cfg.FDR = defaultDiffFDR
	}
	if cfg.MinRatio <= 1 {
		cfg.MinRatio = defaultDiffMinRatio
	}
	if cfg.Fields == nil {
		cfg.Fields = DefaultDiffFields
	}
	return &Differ{cfg: cfg, nbase: baselines, miners: map[string]*Miner{}, acc: map[*Template]*diffAcc{},
		runs: make([]diffRun, baselines+1), values: map[diffFieldKey]*diffField{}}
}

// Target is the run index of the target: feed it after the baselines
// (indexes 0 .. Target()-1).
func (d *Differ) Target() int { return d.nbase }

// Observe mines and counts one event of run (a baseline index, or Target()).
// Unparsed lines are not counted.
func (d *Differ) Observe(run int, ev *event.Event) {
	if ev.Unparsed || ev.Time.IsZero() || run < 0 || run > d.nbase {
		return
	}
	r := &d.runs[run]
	if r.events == 0 || ev.Time.Before(r.first) {
		r.first = ev.Time
	}
	if r.events == 0 || ev.Time.After(r.last) {
		r.last = ev.Time
	}
	r.events++
	m := d.miners[ev.Source]
	if m == nil {
		m = NewMiner(MinerConfig{})
		d.miners[ev.Source] = m
	}
	t := m.Add(firstLine(ev.Message))
	a := d.acc[t]
	if a == nil {
		a = &diffAcc{source: ev.Source, counts: make([]int64, d.nbase+1), kinds: map[string]int64{}}
		d.acc[t] = a
		d.order = append(d.order, t)
	}
	a.counts[run]++
	if ev.Level.Rank() > a.level.Rank() {
		a.level = ev.Level
	}
	if ev.Kind != "" {
		a.kinds[ev.Kind]++
	}
	target := run == d.nbase
	first := &a.firstBase
	if target {
		first = &a.firstTarget
	}
	if *first == nil || ev.Time.Before((*first).Time.Time) {
		*first = diffOccurrence(ev)
	}
	if ev.Level.Rank() < event.LevelWarn.Rank() {
		return
	}
	for _, f := range d.cfg.Fields {
		v := ev.Kind
		if f != "kind" {
			v, _ = ev.Get(f)
		}
		if v == "" {
			continue
		}
		k := diffFieldKey{ev.Source, f}
		fa := d.values[k]
		if fa == nil {
			fa = &diffField{base: map[string]int64{}, target: map[string]*diffValue{}}
			d.values[k] = fa
		}
		if !target {
			if fa.many {
				continue
			}
			fa.base[v]++
			if len(fa.base) > maxDiffValues {
				fa.many, fa.base = true, nil
			}
			continue
		}
		if fa.many {
			continue
		}
		dv := fa.target[v]
		if dv == nil {
			if len(fa.target) > 4*maxDiffValues {
				continue
			}
			dv = &diffValue{first: *diffOccurrence(ev), tmpl: t}
			fa.target[v] = dv
		} else if ev.Time.Before(dv.first.Time.Time) {
			dv.first, dv.tmpl = *diffOccurrence(ev), t
		}
		dv.count++
		if ev.Level.Rank() > dv.level.Rank() {
			dv.level = ev.Level
		}
	}
}

func diffOccurrence(ev *event.Event) *event.Occurrence {
	return &event.Occurrence{Time: event.Time{Time: ev.Time}, File: ev.File, Line: ev.Line, Message: capMessage(ev.Message)}
}

// Finish compares the runs and returns the diff, findings ranked: errors
// first, then warnings, then the rest; within a level NEW, new values,
// rate increases, rate decreases, GONE; then fatal before error; then by
// p-value, effect size and count.
func (d *Differ) Finish(baseline, target []event.InputSummary, tool event.Tool) *event.Diff {
	out := &event.Diff{Schema: event.DiffSchema, Tool: tool, GeneratedAt: event.Time{Time: time.Now().UTC()},
		Baseline: nonNil(baseline), Target: nonNil(target), Findings: []event.DiffFinding{}}
	var e1, e2 float64
	for i, r := range d.runs {
		if i == d.nbase {
			e2 = r.minutes()
			out.Summary.TargetEvents = r.events
		} else {
			e1 += r.minutes()
			out.Summary.BaselineEvents += r.events
		}
	}
	out.Summary.BaselineRuns = d.nbase
	out.Summary.BaselineMinutes, out.Summary.TargetMinutes = e1, e2
	out.Summary.FDR = d.cfg.FDR

	// Group the templates by (source, final id).
	type key struct{ source, id string }
	type group struct {
		text        string
		counts      []int64
		level       event.Level
		kinds       map[string]int64
		firstBase   *event.Occurrence
		firstTarget *event.Occurrence
	}
	groups := map[key]*group{}
	var keys []key
	for _, t := range d.order {
		a := d.acc[t]
		k := key{a.source, t.ID}
		g := groups[k]
		if g == nil {
			g = &group{text: t.Text, counts: make([]int64, d.nbase+1), kinds: map[string]int64{}}
			groups[k] = g
			keys = append(keys, k)
		}
		for i, n := range a.counts {
			g.counts[i] += n
		}
		if a.level.Rank() > g.level.Rank() {
			g.level = a.level
		}
		for kd, n := range a.kinds {
			g.kinds[kd] += n
		}
		g.firstBase = earlier(g.firstBase, a.firstBase)
		g.firstTarget = earlier(g.firstTarget, a.firstTarget)
	}
	out.Summary.Templates = len(keys)

	// The runs' overall volume ratio: the median rate ratio of the templates
	// common enough on both sides to say. Runs of one job differ in traffic;
	// a template changes when it departs from that, not from 1.
	var logs []float64
	for _, g := range groups {
		var n1 int64
		for i := 0; i < d.nbase; i++ {
			n1 += g.counts[i]
		}
		if n2 := g.counts[d.nbase]; n1 >= diffVolumeMin && n2 >= diffVolumeMin {
			logs = append(logs, math.Log(rateRatio(n1, n2, e1, e2)))
		}
	}
	vol := 1.0
	if len(logs) >= 5 {
		sort.Float64s(logs)
		m := logs[len(logs)/2]
		if len(logs)%2 == 0 {
			m = (logs[len(logs)/2-1] + m) / 2
		}
		vol = math.Min(math.Max(math.Exp(m), 1/diffVolumeCap), diffVolumeCap)
	}
	out.Summary.VolumeRatio = vol
	pi := 0.5
	if e1+e2 > 0 {
		pi = e2 * vol / (e1 + e2*vol)
	}

	type cand struct {
		f    event.DiffFinding
		gone bool
	}
	var cands []cand
	var ps []float64
	newTemplates := map[key]bool{}
	for _, k := range keys {
		g := groups[k]
		var n1 int64
		all := d.nbase > 0
		for i := 0; i < d.nbase; i++ {
			n1 += g.counts[i]
			if g.counts[i] == 0 {
				all = false
			}
		}
		n2 := g.counts[d.nbase]
		p := binomTwoSided(n2, n1+n2, pi)
		ps = append(ps, p)
		f := event.DiffFinding{Source: k.source, TemplateID: k.id, Template: g.text, Level: event.Ptr(string(g.level)),
			Kind: event.Ptr(topKind(g.kinds)), BaselineCount: n1, TargetCount: n2,
			BaselineRate: rate(n1, e1), TargetRate: rate(n2, e2), Ratio: rateRatio(n1, n2, e1, e2) / vol, P: p, First: g.firstTarget}
		switch {
		case n1 == 0:
			f.Change = event.ChangeNew
			newTemplates[k] = true
			out.Findings = append(out.Findings, f)
		case n2 == 0 && all:
			f.Change, f.First = event.ChangeGone, g.firstBase
			cands = append(cands, cand{f, true})
		default:
			f.Change = event.ChangeRate
			if f.Ratio >= d.cfg.MinRatio || f.Ratio <= 1/d.cfg.MinRatio {
				cands = append(cands, cand{f, false})
			}
		}
	}
	out.Summary.Tests = len(ps)
	cut := bhThreshold(ps, len(ps), d.cfg.FDR)
	out.Summary.PCutoff = cut
	for _, c := range cands {
		if cut > 0 && c.f.P <= cut {
			out.Findings = append(out.Findings, c.f)
		}
	}

	// New values of fields.
	fkeys := make([]diffFieldKey, 0, len(d.values))
	for k := range d.values {
		fkeys = append(fkeys, k)
	}
	sort.Slice(fkeys, func(i, j int) bool {
		if fkeys[i].source != fkeys[j].source {
			return fkeys[i].source < fkeys[j].source
		}
		return fkeys[i].field < fkeys[j].field
	})
	for _, fk := range fkeys {
		fa := d.values[fk]
		if fa.many || len(fa.target) == 0 {
			continue
		}
		vals := make([]string, 0, len(fa.target))
		for v := range fa.target {
			if fa.base[v] == 0 {
				vals = append(vals, v)
			}
		}
		sort.Strings(vals)
		for _, v := range vals {
			dv := fa.target[v]
			tk := key{fk.source, dv.tmpl.ID}
			if newTemplates[tk] {
				continue // the NEW template says it already
			}
			first := dv.first
			out.Findings = append(out.Findings, event.DiffFinding{Change: event.ChangeNewValue, Source: fk.source,
				TemplateID: dv.tmpl.ID, Template: dv.tmpl.Text, Level: event.Ptr(string(dv.level)),
				Kind: event.Ptr(topKind(groups[tk].kinds)), Field: event.Ptr(fk.field), Value: event.Ptr(v),
				TargetCount: dv.count, TargetRate: rate(dv.count, e2), Ratio: rateRatio(0, dv.count, e1, e2) / vol,
				P: binomTwoSided(dv.count, dv.count, pi), First: &first})
		}
	}
	sort.SliceStable(out.Findings, func(i, j int) bool { return diffLess(&out.Findings[i], &out.Findings[j]) })
	return out
}

// diffLess ranks findings: errors, warnings, the rest; then the change;
// then the level (fatal before error); new templates by first occurrence;
// then p-value, effect size, count.
func diffLess(a, b *event.DiffFinding) bool {
	if la, lb := levelClass(a.Level), levelClass(b.Level); la != lb {
		return la > lb
	}
	if ca, cb := changeOrder(a), changeOrder(b); ca != cb {
		return ca < cb
	}
	if ra, rb := levelRank(a.Level), levelRank(b.Level); ra != rb {
		return ra > rb // fatal before error
	}
	// Among new templates, time decides: the first new error of a failing
	// run is the likeliest cause; the later ones are its consequences (a
	// count would rank the loudest consequence first).
	if a.Change == "new" && b.Change == "new" && a.First != nil && b.First != nil && !a.First.Time.Equal(b.First.Time.Time) {
		return a.First.Time.Before(b.First.Time.Time)
	}
	if a.P != b.P {
		return a.P < b.P
	}
	if ea, eb := math.Abs(math.Log(a.Ratio)), math.Abs(math.Log(b.Ratio)); ea != eb {
		return ea > eb
	}
	if a.TargetCount != b.TargetCount {
		return a.TargetCount > b.TargetCount
	}
	if a.Source != b.Source {
		return a.Source < b.Source
	}
	if a.Template != b.Template {
		return a.Template < b.Template
	}
	if a.First != nil && b.First != nil && !a.First.Time.Equal(b.First.Time.Time) {
		return a.First.Time.Before(b.First.Time.Time)
	}
	return false
}

func levelRank(l *string) int {
	if l == nil {
		return 0
	}
	return event.Level(*l).Rank()
}

func levelClass(l *string) int {
	if l == nil {
		return 0
	}
	switch r := event.Level(*l).Rank(); {
	case r >= event.LevelError.Rank():
		return 2
	case r >= event.LevelWarn.Rank():
		return 1
	}
	return 0
}

func changeOrder(f *event.DiffFinding) int {
	switch f.Change {
	case event.ChangeNew:
		return 0
	case event.ChangeNewValue:
		return 1
	case event.ChangeRate:
		if f.Ratio >= 1 {
			return 2
		}
		return 3
	}
	return 4
}

func earlier(a, b *event.Occurrence) *event.Occurrence {
	if a == nil || (b != nil && b.Time.Before(a.Time.Time)) {
		return b
	}
	return a
}

func topKind(kinds map[string]int64) string {
	kind, best := "", int64(0)
	for k, n := range kinds {
		if n > best || (n == best && k < kind) {
			kind, best = k, n
		}
	}
	return kind
}

func nonNil(in []event.InputSummary) []event.InputSummary {
	if in == nil {
		return []event.InputSummary{}
	}
	return in
}

// rate is events per minute, 0 for an empty side.
func rate(n int64, minutes float64) float64 {
	if minutes <= 0 {
		return 0
	}
	return float64(n) / minutes
}

// rateRatio is the target rate over the baseline rate, with 0.5 added to
// each count so that it stays finite.
func rateRatio(n1, n2 int64, e1, e2 float64) float64 {
	if e1 <= 0 || e2 <= 0 {
		return 1
	}
	return ((float64(n2) + 0.5) / e2) / ((float64(n1) + 0.5) / e1)
}

// binomTwoSided is the two-sided p-value of k successes in n trials of
// probability p: twice the smaller tail, at most 1.
func binomTwoSided(k, n int64, p float64) float64 {
	if n == 0 {
		return 1
	}
	up := binomUpper(k, n, p)
	lo := binomUpper(n-k, n, 1-p) // P(X <= k)
	return math.Min(1, 2*math.Min(up, lo))
}

// binomUpper is P(X >= k) for X ~ Binomial(n, p), summed from the tail it
// asks for so that tiny p-values stay accurate.
func binomUpper(k, n int64, p float64) float64 {
	switch {
	case k <= 0:
		return 1
	case k > n:
		return 0
	case p <= 0:
		return 0
	case p >= 1:
		return 1
	}
	if float64(k) < float64(n)*p {
		return math.Max(0, 1-binomUpper(n-k+1, n, 1-p))
	}
	lgn, _ := math.Lgamma(float64(n) + 1)
	lgk, _ := math.Lgamma(float64(k) + 1)
	lgnk, _ := math.Lgamma(float64(n-k) + 1)
	term := math.Exp(lgn - lgk - lgnk + float64(k)*math.Log(p) + float64(n-k)*math.Log1p(-p))
	odds := p / (1 - p)
	sum := 0.0
	for i := k; i <= n && term > 0; i++ {
		sum += term
		if term < sum*1e-17 {
			break
		}
		term *= float64(n-i) / float64(i+1) * odds
	}
	return math.Min(1, sum)
}
