package parse

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// corpusDir is the shared corpus beside the checkout; tests that need it
// skip when it is absent.
func corpusDir(t testing.TB) string {
	t.Helper()
	d := filepath.Join("..", "..", "..", "shared", "corpus")
	if _, err := os.Stat(d); err != nil {
		t.Skipf("corpus not found at %s", d)
	}
	return d
}

// TestCorpusAccounting parses every file of the shared corpus and checks
// that every line is accounted for and that no event lacks a time unless
// it is flagged unparsed.
func TestCorpusAccounting(t *testing.T) {
	root := corpusDir(t)
	plan, err := NewPlan([]string{root}, Options{Zones: Zones{Default: time.FixedZone("-02:00", -7200)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Inputs) < 250 {
		t.Fatalf("found %d inputs in the corpus, want the ~280 files", len(plan.Inputs))
	}
	perFile := map[string]int64{}
	stats, err := plan.Run(t.Context(), Options{}, func(e *event.Event) error {
		if e.Unparsed != e.Time.IsZero() {
			t.Errorf("%s:%d: unparsed=%v time=%v", e.File, e.Line, e.Unparsed, e.Time)
		}
		if !e.Time.IsZero() && e.Time.Location() != time.UTC {
			t.Errorf("%s:%d: time not in UTC", e.File, e.Line)
		}
		perFile[e.File] += int64(e.Lines)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stats {
		if s.Skipped != "" {
			if !strings.HasSuffix(s.Path, ".md") {
				t.Errorf("%s skipped: %s", s.Path, s.Skipped)
			}
			continue
		}
		if s.Events+s.Continuation+s.Unparsed+s.Empty != s.Lines {
			t.Errorf("%s: events %d + continuation %d + unparsed %d + empty %d != lines %d", s.Path, s.Events, s.Continuation, s.Unparsed, s.Empty, s.Lines)
		}
		if perFile[s.Path]+s.Empty != s.Lines {
			t.Errorf("%s: emitted events fold %d lines + %d empty, file has %d", s.Path, perFile[s.Path], s.Empty, s.Lines)
		}
	}
}
