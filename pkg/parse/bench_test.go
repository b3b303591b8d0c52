package parse

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rca-dev/rca/internal/gen"
	"github.com/rca-dev/rca/pkg/event"
)

// benchText builds about size bytes of generic-format lines with 1% error
// lines carrying a three-frame stack trace.
func benchText(size int) []byte {
	var b bytes.Buffer
	t := time.Date(2023, 8, 15, 6, 0, 0, 0, time.UTC)
	for i := 0; b.Len() < size; i++ {
		t = t.Add(7 * time.Millisecond)
		if i%100 == 99 {
			fmt.Fprintf(&b, "%s ERROR [http-nio-8080-exec-%d] c.e.o.OrderController : request %d failed: Connection refused\n", t.Format("2006-01-02 15:04:05.000"), i%16, i)
			b.WriteString("java.net.ConnectException: Connection refused\n\tat java.base/sun.nio.ch.Net.connect0(Native Method)\n\tat java.base/sun.nio.ch.Net.connect(Net.java:579)\n")
			continue
		}
		fmt.Fprintf(&b, "%s INFO [http-nio-8080-exec-%d] c.e.o.OrderController : order %d accepted in %dms\n", t.Format("2006-01-02 15:04:05.000"), i%16, i, i%97)
	}
	return b.Bytes()
}

func BenchmarkLineSplit(b *testing.B) {
	data := benchText(8 << 20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		lr := newLineReader(bufio.NewReaderSize(bytes.NewReader(data), 64<<10), 0)
		for {
			if _, _, _, err := lr.next(); err != nil {
				break
			}
		}
	}
}

func BenchmarkParseISO(b *testing.B) {
	line := []byte("2023-08-15 14:22:17.123 INFO message")
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	for b.Loop() {
		parseISO(line, time.UTC)
	}
}

func BenchmarkReadInputGeneric(b *testing.B) {
	data := benchText(8 << 20)
	benchReadInput(b, data, Lookup(GenericID))
}

// BenchmarkReadInputMultiline reads the multi-line inputs of the example
// bundle (a binlog, a slow log, a Spring Boot log with stack traces),
// each repeated to about 4 MB: most of their lines are continuations
// folded into a record, the path of decoder.line that rawText serves.
func BenchmarkReadInputMultiline(b *testing.B) {
	bundle := filepath.Join("..", "..", "testdata", "bundles", "invoice-outage")
	for _, in := range []struct{ name, format, file string }{
		{"binlog", MySQLBinlogID, filepath.Join(bundle, "mysql", "binlog.000042.txt")},
		{"slow", MySQLSlowID, filepath.Join(bundle, "mysql", "slow.log")},
		{"spring", SpringBootID, filepath.Join(bundle, "order-service", "application.log")},
	} {
		unit, err := os.ReadFile(in.file)
		if err != nil {
			b.Fatal(err)
		}
		data := bytes.Repeat(unit, 4<<20/len(unit)+1)
		b.Run(in.name, func(b *testing.B) { benchReadInput(b, data, Lookup(in.format)) })
	}
}

// benchReadInput decodes data with a format (nil: detect) and reports MB/s
// and events/s.
func benchReadInput(b *testing.B, data []byte, f *Format) {
	b.Helper()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var events int64
	for b.Loop() {
		st, err := ReadInput(bytes.NewReader(data), Spec{Path: "bench.log", Source: "bench", Format: f}, func(*event.Event) {})
		if err != nil {
			b.Fatal(err)
		}
		events += st.Events
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}

func BenchmarkDetect(b *testing.B) {
	lines := sampleLinesOf(benchText(sampleBytes), false)
	ctx := &Context{Loc: time.UTC}
	b.ReportAllocs()
	for b.Loop() {
		Detect(lines, ctx)
	}
}

// BenchmarkRun measures the whole pipeline — expand, parallel decode,
// merge — over four files.
func BenchmarkRun(b *testing.B) {
	dir := b.TempDir()
	var total int64
	for i := 0; i < 4; i++ {
		data := benchText(4 << 20)
		writeFile(b, filepath.Join(dir, fmt.Sprintf("svc%d", i), "app.log"), data)
		total += int64(len(data))
	}
	benchPipeline(b, dir, total)
}

// benchPipeline runs the whole pipeline over dir (size bytes) per
// iteration, reporting MB/s, allocations and events/s.
func benchPipeline(b *testing.B, dir string, size int64) {
	b.SetBytes(size)
	b.ReportAllocs()
	var events int64
	for b.Loop() {
		plan, err := NewPlan([]string{dir}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err = plan.Run(context.Background(), Options{}, func(*event.Event) error { events++; return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkRunLarge measures the pipeline on the generated large bundle
// (32 MB: nginx with a gzipped rotation, Spring with traces in two zones,
// Kafka, MySQL error/slow/binlog, JSON, syslog): every format's decoder,
// the reorder windows and the merge by time.
func BenchmarkRunLarge(b *testing.B) {
	dir := b.TempDir()
	if err := gen.WriteLarge(dir, 32<<20, 1); err != nil {
		b.Fatal(err)
	}
	size, err := gen.DirSize(dir)
	if err != nil {
		b.Fatal(err)
	}
	benchPipeline(b, dir, size)
}

// BenchmarkRunSegments measures one large Spring Boot file read whole and
// in segments on every core, with a Local that takes the events below
// warning (as rca analyze does), so that most never reach the merge.
func BenchmarkRunSegments(b *testing.B) {
	var buf bytes.Buffer
	t := time.Date(2023, 8, 15, 6, 0, 0, 0, time.UTC)
	for i := 0; buf.Len() < 64<<20; i++ {
		t = t.Add(7 * time.Millisecond)
		ts := t.Format("2006-01-02 15:04:05.000")
		if i%100 == 99 {
			fmt.Fprintf(&buf, "%s ERROR 1 --- [exec-%d] c.e.o.OrderController : request %d failed: Connection refused\n", ts, i%16, i)
			buf.WriteString("java.net.ConnectException: Connection refused\n\tat java.base/sun.nio.ch.Net.connect0(Native Method)\n")
			continue
		}
		fmt.Fprintf(&buf, "%s  INFO 1 --- [exec-%d] c.e.o.OrderController : order %d accepted in %dms\n", ts, i%16, i, i%97)
	}
	dir := b.TempDir()
	writeFile(b, filepath.Join(dir, "order", "application.log"), buf.Bytes())
	for _, tc := range []struct {
		name    string
		segment int64
	}{{"whole", -1}, {"segments", 16 << 20}} {
		b.Run(tc.name, func(b *testing.B) {
			opts := Options{Segment: tc.segment, Local: takeOnly(func() func(*event.Event) bool {
				return func(ev *event.Event) bool { return ev.Level.Rank() < event.LevelWarn.Rank() }
			})}
			b.SetBytes(int64(buf.Len()))
			b.ReportAllocs()
			for b.Loop() {
				plan, err := NewPlan([]string{dir}, opts)
				if err != nil {
					b.Fatal(err)
				}
				if _, err = plan.Run(context.Background(), opts, func(*event.Event) error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkMerge measures the k-way merge by time alone: 8 streams of
// 256-event batches, interleaved in time, through merge to an emit that
// does nothing. Bytes are the events' raw lines.
func BenchmarkMerge(b *testing.B) {
	const streams, perStream = 8, 64 << 10
	t0 := time.Date(2023, 8, 15, 6, 0, 0, 0, time.UTC)
	evs := make([][]event.Event, streams)
	var size int64
	for s := range evs {
		evs[s] = make([]event.Event, perStream)
		for i := range evs[s] {
			ev := &evs[s][i]
			ev.Time = t0.Add(time.Duration(i*streams+s) * time.Millisecond)
			ev.Raw = "2023-08-15 06:00:00.000 INFO svc : a line of a typical length for a log event"
			size += int64(len(ev.Raw))
		}
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		ss := make([]*stream, streams)
		for s := range ss {
			st := &stream{idx: s, ch: make(chan batch, 2)}
			ss[s] = st
			go func() {
				defer close(st.ch)
				items := make([]item, 0, 256)
				for i := range evs[s] {
					items = append(items, item{key: event.KeyOf(evs[s][i].Time), ev: &evs[s][i]})
					if len(items) == cap(items) {
						st.ch <- batch{items: items}
						items = make([]item, 0, 256)
					}
				}
				if len(items) > 0 {
					st.ch <- batch{items: items}
				}
			}()
		}
		if err := merge(context.Background(), ss, func(*event.Event) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(streams*perStream)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
