package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/rca-dev/rca/pkg/event"
)

// TimelineOptions shape `rca timeline` output.
type TimelineOptions struct {
	// Terminal selects the layout for a person: clock times under a
	// heading per day, aligned columns cut to Width, colour when Color.
	// Otherwise rows are tab-separated values for programs: RFC 3339 UTC
	// time, source, level, kind, count, file:line, message.
	Terminal bool
	Width    int  // terminal columns; 0 means no limit
	Color    bool // ANSI styles (terminal layout only)
	Kind     bool // a kind column in the terminal layout
}

// TimelineWriter writes timeline rows as they come, one line each (plus
// a day heading in the terminal layout). Log text is escaped (Terminal):
// no control byte reaches the output and a row never spans lines.
type TimelineWriter struct {
	w   io.Writer
	o   TimelineOptions
	st  *styles
	day string
	buf []byte // a row of the tab-separated layout
}

// NewTimelineWriter makes a writer for w.
func NewTimelineWriter(w io.Writer, o TimelineOptions) *TimelineWriter {
	if !o.Terminal {
		o.Color = false
	}
	return &TimelineWriter{w: w, o: o, st: newStyles(o.Color)}
}

// Column widths of the terminal layout.
const (
	tlSource = 14
	tlLevel  = 5
	tlKind   = 25
	tlCount  = 6
)

// Write writes one row.
func (t *TimelineWriter) Write(r *event.TimelineRow) error {
	level, kind := deref(r.Level), deref(r.Kind)
	if !t.o.Terminal {
		// time, source, level, kind, count, file:line, message
		b := event.AppendTime(t.buf[:0], r.Time.Time, 3)
		b = append(b, '\t')
		b = AppendTerminal(b, r.Service)
		b = append(append(b, '\t'), level...)
		b = append(append(b, '\t'), kind...)
		b = strconv.AppendInt(append(b, '\t'), r.Count, 10)
		b = AppendTerminal(append(b, '\t'), r.File)
		b = strconv.AppendInt(append(b, ':'), r.Line, 10)
		b = AppendTerminal(append(b, '\t'), r.Message)
		t.buf = append(b, '\n')
		_, err := t.w.Write(t.buf)
		return err
	}
	st := t.st
	var b strings.Builder
	if d := r.Time.UTC().Format("2006-01-02"); d != t.day {
		if t.day != "" {
			b.WriteString("\n")
		}
		t.day = d
		b.WriteString(st.s(st.hdr, "── "+d+" (UTC) ──") + "\n")
	}
	cnt := ""
	if r.Count > 1 {
		cnt = fmt.Sprintf("×%d", r.Count)
	}
	cols := pad(fit(Terminal(r.Service), tlSource), tlSource) + " " + pad(level, tlLevel) + " "
	if t.o.Kind {
		cols += pad(fit(kind, tlKind), tlKind) + " "
	}
	cols += strings.Repeat(" ", max(0, tlCount-lipgloss.Width(cnt))) + cnt + " "
	rest := cols + Terminal(r.Message)
	tm := clock(r.Time)
	if t.o.Width > 0 {
		rest = fit(rest, t.o.Width-len(tm)-1)
	}
	b.WriteString(st.s(st.faint, tm) + " " + st.s(st.level[level], strings.TrimRight(rest, " ")) + "\n")
	_, err := io.WriteString(t.w, b.String())
	return err
}
