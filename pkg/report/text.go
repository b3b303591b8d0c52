package report

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/rca-dev/rca/pkg/event"
)

// Options shape a rendering.
type Options struct {
	// Title names what was analysed (the bundle), for headlines.
	Title string
	// Width is the text width in columns. 0 means no limit: nothing is
	// cut, each record stays on one line (for pipes and files).
	Width int
	// Color turns on ANSI styles (only for a terminal, or when forced).
	Color bool
	// TimelineRows is how many timeline rows per incident text shows; 0
	// means 15, a negative number all of them.
	TimelineRows int
	// EvidenceLines is how many evidence lines per cause text shows; 0
	// means 3, a negative number all of them.
	EvidenceLines int
}

// styles are the terminal styles; all are no-ops without colour.
type styles struct {
	on                                  bool
	bold, faint, title, loc, cause, hdr lipgloss.Style
	sev                                 map[string]lipgloss.Style
	level                               map[string]lipgloss.Style
	confHi, confLo                      lipgloss.Style
	mark                                lipgloss.Style // search: the words a query matched
}

func newStyles(color bool) *styles {
	// The renderer never writes: it only decides how styles render. Its
	// profile is fixed (16 ANSI colours), so output does not depend on the
	// terminal it runs in and nothing queries the terminal.
	r := lipgloss.NewRenderer(io.Discard)
	if color {
		r.SetColorProfile(termenv.ANSI)
	} else {
		r.SetColorProfile(termenv.Ascii)
	}
	st := func() lipgloss.Style { return r.NewStyle() }
	fg := func(c string) lipgloss.Style { return st().Foreground(lipgloss.Color(c)) }
	return &styles{
		on: color, bold: st().Bold(true), faint: st().Faint(true), title: st().Bold(true),
		loc: fg("6"), cause: st().Bold(true), hdr: st().Faint(true).Bold(true),
		sev: map[string]lipgloss.Style{
			event.SeverityCritical: fg("1").Bold(true).Reverse(true),
			event.SeverityWarning:  fg("3").Bold(true).Reverse(true),
			event.SeverityInfo:     fg("6").Reverse(true),
		},
		level: map[string]lipgloss.Style{
			"fatal": fg("1").Bold(true), "error": fg("1"), "warn": fg("3"),
		},
		confHi: fg("2").Bold(true), confLo: fg("3"),
		mark: fg("5").Bold(true),
	}
}

// s renders text in a style; plain text when colour is off.
func (st *styles) s(style lipgloss.Style, text string) string {
	if !st.on || text == "" {
		return text
	}
	return style.Render(text)
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

// day formats a time as UTC date and clock to the second.
func day(t event.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04:05") + "Z"
}

// span formats a time range: the second end without its date when it is
// the same day, then the duration.
func span(from, to event.Time) string {
	if from.IsZero() {
		return "-"
	}
	end := day(to)
	if from.UTC().Format("2006-01-02") == to.UTC().Format("2006-01-02") {
		end = to.UTC().Format("15:04:05") + "Z"
	}
	return fmt.Sprintf("%s → %s (%s)", day(from), end, duration(from, to))
}

// fit cuts s to at most n display columns (lipgloss.Width), marking a cut
// with "…"; n <= 0 means no limit.
func fit(s string, n int) string {
	if n <= 0 || lipgloss.Width(s) <= n {
		return s
	}
	if n == 1 {
		return "…"
	}
	return ansi.Truncate(s, n, "…")
}

// pad fills s with spaces to n display columns.
func pad(s string, n int) string {
	if w := lipgloss.Width(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}

// wrap breaks s into lines of at most n columns (at spaces where it can);
// n <= 0 keeps one line.
func wrap(s string, n int) []string {
	if n <= 0 || lipgloss.Width(s) <= n {
		return []string{s}
	}
	return strings.Split(ansi.Wrap(s, n, ""), "\n")
}

// WriteText writes the report for a person at a terminal (or a pager, a
// file, grep): a header with the bundle's span, counts, sources and skew,
// then each incident by rank with its window, the services it touched,
// the ranked causes with confidence and evidence (file:line), and a
// compact timeline with repeats collapsed. Times are UTC. Log text is
// escaped (Terminal). With a Width every line fits it; without one,
// nothing is cut and each evidence or timeline record is one line.
func WriteText(w io.Writer, r *event.Report, o Options) error {
	if o.TimelineRows == 0 {
		o.TimelineRows = 15
	}
	if o.EvidenceLines == 0 {
		o.EvidenceLines = 3
	}
	st := newStyles(o.Color)
	ew := &errWriter{w: w}
	line := func(s string) { ew.printf("%s\n", strings.TrimRight(s, " ")) }
	s := r.Summary

	title := "rca analysis"
	if o.Title != "" {
		title += " · " + Terminal(o.Title)
	}
	line(st.s(st.title, fit(title, o.Width)))
	label := func(l string) string { return pad(st.s(st.faint, l), 9) }
	line(label("span") + fit(span(s.Start, s.End), o.Width-9))
	counts := fmt.Sprintf("%d in %d inputs · %d errors · %d warnings · %d %s", s.Events, len(r.Inputs), s.Errors, s.Warnings,
		s.Incidents, pluralS(s.Incidents, "incident", "incidents"))
	for i, l := range wrap(counts, o.Width-9) {
		if i == 0 {
			line(label("events") + l)
		} else {
			line(pad("", 9) + l)
		}
	}
	if sk := skewLine(r.Inputs); sk != "" {
		line(label("skew") + fit(Terminal(sk)+" (corrected)", o.Width-9))
	}
	if bl := baselineLine(r.Baseline); bl != "" {
		for i, l := range wrap(Terminal(bl), o.Width-9) {
			if i == 0 {
				line(label("baseline") + l)
			} else {
				line(pad("", 9) + l)
			}
		}
	}
	ew.printf("\n")
	writeSources(ew, r.Inputs, o, st)

	if len(r.Incidents) == 0 {
		ew.printf("\nNo incident: %s\n", noIncident(r))
		return ew.err
	}
	for _, inc := range r.Incidents {
		writeIncident(ew, &inc, o, st)
	}
	return ew.err
}

// writeSources lists each source with its formats, zones and skew.
func writeSources(ew *errWriter, in []event.InputSummary, o Options, st *styles) {
	rows := [][]string{}
	header := []string{"SOURCE", "FORMATS", "ZONES"}
	skewed := strings.Contains(skewLine(in), "clock")
	if skewed {
		header = append(header, "SKEW")
	}
	for _, src := range sourceList(in) {
		skew := ""
		if src.skew != 0 {
			skew = fmt.Sprintf("%+.1fs", src.skew)
		}
		row := []string{Terminal(src.name), Terminal(strings.Join(src.formats, ", ")), Terminal(strings.Join(src.zones, ", "))}
		if skewed {
			row = append(row, skew)
		}
		rows = append(rows, row)
	}
	t := &table{header: header, rows: rows, shrink: []int{1, 2, 0}, right: map[int]bool{3: true}}
	for _, l := range t.render(o.Width) {
		if l.header {
			ew.printf("%s\n", st.s(st.hdr, l.text))
		} else {
			ew.printf("%s\n", l.text)
		}
	}
}

func writeIncident(ew *errWriter, inc *event.Incident, o Options, st *styles) {
	line := func(s string) { ew.printf("%s\n", strings.TrimRight(s, " ")) }
	ew.printf("\n")
	head := fmt.Sprintf("%s %s %s", st.s(st.bold, inc.ID), st.s(st.sev[inc.Severity], " "+inc.Severity+" "), span(inc.Start, inc.End))
	if o.Width > 0 && lipgloss.Width(head) > o.Width {
		head = fmt.Sprintf("%s %s %s", st.s(st.bold, inc.ID), st.s(st.sev[inc.Severity], " "+inc.Severity+" "), fit(span(inc.Start, inc.End), o.Width-len(inc.ID)-len(inc.Severity)-4))
	}
	line(head)
	label := func(l string) string { return "  " + pad(st.s(st.faint, l), 10) }
	for i, l := range wrap(Terminal(strings.Join(inc.Services, ", ")), o.Width-12) {
		if i == 0 {
			line(label("services") + l)
		} else {
			line(pad("", 12) + l)
		}
	}
	line(label("causes"))
	for _, c := range inc.Causes {
		conf := fmt.Sprintf("%3.0f%%", c.Confidence*100)
		cs := st.confLo
		if c.Confidence >= 0.5 {
			cs = st.confHi
		}
		name := Terminal(c.Service) + " — " + Terminal(c.Kind)
		line(fmt.Sprintf("  %2d %s  %s", c.Rank, st.s(cs, conf), st.s(st.cause, fit(name, o.Width-11))))
		for _, l := range wrap(Terminal(c.Summary), o.Width-10) {
			line(pad("", 10) + l)
		}
		for i, e := range c.Evidence {
			if o.EvidenceLines > 0 && i == o.EvidenceLines {
				line(pad("", 10) + st.s(st.faint, fmt.Sprintf("… %d more in --format json", len(c.Evidence)-i)))
				break
			}
			tm, loc, msg := clock(e.Time), Terminal(fmt.Sprintf("%s:%d", e.File, e.Line)), Terminal(e.Message)
			oneLine := 10 + len(tm) + 2 + lipgloss.Width(loc) + 2 + lipgloss.Width(msg)
			if o.Width <= 0 || oneLine <= o.Width {
				line(pad("", 10) + st.s(st.faint, tm) + "  " + st.s(st.loc, loc) + "  " + msg)
				continue
			}
			// too long for one line: the location, then the message below it
			line(pad("", 10) + st.s(st.faint, tm) + "  " + st.s(st.loc, fit(loc, o.Width-10-len(tm)-2)))
			line(pad("", 12) + fit(msg, o.Width-12))
		}
	}
	writeTimeline(ew, inc, o, st)
}

// writeTimeline shows the incident's first timeline rows as a table.
func writeTimeline(ew *errWriter, inc *event.Incident, o Options, st *styles) {
	n := len(inc.Timeline)
	shown := n
	if o.TimelineRows > 0 && n > o.TimelineRows {
		shown = o.TimelineRows
	}
	note := fmt.Sprintf("%d %s", n, pluralS(n, "row", "rows"))
	if shown < n {
		note = fmt.Sprintf("first %d of %d rows; all in --format json", shown, n)
	}
	ew.printf("  %s%s\n", pad(st.s(st.faint, "timeline"), 10), st.s(st.faint, note))
	if n == 0 {
		return
	}
	wide := o.Width <= 0 || o.Width >= 120
	header := []string{"TIME", "SERVICE", "LEVEL", "×", "MESSAGE"}
	if wide {
		header = []string{"TIME", "SERVICE", "LEVEL", "KIND", "×", "MESSAGE"}
	}
	rows := make([][]string, 0, shown)
	levels := make([]string, 0, shown)
	for _, t := range inc.Timeline[:shown] {
		lvl := deref(t.Level)
		cnt := ""
		if t.Count > 1 {
			cnt = fmt.Sprintf("×%d", t.Count)
		}
		row := []string{clock(t.Time), Terminal(t.Service), lvl, cnt, Terminal(t.Message)}
		if wide {
			row = []string{clock(t.Time), Terminal(t.Service), lvl, Terminal(deref(t.Kind)), cnt, Terminal(t.Message)}
		}
		rows = append(rows, row)
		levels = append(levels, lvl)
	}
	t := &table{header: header, rows: rows, indent: 2, shrink: []int{len(header) - 1, 1}, right: map[int]bool{len(header) - 2: true}}
	if wide {
		t.shrink = []int{len(header) - 1, 3, 1}
	}
	for _, l := range t.render(o.Width) {
		switch {
		case l.header:
			ew.printf("%s\n", st.s(st.hdr, l.text))
		case st.on:
			// the time column dim, the rest in the level's colour
			cut := t.indent + len("15:04:05.000Z")
			ew.printf("%s%s%s\n", l.text[:t.indent], st.s(st.faint, l.text[t.indent:cut]), st.s(st.level[levels[l.row]], l.text[cut:]))
		default:
			ew.printf("%s\n", l.text)
		}
	}
}

// source is one source of the bundle as the header lists it.
type source struct {
	name           string
	formats, zones []string
	skew           float64
}

func sourceList(in []event.InputSummary) []source {
	type acc struct {
		formats, zones map[string]bool
		skew           float64
	}
	m := map[string]*acc{}
	var names []string
	for _, i := range in {
		if i.Skipped != nil && i.Lines == 0 {
			continue
		}
		a := m[i.Source]
		if a == nil {
			a = &acc{formats: map[string]bool{}, zones: map[string]bool{}}
			m[i.Source] = a
			names = append(names, i.Source)
		}
		if i.Format != nil {
			a.formats[*i.Format] = true
		}
		a.zones[i.Timezone] = true
		if i.SkewSeconds != 0 {
			a.skew = i.SkewSeconds
		}
	}
	sort.Strings(names)
	out := make([]source, 0, len(names))
	for _, n := range names {
		out = append(out, source{name: n, formats: keys(m[n].formats), zones: keys(m[n].zones), skew: m[n].skew})
	}
	return out
}

func skewLine(in []event.InputSummary) string {
	var parts []string
	for _, s := range sourceList(in) {
		if s.skew != 0 {
			ahead := "ahead"
			if s.skew < 0 {
				ahead = "behind"
			}
			parts = append(parts, fmt.Sprintf("%s clock %.1fs %s", s.name, abs(s.skew), ahead))
		}
	}
	return strings.Join(parts, ", ")
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
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
