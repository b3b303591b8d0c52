package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

func TestProgressLine(t *testing.T) {
	tests := []struct {
		phase                string
		bytes, total, events int64
		elapsed              time.Duration
		want                 string
	}{
		{"reading", 50e6, 200e6, 300_000, 2 * time.Second, "rca: reading 50.0 MB of 200.0 MB  25% · 150k events/s · ETA 0:06"},
		{"reading", 199.9e6, 200e6, 300_000, 2 * time.Second, "rca: reading 199.9 MB of 200.0 MB  99% · 150k events/s · ETA 0:00"},
		{"reading", 3e9, 2e9, 9_000_000, 3 * time.Second, "rca: reading 3.0 GB · 3.0M events/s"}, // .gz: more read than on disk
		{"reading", 512, 0, 10, time.Second, "rca: reading 512 B · 10 events/s"},
		{"analysing", 0, 0, 1_234_567, 61 * time.Second, "rca: analysing… 1.2M events (1m1s)"},
	}
	for _, tt := range tests {
		if got := progressLine(tt.phase, tt.bytes, tt.total, tt.events, tt.elapsed); got != tt.want {
			t.Errorf("progressLine(%q, %d, %d, %d, %v) = %q, want %q", tt.phase, tt.bytes, tt.total, tt.events, tt.elapsed, got, tt.want)
		}
	}
}

func TestProgressOnlyOnATerminal(t *testing.T) {
	var out, errb bytes.Buffer
	if p := newProgress(&out, &errb, false, false, nil); p != nil {
		t.Errorf("progress on a stderr that is no terminal")
	}
	var p *progress // a nil progress is a no-op
	p.event()
	p.setPhase("x")
	p.finish()
	if p.hook() != nil {
		t.Errorf("nil progress has a hook")
	}
}

func TestProgressDrawsAndClears(t *testing.T) {
	var errb bytes.Buffer
	p := &progress{w: &errb, width: 60, total: 1000, start: time.Now().Add(-time.Second), stop: make(chan struct{}), done: make(chan struct{})}
	p.phase.Store("reading")
	p.bytes.Store(500)
	close(p.done)
	p.draw()
	p.finish()
	p.finish()
	got := errb.String()
	if !strings.HasPrefix(got, "\r\x1b[Krca: reading 500 B of 1 kB  50%") || !strings.HasSuffix(got, "\r\x1b[K") {
		t.Errorf("progress wrote %q", got)
	}
}

func TestPagerOnlyForLongOutput(t *testing.T) {
	dir := t.TempDir()
	paged := filepath.Join(dir, "paged")
	for _, tt := range []struct {
		lines int
		paged bool
	}{{3, false}, {9, false}, {10, true}, {500, true}} {
		os.Remove(paged)
		var term bytes.Buffer
		p := &pager{out: &term, height: 10, cmd: "cat > " + paged}
		var want strings.Builder
		for i := range tt.lines {
			fmt.Fprintf(&want, "line %d\n", i)
		}
		for _, l := range strings.SplitAfter(want.String(), "\n") {
			if _, err := p.Write([]byte(l)); err != nil {
				t.Fatal(err)
			}
		}
		if err := p.Close(); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(paged)
		switch {
		case tt.paged && (string(got) != want.String() || term.Len() != 0):
			t.Errorf("%d lines on a 10-line screen: pager got %d bytes, terminal %d; want all in the pager", tt.lines, len(got), term.Len())
		case !tt.paged && (got != nil || term.String() != want.String()):
			t.Errorf("%d lines on a 10-line screen: pager got %d bytes, terminal %d; want all on the terminal", tt.lines, len(got), term.Len())
		}
	}
}

func TestPagerCommand(t *testing.T) {
	tests := []struct {
		rcaPager, pager *string
		want            string
	}{
		{nil, nil, "less"},
		{nil, ptr("more"), "more"},
		{ptr("less -S"), ptr("more"), "less -S"},
		{nil, ptr(""), ""},
		{nil, ptr("cat"), ""},
	}
	for _, tt := range tests {
		for k, v := range map[string]*string{"RCA_PAGER": tt.rcaPager, "PAGER": tt.pager} {
			if v == nil {
				t.Setenv(k, "") // registers the restore
				os.Unsetenv(k)
			} else {
				t.Setenv(k, *v)
			}
		}
		if got := pagerCommand(); got != tt.want {
			t.Errorf("RCA_PAGER=%v PAGER=%v: pagerCommand() = %q, want %q", derefUnset(tt.rcaPager), derefUnset(tt.pager), got, tt.want)
		}
	}
}

func ptr(s string) *string { return &s }

func derefUnset(s *string) string {
	if s == nil {
		return "(unset)"
	}
	return *s
}

func TestCollapserFoldsConsecutiveRepeats(t *testing.T) {
	t0 := time.Date(2023, 8, 15, 6, 0, 0, 0, time.UTC)
	var rows []event.TimelineRow
	c := newCollapser(time.Minute, func(r *event.TimelineRow) error { rows = append(rows, *r); return nil })
	add := func(sec int, src string, lvl event.Level, msg string) {
		if err := c.add(&event.Event{Time: t0.Add(time.Duration(sec) * time.Second), Source: src, Level: lvl, Message: msg, File: src + ".log", Line: int64(sec)}); err != nil {
			t.Fatal(err)
		}
	}
	add(0, "api", event.LevelError, "connect to 10.0.0.1:3306 failed")
	add(1, "db", event.LevelInfo, "checkpoint done")                   // another source does not break api's run
	add(2, "api", event.LevelError, "connect to 10.0.0.2:3306 failed") // same template
	add(3, "api", event.LevelError, "connect to 10.0.0.3:3306 failed")
	add(4, "api", event.LevelWarn, "connect to 10.0.0.3:3306 failed")  // another level: a new row
	add(5, "api", event.LevelError, "connect to 10.0.0.4:3306 failed") // not consecutive any more
	add(200, "api", event.LevelError, "connect to 10.0.0.5:3306 failed")
	add(201, "api", event.LevelError, "connect to 10.0.0.5:3306 failed")
	if err := c.flush(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%s:%d:%s×%d", r.Service, r.Line, *r.Level, r.Count))
	}
	want := "[api:0:error×3 db:1:info×1 api:4:warn×1 api:5:error×1 api:200:error×2]"
	if fmt.Sprint(got) != want {
		t.Errorf("rows = %v, want %v", got, want)
	}
}

// TestCollapserWriteError checks that a failed write leaves the queue
// without the runs written before it (which the collapser reuses): a
// later flush writes each remaining run once, whole.
func TestCollapserWriteError(t *testing.T) {
	t0 := time.Date(2023, 8, 15, 6, 0, 0, 0, time.UTC)
	var rows []event.TimelineRow
	fail := 2 // the second write fails
	c := newCollapser(time.Minute, func(r *event.TimelineRow) error {
		if fail--; fail == 0 {
			return errors.New("closed pipe")
		}
		rows = append(rows, *r)
		return nil
	})
	for i, src := range []string{"a", "b", "c", "d"} {
		if err := c.add(&event.Event{Time: t0.Add(time.Duration(i) * time.Second), Source: src, Level: event.LevelError, Message: "boom " + src, File: src + ".log", Line: 1}); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.drain(t0.Add(time.Hour)); err == nil {
		t.Fatal("drain: no error from the failing write")
	}
	if err := c.flush(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.Service+":"+r.Message)
	}
	// a was written, b's write failed (it stays queued), then the rest
	if want := "[a:boom a b:boom b c:boom c d:boom d]"; fmt.Sprint(got) != want {
		t.Errorf("rows = %v, want %v", got, want)
	}
}

func TestTimelineFilters(t *testing.T) {
	stdout, stderr, code := run(t, "timeline", "--source-name", "tax-adapter,mysql", "--level", "warn", "--kind", "http_5xx,timeout", demoBundle)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) < 5 {
		t.Fatalf("%d lines", len(lines))
	}
	var prev string
	for _, l := range lines {
		f := strings.Split(l, "\t")
		if len(f) != 7 {
			t.Fatalf("want 7 tab-separated fields: %q", l)
		}
		if f[1] != "tax-adapter" && f[1] != "mysql" || f[2] != "warn" && f[2] != "error" && f[2] != "fatal" || f[3] != "http_5xx" && f[3] != "timeout" {
			t.Errorf("filters let through %q", l)
		}
		if _, err := time.Parse(time.RFC3339Nano, f[0]); err != nil || !strings.HasSuffix(f[0], "Z") || f[0] < prev {
			t.Errorf("time %q not RFC 3339 UTC in order", f[0])
		}
		prev = f[0]
	}
	for _, args := range [][]string{{"--kind", "bogus"}, {"--level", "loud"}, {"--since", "whenever"}, {"--gap", "0s"}} {
		if _, _, code := run(t, append(append([]string{"timeline"}, args...), demoBundle)...); code != 1 {
			t.Errorf("rca timeline %v: exit %d, want 1", args, code)
		}
	}
}
