package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"

	"github.com/rca-dev/rca/pkg/event"
)

//go:embed report.html.tmpl
var htmlSource string

var htmlTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"clock":      clock,
	"day":        day,
	"span":       span,
	"deref":      deref,
	"noIncident": noIncident,
	"pct":        func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) },
	"bar":        func(f float64) float64 { return math.Round(math.Max(0, math.Min(1, f))*1000) / 10 },
	"log":        func(s string) string { return Terminal(fit(s, docMessageMax)) },
	"text":       Terminal,
	"loc":        func(file string, line int64) string { return Terminal(fmt.Sprintf("%s:%d", file, line)) },
	"plural": func(n int, one, many string) string {
		return fmt.Sprintf("%d %s", n, pluralS(n, one, many))
	},
	"f":        func(v float64) string { return fmt.Sprintf("%.1f", v) },
	"add":      func(a, b float64) float64 { return a + b },
	"subtract": func(a, b float64) float64 { return a - b },
	"first": func(ev []event.Evidence) *event.Evidence {
		if len(ev) == 0 {
			return nil
		}
		return &ev[0]
	},
}).Parse(htmlSource))

// htmlView is what the template renders.
type htmlView struct {
	Title     string
	R         *event.Report
	Top       *top
	Skew      string
	Baseline  string
	Chart     *chart
	Incidents []htmlIncident
}

type htmlIncident struct {
	*event.Incident
	Shown, Folded []event.TimelineRow
	Note          string
}

// WriteHTML writes the report as one self-contained HTML page: inline CSS
// and an inline SVG timeline chart (one swim lane per service, errors over
// time, incident windows shaded, the first evidence of each cause
// marked), then the same content as the Markdown report. The page loads
// nothing: no script, no font, no image from anywhere, and a
// Content-Security-Policy that forbids it all, so it works offline and
// as a CI artifact. All log text is HTML-escaped.
func WriteHTML(w io.Writer, r *event.Report, o Options) error {
	v := htmlView{Title: "rca analysis", R: r, Top: headline(r), Skew: skewLine(r.Inputs), Chart: newChart(r),
		Baseline: Terminal(baselineLine(r.Baseline))}
	if o.Title != "" {
		v.Title += " · " + Terminal(o.Title)
	}
	for i := range r.Incidents {
		inc := &r.Incidents[i]
		rows := inc.Timeline[:min(len(inc.Timeline), docTimelineMax)]
		hi := htmlIncident{Incident: inc, Shown: rows[:min(len(rows), docTimelineShown)], Note: timelineNote(len(inc.Timeline))}
		if len(rows) > docTimelineShown {
			hi.Folded = rows[docTimelineShown:]
		}
		v.Incidents = append(v.Incidents, hi)
	}
	return htmlTmpl.Execute(w, v)
}
