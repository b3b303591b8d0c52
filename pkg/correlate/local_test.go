package correlate

import (
	"context"
	"encoding/json"
	"testing"
	"time"

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
	plan, err := parse.NewPlan([]string{dir}, parse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Classified = true
	cfg.Now = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	an := NewAnalyzer(cfg)
	opts := parse.Options{Transform: an.Classify}
	if local {
		opts.Local, opts.Lean = an.Local, true
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
	return b, observed
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
