package parse

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rca-dev/rca/internal/gen"
	"github.com/rca-dev/rca/pkg/event"
)

// skimResult is what a run with a taker gives: the merged events, the
// inputs' stats, the lines taken (by take or plain) and how many plain took.
type skimResult struct {
	evs     []event.Event
	stats   []Stats
	taken   map[string]bool
	skimmed int
	byFile  map[string]int // records plain took, per file
	// observed is what Options.Observe saw, per file, in the order seen
	observed map[string][]event.Event
}

// skimRun runs paths with Lean and a taker that takes plain records
// (skimPlain) as correlate's does, leaving the first event of each input
// to the merge; with skim it takes skimmed records too.
func skimRun(t testing.TB, paths []string, opts Options, skim bool) skimResult {
	opts.Lean = true
	return skimRunIn(t, paths, opts, skim)
}

// skimRunIn is skimRun with opts as they are (Lean or not), and with an
// Observe that keeps a copy of every event it sees (skimResult.observed).
func skimRunIn(t testing.TB, paths []string, opts Options, skim bool) skimResult {
	r := skimResult{taken: map[string]bool{}, byFile: map[string]int{}, observed: map[string][]event.Event{}}
	var mu sync.Mutex
	opts.Observe = func(ev *event.Event) {
		c := *ev // its strings may alias the line being read
		c.Raw, c.Message = strings.Clone(c.Raw), strings.Clone(c.Message)
		c.Fields = nil
		for _, f := range ev.Fields {
			c.Fields = append(c.Fields, event.Field{Key: strings.Clone(f.Key), Value: strings.Clone(f.Value)})
		}
		mu.Lock()
		r.observed[ev.File] = append(r.observed[ev.File], c)
		mu.Unlock()
	}
	opts.Local = func() (take, plain func(*event.Event) bool) {
		sent := false
		take = func(ev *event.Event) bool {
			if !sent {
				sent = true
				return false
			}
			if !skimPlain(ev) {
				return false
			}
			mu.Lock()
			r.taken[lineKey(ev)] = true
			mu.Unlock()
			return true
		}
		if skim {
			plain = func(ev *event.Event) bool {
				if !sent || !skimPlain(ev) {
					return false
				}
				mu.Lock()
				r.taken[lineKey(ev)] = true
				r.skimmed++
				r.byFile[ev.File]++
				mu.Unlock()
				return true
			}
		}
		return take, plain
	}
	r.evs, r.stats = runPlan(t, paths, opts)
	return r
}

// checkSkimStream fails t unless got (skimming) is want (no skimming) as
// skimming must leave it: the same events merged in the same order but the
// records plain took; every line take took taken too, and only plain
// records besides (those merged without skimming because an earlier line
// follows them); the same stats. It returns how many records were merged
// without skimming and taken with it.
func checkSkimStream(t testing.TB, want, got skimResult) int {
	t.Helper()
	var kept []event.Event
	merged := 0
	for _, ev := range want.evs {
		switch {
		case !got.taken[lineKey(&ev)]:
			kept = append(kept, ev)
		case !skimPlain(&ev):
			t.Fatalf("%s skimmed, but its record is not plain: %+v", lineKey(&ev), ev)
		default:
			merged++
		}
	}
	if len(got.evs) != len(kept) {
		t.Fatalf("%d events merged with skimming, %d without (%d of them skimmed)", len(got.evs), len(want.evs), len(want.evs)-len(kept))
	}
	for i := range kept {
		// an event without fields may have them nil or empty, as the
		// pool of events happens to hand it out: no reader can tell
		g, w := got.evs[i], kept[i]
		if len(g.Fields) == 0 && len(w.Fields) == 0 {
			g.Fields, w.Fields = nil, nil
		}
		if !reflect.DeepEqual(g, w) {
			t.Fatalf("merged event %d differs:\n%+v\nwant\n%+v", i, g, w)
		}
	}
	for l := range want.taken {
		if !got.taken[l] {
			t.Fatalf("line %s taken without skimming, not with it", l)
		}
	}
	if !reflect.DeepEqual(got.stats, want.stats) {
		t.Fatalf("stats differ:\n%+v\nwant\n%+v", got.stats, want.stats)
	}
	return merged
}

// checkWholeSkimStream runs paths without Lean, skimming and not, and
// fails t unless the merge gets the same (checkSkimStream) and Observe
// sees the same events, each once, in file order (a segment's events in
// its order: sorted by line, per file); it returns the run that skimmed.
func checkWholeSkimStream(t testing.TB, paths []string, opts Options) skimResult {
	t.Helper()
	opts.Lean = false
	want, got := skimRunIn(t, paths, opts, false), skimRunIn(t, paths, opts, true)
	checkSkimStream(t, want, got)
	if len(got.observed) != len(want.observed) {
		t.Fatalf("events of %d files observed with skimming, %d without", len(got.observed), len(want.observed))
	}
	for file, w := range want.observed {
		g := got.observed[file]
		if opts.Segment >= 0 { // segments are observed from goroutines of their own
			for _, evs := range [][]event.Event{g, w} {
				sort.SliceStable(evs, func(i, j int) bool { return evs[i].Line < evs[j].Line })
			}
		}
		if len(g) != len(w) {
			t.Fatalf("%s: %d events observed with skimming, %d without", file, len(g), len(w))
		}
		for i := range w {
			sameEvent(t, file, &g[i], &w[i])
		}
	}
	return got
}

// TestSkimKeepsTheStream: with a taker that skims (Options.Local's plain),
// the merge gets the same events in the same order, the inputs' stats are
// the same (events, out-of-order count, first and last), and the same
// records are counted, as with a taker that only takes events
// (checkSkimStream); read whole and in segments, with and without cut
// lines, on logs made to test it (gen.SkimNginx; gen.SkimJava's Spring
// Boot log, skimmed a record behind (skimHold), with traces after plain
// records, warnings and errors, and its Kafka log, which is not skimmed).
func TestSkimKeepsTheStream(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "gateway", "access.log"), []byte(gen.SkimNginx()))
	// a second input whose events, all merged, interleave with the
	// access log's: where a skimmed record precedes an earlier line, the
	// merge must still order them as it would the record's event
	var app strings.Builder
	for at := time.Date(2023, 8, 15, 5, 50, 0, 0, time.UTC); at.Before(time.Date(2023, 8, 15, 6, 30, 0, 0, time.UTC)); at = at.Add(time.Second) {
		fmt.Fprintf(&app, "%s ERROR 1 --- [main] com.example.App : tick\n", at.Format("2006-01-02 15:04:05.000"))
	}
	writeFile(t, filepath.Join(dir, "app", "app.log"), []byte(app.String()))
	writeFile(t, filepath.Join(dir, "order", "application.log"), []byte(gen.SkimJava(false)))
	writeFile(t, filepath.Join(dir, "kafka", "server.log"), []byte(gen.SkimJava(true)))
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
			opts := Options{Segment: tc.segment, MaxLine: tc.maxLine}
			want, got := skimRun(t, []string{dir}, opts, false), skimRun(t, []string{dir}, opts, true)
			merged := checkSkimStream(t, want, got)
			if got.skimmed < 1000 {
				t.Errorf("%d records skimmed; want most plain ones", got.skimmed)
			}
			if n := got.byFile["order/application.log"]; n < 1000 {
				t.Errorf("%d Spring Boot records skimmed; want most plain ones", n)
			}
			if tc.name == "whole" && merged == 0 {
				t.Error("no skimmed record precedes an earlier line: the test logs do not test that case")
			}
			if n := len(want.stats); n != 4 {
				t.Fatalf("%d inputs", n)
			}
			// without Lean (an index reads every field), nginx and Spring
			// Boot records are skimmed whole
			whole := checkWholeSkimStream(t, []string{dir}, opts)
			for _, f := range []string{"gateway/access.log", "order/application.log"} {
				if n := whole.byFile[f]; n < 1000 {
					t.Errorf("%d records of %s skimmed whole; want most plain ones", n, f)
				}
			}
			for _, st := range want.stats {
				if st.Path != "app/app.log" && st.OutOfOrder == 0 && tc.segment < 0 {
					t.Errorf("%s has no out-of-order lines: %+v", st.Path, st)
				}
			}
		})
	}
}

// FuzzSkimStream: whatever the text, read as nginx access lines (the
// format that skims), whole or in small segments, skimming keeps the
// stream (checkSkimStream).
func FuzzSkimStream(f *testing.F) {
	lines := strings.SplitAfter(gen.SkimNginx(), "\n")
	f.Add(strings.Join(lines[:60], ""), false)
	f.Add(strings.Join(lines[len(lines)/2:len(lines)/2+60], ""), true)
	f.Fuzz(func(t *testing.T, text string, segments bool) {
		dir := t.TempDir()
		path := filepath.Join(dir, "a.log")
		writeFile(t, path, []byte(text))
		opts := Options{Formats: []FormatRule{{Glob: "*", ID: "nginx-access"}}, MaxLine: 300, Segment: -1, Reorder: 4}
		if segments {
			opts.Segment = 1024
		}
		checkSkimStream(t, skimRun(t, []string{path}, opts, false), skimRun(t, []string{path}, opts, true))
		checkWholeSkimStream(t, []string{path}, opts)
	})
}

// FuzzSkimSpringStream: whatever the text, read as Spring Boot lines (a
// Multiline format that skims: skimHold), whole or in small segments,
// skimming keeps the stream (checkSkimStream).
func FuzzSkimSpringStream(f *testing.F) {
	text := gen.SkimJava(false)
	lines := strings.SplitAfter(text, "\n")
	f.Add(strings.Join(lines[len(lines)/2:len(lines)/2+80], ""), true)
	f.Add(strings.Join(springLines, "\n")+"\n\n"+strings.Join(springLines, "\n"), true)
	f.Add("2023-08-15 06:00:00.000  INFO 1 --- [main] c.e.App : a\n\x00\x002023-08-15 06:00:01.000  INFO 1 --- [main] c.e.App : b\n \n2023-08-15 06:00:02.000  INFO 1 --- [main] c.e.App : c\nCaused by: x", false)
	fuzzFormatSkimStream(f, text, SpringBootID)
}

// skimPlain is what the test's taker counts: a parsed record below
// warning whose text names no cause (a trace's "Caused by" makes a record
// notable, as a classifier's rule would).
func skimPlain(ev *event.Event) bool {
	return !ev.Unparsed && ev.Level.Rank() < event.LevelWarn.Rank() && !strings.Contains(ev.Message, "Caused by")
}

// lineKey names an event's line in the bundle.
func lineKey(ev *event.Event) string { return fmt.Sprintf("%s:%d", ev.File, ev.Line) }

// TestNginxSkimReadsAsDecode: a skimmed access line holds what Decode
// makes of it with Lean, but its message (checkSkim), over the test log
// and the nginx samples of the corpus.
func TestNginxSkimReadsAsDecode(t *testing.T) {
	lines := strings.Split(gen.SkimNginx(), "\n")
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
	if n := checkWholeSkimSeq(t, "nginx-access", lines); n < 2000 {
		t.Errorf("%d of %d lines skimmed whole", n, len(lines))
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
	for _, l := range strings.SplitN(gen.SkimNginx(), "\n", 40) {
		f.Add(l)
	}
	f.Add(`10.0.0.7 - - [15/Aug/2023:14:22:17 +0200] "GET / HTTP/1.1" 200 1 "-" "c" 1.5 10.0.2.5:8080, 10.0.2.6:8080 : 10.0.2.7:80 502, 502 : 200 urt="0.1, 0.2" us=- ua="x`)
	f.Add(`1.2.3.4 - - [15/Aug/2023:14:22:17 +0000] "GET /a\" HTTP/1.1" 301 5 "-" "-" rt=0.1 ua="10.0.0.1:80" response_flags=UF`)
	f.Fuzz(func(t *testing.T, line string) {
		checkSkim(t, []byte(line))
		checkWholeSkimSeq(t, "nginx-access", []string{line})
	})
}

// TestSpringSkimReadsAsDecode: a skimmed Spring Boot line holds what
// Decode makes of it but the fields (checkSpringSkim), over the test log
// and the package's Spring Boot lines; a line skim does not read, Decode
// does not read as a timed record start.
func TestSpringSkimReadsAsDecode(t *testing.T) {
	lines := append(strings.Split(gen.SkimJava(false), "\n"), springLines...)
	lines = append(lines,
		"2023-08-15 14:22:17.123  INFO [a,b] 1 --- [x] [y] [0af7651916cd43dd8448eb2-b] l : m",
		"2023-08-15 14:22:17.123 ERROR  --- [ main] l :",
		"2023-08-15 14:22:17.123  INFO 12345 --- [main] c.e.o.OrderServiceApplication no colon",
		"2023-08-15 14:22:17.123  INFO 12345 --- c.e.o.OrderServiceApplication : no thread",
		"2023-08-15 14:22:17.123  info 12345 --- [main] c.e.App : lower-case level",
		"2023-08-15 14:22:17.123",
		"\tat com.example.Order.submit(Order.java:57)",
		"")
	skimmed := 0
	for _, l := range lines {
		if checkSpringSkim(t, []byte(l)) {
			skimmed++
		}
	}
	if skimmed < 2500 {
		t.Errorf("%d of %d lines skimmed", skimmed, len(lines))
	}
	// each line alone: a record start's continuations are for skimHold
	whole := 0
	for _, l := range lines {
		whole += checkWholeSkimSeq(t, SpringBootID, []string{l})
	}
	if whole < 2000 {
		t.Errorf("%d of %d lines skimmed whole", whole, len(lines))
	}
}

// checkSpringSkim fails t when the Spring Boot decoder skims line into
// other than Decode's event without its fields, or does not skim a line
// Decode reads as a timed record start; it reports whether the line was
// skimmed. The decoder decodes a line after the skim the same as a fresh
// one.
func checkSpringSkim(t *testing.T, line []byte) bool {
	t.Helper()
	ctx := &Context{Loc: time.UTC, Lean: true}
	d := Lookup(SpringBootID).New(ctx)
	var got event.Event
	got.Raw = string(line)
	ok := d.(skimmer).skim(line, &got) && !got.Time.IsZero()
	var want event.Event
	want.Raw = string(line)
	v := Lookup(SpringBootID).New(ctx).Decode(line, &want, nil)
	if !ok {
		if v == Start && !want.Time.IsZero() {
			t.Fatalf("Decode reads %q as a record start, skim does not", line)
		}
		return false
	}
	if v != Start {
		t.Fatalf("skimmed %q, which Decode reads as %v", line, v)
	}
	if len(got.Fields) != 0 {
		t.Fatalf("skim of %q set fields %v", line, got.Fields)
	}
	want.Fields = nil
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("skim of %q:\n%+v\nDecode:\n%+v", line, got, want)
	}
	var again, fresh event.Event
	again.Raw, fresh.Raw = string(line), string(line)
	d.Decode(line, &again, nil)
	Lookup(SpringBootID).New(ctx).Decode(line, &fresh, nil)
	if !reflect.DeepEqual(again, fresh) {
		t.Fatalf("Decode of %q after its skim:\n%+v\nfresh:\n%+v", line, again, fresh)
	}
	return true
}

// FuzzSpringSkim: whatever the line, a skim is Decode's event without its
// fields, and a line skim does not read is no timed record start.
func FuzzSpringSkim(f *testing.F) {
	for _, l := range strings.SplitN(gen.SkimJava(false), "\n", 40) {
		f.Add(l)
	}
	for _, l := range springLines {
		f.Add(l)
	}
	f.Fuzz(func(t *testing.T, line string) {
		checkSpringSkim(t, []byte(line))
		checkWholeSkimSeq(t, SpringBootID, []string{line})
	})
}
