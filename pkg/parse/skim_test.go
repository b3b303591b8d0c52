package parse

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// skimTestLog is an nginx access log made to test skimming: 4xx and 5xx
// lines among the plain ones, error-log lines with continuations, a clock
// that goes back by more than the reorder window holds, and lines longer
// than 200 bytes (cut at that --max-line).
func skimTestLog() string {
	var b strings.Builder
	at := time.Date(2023, 8, 15, 6, 0, 0, 0, time.UTC)
	for i := 0; i < 4000; i++ {
		switch {
		case i == 2000:
			at = at.Add(-20 * time.Minute)
		case i%500 == 250:
			fmt.Fprintf(&b, "%s [error] 7#7: *%d connect() failed (111: Connection refused) while connecting to upstream\n  more\n", at.Format("2006/01/02 15:04:05"), i)
		case i%700 == 0:
			b.WriteString("10.0.0.1 - - [" + strings.Repeat("x", 300) + "\n")
		case i%900 == 450:
			fmt.Fprintf(&b, "10.0.0.9 - - [%s] \"GET /%s HTTP/1.1\" 200 1 \"-\" \"c\" 0.001 10.0.2.9:8080 200\n", at.Format("02/Jan/2006:15:04:05 -0700"), strings.Repeat("p", 250))
		}
		status := []string{"200", "201", "304", "200", "404", "503", "200", "502"}[i%8]
		fmt.Fprintf(&b, "10.0.%d.%d - - [%s] \"GET /api/item/%d HTTP/1.1\" %s %d \"-\" \"curl/8.1\" 0.%03d 10.0.2.%d:8080 %s\n",
			i%7, i%250, at.Format("02/Jan/2006:15:04:05 -0700"), i, status, 100+i%900, i%1000, 5+i%3, status)
		if i%3 == 0 {
			at = at.Add(time.Second)
		}
	}
	return b.String()
}

// TestSkimKeepsTheStream: with a taker that skims (Options.Local's plain),
// the merge gets the same events in the same order, the inputs' stats are
// the same (events, out-of-order count, first and last), and the same
// records are taken, as with a taker that only takes events; read whole
// and in segments, with and without cut lines.
func TestSkimKeepsTheStream(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "gateway", "access.log"), []byte(skimTestLog()))
	// a second input whose events, all merged, interleave with the
	// access log's: where a skimmed record precedes an earlier line, the
	// merge must still order them as it would the record's event
	var app strings.Builder
	for at := time.Date(2023, 8, 15, 5, 50, 0, 0, time.UTC); at.Before(time.Date(2023, 8, 15, 6, 30, 0, 0, time.UTC)); at = at.Add(time.Second) {
		fmt.Fprintf(&app, "%s ERROR 1 --- [main] com.example.App : tick\n", at.Format("2006-01-02 15:04:05.000"))
	}
	writeFile(t, filepath.Join(dir, "app", "app.log"), []byte(app.String()))
	type result struct {
		evs     []event.Event
		stats   []Stats
		taken   map[string]bool
		skimmed int
	}
	run := func(skim bool, segment int64, maxLine int) result {
		r := result{taken: map[string]bool{}}
		var mu chan struct{} = make(chan struct{}, 1)
		lock := func() func() { mu <- struct{}{}; return func() { <-mu } }
		opts := Options{Lean: true, Segment: segment, MaxLine: maxLine, Local: func() (take, plain func(*event.Event) bool) {
			sent := false // as correlate's: the first event goes to the merge
			plainRecord := func(ev *event.Event) bool {
				return !ev.Unparsed && ev.Level.Rank() < event.LevelWarn.Rank()
			}
			take = func(ev *event.Event) bool {
				if !sent {
					sent = true
					return false
				}
				if !plainRecord(ev) {
					return false
				}
				defer lock()()
				r.taken[lineKey(ev)] = true
				return true
			}
			if skim {
				plain = func(ev *event.Event) bool {
					if !sent || !plainRecord(ev) {
						return false
					}
					defer lock()()
					r.taken[lineKey(ev)] = true
					r.skimmed++
					return true
				}
			}
			return take, plain
		}}
		r.evs, r.stats = runPlan(t, []string{dir}, opts)
		return r
	}
	for _, tc := range []struct {
		name    string
		segment int64
		maxLine int
	}{
		{"whole", -1, 0},
		{"segments", 64 << 10, 0},
		{"cut lines", -1, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, got := run(false, tc.segment, tc.maxLine), run(true, tc.segment, tc.maxLine)
			if got.skimmed < 1000 {
				t.Errorf("%d records skimmed; want most plain ones", got.skimmed)
			}
			// what was merged: the same, but the records plain took
			// (take would have taken them, or they were merged because an
			// earlier line follows them), in the same order
			var kept []event.Event
			merged := 0
			for _, ev := range want.evs {
				if !got.taken[lineKey(&ev)] {
					kept = append(kept, ev)
				} else if !want.taken[lineKey(&ev)] {
					merged++
				}
			}
			if len(got.evs) != len(kept) {
				t.Fatalf("%d events merged with skimming, %d without (%d of them skimmed)", len(got.evs), len(want.evs), len(want.evs)-len(kept))
			}
			for i := range kept {
				if !reflect.DeepEqual(got.evs[i], kept[i]) {
					t.Fatalf("merged event %d differs:\n%+v\nwant\n%+v", i, got.evs[i], kept[i])
				}
			}
			if tc.name == "whole" && merged == 0 {
				t.Error("no skimmed record precedes an earlier line: the test log does not test that case")
			}
			// every line taken without skimming is taken with it
			for l := range want.taken {
				if !got.taken[l] {
					t.Fatalf("line %s taken without skimming, not with it", l)
				}
			}
			if !reflect.DeepEqual(got.stats, want.stats) {
				t.Errorf("stats differ:\n%+v\nwant\n%+v", got.stats, want.stats)
			}
			if want.stats[1].OutOfOrder == 0 {
				t.Error("the test log has no out-of-order lines")
			}
		})
	}
}

// lineKey names an event's line in the bundle.
func lineKey(ev *event.Event) string { return fmt.Sprintf("%s:%d", ev.File, ev.Line) }

// TestNginxSkimReadsAsDecode: a skimmed access line holds what Decode
// makes of it with Lean, but its message (checkSkim), over the test log
// and the nginx samples of the corpus.
func TestNginxSkimReadsAsDecode(t *testing.T) {
	lines := strings.Split(skimTestLog(), "\n")
	files, _ := filepath.Glob("../../../shared/corpus/*nginx*/*")
	more, _ := filepath.Glob("testdata/*nginx*")
	for _, p := range append(files, more...) {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			lines = append(lines, sc.Text())
		}
		f.Close()
	}
	skimmed := 0
	for _, l := range lines {
		if checkSkim(t, []byte(l)) {
			skimmed++
		}
	}
	if skimmed < 3000 {
		t.Errorf("%d of %d lines skimmed", skimmed, len(lines))
	}
}

// checkSkim fails t when the nginx access decoder skims line into other
// than Decode's lean event without its message; it reports whether the
// line was skimmed.
func checkSkim(t *testing.T, line []byte) bool {
	t.Helper()
	ctx := &Context{Loc: time.UTC, Lean: true}
	d := Lookup("nginx-access").New(ctx)
	sk := d.(skimmer)
	var got event.Event
	got.Raw = string(line)
	if !sk.skim(line, &got) || got.Time.IsZero() {
		return false
	}
	var want event.Event
	want.Raw = string(line)
	if v := Lookup("nginx-access").New(ctx).Decode(line, &want, nil); v != Start {
		t.Fatalf("skimmed %q, which Decode reads as %v", line, v)
	}
	want.Message = ""
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("skim of %q:\n%+v\nDecode:\n%+v", line, got, want)
	}
	return true
}

// FuzzNginxSkim: whatever the line, a skim is Decode's lean event without
// its message.
func FuzzNginxSkim(f *testing.F) {
	for _, l := range strings.SplitN(skimTestLog(), "\n", 40) {
		f.Add(l)
	}
	f.Add(`10.0.0.7 - - [15/Aug/2023:14:22:17 +0200] "GET / HTTP/1.1" 200 1 "-" "c" 1.5 10.0.2.5:8080, 10.0.2.6:8080 : 10.0.2.7:80 502, 502 : 200 urt="0.1, 0.2" us=- ua="x`)
	f.Add(`1.2.3.4 - - [15/Aug/2023:14:22:17 +0000] "GET /a\" HTTP/1.1" 301 5 "-" "-" rt=0.1 ua="10.0.0.1:80" response_flags=UF`)
	f.Fuzz(func(t *testing.T, line string) {
		checkSkim(t, []byte(line))
	})
}
