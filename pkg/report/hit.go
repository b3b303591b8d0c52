package report

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/rca-dev/rca/pkg/event"
)

// HitFormatter renders search hits as TIME SOURCE LEVEL MESSAGE
// (file:line), one line each. Everything but the time comes from the
// bundle and is escaped for a terminal (Terminal): control bytes, C1
// controls, bidi overrides and invalid UTF-8 are shown, not acted on. With
// colour the level is coloured, the location dimmed and the words the query
// matched marked.
type HitFormatter struct{ st *styles }

// appendStyled appends what add appends, in style when colour is on;
// without colour nothing is built twice (search prints every hit).
func (st *styles) appendStyled(b []byte, style lipgloss.Style, add func([]byte) []byte) []byte {
	if !st.on {
		return add(b)
	}
	return append(b, st.s(style, string(add(nil)))...)
}

// NewHitFormatter returns a formatter, with ANSI colour when color.
func NewHitFormatter(color bool) *HitFormatter { return &HitFormatter{st: newStyles(color)} }

// Append appends ev's line (without a newline) to b; marks are byte ranges
// [start, end) of ev.Message to mark, in order (ignored without colour).
// Only the message's first line is shown.
func (h *HitFormatter) Append(b []byte, ev *event.Event, marks [][2]int) []byte {
	st := h.st
	if ev.Time.IsZero() {
		b = append(b, '-')
	} else {
		b = st.appendStyled(b, st.faint, func(b []byte) []byte { return ev.Time.AppendFormat(b, "2006-01-02T15:04:05.000Z07:00") })
	}
	lvl := string(ev.Level)
	if lvl == "" {
		lvl = "-"
	}
	msg := ev.Message
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	b = append(b, ' ')
	b = append(b, Terminal(ev.Source)...)
	b = append(b, ' ')
	b = append(b, st.s(st.level[lvl], Terminal(lvl))...)
	b = append(b, ' ')
	if !st.on || len(marks) == 0 {
		b = append(b, Terminal(msg)...)
	} else {
		at := 0
		for _, m := range marks {
			if m[0] < at || m[1] > len(msg) || m[0] >= m[1] {
				continue // past the first line, or overlapping
			}
			b = append(b, Terminal(msg[at:m[0]])...)
			b = append(b, st.s(st.mark, Terminal(msg[m[0]:m[1]]))...)
			at = m[1]
		}
		b = append(b, Terminal(msg[at:])...)
	}
	return st.appendStyled(b, st.loc, func(b []byte) []byte { return fmt.Appendf(b, " (%s:%d)", Terminal(ev.File), ev.Line) })
}
