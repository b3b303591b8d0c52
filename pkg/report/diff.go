package report

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/rca-dev/rca/pkg/event"
)

// WriteDiffJSON writes the diff as one indented JSON object (rca.diff/v1).
func WriteDiffJSON(w io.Writer, d *event.Diff) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(d)
}

// diffRow is one rendered row: a finding, with the new values that were
// first seen on the same line folded into it (kind, status, upstream of one
// access-log line are one observation for a reader; JSON keeps them apart).
type diffRow struct {
	f      *event.DiffFinding
	values []string // field=value of the new_value findings folded here
}

func diffRows(fs []event.DiffFinding) []diffRow {
	var rows []diffRow
	for i := range fs {
		f := &fs[i]
		if f.Change == event.ChangeNewValue && f.Field != nil && f.Value != nil {
			kv := *f.Field + "=" + *f.Value
			if n := len(rows); n > 0 {
				p := rows[n-1].f
				if p.Change == event.ChangeNewValue && p.Source == f.Source && p.TemplateID == f.TemplateID &&
					p.TargetCount == f.TargetCount && sameFirst(p.First, f.First) {
					rows[n-1].values = append(rows[n-1].values, kv)
					continue
				}
			}
			rows = append(rows, diffRow{f: f, values: []string{kv}})
			continue
		}
		rows = append(rows, diffRow{f: f})
	}
	return rows
}

func sameFirst(a, b *event.Occurrence) bool {
	return a != nil && b != nil && a.File == b.File && a.Line == b.Line
}

// what is the row's subject: the template, or the new values in it.
func (r diffRow) what() string {
	if len(r.values) > 0 {
		return strings.Join(r.values, " ") + " in: " + r.f.Template
	}
	return r.f.Template
}

// diffRatio shows the effect size: "new", "gone", or the rate ratio.
func diffRatio(f *event.DiffFinding) string {
	switch f.Change {
	case event.ChangeNew, event.ChangeNewValue:
		return "new"
	case event.ChangeGone:
		return "gone"
	}
	if f.Ratio >= 10 || f.Ratio < 0.1 {
		return fmt.Sprintf("×%.3g", f.Ratio)
	}
	return fmt.Sprintf("×%.2f", f.Ratio)
}

func diffP(p float64) string {
	if p >= 0.01 {
		return fmt.Sprintf("%.2f", p)
	}
	if p < 1e-300 {
		return "<1e-300"
	}
	return fmt.Sprintf("%.0e", p)
}

func diffHead(d *event.Diff) (string, string) {
	s := d.Summary
	runs := pluralS(s.BaselineRuns, "baseline run", "baseline runs")
	head := fmt.Sprintf("%d %s (%d events, %s) → target (%d events, %s)", s.BaselineRuns, runs, s.BaselineEvents,
		minutes(s.BaselineMinutes), s.TargetEvents, minutes(s.TargetMinutes))
	sub := fmt.Sprintf("%d templates compared, %d %s (rate tests at FDR %g)", s.Templates, len(d.Findings),
		pluralS(len(d.Findings), "finding", "findings"), s.FDR)
	return head, sub
}

func minutes(m float64) string {
	if m >= 120 {
		return fmt.Sprintf("%.1fh", m/60)
	}
	return fmt.Sprintf("%.0fm", math.Round(m))
}

// WriteDiffText writes the diff for a person at a terminal: one row per
// finding (level, change, counts per side, ratio, p-value, source,
// template) and under it the first occurrence, file:line and message.
func WriteDiffText(w io.Writer, d *event.Diff, o Options) error {
	if o.Width <= 0 {
		o.Width = 160 // findings are cut to fit; the JSON has them whole
	}
	st := newStyles(o.Color)
	ew := &errWriter{w: w}
	head, sub := diffHead(d)
	ew.printf("%s %s\n%s\n", st.s(st.bold, "rca diff:"), head, sub)
	if len(d.Findings) == 0 {
		ew.printf("\nNo difference: the target's templates, rates and field values match the baseline.\n")
		return ew.err
	}
	ew.printf("\n%-5s %-9s %8s %8s %7s %7s  %-14s %s\n", "LEVEL", "CHANGE", "BASE", "TARGET", "RATIO", "P", "SOURCE", "TEMPLATE")
	for _, r := range diffRows(d.Findings) {
		f := r.f
		lvl := deref(f.Level)
		ew.printf("%s %-9s %8d %8d %7s %7s  %-14s %s\n", st.s(st.level[lvl], fmt.Sprintf("%-5s", truncate(lvl, 5))), f.Change,
			f.BaselineCount, f.TargetCount, diffRatio(f), diffP(f.P), Terminal(truncate(f.Source, 14)),
			Terminal(truncate(r.what(), max(20, o.Width-66))))
		if f.First != nil {
			loc := fmt.Sprintf("%s:%d", f.First.File, f.First.Line)
			label := "first"
			if f.Change == event.ChangeGone {
				label = "last seen in baseline"
			}
			ew.printf("      %s %s %s  %s\n", label, st.s(st.faint, clock(f.First.Time)), st.s(st.loc, Terminal(truncate(loc, 56))),
				Terminal(truncate(f.First.Message, max(20, o.Width-30-len(loc)))))
		}
	}
	return ew.err
}

// WriteDiffMarkdown writes the diff for a ticket or a CI summary: a
// headline, a findings table and the inputs of both sides. Every
// log-derived cell is escaped.
func WriteDiffMarkdown(w io.Writer, d *event.Diff) error {
	ew := &errWriter{w: w}
	head, sub := diffHead(d)
	ew.printf("# rca diff\n\n%s\n\n%s\n\n", head, sub)
	if len(d.Findings) == 0 {
		ew.printf("**No difference:** the target's templates, rates and field values match the baseline.\n\n")
	} else {
		ew.printf("| level | change | source | template | baseline | target | ratio | p | first (target) |\n|---|---|---|---|---|---|---|---|---|\n")
		for _, r := range diffRows(d.Findings) {
			f := r.f
			first := "-"
			if f.First != nil {
				first = MarkdownCell(fmt.Sprintf("%s:%d", f.First.File, f.First.Line)) + " " + clock(f.First.Time)
				if f.Change == event.ChangeGone {
					first = "(baseline) " + first
				}
			}
			ew.printf("| %s | %s | %s | %s | %d | %d | %s | %s | %s |\n", MarkdownCell(deref(f.Level)), f.Change, MarkdownCell(f.Source),
				MarkdownCell(truncate(r.what(), 200)), f.BaselineCount, f.TargetCount, diffRatio(f), diffP(f.P), first)
		}
		ew.printf("\n")
	}
	for _, side := range []struct {
		name string
		in   []event.InputSummary
	}{{"Baseline inputs", d.Baseline}, {"Target inputs", d.Target}} {
		ew.printf("<details><summary>%s (%d)</summary>\n\n| path | source | format | events |\n|---|---|---|---|\n", side.name, len(side.in))
		for _, in := range side.in {
			ew.printf("| %s | %s | %s | %d |\n", MarkdownCell(in.Path), MarkdownCell(in.Source), MarkdownCell(deref(in.Format)), in.Events)
		}
		ew.printf("\n</details>\n\n")
	}
	return ew.err
}
