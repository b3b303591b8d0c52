package correlate

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/rca-dev/rca/internal/gen"
	"github.com/rca-dev/rca/pkg/event"
	"github.com/rca-dev/rca/pkg/parse"
)

// The diff stage on its own: two runs of the large generated bundle
// (internal/gen WriteLarge, seeds 1 and 2: the same job, other ids, times
// and volumes), read and classified once outside the timer, then mined and
// compared by a Differ as `rca diff` does. MB/s are of the two runs' file
// bytes; events/s of their events.
//
//	go test ./pkg/correlate -run XXX -bench BenchmarkDiff -benchmem
//	RCA_BENCH_DIFF_SIZE=50MB go test ./pkg/correlate -run XXX -bench BenchmarkDiff
var diffBench struct {
	once   sync.Once
	runs   [2][]event.Event
	bytes  int64
	events int64
	err    error
}

func diffBenchRuns(b *testing.B) ([2][]event.Event, int64, int64) {
	b.Helper()
	diffBench.once.Do(func() {
		size := int64(8e6)
		if v := os.Getenv("RCA_BENCH_DIFF_SIZE"); v != "" {
			n, err := strconv.ParseFloat(v[:len(v)-2], 64)
			if err != nil || len(v) < 3 || v[len(v)-2:] != "MB" {
				diffBench.err = os.ErrInvalid
				return
			}
			size = int64(n * 1e6)
		}
		dir, err := os.MkdirTemp("", "rca-diff-bench-")
		if err != nil {
			diffBench.err = err
			return
		}
		defer os.RemoveAll(dir)
		for i := range diffBench.runs {
			p := filepath.Join(dir, strconv.Itoa(i))
			if diffBench.err = gen.WriteLarge(p, size, int64(i+1)); diffBench.err != nil {
				return
			}
			var po parse.Options
			plan, err := parse.NewPlan([]string{p}, po)
			if err != nil {
				diffBench.err = err
				return
			}
			cls := NewClassifier()
			po.Transform = func(ev *event.Event) { cls.Classify(ev) }
			stats, err := plan.Run(context.Background(), po, func(ev *event.Event) error {
				diffBench.runs[i] = append(diffBench.runs[i], *ev)
				return nil
			})
			if err != nil {
				diffBench.err = err
				return
			}
			for _, s := range stats {
				diffBench.bytes += s.Bytes
			}
			diffBench.events += int64(len(diffBench.runs[i]))
		}
	})
	if diffBench.err != nil {
		b.Fatalf("diff bench inputs (RCA_BENCH_DIFF_SIZE like 50MB): %v", diffBench.err)
	}
	return diffBench.runs, diffBench.bytes, diffBench.events
}

func BenchmarkDiff(b *testing.B) {
	runs, bytes, events := diffBenchRuns(b)
	b.SetBytes(bytes)
	b.ReportAllocs()
	b.ResetTimer()
	var findings int
	for i := 0; i < b.N; i++ {
		d := NewDiffer(DiffConfig{}, 1)
		for r := range runs {
			for k := range runs[r] {
				d.Observe(r, &runs[r][k])
			}
		}
		findings = len(d.Finish(nil, nil, event.Tool{}).Findings)
	}
	b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(findings), "findings")
}
