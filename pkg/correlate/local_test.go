package correlate

import (
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/rca-dev/rca/internal/gen"
	"github.com/rca-dev/rca/pkg/event"
	"github.com/rca-dev/rca/pkg/parse"
)

// analyzeDir runs dir through the pipeline into an analyzer, with plain
// events counted in the readers and lean decoding (local) or all events
// observed with all their fields, and returns the
// report as JSON and the number of events Observe saw.
func analyzeDir(t *testing.T, dir string, cfg Config, local bool) ([]byte, int) {
	t.Helper()
	mode := observeAll
	if local {
		mode = localSkim
	}
	b, observed, _ := analyzeDirMode(t, dir, cfg, mode, 0)
	return b, observed
}

// How analyzeDirMode reads: every event observed with all its fields, or
// plain events counted in the readers with lean decoding, with or without
// records skimmed (Options.Local's plain).
const (
	observeAll = iota
	localTake
	localSkim
)

// analyzeDirMode is analyzeDir in one of the modes above, with lines cut at
// maxLine (0: the default); it also returns how many records were skimmed.
func analyzeDirMode(t *testing.T, dir string, cfg Config, mode, maxLine int) ([]byte, int, int) {
	t.Helper()
	plan, err := parse.NewPlan([]string{dir}, parse.Options{MaxLine: maxLine})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Classified = true
	cfg.Now = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	an := NewAnalyzer(cfg)
	opts := parse.Options{Transform: an.Classify, MaxLine: maxLine}
	var skimmed atomic.Int64
	switch mode {
	case localTake:
		opts.Lean = true
		opts.Local = func() (take, plain func(*event.Event) bool) {
			take, _ = an.Local()
			return take, nil
		}
	case localSkim:
		opts.Lean = true
		opts.Local = func() (take, plain func(*event.Event) bool) {
			t, p := an.Local()
			return t, func(ev *event.Event) bool {
				if p(ev) {
					skimmed.Add(1)
					return true
				}
				return false
			}
		}
	}
	observed := 0
	if _, err := plan.Run(context.Background(), opts, func(ev *event.Event) error {
		observed++
		an.Observe(ev)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(an.Finish(nil, event.Tool{Name: "rca", Version: "test"}))
	if err != nil {
		t.Fatal(err)
	}
	return b, observed, int(skimmed.Load())
}

// TestLocalReportsTheSame: counting plain events in the readers
// (Analyzer.Local), with lean decoding (parse.Options.Lean), gives the
// report observing every event with all its fields gives, on the
// demo bundle and a generated one, with and without a time range.
func TestLocalReportsTheSame(t *testing.T) {
	large := t.TempDir()
	if err := gen.WriteLarge(large, 4<<20, 3); err != nil {
		t.Fatal(err)
	}
	demo := "../../testdata/bundles/invoice-outage"
	for _, tc := range []struct {
		name string
		dir  string
		cfg  Config
	}{
		{"demo", demo, Config{}},
		{"demo since", demo, Config{Since: time.Date(2023, 8, 15, 6, 20, 0, 0, time.UTC), Until: time.Date(2023, 8, 15, 6, 40, 0, 0, time.UTC)}},
		{"large", large, Config{}},
		{"large no skew", large, Config{NoSkew: true, Since: time.Date(2023, 8, 15, 3, 0, 0, 0, time.UTC)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, all := analyzeDir(t, tc.dir, tc.cfg, false)
			got, observed := analyzeDir(t, tc.dir, tc.cfg, true)
			if string(got) != string(want) {
				t.Errorf("report with Local differs:\n%s\nwant\n%s", got, want)
			}
			if observed*2 > all {
				t.Errorf("Observe saw %d of %d events with Local; want most counted in the readers", observed, all)
			}
		})
	}
}

// TestSkimReportsTheSame: skimming plain records (Options.Local's plain)
// gives the report of taking their events, and of observing every event,
// on logs made to test it (gen.SkimNginx, gen.SkimJava: notable lines
// among plain ones, plain records a trace makes notable, a clock that goes
// back by more than the reorder window holds), whole, with lines cut at
// --max-line, and with a time range that starts and ends inside them.
func TestSkimReportsTheSame(t *testing.T) {
	dir := t.TempDir()
	for path, text := range map[string]string{
		"gateway/access.log":    gen.SkimNginx(),
		"order/application.log": gen.SkimJava(false),
		"kafka/server.log":      gen.SkimJava(true),
	} {
		p := filepath.Join(dir, path)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	base := time.Date(2023, 8, 15, 6, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		cfg     Config
		maxLine int
	}{
		{"whole", Config{}, 0},
		{"range", Config{Since: base.Add(5 * time.Minute), Until: base.Add(15 * time.Minute)}, 0},
		{"cut lines", Config{}, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, _, _ := analyzeDirMode(t, dir, tc.cfg, observeAll, tc.maxLine)
			took, _, _ := analyzeDirMode(t, dir, tc.cfg, localTake, tc.maxLine)
			got, _, skimmed := analyzeDirMode(t, dir, tc.cfg, localSkim, tc.maxLine)
			if string(took) != string(want) {
				t.Errorf("report with Local (take only) differs:\n%s\nwant\n%s", took, want)
			}
			if string(got) != string(want) {
				t.Errorf("report with skimming differs:\n%s\nwant\n%s", got, want)
			}
			if skimmed < 1000 {
				t.Errorf("%d records skimmed; want most of the plain ones", skimmed)
			}
		})
	}
}

// TestPlainWaitsForTheFirstEvent: Local's plain takes no record of an
// input until take has left the input's first observable event to
// Observe (which numbers the sources in the merged order).
func TestPlainWaitsForTheFirstEvent(t *testing.T) {
	an := NewAnalyzer(Config{Classified: true})
	take, plain := an.Local()
	ev := func(line int64) *event.Event {
		return &event.Event{Source: "gw", Format: "nginx-access", Line: line, Level: event.LevelInfo,
			Time: time.Date(2023, 8, 15, 6, 0, int(line), 0, time.UTC)}
	}
	if plain(ev(1)) {
		t.Fatal("plain took the input's first record")
	}
	if take(ev(1)) {
		t.Fatal("take took the input's first event")
	}
	if !plain(ev(2)) {
		t.Fatal("plain declined a plain record after the first event")
	}
	warn := ev(3)
	warn.Level = event.LevelWarn
	if plain(warn) {
		t.Fatal("plain took a warning")
	}
}

// TestLocalUpstreamCopies checks that the upstreams plain records name are
// counted under copies: a reader's buffer overwritten after the call leaves
// the counted names as they were, with more upstreams taking turns than
// upSeen holds.
func TestLocalUpstreamCopies(t *testing.T) {
	lc := &localCounts{edges: map[string]int64{}}
	buf := []byte("10.0.2.5:8080")
	alias := func() string { return unsafe.String(&buf[0], len(buf)) }
	names := []string{"10.0.2.5:8080", "10.0.2.6:8080", "10.0.2.7:8080", "10.0.2.5:8080", "10.0.2.8:8080",
		"10.0.2.9:8080", "10.0.2.6:8080", "10.0.2.5:8080", "10.0.2.5:8080", "10.0.3.1:8080"}
	want := map[string]int64{}
	for _, n := range names {
		copy(buf, n)
		lc.upstream(alias())
		want[n]++
	}
	copy(buf, "xxxxxxxxxxxxx")
	lc.flushUpstreams()
	if !maps.Equal(lc.edges, want) {
		t.Fatalf("counted %v, want %v", lc.edges, want)
	}
	for up := range lc.edges {
		if unsafe.StringData(up) == &buf[0] {
			t.Errorf("%q aliases the reader's buffer", up)
		}
	}
}

// TestTally checks that counting in runs leaves the map as counting each
// key in it would.
func TestTally(t *testing.T) {
	for _, keys := range [][]string{
		nil,
		{"a"},
		{"", "", "a"},
		{"a", "a", "a"},
		{"a", "b", "a", "b"},
		{"a", "a", "b", "b", "b", "", "a"},
	} {
		want, got := map[string]int64{}, map[string]int64{}
		var tl tally[string]
		for _, k := range keys {
			want[k]++
			tl.add(got, k)
		}
		tl.flush(got)
		tl.flush(got) // a second flush adds nothing
		if !maps.Equal(got, want) {
			t.Errorf("%q: got %v, want %v", keys, got, want)
		}
	}
}
