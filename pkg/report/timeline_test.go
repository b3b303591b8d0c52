package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/rca-dev/rca/pkg/event"
)

func timelineRows() []event.TimelineRow {
	t0 := time.Date(2023, 8, 15, 23, 59, 58, 0, time.UTC)
	return []event.TimelineRow{
		{Time: event.Time{Time: t0}, Service: "gateway", Level: event.Ptr("error"), Kind: event.Ptr("http_5xx"), Message: "GET /api HTTP/1.1 503\ttab", File: "gateway/access.log", Line: 7, Count: 12},
		{Time: event.Time{Time: t0.Add(3 * time.Second)}, Service: "a-very-long-service-name", Message: "next day \x1b[31mred\x1b[0m " + strings.Repeat("x", 200), File: "x.log", Line: 1, Count: 1},
	}
}

func TestTimelineTSV(t *testing.T) {
	var b bytes.Buffer
	w := NewTimelineWriter(&b, TimelineOptions{Color: true}) // colour is for the terminal layout only
	for _, r := range timelineRows() {
		if err := w.Write(&r); err != nil {
			t.Fatal(err)
		}
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	want0 := "2023-08-15T23:59:58.000Z\tgateway\terror\thttp_5xx\t12\tgateway/access.log:7\tGET /api HTTP/1.1 503 tab"
	if len(lines) != 2 || lines[0] != want0 {
		t.Fatalf("TSV = %q, want first line %q", lines, want0)
	}
	if f := strings.Split(lines[1], "\t"); len(f) != 7 || f[2] != "-" || f[3] != "-" || strings.ContainsRune(lines[1], 0x1b) {
		t.Errorf("second line %q: want 7 fields, - for no level and kind, no escape byte", lines[1])
	}
}

func TestTimelineTerminal(t *testing.T) {
	var b bytes.Buffer
	w := NewTimelineWriter(&b, TimelineOptions{Terminal: true, Width: 80})
	for _, r := range timelineRows() {
		if err := w.Write(&r); err != nil {
			t.Fatal(err)
		}
	}
	out := b.String()
	for _, want := range []string{"── 2023-08-15 (UTC) ──\n23:59:58.000Z gateway        error    ×12 GET /api", "── 2023-08-16 (UTC) ──\n00:00:01.000Z a-very-long-s… -", "next day \\x1b[31mred"} {
		if !strings.Contains(out, want) {
			t.Errorf("terminal timeline lacks %q:\n%s", want, out)
		}
	}
	for _, l := range strings.Split(out, "\n") {
		if lipgloss.Width(l) > 80 {
			t.Errorf("line wider than 80: %q", l)
		}
	}
}
