package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// Limits of the Markdown (and HTML) report: a ticket should stay readable.
const (
	docTimelineShown = 25  // timeline rows shown before the "more" fold
	docTimelineMax   = 200 // rows in the report at all; the rest are in the JSON
	docMessageMax    = 240 // characters of a log message
)

// WriteMarkdown writes the report for a ticket (GitHub, GitLab, Jira's
// Markdown): a headline with the most likely cause, then per incident a
// causes table, evidence in collapsible <details>, the timeline table,
// then errors over time per service and the inputs. Every log-derived
// cell is escaped (MarkdownCell), so log text cannot break a table or
// inject markup, links or HTML.
func WriteMarkdown(w io.Writer, r *event.Report, o Options) error {
	ew := &errWriter{w: w}
	s := r.Summary
	title := "rca analysis"
	if o.Title != "" {
		title += " · " + MarkdownCell(o.Title)
	}
	ew.printf("# %s\n\n", title)
	if h := headline(r); h != nil {
		ew.printf("**Most likely cause:** %s — %s (%.0f%% confidence) · %s · %s · %s\n\n", MarkdownCell(h.Cause.Service), mdCode(h.Cause.Kind),
			h.Cause.Confidence*100, h.Inc.ID, h.Inc.Severity, span(h.Inc.Start, h.Inc.End))
		ew.printf("> %s\n\n", MarkdownCell(h.Cause.Summary))
	} else {
		ew.printf("**No incident:** %s\n\n", noIncident(r))
	}
	ew.printf("%d events in %d inputs · %d errors · %d warnings · %d %s · %s\n\n", s.Events, len(r.Inputs), s.Errors, s.Warnings,
		s.Incidents, pluralS(s.Incidents, "incident", "incidents"), span(s.Start, s.End))
	if sk := skewLine(r.Inputs); sk != "" {
		ew.printf("Clock skew corrected: %s.\n\n", MarkdownCell(sk))
	}
	if bl := baselineLine(r.Baseline); bl != "" {
		ew.printf("Baseline (good runs): %s.\n\n", MarkdownCell(bl))
	}
	for _, inc := range r.Incidents {
		ew.printf("## %s · %s · %s\n\n", inc.ID, inc.Severity, span(inc.Start, inc.End))
		ew.printf("**Services:** %s\n\n", mdList(inc.Services))
		ew.printf("### Likely causes\n\n| # | service | kind | confidence | summary | first evidence |\n|---:|---|---|---:|---|---|\n")
		for _, c := range inc.Causes {
			first := "-"
			if len(c.Evidence) > 0 {
				e := c.Evidence[0]
				first = clock(e.Time) + " " + MarkdownCell(fmt.Sprintf("%s:%d", e.File, e.Line))
			}
			ew.printf("| %d | %s | %s | %.0f%% | %s | %s |\n", c.Rank, MarkdownCell(c.Service), mdCode(c.Kind), c.Confidence*100, MarkdownCell(c.Summary), first)
		}
		ew.printf("\n")
		for _, c := range inc.Causes {
			ew.printf("<details><summary>Evidence for %d. %s — %s (%d %s)</summary>\n\n", c.Rank, MarkdownCell(c.Service), MarkdownCell(c.Kind),
				len(c.Evidence), pluralS(len(c.Evidence), "line", "lines"))
			ew.printf("| time (UTC) | source | file:line | message |\n|---|---|---|---|\n")
			for _, e := range c.Evidence {
				ew.printf("| %s | %s | %s | %s |\n", clock(e.Time), MarkdownCell(e.Source), MarkdownCell(fmt.Sprintf("%s:%d", e.File, e.Line)),
					MarkdownCell(fit(e.Message, docMessageMax)))
			}
			ew.printf("\n</details>\n\n")
		}
		ew.printf("### Timeline\n\n%s\n\n", timelineNote(len(inc.Timeline)))
		rows := inc.Timeline[:min(len(inc.Timeline), docTimelineMax)]
		writeMDTimeline(ew, rows[:min(len(rows), docTimelineShown)])
		if len(rows) > docTimelineShown {
			ew.printf("\n<details><summary>%d more rows</summary>\n\n", len(rows)-docTimelineShown)
			writeMDTimeline(ew, rows[docTimelineShown:])
			ew.printf("\n</details>\n")
		}
		ew.printf("\n")
	}
	if len(r.Series) > 0 {
		lanes := lanes(r)
		ew.printf("## Errors over time\n\n%s, one mark per %s\n\n| service | events | errors | errors over time |\n|---|---:|---:|---|\n",
			span(lanes.start, lanes.end), time.Duration(lanes.perCell(mdSparkCells))*lanes.bucket)
		for _, l := range lanes.list {
			ew.printf("| %s | %d | %d | %s |\n", MarkdownCell(l.name), l.events, l.errors, mdSpark(Sparkline(l.cells(l.series.Errors, mdSparkCells))))
		}
		ew.printf("\n")
	}
	ew.printf("<details><summary>Inputs (%d)</summary>\n\n| path | source | format | zone | lines | events | cont. | unparsed | empty | skew s |\n|---|---|---|---|---:|---:|---:|---:|---:|---:|\n", len(r.Inputs))
	for _, in := range r.Inputs {
		ew.printf("| %s | %s | %s | %s | %d | %d | %d | %d | %d | %.1f |\n", MarkdownCell(in.Path), MarkdownCell(in.Source), MarkdownCell(deref(in.Format)),
			MarkdownCell(in.Timezone), in.Lines, in.Events, in.Continuation, in.Unparsed, in.Empty, in.SkewSeconds)
	}
	ew.printf("\n</details>\n\n<sub>%s %s · generated %s · all times UTC</sub>\n", MarkdownCell(r.Tool.Name), MarkdownCell(r.Tool.Version), day(r.GeneratedAt))
	return ew.err
}

const mdSparkCells = 48

// mdSpark puts a sparkline in a code span so its spaces keep their width.
func mdSpark(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return "`" + s + "`"
}

func writeMDTimeline(ew *errWriter, rows []event.TimelineRow) {
	ew.printf("| time (UTC) | service | level | kind | × | message | file:line |\n|---|---|---|---|---:|---|---|\n")
	for _, t := range rows {
		ew.printf("| %s | %s | %s | %s | %d | %s | %s |\n", clock(t.Time), MarkdownCell(t.Service), MarkdownCell(deref(t.Level)), MarkdownCell(deref(t.Kind)),
			t.Count, MarkdownCell(fit(t.Message, docMessageMax)), MarkdownCell(fmt.Sprintf("%s:%d", t.File, t.Line)))
	}
}

func timelineNote(n int) string {
	switch {
	case n == 0:
		return "No timeline rows."
	case n > docTimelineMax:
		return fmt.Sprintf("%d rows (repeats collapsed); the first %d here, all in the JSON report.", n, docTimelineMax)
	}
	return fmt.Sprintf("%d %s, repeats collapsed.", n, pluralS(n, "row", "rows"))
}

// top is the report's headline: the best cause of the top incident.
type top struct {
	Inc   *event.Incident
	Cause *event.Cause
}

func headline(r *event.Report) *top {
	if len(r.Incidents) == 0 || len(r.Incidents[0].Causes) == 0 {
		return nil
	}
	return &top{Inc: &r.Incidents[0], Cause: &r.Incidents[0].Causes[0]}
}

// mdCode shows a kind as code when it is a plain identifier, else escaped.
func mdCode(s string) string {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return MarkdownCell(s)
		}
	}
	if s == "" {
		return "-"
	}
	return "`" + s + "`"
}

func deref(s *string) string {
	if s == nil {
		return "-"
	}
	return *s
}

func mdList(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = MarkdownCell(s)
	}
	return strings.Join(out, ", ")
}
