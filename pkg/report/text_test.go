package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/rca-dev/rca/pkg/event"
)

// TestTextFitsWidth: with a width every line fits it, in colour or not
// (from 60 columns; narrower, the timeline's columns cannot all fit).
func TestTextFitsWidth(t *testing.T) {
	rep := demoReport(t)
	for _, width := range []int{60, 72, 80, 100, 132, 200} {
		for _, color := range []bool{false, true} {
			var b bytes.Buffer
			if err := WriteText(&b, rep, Options{Title: "invoice-outage", Width: width, Color: color}); err != nil {
				t.Fatal(err)
			}
			for i, l := range strings.Split(b.String(), "\n") {
				if w := lipgloss.Width(l); w > width {
					t.Errorf("width %d colour %v: line %d is %d columns: %q", width, color, i+1, w, l)
				}
				if !color && strings.ContainsRune(l, 0x1b) {
					t.Errorf("width %d: escape byte without colour in line %d", width, i+1)
				}
				if strings.HasSuffix(l, " ") {
					t.Errorf("width %d colour %v: trailing space in line %d: %q", width, color, i+1, l)
				}
			}
		}
	}
}

// TestTextWithoutWidthKeepsRecordsWhole: piped output cuts nothing.
func TestTextWithoutWidthKeepsRecordsWhole(t *testing.T) {
	rep := demoReport(t)
	var b bytes.Buffer
	if err := WriteText(&b, rep, Options{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, inc := range rep.Incidents {
		for _, c := range inc.Causes {
			for _, e := range c.Evidence[:min(3, len(c.Evidence))] {
				if !strings.Contains(out, e.Message) {
					t.Errorf("evidence message cut or missing: %q", e.Message)
				}
			}
		}
	}
}

// TestTextEscapesLogText: control bytes from logs never reach the terminal.
func TestTextEscapesLogText(t *testing.T) {
	evil := "\x1b]0;pwned\x07\x1b[2J line\nbreak"
	rep := &event.Report{Summary: event.Summary{Incidents: 1}, Inputs: []event.InputSummary{{Path: "a\x1b[31m.log", Source: "src\x1b[1m", Timezone: "UTC"}},
		Incidents: []event.Incident{{ID: "INC-1", Severity: "critical", Services: []string{evil},
			Causes:   []event.Cause{{Rank: 1, Service: evil, Kind: "timeout", Summary: evil, Evidence: []event.Evidence{{File: evil, Line: 1, Message: evil}}}},
			Timeline: []event.TimelineRow{{Service: evil, Message: evil, File: evil, Count: 2}}}}}
	for _, o := range []Options{{Width: 80}, {}, {Width: 80, Color: true, Title: evil}} {
		var b bytes.Buffer
		if err := WriteText(&b, rep, o); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if strings.Contains(out, "\x1b]") || strings.Contains(out, "\x1b[2J") || strings.Contains(out, "\x07") || strings.Contains(out, "\x1b[31m.log") {
			t.Errorf("options %+v: a control sequence from the logs reached the output:\n%q", o, out)
		}
	}
}
