package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"
	"unicode/utf8"

	"github.com/rca-dev/rca/pkg/correlate"
	"github.com/rca-dev/rca/pkg/event"
	"github.com/rca-dev/rca/pkg/parse"
	"github.com/rca-dev/rca/pkg/report"
	"github.com/spf13/cobra"
)

// ingestFlags are the flags of every command that reads a bundle.
type ingestFlags struct {
	formats []string
	sources []string
	zones   []string
	maxLine int
	segment int64
}

// register adds the flags; formatFlag names the flag that forces a log
// format ("format" for parse, "input-format" where --format picks the output).
func (f *ingestFlags) register(cmd *cobra.Command, formatFlag string) {
	fl := cmd.Flags()
	fl.StringArrayVar(&f.formats, formatFlag, nil, "force a log format: `ID` for every file, or GLOB=ID (repeatable; see `rca formats`)")
	fl.StringArrayVar(&f.sources, "source", nil, "name the source of matching files: `NAME=GLOB` (repeatable)")
	fl.StringArrayVar(&f.zones, "tz", nil, "zone for timestamps without one: `ZONE` (default for all) or SOURCE=ZONE; IANA name or offset like +08:00 (repeatable)")
	fl.IntVar(&f.maxLine, "max-line", parse.DefaultMaxLine, "longest line kept whole, in bytes; longer lines are cut and flagged")
	fl.Int64Var(&f.segment, "segment-size", 0, "size of the segments a large file is split into to read it on several cores, in `BYTES`; 0 automatic, -1 never (for developers)")
	_ = fl.MarkHidden("segment-size")
}

// options turns the flags into parse options.
func (f *ingestFlags) options() (parse.Options, error) {
	var o parse.Options
	var err error
	if o.Zones, err = parse.ParseZoneFlags(f.zones); err != nil {
		return o, err
	}
	if o.Sources, err = parse.ParseSourceFlags(f.sources); err != nil {
		return o, err
	}
	if o.Formats, err = parse.ParseFormatFlags(f.formats); err != nil {
		return o, err
	}
	if f.maxLine < 256 {
		return o, fmt.Errorf("--max-line %d: want at least 256", f.maxLine)
	}
	o.MaxLine = f.maxLine
	o.Segment = f.segment
	o.Limits = expandLimits
	return o, nil
}

// plan reads the flags and expands the paths: what every command that reads
// a bundle does first.
func (f *ingestFlags) plan(paths []string) (*parse.Plan, parse.Options, error) {
	po, err := f.options()
	if err != nil {
		return nil, po, err
	}
	plan, err := parse.NewPlan(paths, po)
	return plan, po, err
}

// expandLimits bound decompression; the zero value is parse's defaults
// (1 GiB at a ratio over 200). Tests lower them to trip the bomb guard
// with a small bomb.
var expandLimits parse.Limits

type parseOptions struct {
	paths     []string
	ingest    ingestFlags
	output    string
	stats     bool
	quiet     bool
	templates bool
}

func newParseCmd(g *globalOptions, stdout, stderr io.Writer) *cobra.Command {
	opts := &parseOptions{}
	cmd := &cobra.Command{
		Use:   "parse PATH...",
		Short: "Print every event of a bundle as JSON lines, in time order",
		Long: `parse reads files, folders and archives (.gz, .tar, .tar.gz, .zip, nested),
detects each file's format and prints one JSON object per event (the events-v1
contract), merged in time order across all inputs. Every line is accounted for:
events, continuation lines folded into them, unparsed lines (kept, flagged) and
empty lines. A summary of the inputs goes to stderr.`,
		Example: `  rca parse testdata/bundles/invoice-outage | jq -c 'select(.level=="error")'
  rca parse --output tsv logs.tar.gz | grep 503
  rca parse --tz Asia/Shanghai --tz mysql=UTC --stats ./bundle > events.jsonl`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.paths = args
			if err := loadUserFormats(g); err != nil {
				return err
			}
			return runParse(cmd.Context(), opts, stdout, stderr)
		},
	}
	opts.ingest.register(cmd, "format")
	cmd.Flags().StringVarP(&opts.output, "output", "o", "jsonl", "output `FORMAT`: jsonl or tsv (time, source, level, message)")
	cmd.Flags().BoolVar(&opts.stats, "stats", false, "write a JSON summary of every input to stderr at the end")
	cmd.Flags().BoolVar(&opts.templates, "templates", false, "add template_id and template (the mined message template, <*> for variables) to each event")
	cmd.Flags().BoolVarP(&opts.quiet, "quiet", "q", false, "no summary or progress line on stderr (warnings still go there)")
	return cmd
}

func runParse(ctx context.Context, opts *parseOptions, stdout, stderr io.Writer) error {
	if opts.output != "jsonl" && opts.output != "tsv" {
		return fmt.Errorf("--output %q: want jsonl or tsv", opts.output)
	}
	plan, po, err := opts.ingest.plan(opts.paths)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(stdout, 256<<10)
	var buf []byte
	cls := correlate.NewClassifier()
	po.Transform = func(ev *event.Event) { cls.Classify(ev) } // in parallel, before the merge
	var pats *correlate.Patterns
	if opts.templates {
		pats = correlate.NewPatterns()
	}
	prog := newProgress(stdout, stderr, opts.quiet, true, plan)
	po.Progress = prog.hook()
	start := time.Now()
	stats, err := plan.Run(ctx, po, func(ev *event.Event) error {
		prog.event()
		if pats != nil {
			pats.Observe(ev) // sets the template as it stands when the event is seen
		}
		buf = buf[:0]
		if opts.output == "tsv" {
			buf = appendTSV(buf, ev)
		} else {
			buf = ev.AppendJSON(buf)
		}
		buf = append(buf, '\n')
		_, err := w.Write(buf)
		return err
	})
	prog.finish()
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return err
	}
	warnSkipped(stderr, stats)
	if opts.stats {
		return writeStatsJSON(stderr, stats)
	}
	if !opts.quiet {
		writeSummary(stderr, stats, time.Since(start))
	}
	return nil
}

// appendTSV writes time, source, level and message separated by tabs, with
// tabs and newlines inside the message escaped so one event is one line.
func appendTSV(b []byte, ev *event.Event) []byte {
	if ev.Time.IsZero() {
		b = append(b, '-')
	} else {
		b = event.AppendTime(b, ev.Time, ev.Precision)
	}
	b = append(b, '\t')
	b = appendEscapedLine(b, ev.Source)
	b = append(b, '\t')
	if ev.Level == "" {
		b = append(b, '-')
	} else {
		b = append(b, ev.Level...)
	}
	b = append(b, '\t')
	return appendEscapedLine(b, ev.Message)
}

// appendEscapedLine appends s on one line: \n, \r, \t and other control
// bytes (terminal escapes included) are written as visible escapes, as are
// invalid UTF-8 bytes (\xff) and the runes of event.InertRune (\u009b: C1
// controls, line separators, bidi overrides), so nothing in a log acts on
// the terminal the TSV is printed to.
func appendEscapedLine(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				b = fmt.Appendf(b, "\\x%02x", c)
			case event.InertRune(r):
				b = fmt.Appendf(b, "\\u%04x", r)
			default:
				b = append(b, s[i:i+size]...)
			}
			i += size
			continue
		}
		switch {
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\t':
			b = append(b, '\\', 't')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c == '\\':
			b = append(b, '\\', '\\')
		case c < 0x20 || c == 0x7f:
			b = fmt.Appendf(b, "\\x%02x", c)
		default:
			b = append(b, c)
		}
		i++
	}
	return b
}

// statsJSON is the --stats document.
type statsJSON struct {
	Inputs []inputStatsJSON `json:"inputs"`
	Totals totalsJSON       `json:"totals"`
}

type inputStatsJSON struct {
	Path            string           `json:"path"`
	Source          string           `json:"source"`
	Format          *string          `json:"format"`
	Confidence      float64          `json:"confidence"`
	RunnerUp        *string          `json:"runner_up"`
	Timezone        string           `json:"timezone"`
	Encoding        *string          `json:"encoding"`
	Lines           int64            `json:"lines"`
	Events          int64            `json:"events"`
	Continuation    int64            `json:"continuation"`
	Unparsed        int64            `json:"unparsed"`
	Empty           int64            `json:"empty"`
	Bytes           int64            `json:"bytes"`
	CutLines        int64            `json:"cut_lines"`
	NULBytes        int64            `json:"nul_bytes"`
	OutOfOrder      int64            `json:"out_of_order"`
	First           *string          `json:"first"`
	Last            *string          `json:"last"`
	Skipped         bool             `json:"skipped"`
	Ignored         bool             `json:"ignored"`
	SkipReason      *string          `json:"skip_reason"`
	FallbackFormats map[string]int64 `json:"fallback_formats,omitempty"`
}

type totalsJSON struct {
	Inputs       int   `json:"inputs"`
	Skipped      int   `json:"skipped"`
	Lines        int64 `json:"lines"`
	Events       int64 `json:"events"`
	Continuation int64 `json:"continuation"`
	Unparsed     int64 `json:"unparsed"`
	Empty        int64 `json:"empty"`
	Bytes        int64 `json:"bytes"`
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func timePtr(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := string(event.AppendTime(nil, t, 3))
	return &s
}

func writeStatsJSON(w io.Writer, stats []parse.Stats) error {
	doc := statsJSON{Inputs: make([]inputStatsJSON, 0, len(stats))}
	for _, s := range stats {
		doc.Inputs = append(doc.Inputs, inputStatsJSON{
			Path: s.Path, Source: s.Source, Format: strPtr(s.Format), Confidence: s.Confidence,
			RunnerUp: strPtr(s.RunnerUp), Timezone: s.Timezone, Encoding: strPtr(s.Encoding),
			Lines: s.Lines, Events: s.Events, Continuation: s.Continuation, Unparsed: s.Unparsed, Empty: s.Empty,
			Bytes: s.Bytes, CutLines: s.CutLines, NULBytes: s.NULBytes, OutOfOrder: s.OutOfOrder, First: timePtr(s.First), Last: timePtr(s.Last),
			Skipped: s.Skipped != "", Ignored: s.Ignored, SkipReason: strPtr(s.Skipped), FallbackFormats: s.Formats,
		})
		t := &doc.Totals
		t.Inputs++
		if s.Skipped != "" {
			t.Skipped++
		}
		t.Lines += s.Lines
		t.Events += s.Events
		t.Continuation += s.Continuation
		t.Unparsed += s.Unparsed
		t.Empty += s.Empty
		t.Bytes += s.Bytes
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := w.Write(report.InertJSON(buf.Bytes())) // paths from the bundle: inert on the terminal
	return err
}
