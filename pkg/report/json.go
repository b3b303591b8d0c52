package report

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/rca-dev/rca/pkg/event"
)

// WriteJSON writes the report as one indented JSON object (report-v1).
// Arrays of numbers (the series' counts) stay on one line each. Log text
// keeps its content; the runes that could act on a terminal are
// \u-escaped (see InertJSON).
func WriteJSON(w io.Writer, r *event.Report) error {
	if r.Series == nil { // arrays are never null
		cp := *r
		cp.Series = []event.Series{}
		r = &cp
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return err
	}
	_, err := w.Write(InertJSON(compactNumberArrays(buf.Bytes())))
	return err
}

// compactNumberArrays rewrites indented arrays whose elements are all
// numbers onto one line: "[\n    1,\n    2\n  ]" becomes "[1, 2]". Indented
// JSON has newlines only between tokens (a newline inside a string is
// escaped), so an '[' followed by a newline is structure, never text.
func compactNumberArrays(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		if b[i] == '[' && i+1 < len(b) && b[i+1] == '\n' {
			if end, ok := numberArray(b, i); ok {
				out = append(out, '[')
				first := true
				for _, f := range bytes.FieldsFunc(b[i+1:end], func(r rune) bool { return r == ',' || r == ' ' || r == '\n' }) {
					if !first {
						out = append(out, ", "...)
					}
					first = false
					out = append(out, f...)
				}
				out = append(out, ']')
				i = end + 1
				continue
			}
		}
		out = append(out, b[i])
		i++
	}
	return out
}

// numberArray reports whether the array opening at b[i] holds only
// numbers, and where its ']' is.
func numberArray(b []byte, i int) (int, bool) {
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == ']':
			return j, true
		case c == ',' || c == ' ' || c == '\n' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' || (c >= '0' && c <= '9'):
		default:
			return 0, false
		}
	}
	return 0, false
}
