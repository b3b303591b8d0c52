package correlate

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rca-dev/rca/internal/gen"
	"github.com/rca-dev/rca/pkg/event"
	"github.com/rca-dev/rca/pkg/parse"
)

// diffTmpl is one message shape of the synthetic job diffGenRun writes.
type diffTmpl struct {
	source string
	level  event.Level
	words  []string // constant words; "%" marks a variable slot
	perMin float64
}

// diffWord spells n in letters (no digits: a digit makes a token variable).
func diffWord(n int, salt string) string {
	const letters = "bcdfghjklmnpqrstvwxz"
	var b strings.Builder
	b.WriteString(salt)
	for {
		b.WriteByte(letters[n%len(letters)])
		n /= len(letters)
		if n == 0 {
			break
		}
	}
	return b.String()
}

// diffJob is a fixed set of templates across six sources: the same job in
// every run; only ids, numbers, hosts, times and volumes vary.
func diffJob(n int) []diffTmpl {
	r := rand.New(rand.NewPCG(42, 42))
	sources := []string{"api", "billing", "worker", "db", "queue", "auth"}
	verbs := []string{"handled", "processed", "rejected", "scheduled", "finished", "retried", "opened", "closed"}
	out := make([]diffTmpl, n)
	for i := range out {
		lvl := event.LevelInfo
		switch x := r.Float64(); {
		case x < 0.05:
			lvl = event.LevelError
		case x < 0.15:
			lvl = event.LevelWarn
		}
		words := []string{diffWord(i, "op"), verbs[r.IntN(len(verbs))], "for", "%", "in", "%"}
		for k := 0; k < r.IntN(4); k++ {
			words = append(words, diffWord(r.IntN(400), "w"), "%")
		}
		// expected counts per hour between 20 and 600: rare enough to be
		// interesting, common enough that a good run always has some.
		out[i] = diffTmpl{source: sources[i%len(sources)], level: lvl, words: words, perMin: math.Exp(math.Log(20.0/60) + r.Float64()*math.Log(30))}
	}
	return out
}

// diffVar is a random variable part: ids, numbers, addresses, durations.
func diffVar(r *rand.Rand) string {
	switch r.IntN(5) {
	case 0:
		return fmt.Sprintf("%016x", r.Uint64())
	case 1:
		return fmt.Sprint(r.IntN(100000))
	case 2:
		return fmt.Sprintf("10.%d.%d.%d:%d", r.IntN(256), r.IntN(256), r.IntN(256), 1024+r.IntN(60000))
	case 3:
		return fmt.Sprintf("%dms", r.IntN(5000))
	}
	return fmt.Sprintf("%08x-%04x-4%03x-a%03x-%012x", r.Uint32(), r.IntN(1<<16), r.IntN(1<<12), r.IntN(1<<12), r.Uint64()&(1<<48-1))
}

// diffGenRun generates one run of the job: minutes long, starting at
// start, with volume scaled, plus extra events. Events come back in time
// order.
func diffGenRun(job []diffTmpl, seed uint64, start time.Time, minutes int, volume float64, scale map[int]float64) []event.Event {
	r := rand.New(rand.NewPCG(seed, 7))
	var evs []event.Event
	for i, t := range job {
		lambda := t.perMin * float64(minutes) * volume
		if s, ok := scale[i]; ok {
			lambda *= s
		}
		n := diffPoisson(r, lambda)
		for k := 0; k < n; k++ {
			msg := make([]string, len(t.words))
			for j, w := range t.words {
				if w == "%" {
					w = diffVar(r)
				}
				msg[j] = w
			}
			evs = append(evs, event.Event{Time: start.Add(time.Duration(r.Float64() * float64(time.Duration(minutes)*time.Minute))),
				Source: t.source, File: t.source + "/app.log", Level: t.level, Message: strings.Join(msg, " "), Lines: 1})
		}
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].Time.Before(evs[j].Time) })
	for i := range evs {
		evs[i].Line = int64(i + 1)
	}
	return evs
}

func diffPoisson(r *rand.Rand, lambda float64) int {
	if lambda > 50 {
		return max(0, int(math.Round(lambda+math.Sqrt(lambda)*r.NormFloat64())))
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func diffRunAll(runs ...[]event.Event) *event.Diff {
	d := NewDiffer(DiffConfig{}, len(runs)-1)
	for i, evs := range runs {
		for k := range evs {
			d.Observe(i, &evs[k])
		}
	}
	return d.Finish(nil, nil, event.Tool{Name: "rca", Version: "test"})
}

func diffDescribe(d *event.Diff, n int) string {
	var b strings.Builder
	for i, f := range d.Findings {
		if i == n {
			break
		}
		fmt.Fprintf(&b, "  %s %s %s/%s %d->%d ratio %.2f p %.2g\n", f.Change, diffDeref(f.Level), f.Source, f.Template, f.BaselineCount, f.TargetCount, f.Ratio, f.P)
	}
	return b.String()
}

func diffDeref(s *string) string {
	if s == nil {
		return "-"
	}
	return *s
}

var diffT0 = time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC)

// A good run and another good run of the same job (other ids, hosts,
// numbers, times, a longer span and 30% more traffic) differ in nothing.
func TestDiffPassingVsPassingSynthetic(t *testing.T) {
	job := diffJob(400)
	base := diffGenRun(job, 1, diffT0, 60, 1, nil)
	target := diffGenRun(job, 2, diffT0.Add(24*time.Hour+17*time.Minute), 75, 1.3, nil)
	d := diffRunAll(base, target)
	if d.Summary.Templates < 300 {
		t.Fatalf("only %d templates: the generator should give ~400", d.Summary.Templates)
	}
	if len(d.Findings) != 0 {
		t.Errorf("passing vs passing: %d findings, want none:\n%s", len(d.Findings), diffDescribe(d, 20))
	}
	t.Logf("%d templates, %d+%d events, no findings", d.Summary.Templates, d.Summary.BaselineEvents, d.Summary.TargetEvents)
}

// One injected new error pattern ranks first among hundreds of templates;
// a pattern that merely becomes five times more frequent is reported as a
// rate change; one that stops is GONE; nothing else is reported.
func TestDiffInjectedChanges(t *testing.T) {
	job := diffJob(400)
	// pick a warning template to make more frequent and an info one to stop
	louder, stopped := -1, -1
	for i, tm := range job {
		if louder < 0 && tm.level == event.LevelWarn && tm.perMin > 1 && tm.perMin < 3 {
			louder = i
		}
		if stopped < 0 && tm.level == event.LevelInfo && tm.perMin > 1 {
			stopped = i
		}
	}
	if louder < 0 || stopped < 0 {
		t.Fatal("the job has no template to change")
	}
	base1 := diffGenRun(job, 11, diffT0, 60, 1, nil)
	base2 := diffGenRun(job, 12, diffT0.Add(24*time.Hour), 55, 0.9, nil)
	target := diffGenRun(job, 13, diffT0.Add(48*time.Hour), 70, 1.2, map[int]float64{louder: 5, stopped: 0})
	// the injected failure: 12 lines of a message no good run has, on a
	// source that logs plenty of other errors
	r := rand.New(rand.NewPCG(99, 1))
	for k := 0; k < 12; k++ {
		target = append(target, event.Event{Time: diffT0.Add(48*time.Hour + time.Duration(40+k)*time.Minute), Source: "billing",
			File: "billing/app.log", Line: int64(100000 + k), Level: event.LevelError,
			Message: fmt.Sprintf("Failed to persist ledger entry %s: deadlock detected on shard %d", diffVar(r), r.IntN(64))})
	}
	sort.SliceStable(target, func(i, j int) bool { return target[i].Time.Before(target[j].Time) })
	d := diffRunAll(base1, base2, target)
	t.Logf("%d templates, %d tests, p cut-off %.3g; findings:\n%s", d.Summary.Templates, d.Summary.Tests, d.Summary.PCutoff, diffDescribe(d, 10))
	if len(d.Findings) == 0 {
		t.Fatal("no findings")
	}
	top := d.Findings[0]
	if top.Change != event.ChangeNew || !strings.HasPrefix(top.Template, "Failed to persist ledger entry") || top.TargetCount != 12 || top.BaselineCount != 0 {
		t.Errorf("top finding = %+v, want the injected NEW error", top)
	}
	if top.First == nil || top.First.Line != 100000 || top.First.File != "billing/app.log" {
		t.Errorf("first occurrence = %+v, want billing/app.log:100000", top.First)
	}
	want := map[string]string{strings.Join(job[louder].words[:2], " "): event.ChangeRate, strings.Join(job[stopped].words[:2], " "): event.ChangeGone}
	got := map[string]event.DiffFinding{}
	for _, f := range d.Findings[1:] {
		key := strings.Join(strings.Fields(f.Template)[:2], " ")
		if _, ok := want[key]; !ok {
			t.Errorf("unexpected finding: %s %s/%s %d->%d p %.2g", f.Change, f.Source, f.Template, f.BaselineCount, f.TargetCount, f.P)
			continue
		}
		got[key] = f
	}
	for key, change := range want {
		f, ok := got[key]
		if !ok {
			t.Errorf("%s not reported (want %s)", key, change)
			continue
		}
		if f.Change != change {
			t.Errorf("%s: change %s, want %s", key, f.Change, change)
		}
		if change == event.ChangeRate && (f.Ratio < 3.5 || f.Ratio > 7) {
			t.Errorf("%s: ratio %.2f, want about 5", key, f.Ratio)
		}
		if change == event.ChangeRate && f.P > d.Summary.PCutoff {
			t.Errorf("%s: p %.3g above the cut-off %.3g", key, f.P, d.Summary.PCutoff)
		}
	}
}

// The same with real bundles: two generated good runs of the scenario
// suite's platform (other seeds: other ids, times, volumes) through the
// real parser differ in nothing; a failing run's new errors come first.
func TestDiffGeneratedBundles(t *testing.T) {
	steady, _ := gen.ScenarioByName("steady")
	run := func(d *Differ, i int, dir string) {
		var opts parse.Options
		plan, err := parse.NewPlan([]string{dir}, opts)
		if err != nil {
			t.Fatal(err)
		}
		cls := NewClassifier()
		opts.Transform = func(ev *event.Event) { cls.Classify(ev) }
		if _, err := plan.Run(context.Background(), opts, func(ev *event.Event) error {
			d.Observe(i, ev)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	dirs := map[string]string{}
	write := func(name string, s gen.Scenario, seed int64) string {
		dir := t.TempDir()
		if err := s.Write(dir, seed); err != nil {
			t.Fatal(err)
		}
		dirs[name] = dir
		return dir
	}
	good1, good2 := write("good1", steady, 1), write("good2", steady, 2)
	d := NewDiffer(DiffConfig{}, 1)
	run(d, 0, good1)
	run(d, 1, good2)
	res := d.Finish(nil, nil, event.Tool{})
	if len(res.Findings) != 0 {
		t.Errorf("steady seed 1 vs seed 2: %d findings, want none:\n%s", len(res.Findings), diffDescribe(res, 20))
	}
	if res.Summary.BaselineEvents == res.Summary.TargetEvents {
		t.Errorf("the two good runs have the same volume (%d): not a useful test", res.Summary.BaselineEvents)
	}

	down, ok := gen.ScenarioByName("mysql-down-silent")
	if !ok {
		t.Skip("no mysql-down-silent scenario")
	}
	bad := write("bad", down, 3)
	d = NewDiffer(DiffConfig{}, 2)
	run(d, 0, good1)
	run(d, 1, good2)
	run(d, 2, bad)
	res = d.Finish(nil, nil, event.Tool{})
	t.Logf("steady×2 vs mysql-down-silent: %d templates, %d findings; first:\n%s", res.Summary.Templates, len(res.Findings), diffDescribe(res, 8))
	if len(res.Findings) == 0 || levelClass(res.Findings[0].Level) != 2 || res.Findings[0].Change != event.ChangeNew {
		t.Errorf("the first finding should be a NEW error")
	}
}

func TestBinomTails(t *testing.T) {
	cases := []struct {
		k, n int64
		p    float64
		want float64
	}{
		{0, 10, 0.5, 1},
		{10, 10, 0.5, math.Pow(0.5, 10)},
		{5, 10, 0.5, 0.623046875},
		{3, 10, 0.2, 0.3222004736},
		{1, 10, 0.2, 1 - math.Pow(0.8, 10)},
		{100, 100, 0.1, 1e-100},
		{11, 10, 0.5, 0},
	}
	for _, c := range cases {
		got := binomUpper(c.k, c.n, c.p)
		if math.Abs(got-c.want) > 1e-9*math.Max(c.want, 1e-300) && math.Abs(got-c.want) > 1e-12 {
			t.Errorf("binomUpper(%d, %d, %g) = %.10g, want %.10g", c.k, c.n, c.p, got, c.want)
		}
	}
	if p := binomTwoSided(50, 100, 0.5); p != 1 {
		t.Errorf("two-sided p at the mean = %g, want 1", p)
	}
	if p := binomTwoSided(5000, 100000, 0.1); p > 1e-200 {
		t.Errorf("two-sided p far below the mean = %g, want tiny", p)
	}
}
