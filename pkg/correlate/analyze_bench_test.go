package correlate

import (
	"context"
	"testing"
	"time"

	"github.com/rca-dev/rca/internal/gen"
	"github.com/rca-dev/rca/pkg/event"
	"github.com/rca-dev/rca/pkg/parse"
)

// BenchmarkAnalyzeLarge measures what `rca analyze --no-index` does, end to
// end but for the report: the generated large bundle (32 MB) through the
// parse pipeline, classified in the readers, observed and finished.
func BenchmarkAnalyzeLarge(b *testing.B) {
	dir := b.TempDir()
	if err := gen.WriteLarge(dir, 32<<20, 1); err != nil {
		b.Fatal(err)
	}
	size, err := gen.DirSize(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	b.ReportAllocs()
	var events int64
	for b.Loop() {
		plan, err := parse.NewPlan([]string{dir}, parse.Options{})
		if err != nil {
			b.Fatal(err)
		}
		an := NewAnalyzer(Config{Classified: true, Now: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
		opts := parse.Options{Transform: an.Classify}
		if _, err := plan.Run(context.Background(), opts, func(ev *event.Event) error {
			an.Observe(ev)
			events++
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		an.Finish(nil, event.Tool{Name: "rca", Version: "bench"})
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}
