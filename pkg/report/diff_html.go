package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/rca-dev/rca/pkg/event"
)

//go:embed diff.html.tmpl
var diffHTMLSource string

// diffHTMLTmpl shares the report page's style sheet and helpers (it is
// parsed into the same template set as htmlTmpl).
var diffHTMLTmpl = template.Must(template.Must(htmlTmpl.Clone()).New("diff").Funcs(template.FuncMap{
	"ratio": func(v float64) string { return fmt.Sprintf("%.2f", v) },
	"pval":  diffP,
}).Parse(diffHTMLSource))

type diffHTMLView struct {
	Title     string
	D         *event.Diff
	Head, Sub string
	Counts    string
	Rows      []diffHTMLRow
	Sides     []diffHTMLSide
}

type diffHTMLRow struct {
	F      *event.DiffFinding
	Level  string
	Values string // field=value of the new values folded into the row
	Ratio  string
	Gone   bool
	Sample string // the first occurrence's message, when it differs from the template
}

type diffHTMLSide struct {
	Name   string
	Inputs []event.InputSummary
}

// WriteDiffHTML writes the diff as one self-contained HTML page with the
// report page's look: a headline of what changed, the findings table
// (level, change, source, template with its first occurrence in the
// target, counts on both sides, rate ratio, p-value, file:line) and the
// inputs of both sides. Like WriteHTML it loads nothing (no script, font
// or image; a Content-Security-Policy forbids it) and escapes all text
// taken from logs.
func WriteDiffHTML(w io.Writer, d *event.Diff, o Options) error {
	head, sub := diffHead(d)
	v := diffHTMLView{Title: "rca diff", D: d, Head: head, Sub: sub, Counts: diffCounts(d),
		Sides: []diffHTMLSide{{"Baseline", d.Baseline}, {"Target", d.Target}}}
	if o.Title != "" {
		v.Title += " · " + Terminal(o.Title)
	}
	for _, r := range diffRows(d.Findings) {
		row := diffHTMLRow{F: r.f, Level: deref(r.f.Level), Values: strings.Join(r.values, " "),
			Ratio: diffRatio(r.f), Gone: r.f.Change == event.ChangeGone}
		if r.f.First != nil && r.f.First.Message != r.f.Template {
			row.Sample = r.f.First.Message
		}
		v.Rows = append(v.Rows, row)
	}
	return diffHTMLTmpl.ExecuteTemplate(w, "diff", v)
}

// diffCounts sums the findings up: "2 new error templates · 1 new value ·
// 3 rate changes · 1 gone".
func diffCounts(d *event.Diff) string {
	var newErr, newWarn, newOther, values, rates, gone int
	for _, f := range d.Findings {
		switch f.Change {
		case event.ChangeNew:
			switch levelOf(f.Level) {
			case 2:
				newErr++
			case 1:
				newWarn++
			default:
				newOther++
			}
		case event.ChangeNewValue:
			values++
		case event.ChangeRate:
			rates++
		case event.ChangeGone:
			gone++
		}
	}
	var parts []string
	add := func(n int, one, many string) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, pluralS(n, one, many)))
		}
	}
	add(newErr, "new error template", "new error templates")
	add(newWarn, "new warning template", "new warning templates")
	add(newOther, "other new template", "other new templates")
	add(values, "new field value", "new field values")
	add(rates, "rate change", "rate changes")
	add(gone, "template gone", "templates gone")
	return strings.Join(parts, " · ")
}

// levelOf is 2 for error and worse, 1 for warn, 0 otherwise.
func levelOf(l *string) int {
	switch r := event.Level(deref(l)).Rank(); {
	case r >= event.LevelError.Rank():
		return 2
	case r >= event.LevelWarn.Rank():
		return 1
	}
	return 0
}
