package correlate

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// Limits on what one incident carries into the report.
const (
	rareSeriesEvents  = 8                // a cause kind this rare in the bundle is relevant without a burst
	newSeriesLookback = 30 * time.Minute // a cause kind unseen this long before an incident is new
	maxCauses         = 5
	maxEvidence       = 6
	maxTimelineRows   = 2000
	timelineGap       = time.Minute // repeats further apart start a new row
	maxSignalsPerInc  = 200
)

// Finish runs the tests, estimates clock skew, ranks causes and returns the
// report. inputs are the bundle's input summaries (from ingest); Finish
// fills in their skew. tool names the program for the report.
func (a *Analyzer) Finish(inputs []event.InputSummary, tool event.Tool) *event.Report {
	a.addLocals()
	now := a.cfg.Now
	if now.IsZero() {
		now = time.Now()
	}
	rep := &event.Report{
		Schema: event.ReportSchema, Tool: tool, GeneratedAt: event.Time{Time: now.UTC()},
		Inputs: inputs, Incidents: []event.Incident{},
		Summary: event.Summary{Events: a.events, Errors: a.errors, Warnings: a.warns,
			Start: event.Time{Time: a.first}, End: event.Time{Time: a.last}},
	}
	if rep.Inputs == nil {
		rep.Inputs = []event.InputSummary{}
	}
	a.settleTemplates()
	if a.base != nil {
		a.base.settle()
		rep.Baseline = a.baselineReport()
	}
	if a.events == 0 {
		return rep
	}
	res := newResolver(a.cfg.Topology, a.sources)
	d := a.detect()
	if !a.cfg.NoSkew {
		if skew := a.estimateSkew(d, res); len(skew) > 0 {
			a.applySkew(skew)
			d = a.detect()
			for i := range rep.Inputs {
				if si, ok := a.bySrc[rep.Inputs[i].Source]; ok {
					if s, ok := skew[si]; ok {
						rep.Inputs[i].SkewSeconds = math.Round(s.Seconds()*1000) / 1000
					}
				}
			}
		}
	}
	type scored struct {
		inc   event.Incident
		score float64
	}
	var incs []scored
	for _, w := range d.windows {
		inc, score := a.incident(d, w, res)
		if len(inc.Causes) == 0 {
			continue
		}
		incs = append(incs, scored{inc, score})
	}
	sort.SliceStable(incs, func(i, j int) bool { return incs[i].score > incs[j].score })
	for i := range incs {
		inc := incs[i].inc
		inc.Rank = i + 1
		inc.ID = fmt.Sprintf("INC-%d", i+1)
		inc.Score = math.Round(incs[i].score*1000) / 1000
		rep.Incidents = append(rep.Incidents, inc)
	}
	rep.Summary.Incidents = len(rep.Incidents)
	a.addSeries(rep)
	return rep
}

// incident builds one incident from a window, with its severity score.
func (a *Analyzer) incident(d *detection, w spanWin, res *resolver) (event.Incident, float64) {
	from, to := a.windowRange(d, w)
	var idx []int
	fk, tk := event.KeyOf(from), event.KeyOf(to)
	for i := range a.recs.len() {
		if k := a.recs.at(i).key(); !k.Before(fk) && k.Before(tk) {
			idx = append(idx, i)
		}
	}
	inc := event.Incident{
		Start: event.Time{Time: d.timeOf(w.first)}, End: event.Time{Time: d.timeOf(w.last + 1)},
		Services: []string{}, Signals: []event.Signal{}, Causes: []event.Cause{}, Timeline: []event.TimelineRow{},
	}
	// services in order of first error, and the incident's weight
	seen := map[string]bool{}
	errorsAt := map[string]bool{}
	fatal := false
	// Weight: significance summed per service and capped, so one service's
	// long burst (a red herring) does not outweigh several services failing
	// together. Classified failures (a timeout, a refused connection) weigh
	// twice what unclassified new errors do.
	perSvc := map[int32]float64{}
	for _, c := range w.cells {
		if c.silence && !c.runHead {
			continue // a silent run weighs once
		}
		sig := math.Min(50, -math.Log10(math.Max(c.p, 1e-300)))
		if !c.silence && c.s.key.kind == "" {
			sig /= 2
		}
		perSvc[c.src] += sig
	}
	var weight float64
	for _, src := range sortedKeys(perSvc) { // a fixed order: float sums depend on it
		weight += math.Min(perSvc[src], 150)
	}
	for _, i := range idx {
		r := a.recs.at(i)
		name := a.sources[r.src].name
		if (r.kind != 0 || int(r.rank) >= event.LevelError.Rank()) && !seen[name] {
			seen[name] = true
			inc.Services = append(inc.Services, name)
		}
		if int(r.rank) >= event.LevelError.Rank() {
			errorsAt[name] = true
		}
		if r.level() == event.LevelFatal {
			fatal = true
		}
	}
	inc.Signals = a.signals(idx, func(r *record) bool { return a.relevant(d, w, from, r) })
	cands := a.rankCauses(d, w, from, to, res, idx)
	if len(cands) > maxCauses {
		cands = cands[:maxCauses]
	}
	conf := confidences(cands)
	for k, c := range cands {
		if !seen[c.service] {
			seen[c.service] = true
			inc.Services = append(inc.Services, c.service)
		}
		inc.Causes = append(inc.Causes, event.Cause{
			Rank: k + 1, Service: c.service, Kind: orKind(c.kind), Confidence: conf[k],
			Summary: a.summarize(c), Evidence: a.evidence(c),
		})
	}
	var rel []int
	for _, i := range idx {
		if a.relevant(d, w, from, a.recs.at(i)) {
			rel = append(rel, i)
		}
	}
	inc.Timeline = a.timeline(rel)
	// Breadth: services with significant series, and services failing
	// against one another (a dependency chain is how outages spread).
	edges := 0
	for _, c := range cands {
		edges += len(c.blamers)
	}
	score := weight * (1 + 0.5*float64(max(len(perSvc)-1, 0))) * (1 + 0.25*float64(min(edges, 4)))
	// Impact and explanation: an incident users saw (the entry point
	// answering 5xx or failing upstream) outranks trouble behind the scenes,
	// and one explained by a cause (a full disk, a duplicated transaction)
	// outranks a burst of symptoms nobody can explain.
	users := a.userFacing(idx, d, w, from)
	if users {
		score *= 1.5
	}
	// Severity, what --fail-on compares: critical when users saw errors
	// while several services were in trouble together (or something logged
	// fatal); warning when errors are part of it — trouble behind the scenes
	// that clients weathered (a broker restart); info for warnings only.
	switch {
	case fatal || (users && len(perSvc) >= 2 && len(errorsAt) >= 1):
		inc.Severity = event.SeverityCritical
	case len(errorsAt) >= 1:
		inc.Severity = event.SeverityWarning
	default:
		inc.Severity = event.SeverityInfo
	}
	if len(cands) > 0 {
		score *= 0.5 + kindPrior[cands[0].kind]
	}
	return inc, score
}

// orKind names a candidate without a kind (new errors of one template).
func orKind(k string) string {
	if k == "" {
		return "new_error"
	}
	return k
}

// signals aggregates the incident's classified records by service and kind.
func (a *Analyzer) signals(idx []int, keep func(*record) bool) []event.Signal {
	type agg struct {
		sig     event.Signal
		targets map[string]int
	}
	m := map[[2]string]*agg{}
	var order [][2]string
	for _, i := range idx {
		r := a.recs.at(i)
		if r.kind == 0 || !keep(r) {
			continue
		}
		k := [2]string{a.sources[r.src].name, a.kindOf(r)}
		g := m[k]
		if g == nil {
			g = &agg{sig: event.Signal{Kind: a.kindOf(r), Service: k[0], First: event.Time{Time: r.time()}}, targets: map[string]int{}}
			m[k] = g
			order = append(order, k)
		}
		g.sig.Count++
		g.sig.Last = event.Time{Time: r.time()}
		if t := a.name(r.target); t != "" {
			g.targets[t]++
		}
	}
	out := make([]event.Signal, 0, len(order))
	for _, k := range order {
		g := m[k]
		best, bn := "", 0
		for t, n := range g.targets {
			if n > bn || (n == bn && t < best) {
				best, bn = t, n
			}
		}
		g.sig.Target = event.Ptr(best)
		out = append(out, g.sig)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	if len(out) > maxSignalsPerInc {
		out = out[:maxSignalsPerInc]
	}
	return out
}

// evidence lists a cause's lines: its own first (the first anomalous one
// first), then the first failure of each service that failed against it.
func (a *Analyzer) evidence(c *candidate) []event.Evidence {
	out := []event.Evidence{}
	add := func(i int) {
		r := a.recs.at(i)
		out = append(out, event.Evidence{Time: event.Time{Time: r.time()}, Source: a.sources[r.src].name, File: a.name(r.file), Line: r.line, Message: a.message(r)})
	}
	seenTmpl := map[string]bool{}
	for _, i := range c.own {
		if len(out) >= maxEvidence/2+1 {
			break
		}
		if t := a.tmplOf(a.recs.at(i)).ID; !seenTmpl[t] {
			seenTmpl[t] = true
			add(i)
		}
	}
	seenSrc := map[int32]bool{}
	for _, i := range c.blame {
		if len(out) >= maxEvidence {
			break
		}
		if s := a.recs.at(i).src; !seenSrc[s] {
			seenSrc[s] = true
			add(i)
		}
	}
	return out
}

// timeline lists the incident's notable lines in time order, repeats of a
// (service, template, level) within timelineGap collapsed into one row.
func (a *Analyzer) timeline(idx []int) []event.TimelineRow {
	type open struct {
		row  int
		last time.Time
	}
	rows := []event.TimelineRow{}
	type key struct {
		src   int32
		tmpl  string
		level event.Level
	}
	live := map[key]*open{}
	for _, i := range idx {
		r := a.recs.at(i)
		k := key{r.src, a.tmplOf(r).ID, r.level()}
		if o := live[k]; o != nil && r.time().Sub(o.last) <= timelineGap {
			rows[o.row].Count++
			o.last = r.time()
			continue
		}
		if len(rows) >= maxTimelineRows {
			continue
		}
		rows = append(rows, event.TimelineRow{
			Time: event.Time{Time: r.time()}, Service: a.sources[r.src].name, Level: event.Ptr(string(r.level())),
			Kind: event.Ptr(a.kindOf(r)), Message: a.message(r), File: a.name(r.file), Line: r.line, Count: 1,
		})
		live[k] = &open{row: len(rows) - 1, last: r.time()}
	}
	return rows
}

// relevant tells the lines that belong to an incident from the bundle's
// background in the same time range: a line is relevant when its series is
// significant in the window, when its template is new there, or when its
// kind is a cause a single line can carry (a shutdown, an OOM kill).
func (a *Analyzer) relevant(d *detection, w spanWin, from time.Time, r *record) bool {
	if seen, covered := a.baselineKindSeen(r); covered && kindPrior[a.kindOf(r)] >= 0.7 {
		// against good runs: a cause kind they never showed counts; one
		// they show (a deploy's restart) must be significant.
		if !seen {
			return true
		}
	} else if kindPrior[a.kindOf(r)] >= 0.7 {
		// a cause a single line can carry (a shutdown, an OOM kill) counts
		// when it is rare in the bundle; one that recurs all day (MySQL's
		// reverse-lookup warning) must be significant like any other
		// ... or when the series is new: nothing of it in the half hour
		// before the incident (a disk that starts filling up).
		if s := d.series[seriesKey{src: r.src, kind: a.kindOf(r)}]; s != nil && (s.total <= rareSeriesEvents || !s.first.Before(from.Add(-newSeriesLookback))) {
			return true
		}
	}
	if a.isNew(r, from) {
		return true
	}
	k := seriesKey{src: r.src, kind: a.kindOf(r)}
	if r.kind == 0 {
		k.tmpl = a.tmplOf(r).ID
	}
	return w.significant[k]
}

// userFacing reports an incident in which an entry point (a source that
// logs in a gateway format) answered users with errors: its 5xx or
// upstream-failure series is significant in the window.
func (a *Analyzer) userFacing(idx []int, d *detection, w spanWin, from time.Time) bool {
	for _, i := range idx {
		r := a.recs.at(i)
		if a.kindOf(r) != "http_5xx" && a.kindOf(r) != "upstream_unavailable" && a.kindOf(r) != "timeout" {
			continue
		}
		if !w.significant[seriesKey{src: r.src, kind: a.kindOf(r)}] {
			continue
		}
		s := a.sources[r.src]
		for f, n := range s.formats {
			if slices.Contains(gatewayFormats, f) && n*2 > s.events {
				return true
			}
		}
	}
	return false
}
