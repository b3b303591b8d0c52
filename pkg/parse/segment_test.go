package parse

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// segmentBundle copies the demo bundle and adds files that test the edges
// of splitting: CRLF line ends, blank and NUL-led lines, an overlong line,
// lines out of time order, a stack trace across every boundary.
func segmentBundle(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	demo := filepath.Join("..", "..", "testdata", "bundles", "invoice-outage")
	err := filepath.Walk(demo, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(demo, p)
		writeFile(t, filepath.Join(dir, rel), data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var app, edge strings.Builder
	base := time.Date(2023, 8, 15, 6, 0, 0, 0, time.UTC)
	for i := range 1500 {
		ts := base.Add(time.Duration(i) * time.Second).Format("2006-01-02 15:04:05.000")
		fmt.Fprintf(&app, "%s  INFO 1 --- [main] c.e.App : step %d\r\n", ts, i)
		if i%7 == 0 {
			fmt.Fprintf(&app, "%s ERROR 1 --- [main] c.e.App : failed %d\r\njava.net.ConnectException: Connection refused\r\n\tat a.b.C(C.java:%d)\r\n\r\n\tat a.b.D(D.java:1)\r\n", ts, i, i)
		}
	}
	writeFile(t, filepath.Join(dir, "app", "app.log"), []byte(app.String()))
	for i := range 1200 {
		// the clock steps back 90 s every 50 lines, past the window
		ts := base.Add(time.Duration(i-(i/50)*3) * 30 * time.Second).Format("02/Jan/2006:15:04:05 -0700")
		switch i % 37 {
		case 5:
			edge.WriteString("   \n\x00\x00\x00")
		case 11:
			edge.WriteString("garbage without a time\n")
		}
		path := "/p"
		if i%40 < 6 { // runs of lines the reader cuts: some boundary falls in one
			path = "/" + strings.Repeat("x", 700)
		}
		fmt.Fprintf(&edge, "10.0.0.%d - - [%s] \"GET %s HTTP/1.1\" %d 12 \"-\" \"ua\"\n", i%250, ts, path, []int{200, 404, 503}[i%3])
	}
	writeFile(t, filepath.Join(dir, "edge", "access.log"), []byte(edge.String()))
	return dir
}

// TestSegmentsReadAsOneReader reads a bundle with its files split into many
// small segments, with a lookahead budget small enough that segments wait
// for the merge, and checks that every event (file, line, offset, text,
// time, fields) and every input's stats are those of reading each file
// whole, in the same order.
func TestSegmentsReadAsOneReader(t *testing.T) {
	dir := segmentBundle(t)
	whole, wholeStats := runPlan(t, []string{dir}, Options{Segment: -1, MaxLine: 512})

	plan, err := NewPlan([]string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	split := map[string]int{}
	for i := range plan.Inputs {
		if segs := planSegments(&plan.Inputs[i], plan.specs[i], 4096, nil); segs != nil {
			split[plan.Inputs[i].Path] = len(segs)
		}
	}
	for _, p := range []string{"gateway/access.log", "gateway/error.log", "order-service/application.log", "app/app.log", "edge/access.log", "tax-adapter/tax-adapter.log"} {
		if split[p] < 3 {
			t.Errorf("%s: %d segments of 4 KiB, want several", p, split[p])
		}
	}
	for _, p := range []string{"gateway/access.log.2.gz", "mysql/binlog.000042.txt", "mysql/slow.log", "tax-adapter/client.jsonl"} {
		if split[p] != 0 {
			t.Errorf("%s: split in %d, want whole (compressed or not Segmentable)", p, split[p])
		}
	}

	for _, budget := range []int64{lookaheadBudget, 1} {
		t.Run(fmt.Sprint("budget ", budget), func(t *testing.T) {
			defer func(b int64) { lookaheadBudget = b }(lookaheadBudget)
			lookaheadBudget = budget
			got, gotStats := runPlan(t, []string{dir}, Options{Segment: 4096, MaxLine: 512})
			if len(got) != len(whole) {
				t.Fatalf("%d events split, %d whole", len(got), len(whole))
			}
			for i := range whole {
				if !reflect.DeepEqual(got[i], whole[i]) {
					t.Fatalf("event %d:\n split %+v\n whole %+v", i, got[i], whole[i])
				}
			}
			if !reflect.DeepEqual(gotStats, wholeStats) {
				for i := range wholeStats {
					if !reflect.DeepEqual(gotStats[i], wholeStats[i]) {
						t.Errorf("stats of %s:\n split %+v\n whole %+v", wholeStats[i].Path, gotStats[i], wholeStats[i])
					}
				}
			}
		})
	}
}

// TestSegmentsWithLocal checks that a Local taker sees each event of a
// split in-order file once, and that the rest are emitted as when the file
// is read whole.
func TestSegmentsWithLocal(t *testing.T) {
	dir := segmentBundle(t)
	path := filepath.Join(dir, "app", "app.log")
	run := func(segment int64) ([]event.Event, map[int64]int) {
		var mu sync.Mutex
		taken := map[int64]int{}
		opts := Options{Segment: segment, Local: takeOnly(func() func(*event.Event) bool {
			return func(ev *event.Event) bool {
				if ev.Level.Rank() >= event.LevelWarn.Rank() {
					return false
				}
				mu.Lock()
				taken[ev.Line]++
				mu.Unlock()
				return true
			}
		})}
		evs, _ := runPlan(t, []string{path}, opts)
		return evs, taken
	}
	wholeEvs, wholeTaken := run(-1)
	splitEvs, splitTaken := run(2048)
	if len(wholeTaken) < 300 || !reflect.DeepEqual(splitTaken, wholeTaken) {
		t.Errorf("taken: %d lines split, %d whole (or not the same lines)", len(splitTaken), len(wholeTaken))
	}
	for line, n := range splitTaken {
		if n != 1 {
			t.Errorf("line %d taken %d times", line, n)
		}
	}
	if !reflect.DeepEqual(splitEvs, wholeEvs) {
		t.Errorf("emitted: %d events split, %d whole, or not the same", len(splitEvs), len(wholeEvs))
	}
}

// TestRecordStartAfter checks where a segment starts: at the first line at
// or after the planned offset that starts a timed record, never inside a
// stack trace, and not at all when none is within reach.
func TestRecordStartAfter(t *testing.T) {
	text := "2023-08-15 06:00:00.000 ERROR 1 --- [main] c.e.App : failed\n" +
		"java.lang.IllegalStateException: boom\n" +
		"\tat a.b.C(C.java:1)\n" +
		"\n" +
		"2023-08-15 06:00:01.000  INFO 1 --- [main] c.e.App : ok\n"
	trace, frame := int64(strings.Index(text, "java.")), int64(strings.Index(text, "\tat"))
	next := int64(strings.LastIndex(text, "2023-"))
	p := filepath.Join(t.TempDir(), "app.log")
	writeFile(t, p, []byte(text))
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	spring := Lookup(SpringBootID)
	ctx := &Context{Loc: time.UTC}
	for _, tc := range []struct {
		at   int64
		want int64
		ok   bool
	}{
		{1, next, true},      // inside the first record: its trace is skipped
		{trace, next, true},  // at the trace's first line
		{frame, next, true},  // at a frame
		{next, next, true},   // exactly at a record start
		{next + 1, 0, false}, // past the last record start
	} {
		got, ok := recordStartAfter(f, tc.at, int64(len(text)), DefaultMaxLine, spring, ctx)
		if got != tc.want || ok != tc.ok {
			t.Errorf("at %d: %d %v, want %d %v", tc.at, got, ok, tc.want, tc.ok)
		}
	}
}
