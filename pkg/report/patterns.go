package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/rca-dev/rca/pkg/event"
)

var sparks = []rune("▁▂▃▄▅▆▇█")

// Sparkline draws counts as a row of block characters scaled to the largest;
// an empty slice is a space.
func Sparkline(counts []int64) string {
	var peak int64
	for _, c := range counts {
		peak = max(peak, c)
	}
	out := make([]rune, len(counts))
	for i, c := range counts {
		switch {
		case c == 0:
			out[i] = ' '
		case peak == 0:
			out[i] = sparks[0]
		default:
			out[i] = sparks[min(len(sparks)-1, int((c*int64(len(sparks))-1)/peak))]
		}
	}
	return string(out)
}

// WritePatterns lists templates for a person: level, count, the rate over
// the bundle's span, first and last time, source and template text.
func WritePatterns(w io.Writer, ps []event.Pattern, width int) error {
	if width <= 0 {
		width = 160
	}
	ew := &errWriter{w: w}
	ew.printf("%-6s %8s  %-24s  %-13s  %-13s  %-14s %s\n", "LEVEL", "COUNT", "RATE", "FIRST", "LAST", "SOURCE", "TEMPLATE")
	for _, p := range ps {
		lvl := "-"
		if p.Level != nil {
			lvl = *p.Level
		}
		ew.printf("%-6s %8d  %-24s  %-13s  %-13s  %-14s %s\n", lvl, p.Count, Sparkline(p.Rate), clock(p.First), clock(p.Last),
			Terminal(truncate(p.Source, 14)), Terminal(truncate(p.Template, max(20, width-92))))
	}
	return ew.err
}

// WritePatternsJSON writes one JSON object per pattern per line (the runes
// that could act on a terminal \u-escaped, see InertJSON).
func WritePatternsJSON(w io.Writer, ps []event.Pattern) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, p := range ps {
		buf.Reset()
		if err := enc.Encode(p); err != nil {
			return fmt.Errorf("write patterns: %w", err)
		}
		if _, err := w.Write(InertJSON(buf.Bytes())); err != nil {
			return err
		}
	}
	return nil
}
