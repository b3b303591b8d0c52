package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/rca-dev/rca/pkg/correlate"
	"github.com/rca-dev/rca/pkg/event"
	"github.com/rca-dev/rca/pkg/parse"
	"github.com/rca-dev/rca/pkg/report"
	"github.com/spf13/cobra"
)

type timelineOptions struct {
	paths   []string
	ingest  ingestFlags
	sources []string
	level   string
	kinds   []string
	since   string
	until   string
	gap     time.Duration
	noPager bool
	color   string
	width   int
	quiet   bool
}

func newTimelineCmd(g *globalOptions, stdout, stderr io.Writer) *cobra.Command {
	opts := &timelineOptions{}
	cmd := &cobra.Command{
		Use:   "timeline PATH...",
		Short: "Print the bundle's events merged in time order, repeats collapsed",
		Long: `timeline reads a bundle like parse does and prints its events merged in
time order (UTC), one line each, with consecutive repeats of the same message
template from the same source collapsed into one line with a count (×N). Filter
by source, level, kind and time.

On a terminal: clock times under a heading per day, aligned columns cut to the
width, colour, and a pager ($PAGER, else less) when the output is longer than
the screen, like git (--color always keeps this layout for | less -R). Piped:
tab-separated time (RFC 3339), source, level,
kind, count, file:line and message, one event per line, for grep, cut and awk.`,
		Example: `  rca timeline testdata/bundles/invoice-outage
  rca timeline --level warn --source-name gateway,order-service ./bundle
  rca timeline --kind connection_refused --kind timeout --since 2023-08-15T06:00:00Z ./bundle
  rca timeline ./bundle | grep 503 | cut -f1,2,7`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.paths = args
			if err := loadUserFormats(g); err != nil {
				return err
			}
			return runTimeline(cmd.Context(), opts, stdout, stderr)
		},
	}
	opts.ingest.register(cmd, "input-format")
	fl := cmd.Flags()
	fl.StringSliceVar(&opts.sources, "source-name", nil, "only events of these `SOURCES` (comma-separated or repeated)")
	fl.StringVar(&opts.level, "level", "", "only events of at least `LEVEL` (trace, debug, info, notice, warn, error, fatal)")
	fl.StringSliceVar(&opts.kinds, "kind", nil, "only events of these `KINDS` (see the kinds of the report; \"any\" for any kind)")
	fl.StringVar(&opts.since, "since", "", "only events at or after `TIME` (RFC 3339, or a date/time read in UTC)")
	fl.StringVar(&opts.until, "until", "", "only events before `TIME`")
	fl.DurationVar(&opts.gap, "gap", time.Minute, "repeats further apart than this start a new line")
	fl.BoolVar(&opts.noPager, "no-pager", false, "do not page the output on a terminal")
	fl.StringVar(&opts.color, "color", "auto", "colour: auto, always or never")
	fl.IntVar(&opts.width, "width", 0, "terminal width in columns (0: the terminal's)")
	fl.BoolVarP(&opts.quiet, "quiet", "q", false, "no progress line on stderr")
	_ = cmd.RegisterFlagCompletionFunc("kind", cobra.FixedCompletions(append([]string{"any"}, correlate.Kinds()...), cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("level", cobra.FixedCompletions([]string{"trace", "debug", "info", "notice", "warn", "error", "fatal"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("color", cobra.FixedCompletions([]string{"auto", "always", "never"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// timelineFilter keeps the events the flags ask for.
type timelineFilter struct {
	sources      map[string]bool
	minRank      int
	kinds        map[string]bool
	anyKind      bool
	since, until time.Time
}

func (f *timelineFilter) keep(ev *event.Event) bool {
	switch {
	case ev.Unparsed || ev.Time.IsZero():
		return false // no time of its own
	case f.sources != nil && !f.sources[ev.Source]:
		return false
	case f.minRank > 0 && ev.Level.Rank() < f.minRank:
		return false
	case f.anyKind && ev.Kind == "":
		return false
	case f.kinds != nil && !f.kinds[ev.Kind] && !(f.anyKind && ev.Kind != ""):
		return false
	case !f.since.IsZero() && ev.Time.Before(f.since):
		return false
	case !f.until.IsZero() && !ev.Time.Before(f.until):
		return false
	}
	return true
}

func newTimelineFilter(opts *timelineOptions) (*timelineFilter, error) {
	f := &timelineFilter{}
	var err error
	if f.since, err = parseTimeFlag("since", opts.since); err != nil {
		return nil, err
	}
	if f.until, err = parseTimeFlag("until", opts.until); err != nil {
		return nil, err
	}
	if opts.level != "" {
		l := parse.LevelOf(opts.level)
		if l == "" {
			return nil, fmt.Errorf("--level %q: want trace, debug, info, notice, warn, error or fatal", opts.level)
		}
		f.minRank = l.Rank()
	}
	if len(opts.sources) > 0 {
		f.sources = map[string]bool{}
		for _, s := range opts.sources {
			f.sources[strings.TrimSpace(s)] = true
		}
	}
	if len(opts.kinds) > 0 {
		known := correlate.Kinds()
		f.kinds = map[string]bool{}
		for _, k := range opts.kinds {
			k = strings.TrimSpace(k)
			switch {
			case k == "any":
				f.anyKind = true
			case slices.Contains(known, k):
				f.kinds[k] = true
			default:
				return nil, fmt.Errorf("--kind %q: want one of %s, or any", k, strings.Join(known, ", "))
			}
		}
		if len(f.kinds) == 0 {
			f.kinds = nil
		}
	}
	return f, nil
}

func runTimeline(ctx context.Context, opts *timelineOptions, stdout, stderr io.Writer) error {
	f, err := newTimelineFilter(opts)
	if err != nil {
		return err
	}
	color, err := useColor(opts.color, stdout)
	if err != nil {
		return err
	}
	if opts.gap <= 0 {
		return fmt.Errorf("--gap %v: want a positive duration", opts.gap)
	}
	po, err := opts.ingest.options()
	if err != nil {
		return err
	}
	plan, err := parse.NewPlan(opts.paths, po)
	if err != nil {
		return err
	}
	tty := isTerminal(stdout)
	width := opts.width
	if width <= 0 && tty {
		width, _ = termSize(stdout)
	}
	var out io.WriteCloser
	if tty {
		out = newPager(stdout, opts.noPager)
	} else {
		out = nopCloser{stdout}
	}
	bw := bufio.NewWriterSize(out, 64<<10)
	// The layout for a person on a terminal, or when colour is forced (for
	// less -R); tab-separated values otherwise.
	human := tty || color
	tw := report.NewTimelineWriter(bw, report.TimelineOptions{Terminal: human, Width: width, Color: color, Kind: width <= 0 || width >= 120})
	prog := newProgress(stdout, stderr, opts.quiet, true, plan)
	cls := correlate.NewClassifier()
	po.Transform = func(ev *event.Event) { cls.Classify(ev) }
	po.Progress = prog.hook()
	col := newCollapser(opts.gap, tw.Write)
	stats, err := plan.Run(ctx, po, func(ev *event.Event) error {
		prog.event()
		if !f.keep(ev) {
			return nil
		}
		return col.add(ev)
	})
	if err == nil {
		err = col.flush()
	}
	prog.finish()
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	warnSkipped(stderr, stats)
	return nil
}

// collapser folds consecutive repeats: events of one source whose message
// has the same template (mined per source) and level, each within gap of
// the previous one and within maxRun of the first, become one row with a
// count. Rows are written in the order of their first event; a row is
// written once it can grow no more, so memory holds only the rows of the
// last few minutes.
type collapser struct {
	gap    time.Duration
	maxRun time.Duration
	write  func(*event.TimelineRow) error
	miners map[string]*correlate.Miner
	open   map[string]*tlRun // by source: its current run
	queue  []*tlRun          // runs by first event, the written ones popped
	free   []*tlRun          // written runs, for new ones
	ptrs   map[string]*string
}

type tlRun struct {
	row    event.TimelineRow
	tmpl   *correlate.Template
	level  event.Level
	last   time.Time
	closed bool
}

func newCollapser(gap time.Duration, write func(*event.TimelineRow) error) *collapser {
	return &collapser{gap: gap, maxRun: max(10*time.Minute, 10*gap), write: write,
		miners: map[string]*correlate.Miner{}, open: map[string]*tlRun{}, ptrs: map[string]*string{}}
}

func (c *collapser) add(ev *event.Event) error {
	m := c.miners[ev.Source]
	if m == nil {
		m = correlate.NewMiner(correlate.MinerConfig{})
		c.miners[ev.Source] = m
	}
	msg := firstLine(ev.Message)
	t := m.Add(msg)
	if r := c.open[ev.Source]; r != nil {
		same := r.tmpl.ID == t.ID && t.Text != correlate.OverflowText
		if same && r.level == ev.Level && ev.Time.Sub(r.last) <= c.gap && ev.Time.Sub(r.row.Time.Time) <= c.maxRun {
			r.row.Count++
			r.last = ev.Time
			return nil
		}
		r.closed = true
	}
	var r *tlRun
	if n := len(c.free); n > 0 {
		r, c.free = c.free[n-1], c.free[:n-1]
	} else {
		r = &tlRun{}
	}
	*r = tlRun{tmpl: t, level: ev.Level, last: ev.Time, row: event.TimelineRow{
		Time: event.Time{Time: ev.Time}, Service: ev.Source, Level: c.ptr(string(ev.Level)), Kind: c.ptr(ev.Kind),
		Message: msg, File: ev.File, Line: ev.Line, Count: 1,
	}}
	c.open[ev.Source] = r
	c.queue = append(c.queue, r)
	return c.drain(ev.Time)
}

// ptr is event.Ptr(s), one pointer per value: rows share their level's
// and kind's (a few values, most rows).
func (c *collapser) ptr(s string) *string {
	if s == "" {
		return nil
	}
	p := c.ptrs[s]
	if p == nil {
		p = event.Ptr(s)
		c.ptrs[s] = p
	}
	return p
}

// drain writes the runs at the head of the queue that are closed or can
// no longer grow at time now.
func (c *collapser) drain(now time.Time) error {
	n := 0
	for _, r := range c.queue {
		if !r.closed && now.Sub(r.last) <= c.gap && now.Sub(r.row.Time.Time) <= c.maxRun {
			break
		}
		if c.open[r.row.Service] == r {
			delete(c.open, r.row.Service)
		}
		if err := c.write(&r.row); err != nil {
			c.pop(n) // the runs written are reused: out of the queue
			return err
		}
		*r = tlRun{}
		c.free = append(c.free, r)
		n++
	}
	c.pop(n)
	return nil
}

// pop drops the first n runs of the queue.
func (c *collapser) pop(n int) {
	if n > 0 {
		clear(c.queue[:n])
		c.queue = c.queue[n:]
	}
}

// flush writes every run left.
func (c *collapser) flush() error {
	for _, r := range c.queue {
		r.closed = true
	}
	return c.drain(time.Time{})
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
