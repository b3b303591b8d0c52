package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/rca-dev/rca/pkg/parse"
	"github.com/rca-dev/rca/pkg/report"
)

// writeSummary prints the inputs' formats, zones and line accounting, for a
// person, on stderr.
func writeSummary(w io.Writer, stats []parse.Stats, took time.Duration) {
	var lines, events, cont, unparsed, empty, bytes int64
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "INPUT\tSOURCE\tFORMAT\tCONF\tZONE\tLINES\tEVENTS\tCONT\tUNPARSED\tEMPTY")
	for _, s := range stats {
		if s.Skipped != "" && s.Lines == 0 {
			continue // listed by warnSkipped
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.2f\t%s\t%d\t%d\t%d\t%d\t%d\n", report.Terminal(s.Path), report.Terminal(s.Source), report.Terminal(s.Format), s.Confidence, report.Terminal(s.Timezone),
			s.Lines, s.Events, s.Continuation, s.Unparsed, s.Empty)
		lines += s.Lines
		events += s.Events
		cont += s.Continuation
		unparsed += s.Unparsed
		empty += s.Empty
		bytes += s.Bytes
	}
	tw.Flush()
	mb := float64(bytes) / 1e6
	fmt.Fprintf(w, "%d inputs, %.1f MB, %d lines: %d events, %d continuation, %d unparsed, %d empty (%.2fs, %.0f MB/s)\n",
		len(stats), mb, lines, events, cont, unparsed, empty, took.Seconds(), mb/max(took.Seconds(), 1e-9))
}

// warnSkipped names every input that was skipped or stopped early, and why
// (bundle files that are not logs by design are not warned about), and
// every input whose time went back too far to be put in order. Paths
// come from the bundle (archive member names, file names): escaped.
func warnSkipped(w io.Writer, stats []parse.Stats) {
	for _, s := range stats {
		if s.Skipped != "" && !s.Ignored {
			fmt.Fprintf(w, "rca: warning: %s: %s\n", report.Terminal(s.Path), report.Terminal(s.Skipped))
		}
		if s.OutOfOrder > 0 {
			fmt.Fprintf(w, "rca: warning: %s: time goes back further than rca reorders: %d events kept in file order, out of time order\n",
				report.Terminal(s.Path), s.OutOfOrder)
		}
	}
}
