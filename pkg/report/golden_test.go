package report

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/correlate"
	"github.com/rca-dev/rca/pkg/event"
	"github.com/rca-dev/rca/pkg/parse"
	"gopkg.in/yaml.v3"
)

// Regenerate the goldens after a deliberate change (ranking, layout):
//
//	go test ./pkg/report ./cmd/rca -run Golden -update
var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

const (
	demoBundle = "../../testdata/bundles/invoice-outage"
	goldenDir  = "../../testdata/golden"
)

// goldenNow pins generated_at so goldens do not change with the clock.
var goldenNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

var (
	demoOnce sync.Once
	demoRep  *event.Report
	demoErr  error
)

// demoReport analyses the demo bundle as `rca analyze` does (topology from
// its rca.yaml, classification in the readers) with generated_at pinned.
func demoReport(t *testing.T) *event.Report {
	t.Helper()
	demoOnce.Do(func() { demoRep, demoErr = analyzeBundle(demoBundle) })
	if demoErr != nil {
		t.Fatalf("analyze %s: %v", demoBundle, demoErr)
	}
	return demoRep
}

func analyzeBundle(dir string) (*event.Report, error) {
	cfg := correlate.Config{Now: goldenNow, Classified: true}
	bc, err := parse.LoadBundleConfig(dir)
	if err != nil {
		return nil, err
	}
	if bc != nil && bc.Topology.Kind != 0 {
		data, err := yaml.Marshal(&bc.Topology)
		if err != nil {
			return nil, err
		}
		if cfg.Topology, err = correlate.ParseTopology(data); err != nil {
			return nil, err
		}
	}
	var po parse.Options
	po.MaxLine = parse.DefaultMaxLine
	plan, err := parse.NewPlan([]string{dir}, po)
	if err != nil {
		return nil, err
	}
	an := correlate.NewAnalyzer(cfg)
	po.Transform = an.Classify
	stats, err := plan.Run(context.Background(), po, func(ev *event.Event) error {
		an.Observe(ev)
		return nil
	})
	if err != nil {
		return nil, err
	}
	var inputs []event.InputSummary
	for _, s := range stats {
		if s.Ignored {
			continue
		}
		inputs = append(inputs, event.InputSummary{
			Path: s.Path, Source: s.Source, Format: event.Ptr(s.Format), Timezone: s.Timezone,
			Lines: s.Lines, Events: s.Events, Continuation: s.Continuation, Unparsed: s.Unparsed, Empty: s.Empty,
			First: event.Time{Time: s.First}, Last: event.Time{Time: s.Last}, Skipped: event.Ptr(s.Skipped),
		})
	}
	return an.Finish(inputs, event.Tool{Name: "rca", Version: "golden"}), nil
}

// checkGolden compares got with testdata/golden/name, or rewrites the
// file with -update. The whole file is compared.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *update {
		if err := os.MkdirAll(goldenDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run: go test ./pkg/report ./cmd/rca -run Golden -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; if the change is intended, run\n\tgo test ./pkg/report ./cmd/rca -run Golden -update\n%s", name, firstDiff(string(want), string(got)))
	}
}

// firstDiff shows the first differing line of two texts.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n\twant: %q\n\tgot:  %q", i+1, w, g)
		}
	}
	return "(same lines, different bytes)"
}

func TestGoldenDemo(t *testing.T) {
	rep := demoReport(t)
	render := map[string]func(*bytes.Buffer) error{
		"invoice-outage.text-80.txt": func(b *bytes.Buffer) error {
			return WriteText(b, rep, Options{Title: "invoice-outage", Width: 80})
		},
		"invoice-outage.text-80-color.ans": func(b *bytes.Buffer) error {
			return WriteText(b, rep, Options{Title: "invoice-outage", Width: 80, Color: true})
		},
		"invoice-outage.text-piped.txt": func(b *bytes.Buffer) error {
			return WriteText(b, rep, Options{Title: "invoice-outage"})
		},
		"invoice-outage.md": func(b *bytes.Buffer) error {
			return WriteMarkdown(b, rep, Options{Title: "invoice-outage"})
		},
		"invoice-outage.html": func(b *bytes.Buffer) error {
			return WriteHTML(b, rep, Options{Title: "invoice-outage"})
		},
		"invoice-outage.json": func(b *bytes.Buffer) error { return WriteJSON(b, rep) },
	}
	for name, f := range render {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := f(&b); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, name, b.Bytes())
		})
	}
}
