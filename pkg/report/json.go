package report

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/rca-dev/rca/pkg/event"
)

// WriteJSON writes the report as one indented JSON object (report-v1).
// Log text keeps its content; the runes that could act on a terminal are
// \u-escaped (see InertJSON).
func WriteJSON(w io.Writer, r *event.Report) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return err
	}
	_, err := w.Write(InertJSON(buf.Bytes()))
	return err
}
