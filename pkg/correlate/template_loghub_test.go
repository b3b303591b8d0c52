package correlate

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The loghub samples (2,000 labelled lines per system) are read from the
// shared corpus beside the repository; they are never copied into it.

func tmplLoghubDir() string {
	return filepath.Join("..", "..", "..", "shared", "corpus", "loghub")
}

var tmplLoghubSets = []string{
	"Apache", "BGL", "HDFS", "Hadoop", "HealthApp", "Linux",
	"OpenSSH", "OpenStack", "Proxifier", "Spark", "Zookeeper",
}

type tmplLabelled struct {
	content, event string
}

func tmplReadLoghub(t testing.TB, set string) []tmplLabelled {
	t.Helper()
	path := filepath.Join(tmplLoghubDir(), set, set+"_2k.log_structured.csv")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	ci, ei := -1, -1
	for i, h := range head {
		switch h {
		case "Content":
			ci = i
		case "EventId":
			ei = i
		}
	}
	if ci < 0 || ei < 0 {
		t.Fatalf("%s: no Content/EventId column in %q", path, head)
	}
	var out []tmplLabelled
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, tmplLabelled{content: rec[ci], event: rec[ei]})
	}
	return out
}

// tmplGroupingAccuracy is GA: the share of messages whose predicted group
// holds exactly the messages of their true group.
func tmplGroupingAccuracy(pred []*Template, rows []tmplLabelled) float64 {
	trueSize := map[string]int{}
	for _, r := range rows {
		trueSize[r.event]++
	}
	type grp struct {
		n      int
		labels map[string]int
	}
	groups := map[*Template]*grp{}
	for i, p := range pred {
		g := groups[p]
		if g == nil {
			g = &grp{labels: map[string]int{}}
			groups[p] = g
		}
		g.n++
		g.labels[rows[i].event]++
	}
	correct := 0
	for _, g := range groups {
		if len(g.labels) != 1 {
			continue
		}
		for l, n := range g.labels {
			if trueSize[l] == n {
				correct += n
			}
		}
	}
	return float64(correct) / float64(len(rows))
}

// tmplLoghubFloor is a little below the GA measured with the default config
// (see the table TestLoghubGroupingAccuracy logs); dropping under it is a
// regression.
var tmplLoghubFloor = map[string]float64{
	"Apache":    0.99,  // measured 1.000
	"BGL":       0.98,  // 0.985
	"HDFS":      0.99,  // 1.000
	"Hadoop":    0.98,  // 0.994
	"HealthApp": 0.99,  // 1.000
	"Linux":     0.99,  // 1.000
	"OpenSSH":   0.99,  // 1.000
	"OpenStack": 0.93,  // 0.946
	"Proxifier": 0.99,  // 1.000
	"Spark":     0.99,  // 1.000
	"Zookeeper": 0.98,  // 0.995
	"average":   0.985, // 0.993
}

// TestLoghubGroupingAccuracy mines each loghub sample with one default miner
// and logs, per dataset: GA of the final templates (each message's template
// as it ended, folded ones followed to the live one, which is grouping by
// final ID); GA2 of a second pass with Match; GAraw of the pointers Add
// returned at the time, before later folds; the number of templates mined and
// of true events.
//
// Tuning knobs (the floors are then not checked): TMPL_SIM, TMPL_VAR and
// TMPL_DEPTH override Similarity, MaxVariants and Depth; TMPL_LOGHUB_DEBUG=<set>
// or all logs the groups that are not exactly one true event.
func TestLoghubGroupingAccuracy(t *testing.T) {
	if _, err := os.Stat(tmplLoghubDir()); err != nil {
		t.Skip("loghub corpus not found at", tmplLoghubDir())
	}
	cfg, tuned := tmplLoghubConfig()
	debug := os.Getenv("TMPL_LOGHUB_DEBUG")
	var sum float64
	var report strings.Builder
	fmt.Fprintf(&report, "%-10s %6s %6s %6s %6s %6s\n", "dataset", "GA", "GA2", "GAraw", "tmpls", "truth")
	for _, set := range tmplLoghubSets {
		rows := tmplReadLoghub(t, set)
		m := NewMiner(cfg)
		pred := make([]*Template, len(rows))
		for i, r := range rows {
			pred[i] = m.Add(r.content)
		}
		gaRaw := tmplGroupingAccuracy(pred, rows)
		for i, p := range pred {
			for p.into != nil {
				p = p.into
			}
			pred[i] = p
		}
		ga := tmplGroupingAccuracy(pred, rows)
		pred2 := make([]*Template, len(rows))
		for i, r := range rows {
			pred2[i] = m.Match(r.content)
			if pred2[i] == nil {
				t.Errorf("%s: Match found nothing for added message %q", set, r.content)
				pred2[i] = pred[i]
			}
		}
		ga2 := tmplGroupingAccuracy(pred2, rows)
		truth := map[string]bool{}
		for _, r := range rows {
			truth[r.event] = true
		}
		fmt.Fprintf(&report, "%-10s %6.3f %6.3f %6.3f %6d %6d\n", set, ga, ga2, gaRaw, m.Len(), len(truth))
		sum += ga
		if floor := tmplLoghubFloor[set]; !tuned && (ga < floor || ga2 < floor) {
			t.Errorf("%s: GA %.3f, GA2 %.3f, below the floor %.3f", set, ga, ga2, floor)
		}
		if debug == set || debug == "all" {
			tmplLoghubExplain(t, set, pred, rows)
		}
	}
	avg := sum / float64(len(tmplLoghubSets))
	fmt.Fprintf(&report, "%-10s %6.3f\n", "average", avg)
	t.Log("\n" + report.String())
	if floor := tmplLoghubFloor["average"]; !tuned && avg < floor {
		t.Errorf("average GA %.3f below the floor %.3f", avg, floor)
	}
}

func tmplLoghubConfig() (c MinerConfig, tuned bool) {
	for _, k := range []struct {
		env string
		v   any
	}{{"TMPL_SIM", &c.Similarity}, {"TMPL_VAR", &c.MaxVariants}, {"TMPL_DEPTH", &c.Depth}} {
		if s := os.Getenv(k.env); s != "" {
			if _, err := fmt.Sscan(s, k.v); err == nil {
				tuned = true
			}
		}
	}
	return c, tuned
}

// tmplLoghubExplain logs the predicted groups that are not exactly a true
// group, for tuning (TMPL_LOGHUB_DEBUG=<dataset> or all).
func tmplLoghubExplain(t *testing.T, set string, pred []*Template, rows []tmplLabelled) {
	trueSize := map[string]int{}
	for _, r := range rows {
		trueSize[r.event]++
	}
	members := map[*Template][]int{}
	var order []*Template
	for i, p := range pred {
		if members[p] == nil {
			order = append(order, p)
		}
		members[p] = append(members[p], i)
	}
	var sb strings.Builder
	for _, p := range order {
		idx := members[p]
		labels := map[string][]int{}
		for _, i := range idx {
			labels[rows[i].event] = append(labels[rows[i].event], i)
		}
		if len(labels) == 1 && trueSize[rows[idx[0]].event] == len(idx) {
			continue
		}
		fmt.Fprintf(&sb, "%s: %q n=%d\n", set, p.Text, len(idx))
		keys := make([]string, 0, len(labels))
		for k := range labels {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ex := rows[labels[k][0]].content
			fmt.Fprintf(&sb, "    %-5s %d/%d  e.g. %q\n", k, len(labels[k]), trueSize[k], ex)
		}
	}
	t.Log("\n" + sb.String())
}
