package report

import (
	"fmt"
	"strings"

	"github.com/rca-dev/rca/pkg/event"
)

// baselineLine says which good runs an analysis was compared with
// (`rca analyze --baseline`), in plain text (callers escape it for where
// it goes): "good/ (1 run: 3998 events, 79m; 37% of the warning and error
// templates here seen there); node-2 not in it (judged against its own
// quiet periods)". "" when there was no baseline.
func baselineLine(b *event.Baseline) string {
	if b == nil {
		return ""
	}
	var events int64
	var mins float64
	names := make([]string, 0, len(b.Runs))
	for _, r := range b.Runs {
		events += r.Events
		mins += r.Minutes
		names = append(names, r.Path)
	}
	s := fmt.Sprintf("%s (%d %s: %d events, %s; %.0f%% of the warning and error templates here seen there)", strings.Join(names, ", "),
		len(b.Runs), pluralS(len(b.Runs), "run", "runs"), events, minutes(mins), b.SharedTemplates*100)
	if n := len(b.Uncovered); n > 0 {
		s += fmt.Sprintf("; %s not in it (judged against %s own quiet periods)", strings.Join(b.Uncovered, ", "), pluralS(n, "its", "their"))
	}
	return s
}

// noIncident is the sentence of a report without incidents.
func noIncident(r *event.Report) string {
	if r.Baseline != nil {
		return "nothing deviates from the good runs' behaviour."
	}
	return "nothing deviates from the bundle's normal behaviour."
}
