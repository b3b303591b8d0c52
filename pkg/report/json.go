package report

import (
	"encoding/json"
	"io"

	"github.com/rca-dev/rca/pkg/event"
)

// WriteJSON writes the report as one indented JSON object (report-v1).
func WriteJSON(w io.Writer, r *event.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
