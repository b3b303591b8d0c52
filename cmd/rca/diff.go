package main

import (
	"context"
	"fmt"
	"io"

	"github.com/rca-dev/rca/pkg/correlate"
	"github.com/rca-dev/rca/pkg/event"
	"github.com/rca-dev/rca/pkg/report"
	"github.com/spf13/cobra"
)

type diffOptions struct {
	baselines []string
	target    []string
	ingest    ingestFlags
	format    string
	failOn    string
	top       int
	fdr       float64
	minRatio  float64
	color     string
	width     int
	output    string
}

func newDiffCmd(g *globalOptions, stdout, stderr io.Writer) *cobra.Command {
	opts := &diffOptions{}
	cmd := &cobra.Command{
		Use:   "diff BASELINE TARGET | diff --baseline PATH... TARGET...",
		Short: "What is new in a failing run compared with good ones",
		Long: `diff compares a target run (e.g. today's failing CI job) with one or more
good runs of the same system (--baseline may repeat), template by template.
Messages of every source are mined into templates with one miner per source
(baselines first, then the target), so ids, times, numbers and hosts do not
matter. It reports, errors first:

  new        templates never seen in any baseline
  new_value  new values of fields (kind, status, error_code, upstream, target,
             class) on warnings and errors
  rate       templates whose rate (per minute of each run's span) changed
             significantly (binomial test conditional on the total,
             Benjamini–Hochberg over all templates) by at least --min-ratio
  gone       templates of every baseline that are absent from the target

each with the counts on both sides and the first occurrence (file:line).

Output: text, json (the rca.diff/v1 document), markdown (for a ticket or a CI
summary) or html (one self-contained page, like analyze's). --output FILE
writes it to a file, in the format its extension names (.txt, .json, .md,
.html) unless --format says; the file appears whole or not at all.

Exit codes: 0 diff done; 1 failed; 3 --fail-on met (new-error: a NEW
template at level error or above; new-warning: at warn or above; new: any
NEW template; any: any finding).`,
		Example: `  rca diff good-run/ failing-run/
  rca diff --baseline run-101.tar.gz --baseline run-102.tar.gz run-103.tar.gz
  rca diff --format json good/ bad/ | jq '.findings[] | select(.change=="new")'
  rca diff --fail-on new-error --format markdown good/ bad/ > diff.md
  rca diff --output diff.html good/ bad/`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(opts.baselines) == 0 {
				if len(args) != 2 {
					return fmt.Errorf("want BASELINE TARGET, or --baseline PATH and the target's paths")
				}
				opts.baselines, opts.target = args[:1], args[1:]
			} else {
				opts.target = args
			}
			if err := loadUserFormats(g); err != nil {
				return err
			}
			if !cmd.Flags().Changed("format") {
				opts.format = ""
			}
			return runDiff(cmd.Context(), opts, stdout, stderr)
		},
	}
	opts.ingest.register(cmd, "input-format")
	fl := cmd.Flags()
	fl.StringArrayVar(&opts.baselines, "baseline", nil, "a good run to compare with: bundle, folder, archive or file `PATH` (repeatable; each is one run)")
	fl.StringVarP(&opts.format, "format", "f", "text", "output `FORMAT`: text, json, markdown or html (default: from --output's extension, else text)")
	fl.StringVar(&opts.output, "output", "", "write the diff to `FILE` (atomically: a temporary file in the same folder, renamed when complete)")
	fl.StringVar(&opts.failOn, "fail-on", "none", "exit 3 when `WHAT` is found: none, new-error, new-warning, new or any")
	fl.IntVar(&opts.top, "top", 0, "show only the `N` first findings (0: all)")
	fl.Float64Var(&opts.fdr, "fdr", 0.001, "false-discovery rate of the rate tests (Benjamini–Hochberg)")
	fl.Float64Var(&opts.minRatio, "min-ratio", 2, "smallest rate ratio (or inverse) a rate change must show")
	fl.StringVar(&opts.color, "color", "auto", "colour in text output: auto, always or never")
	fl.IntVar(&opts.width, "width", 0, "text width in columns (0: 120)")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"text", "json", "markdown", "html"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("fail-on", cobra.FixedCompletions([]string{"none", "new-error", "new-warning", "new", "any"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("color", cobra.FixedCompletions([]string{"auto", "always", "never"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func runDiff(ctx context.Context, opts *diffOptions, stdout, stderr io.Writer) error {
	format, err := outputFormat(opts.format, opts.output)
	if err != nil {
		return err
	}
	switch opts.failOn {
	case "none", "", "new-error", "new-warning", "new", "any":
	default:
		return fmt.Errorf("--fail-on %q: want none, new-error, new-warning, new or any", opts.failOn)
	}
	if opts.fdr <= 0 || opts.fdr >= 1 {
		return fmt.Errorf("--fdr %g: want a value between 0 and 1", opts.fdr)
	}
	if opts.minRatio < 1 {
		return fmt.Errorf("--min-ratio %g: want at least 1", opts.minRatio)
	}
	d := correlate.NewDiffer(correlate.DiffConfig{FDR: opts.fdr, MinRatio: max(opts.minRatio, 1.0000001)}, len(opts.baselines))
	var baseIn, targetIn []event.InputSummary
	runs := make([][]string, 0, len(opts.baselines)+1)
	for _, b := range opts.baselines {
		runs = append(runs, []string{b})
	}
	runs = append(runs, opts.target)
	for i, paths := range runs {
		plan, po, err := opts.ingest.plan(paths)
		if err != nil {
			return err
		}
		cls := correlate.NewClassifier()
		po.Transform = func(ev *event.Event) { cls.Classify(ev) }
		stats, err := plan.Run(ctx, po, func(ev *event.Event) error {
			d.Observe(i, ev)
			return nil
		})
		if err != nil {
			return err
		}
		warnSkipped(stderr, stats)
		ins := inputSummaries(stats)
		if i == d.Target() {
			targetIn = ins
		} else {
			// the runs' inputs have the same relative paths: say which run
			for k := range ins {
				ins[k].Path = paths[0] + ": " + ins[k].Path
			}
			baseIn = append(baseIn, ins...)
		}
	}
	diff := d.Finish(baseIn, targetIn, event.Tool{Name: "rca", Version: version})
	fail := diffFailure(diff, opts.failOn)
	if opts.top > 0 && len(diff.Findings) > opts.top {
		diff.Findings = diff.Findings[:opts.top]
	}
	write := func(w io.Writer) error {
		switch format {
		case "json":
			return report.WriteDiffJSON(w, diff)
		case "markdown":
			return report.WriteDiffMarkdown(w, diff)
		case "html":
			return report.WriteDiffHTML(w, diff, report.Options{Title: bundleTitle(opts.target)})
		}
		color, err := useColor(opts.color, w)
		if err != nil {
			return err
		}
		return report.WriteDiffText(w, diff, report.Options{Color: color, Width: opts.width})
	}
	if opts.output != "" {
		err = writeFileAtomic(opts.output, write)
	} else {
		err = write(stdout)
	}
	if err != nil {
		return err
	}
	return fail
}

// diffFailure applies --fail-on to all findings (before --top).
func diffFailure(d *event.Diff, failOn string) error {
	if failOn == "none" || failOn == "" {
		return nil
	}
	for _, f := range d.Findings {
		rank := 0
		if f.Level != nil {
			rank = event.Level(*f.Level).Rank()
		}
		hit := false
		switch failOn {
		case "any":
			hit = true
		case "new":
			hit = f.Change == event.ChangeNew
		case "new-warning":
			hit = f.Change == event.ChangeNew && rank >= event.LevelWarn.Rank()
		case "new-error":
			hit = f.Change == event.ChangeNew && rank >= event.LevelError.Rank()
		}
		if hit {
			loc := ""
			if f.First != nil {
				loc = fmt.Sprintf(" (%s:%d)", f.First.File, f.First.Line)
			}
			return &exitError{code: 3, msg: fmt.Sprintf("--fail-on %s: %s %s template in %s: %s%s", failOn, f.Change,
				deref(f.Level), report.Terminal(f.Source), report.Terminal(f.Template), report.Terminal(loc))}
		}
	}
	return nil
}

func deref(s *string) string {
	if s == nil {
		return "-"
	}
	return *s
}
