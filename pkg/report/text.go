package report

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// TextOptions shape the terminal rendering.
type TextOptions struct {
	Width        int  // columns; 0 means 100
	Color        bool // ANSI colour (only when writing to a terminal, or forced)
	TimelineRows int  // rows of timeline per incident; 0 means 15
}

func (o TextOptions) style(code, s string) string {
	if !o.Color || s == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

// clock formats a time as the UTC clock with milliseconds.
func clock(t event.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("15:04:05.000") + "Z"
}

// duration is the time from a to b, rounded to the second; spans too long
// for a time.Duration (about 292 years: a log stamped in year 1 or 9999)
// are counted in days instead of being shown saturated.
func duration(a, b event.Time) string {
	d := b.Sub(a.Time)
	if d == math.MaxInt64 || d == math.MinInt64 {
		return fmt.Sprintf("%d days", (b.Unix()-a.Unix())/86400)
	}
	return d.Round(time.Second).String()
}

func day(t event.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04:05") + "Z"
}

// WriteText writes the report for a person at a terminal: a header with the
// bundle's span and sources, then each incident with its ranked causes, the
// evidence lines (file:line) and a compact timeline. All times are UTC.
func WriteText(w io.Writer, r *event.Report, o TextOptions) error {
	if o.Width <= 0 {
		o.Width = 100
	}
	if o.TimelineRows <= 0 {
		o.TimelineRows = 15
	}
	ew := &errWriter{w: w}
	s := r.Summary
	span := "-"
	if !s.Start.IsZero() {
		span = fmt.Sprintf("%s → %s (%s)", day(s.Start), day(s.End), duration(s.Start, s.End))
	}
	ew.printf("%s %s\n", o.style("1", "rca analysis:"), span)
	ew.printf("%d inputs, %d events, %d errors, %d warnings, %d %s\n", len(r.Inputs), s.Events, s.Errors, s.Warnings,
		s.Incidents, pluralS(s.Incidents, "incident", "incidents"))
	ew.printf("sources: %s\n", Terminal(sourcesLine(r.Inputs)))
	if sk := skewLine(r.Inputs); sk != "" {
		ew.printf("clock skew corrected: %s\n", Terminal(sk))
	}
	if len(r.Incidents) == 0 {
		ew.printf("\nNo incident: nothing deviates from the bundle's normal behaviour.\n")
		return ew.err
	}
	for _, inc := range r.Incidents {
		ew.printf("\n%s  %s  %s → %s (%s)\n", o.style("1", inc.ID), o.style(sevColor(inc.Severity), inc.Severity),
			day(inc.Start), clock(inc.End), duration(inc.Start, inc.End))
		ew.printf("  services: %s\n", Terminal(strings.Join(inc.Services, ", ")))
		ew.printf("  likely causes:\n")
		for _, c := range inc.Causes {
			ew.printf("   %d. %3.0f%%  %s\n", c.Rank, c.Confidence*100, o.style("1", Terminal(truncate(c.Service+" — "+c.Kind, o.Width-12))))
			ew.printf("        %s\n", Terminal(truncate(c.Summary, o.Width-8)))
			for _, e := range c.Evidence {
				loc := fmt.Sprintf("%s:%d", e.File, e.Line)
				ew.printf("        %s %s  %s\n", o.style("2", clock(e.Time)), o.style("36", Terminal(truncate(loc, 48))),
					Terminal(truncate(e.Message, max(20, o.Width-30-len(loc)))))
			}
		}
		if len(inc.Signals) > 0 {
			ew.printf("  signals:\n")
			for i, sg := range inc.Signals {
				if i == 8 {
					ew.printf("     … %d more\n", len(inc.Signals)-8)
					break
				}
				tgt := ""
				if sg.Target != nil {
					tgt = " → " + *sg.Target
				}
				ew.printf("     %-26s %-18s %7d  %s–%s%s\n", Terminal(truncate(sg.Kind, 26)), Terminal(truncate(sg.Service, 18)), sg.Count,
					clock(sg.First), clock(sg.Last), Terminal(truncate(tgt, max(10, o.Width-80))))
			}
		}
		ew.printf("  timeline (%d rows", len(inc.Timeline))
		if len(inc.Timeline) > o.TimelineRows {
			ew.printf(", first %d; all in --format json", o.TimelineRows)
		}
		ew.printf("):\n")
		for i, t := range inc.Timeline {
			if i == o.TimelineRows {
				break
			}
			lvl := "-"
			if t.Level != nil {
				lvl = *t.Level
			}
			cnt := ""
			if t.Count > 1 {
				cnt = fmt.Sprintf("×%d ", t.Count)
			}
			line := fmt.Sprintf("%s %-5s %s%s", Terminal(truncate(t.Service, 16)), lvl, cnt, Terminal(t.Message))
			ew.printf("     %s %s\n", o.style("2", clock(t.Time)), o.style(levelColor(lvl), truncate(line, o.Width-20)))
		}
	}
	return ew.err
}

func sourcesLine(in []event.InputSummary) string {
	type src struct{ formats, zones map[string]bool }
	m := map[string]*src{}
	var names []string
	for _, i := range in {
		if i.Skipped != nil && i.Lines == 0 {
			continue
		}
		s := m[i.Source]
		if s == nil {
			s = &src{formats: map[string]bool{}, zones: map[string]bool{}}
			m[i.Source] = s
			names = append(names, i.Source)
		}
		if i.Format != nil {
			s.formats[*i.Format] = true
		}
		s.zones[i.Timezone] = true
	}
	sort.Strings(names)
	parts := make([]string, 0, len(names))
	for _, n := range names {
		parts = append(parts, fmt.Sprintf("%s (%s; %s)", n, keys(m[n].formats), keys(m[n].zones)))
	}
	return strings.Join(parts, ", ")
}

func skewLine(in []event.InputSummary) string {
	seen := map[string]bool{}
	var parts []string
	for _, i := range in {
		if i.SkewSeconds != 0 && !seen[i.Source] {
			seen[i.Source] = true
			parts = append(parts, fmt.Sprintf("%s %+.1fs", i.Source, i.SkewSeconds))
		}
	}
	return strings.Join(parts, ", ")
}

func keys(m map[string]bool) string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

func sevColor(s string) string {
	switch s {
	case event.SeverityCritical:
		return "1;31"
	case event.SeverityWarning:
		return "33"
	}
	return "36"
}

func levelColor(l string) string {
	switch l {
	case "error", "fatal":
		return "31"
	case "warn":
		return "33"
	}
	return ""
}

func pluralS(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// errWriter keeps the first write error so rendering code stays linear.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
