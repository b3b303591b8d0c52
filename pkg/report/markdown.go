package report

import (
	"fmt"
	"io"

	"github.com/rca-dev/rca/pkg/event"
)

// WriteMarkdown writes the report for a ticket (GitHub, GitLab, Jira's
// Markdown): a headline, a causes table, evidence in collapsible details,
// the timeline and the inputs. Every log-derived cell is escaped.
func WriteMarkdown(w io.Writer, r *event.Report) error {
	ew := &errWriter{w: w}
	s := r.Summary
	ew.printf("# rca analysis\n\n")
	if len(r.Incidents) > 0 {
		top := r.Incidents[0]
		if len(top.Causes) > 0 {
			c := top.Causes[0]
			ew.printf("**Most likely cause:** %s — `%s` (%.0f%% confidence, %s incident %s)\n\n",
				MarkdownCell(c.Service), c.Kind, c.Confidence*100, top.Severity, top.ID)
		}
	} else {
		ew.printf("**No incident:** nothing deviates from the bundle's normal behaviour.\n\n")
	}
	ew.printf("%d inputs · %d events · %d errors · %d warnings · %s → %s\n\n", len(r.Inputs), s.Events, s.Errors, s.Warnings, day(s.Start), day(s.End))
	for _, inc := range r.Incidents {
		ew.printf("## %s · %s · %s → %s (%s)\n\n", inc.ID, inc.Severity, day(inc.Start), clock(inc.End), duration(inc.Start, inc.End))
		ew.printf("Services: %s\n\n", mdList(inc.Services))
		ew.printf("| # | service | kind | confidence | summary |\n|---|---|---|---|---|\n")
		for _, c := range inc.Causes {
			ew.printf("| %d | %s | %s | %.0f%% | %s |\n", c.Rank, MarkdownCell(c.Service), MarkdownCell(c.Kind), c.Confidence*100, MarkdownCell(c.Summary))
		}
		ew.printf("\n")
		for _, c := range inc.Causes {
			ew.printf("<details><summary>Evidence for %d. %s — %s</summary>\n\n", c.Rank, MarkdownCell(c.Service), MarkdownCell(c.Kind))
			ew.printf("| time (UTC) | source | file:line | message |\n|---|---|---|---|\n")
			for _, e := range c.Evidence {
				ew.printf("| %s | %s | %s | %s |\n", clock(e.Time), MarkdownCell(e.Source), MarkdownCell(fmt.Sprintf("%s:%d", e.File, e.Line)), MarkdownCell(truncate(e.Message, 240)))
			}
			ew.printf("\n</details>\n\n")
		}
		ew.printf("<details><summary>Timeline (%d rows)</summary>\n\n| time (UTC) | service | level | kind | count | message | file:line |\n|---|---|---|---|---|---|---|\n", len(inc.Timeline))
		for i, t := range inc.Timeline {
			if i == 200 {
				ew.printf("\n%d more rows in the JSON report.\n", len(inc.Timeline)-200)
				break
			}
			ew.printf("| %s | %s | %s | %s | %d | %s | %s |\n", clock(t.Time), MarkdownCell(t.Service), MarkdownCell(deref(t.Level)), MarkdownCell(deref(t.Kind)),
				t.Count, MarkdownCell(truncate(t.Message, 200)), MarkdownCell(fmt.Sprintf("%s:%d", t.File, t.Line)))
		}
		ew.printf("\n</details>\n\n")
	}
	ew.printf("<details><summary>Inputs (%d)</summary>\n\n| path | source | format | zone | lines | events | cont. | unparsed | empty | skew s |\n|---|---|---|---|---|---|---|---|---|---|\n", len(r.Inputs))
	for _, in := range r.Inputs {
		ew.printf("| %s | %s | %s | %s | %d | %d | %d | %d | %d | %.1f |\n", MarkdownCell(in.Path), MarkdownCell(in.Source), MarkdownCell(deref(in.Format)),
			MarkdownCell(in.Timezone), in.Lines, in.Events, in.Continuation, in.Unparsed, in.Empty, in.SkewSeconds)
	}
	ew.printf("\n</details>\n")
	return ew.err
}

func deref(s *string) string {
	if s == nil {
		return "-"
	}
	return *s
}

func mdList(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += ", "
		}
		out += MarkdownCell(s)
	}
	return out
}
