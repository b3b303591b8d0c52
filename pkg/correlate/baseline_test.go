package correlate

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rca-dev/rca/internal/gen"
	"github.com/rca-dev/rca/pkg/event"
	"github.com/rca-dev/rca/pkg/parse"
)

// analyzeWithBaseline analyses dir as `rca analyze --baseline` does: the
// good runs first (ObserveBaseline), then the target.
func analyzeWithBaseline(t *testing.T, dir string, baselines ...string) *event.Report {
	t.Helper()
	an := NewAnalyzer(Config{Topology: scenarioTopology(t, dir), Now: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Classified: true})
	feed := func(path string, observe func(*event.Event)) []event.InputSummary {
		var opts parse.Options
		plan, err := parse.NewPlan([]string{path}, opts)
		if err != nil {
			t.Fatalf("plan %s: %v", path, err)
		}
		opts.Transform = an.Classify
		stats, err := plan.Run(context.Background(), opts, func(ev *event.Event) error {
			observe(ev)
			return nil
		})
		if err != nil {
			t.Fatalf("run %s: %v", path, err)
		}
		var ins []event.InputSummary
		for _, s := range stats {
			ins = append(ins, event.InputSummary{Path: s.Path, Source: s.Source, Events: s.Events, Lines: s.Lines})
		}
		return ins
	}
	for i, b := range baselines {
		ins := feed(b, func(ev *event.Event) { an.ObserveBaseline(i, ev) })
		an.SetBaselineRun(i, filepath.Base(b), ins)
	}
	ins := feed(dir, an.Observe)
	return an.Finish(ins, event.Tool{Name: "rca", Version: "test"})
}

// generated writes a scenario's bundle (of the suite or of gen.Baselines)
// into a temporary folder of the test.
func generated(t *testing.T, name string, seed int64) string {
	t.Helper()
	s, ok := gen.ScenarioByName(name)
	if !ok {
		t.Fatalf("no scenario %s", name)
	}
	dir := filepath.Join(t.TempDir(), fmt.Sprintf("%s-%d", name, seed))
	if err := s.Write(dir, seed); err != nil {
		t.Fatal(err)
	}
	return dir
}

func topCorrect(rep *event.Report, truth gen.Truth) bool {
	return len(rep.Incidents) > 0 && len(rep.Incidents[0].Causes) > 0 &&
		truth.Correct(rep.Incidents[0].Causes[0].Service, rep.Incidents[0].Causes[0].Kind)
}

// herringStart reads the red herring's onset from a scenario's TRUTH.md.
var herringRe = regexp.MustCompile(`red herring \(([a-z-]+)\) from (\d\d:\d\d:\d\d)Z`)

func herringStart(t *testing.T, dir string) (string, time.Time) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "TRUTH.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := herringRe.FindStringSubmatch(string(data))
	if m == nil || m[1] == "" {
		return "", time.Time{}
	}
	day := regexp.MustCompile(`Bundle: (\d{4}-\d\d-\d\d)T`).FindStringSubmatch(string(data))
	ts, err := time.Parse("2006-01-02 15:04:05", day[1]+" "+m[2])
	if err != nil {
		t.Fatal(err)
	}
	return m[1], ts
}

// herringIncident finds the incident that holds the herring's onset:
// its index, and its score relative to the top incident's.
func herringIncident(rep *event.Report, at time.Time) (int, float64) {
	for i, inc := range rep.Incidents {
		if !at.Before(inc.Start.Time.Add(-2*time.Minute)) && at.Before(inc.End.Time) {
			return i, inc.Score / rep.Incidents[0].Score
		}
	}
	return -1, 0
}

// TestBaselineScenarios runs the scenario suite against good runs of the
// same platform (other seeds: other ids, times and volumes):
//
//   - with a steady run as the baseline, every scenario's root cause still
//     ranks first, and a steady run has no incident;
//
//   - with a good run in which every red herring happens once (its
//     harmless trouble), the herring's incident that the bundle alone
//     shows is gone or ranks lower, and the root cause still ranks first.
//
//     RCA_SCENARIO_SEEDS=5 go test ./pkg/correlate -run BaselineScenarios -v
func TestBaselineScenarios(t *testing.T) {
	if testing.Short() {
		t.Skip("scenario suite: not in -short")
	}
	steady := generated(t, "steady", 1000)
	herrings := generated(t, "steady-herrings", 1000)
	var n, ok1, okSteady, okHerrings, herrSeen, herrGone int
	for _, seed := range scenarioSeeds(t) {
		for _, s := range gen.Scenarios() {
			dir := generated(t, s.Name, seed)
			plain := analyzeWithBaseline(t, dir)
			withSteady := analyzeWithBaseline(t, dir, steady)
			withHerrings := analyzeWithBaseline(t, dir, herrings)
			for _, rep := range []*event.Report{withSteady, withHerrings} {
				if rep.Baseline == nil || len(rep.Baseline.Runs) != 1 || rep.Baseline.Runs[0].Events == 0 || len(rep.Baseline.Sources) == 0 {
					t.Fatalf("%s: the report does not say which baseline was used: %+v", s.Name, rep.Baseline)
				}
			}
			if s.Truth.Service == "" {
				if len(withSteady.Incidents)+len(withHerrings.Incidents) != 0 {
					t.Errorf("%s (seed %d) against good runs: incidents %s / %s, want none", s.Name, seed, fmtCauses(withSteady), fmtCauses(withHerrings))
				}
				continue
			}
			n++
			c1, c2, c3 := topCorrect(plain, s.Truth), topCorrect(withSteady, s.Truth), topCorrect(withHerrings, s.Truth)
			for _, c := range []struct {
				ok  bool
				cnt *int
			}{{c1, &ok1}, {c2, &okSteady}, {c3, &okHerrings}} {
				if c.ok {
					*c.cnt++
				}
			}
			h, at := herringStart(t, dir)
			pi, ps := herringIncident(plain, at)
			hi, hs := herringIncident(withHerrings, at)
			t.Logf("%-32s %d  alone %-3s steady %-3s herrings %-3s  %s herring: alone %s, against the herrings run %s",
				s.Name, seed, yesNo(c1), yesNo(c2), yesNo(c3), h, herringRank(pi, ps), herringRank(hi, hs))
			if !c2 {
				t.Errorf("%s (seed %d) against a steady run: top causes %s, want %s", s.Name, seed, fmtCauses(withSteady), s.Truth)
			}
			if !c3 {
				t.Errorf("%s (seed %d) against a run with the herrings: top causes %s, want %s", s.Name, seed, fmtCauses(withHerrings), s.Truth)
			}
			if pi < 0 {
				continue
			}
			herrSeen++
			switch {
			case hi < 0:
				herrGone++
			case hi < pi || hs >= ps:
				t.Errorf("%s (seed %d): the %s herring's incident ranks INC-%d (%.2f of the top score) against good runs that have it, INC-%d (%.2f) alone",
					s.Name, seed, h, hi+1, hs, pi+1, ps)
			}
		}
	}
	t.Logf("AC@1 alone %d/%d, against a steady run %d/%d, against a run with the herrings %d/%d; herring incidents %d, gone against the herrings run %d",
		ok1, n, okSteady, n, okHerrings, n, herrSeen, herrGone)
	if herrSeen == 0 {
		t.Errorf("no scenario showed its herring as an incident: the test checks nothing")
	}
}

func herringRank(i int, rel float64) string {
	if i < 0 {
		return "no incident"
	}
	return fmt.Sprintf("INC-%d (%.2f of the top score)", i+1, rel)
}

// synthRun builds one run of a two-service job: steady info traffic on
// billing and ledger, billing's export error every ten minutes, and the
// extra events given; in time order.
func synthRun(start time.Time, extra []event.Event) []event.Event {
	var evs []event.Event
	for s := 0; s < 3600; s += 5 {
		for _, src := range []string{"billing", "ledger"} {
			evs = append(evs, event.Event{Time: start.Add(time.Duration(s) * time.Second), Source: src, File: src + ".log",
				Level: event.LevelInfo, Message: fmt.Sprintf("served request %d in %d ms", s*7, s%97)})
		}
	}
	for _, m := range []int{5, 15, 25, 55} {
		evs = append(evs, event.Event{Time: start.Add(time.Duration(m) * time.Minute), Source: "billing", File: "billing.log",
			Level: event.LevelError, Message: fmt.Sprintf("billing export deferred for batch %d", 1000+m)})
	}
	for _, e := range extra {
		e.Time = start.Add(e.Time.Sub(time.Time{}))
		evs = append(evs, e)
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].Time.Before(evs[j].Time) })
	for i := range evs {
		evs[i].Line = int64(i + 1)
	}
	return evs
}

// burst is n events of a message, one a second from at (times
// relative to the zero time; synthRun moves them).
func burst(src string, at time.Duration, n int, format string) []event.Event {
	var out []event.Event
	for k := 0; k < n; k++ {
		out = append(out, event.Event{Time: time.Time{}.Add(at + time.Duration(k)*time.Second), Source: src, File: src + ".log",
			Level: event.LevelError, Message: fmt.Sprintf(format, 17+k)})
	}
	return out
}

// A template the good run never showed is new, although the target shows
// it before the incident: with the baseline it outranks a cause that
// started a little earlier but recurs in the good run too; without, the
// earlier one wins.
func TestBaselineBoostsWhatIsNewAgainstGoodRuns(t *testing.T) {
	t0 := time.Date(2024, 6, 1, 10, 0, 0, 0, time.UTC)
	var extra []event.Event
	extra = append(extra, burst("ledger", 10*time.Minute, 1, "ledger checksum mismatch in segment %d")...)
	extra = append(extra, burst("billing", 40*time.Minute, 40, "billing export deferred for batch %d")...)
	extra = append(extra, burst("ledger", 40*time.Minute+20*time.Second, 40, "ledger checksum mismatch in segment %d")...)
	good := synthRun(t0.Add(-24*time.Hour), nil)
	analyze := func(withBase bool) *event.Report {
		an := NewAnalyzer(Config{Now: t0})
		if withBase {
			for i := range good {
				an.ObserveBaseline(0, &good[i])
			}
			an.SetBaselineRun(0, "good", nil)
		}
		target := synthRun(t0, extra)
		for i := range target {
			an.Observe(&target[i])
		}
		return an.Finish(nil, event.Tool{Name: "rca", Version: "test"})
	}
	for _, c := range []struct {
		base bool
		want string
	}{{false, "billing"}, {true, "ledger"}} {
		rep := analyze(c.base)
		if len(rep.Incidents) != 1 {
			t.Fatalf("baseline %v: %d incidents, want 1: %s", c.base, len(rep.Incidents), fmtCauses(rep))
		}
		if got := rep.Incidents[0].Causes[0].Service; got != c.want {
			t.Errorf("baseline %v: top cause %s, want %s (causes %s)", c.base, got, c.want, fmtCauses(rep))
		}
		if (rep.Baseline != nil) != c.base {
			t.Errorf("baseline %v: report's baseline = %+v", c.base, rep.Baseline)
		}
	}
}

// The report names the baseline even when the bundle had nothing to read.
func TestBaselineReportedForEmptyBundle(t *testing.T) {
	an := NewAnalyzer(Config{})
	good := synthRun(time.Date(2024, 6, 1, 10, 0, 0, 0, time.UTC), nil)
	for i := range good {
		an.ObserveBaseline(0, &good[i])
	}
	an.SetBaselineRun(0, "good", []event.InputSummary{{Path: "billing.log", Source: "billing"}})
	rep := an.Finish(nil, event.Tool{})
	if rep.Baseline == nil || len(rep.Baseline.Runs) != 1 || rep.Baseline.Runs[0].Path != "good" || rep.Baseline.Runs[0].Events != int64(len(good)) ||
		strings.Join(rep.Baseline.Sources, ",") != "billing,ledger" || len(rep.Baseline.Uncovered) != 0 || rep.Baseline.Runs[0].Minutes < 59 {
		t.Errorf("baseline of an empty bundle = %+v", rep.Baseline)
	}
}
