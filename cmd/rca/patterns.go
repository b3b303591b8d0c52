package main

import (
	"context"
	"fmt"
	"io"

	"github.com/rca-dev/rca/pkg/correlate"
	"github.com/rca-dev/rca/pkg/event"
	"github.com/rca-dev/rca/pkg/parse"
	"github.com/rca-dev/rca/pkg/report"
	"github.com/spf13/cobra"
)

type patternsOptions struct {
	paths  []string
	ingest ingestFlags
	output string
	source string
	level  string
	top    int
	width  int
	quiet  bool
}

func newPatternsCmd(g *globalOptions, stdout, stderr io.Writer) *cobra.Command {
	opts := &patternsOptions{}
	cmd := &cobra.Command{
		Use:   "patterns PATH...",
		Short: "List the message templates of each source with counts, first/last time and rate",
		Long: `patterns mines the message templates of every source (variable parts such as
numbers, addresses, ids and durations become <*>) and lists them, errors first,
with how often they occur, when they were first and last seen, and a sparkline
of their rate over the bundle's span.`,
		Example: `  rca patterns testdata/bundles/invoice-outage
  rca patterns --level warn --source gateway ./bundle
  rca patterns --output jsonl ./bundle | jq -r .template`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.paths = args
			if err := loadUserFormats(g); err != nil {
				return err
			}
			return runPatterns(cmd.Context(), opts, stdout, stderr)
		},
	}
	opts.ingest.register(cmd, "format")
	fl := cmd.Flags()
	fl.StringVarP(&opts.output, "output", "o", "text", "output `FORMAT`: text or jsonl")
	fl.StringVar(&opts.source, "source-name", "", "only the templates of `SOURCE`")
	fl.StringVar(&opts.level, "level", "", "only templates whose most severe level is at least `LEVEL` (e.g. warn)")
	fl.IntVar(&opts.top, "top", 0, "at most `N` templates (0: all)")
	fl.IntVar(&opts.width, "width", 0, "text width in columns (0: 160)")
	fl.BoolVarP(&opts.quiet, "quiet", "q", false, "no progress line on stderr")
	return cmd
}

func runPatterns(ctx context.Context, opts *patternsOptions, stdout, stderr io.Writer) error {
	if opts.output != "text" && opts.output != "jsonl" {
		return fmt.Errorf("--output %q: want text or jsonl", opts.output)
	}
	minRank := 0
	if opts.level != "" {
		l := parse.LevelOf(opts.level)
		if l == "" {
			return fmt.Errorf("--level %q: want trace, debug, info, notice, warn, error or fatal", opts.level)
		}
		minRank = l.Rank()
	}
	plan, po, err := opts.ingest.plan(opts.paths)
	if err != nil {
		return err
	}
	cls := correlate.NewClassifier()
	po.Transform = func(ev *event.Event) { cls.Classify(ev) }
	pats := correlate.NewPatterns()
	prog := newProgress(stdout, stderr, opts.quiet, false, plan)
	po.Progress = prog.hook()
	stats, err := plan.Run(ctx, po, func(ev *event.Event) error {
		prog.event()
		if opts.source == "" || ev.Source == opts.source {
			pats.Observe(ev)
		}
		return nil
	})
	prog.finish()
	if err != nil {
		return err
	}
	warnSkipped(stderr, stats)
	var out []event.Pattern
	for _, p := range pats.Result() {
		if minRank > 0 && (p.Level == nil || event.Level(*p.Level).Rank() < minRank) {
			continue
		}
		out = append(out, p)
		if opts.top > 0 && len(out) == opts.top {
			break
		}
	}
	if opts.output == "jsonl" {
		return report.WritePatternsJSON(stdout, out)
	}
	return report.WritePatterns(stdout, out, opts.width)
}
