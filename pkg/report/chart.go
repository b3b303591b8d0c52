package report

import (
	"fmt"
	"math"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// The timeline chart of the HTML report: one swim lane per service with
// its error count per bucket (bars, scaled to the lane's peak errors or a
// tenth of its peak volume, whichever is more) over its event volume (a
// pale area, scaled to its peak), the incident windows shaded across all
// lanes and each cause's first evidence marked on the lane of the service
// that logged it. It is computed here as plain geometry and drawn as
// inline SVG by the template: no script, nothing loaded. Text from the
// bundle (service and file names) is escaped with Terminal here, like the
// rest of the page, and for HTML by the template.

const (
	chartW      = 1000.0 // viewBox units
	chartLabelW = 150.0  // lane labels on the left
	chartPeakW  = 70.0   // peak labels on the right
	chartTop    = 26.0   // incident labels
	chartLaneH  = 38.0
	chartAxisH  = 26.0
)

type chart struct {
	W, H, PlotX, PlotW, Top, Bottom float64
	Lanes                           []chartLane
	Incidents                       []chartSpan
	Marks                           []chartMark
	Ticks                           []chartTick
	Desc                            string
}

type chartLane struct {
	Name, Full string
	Y, H       float64 // lane top and height
	Base       float64 // the baseline (bottom of bars)
	Stripe     bool
	Area       string // SVG path of the event volume
	Bars       []chartBar
	Peak       string // "peak 154 errors / 30s"
	PeakY      float64
}

type chartBar struct {
	X, Y, W, H float64
	Title      string
}

type chartSpan struct {
	ID, Title string
	X, W      float64
	Severity  string
}

type chartMark struct {
	X, Y  float64
	Label string // the cause's rank
	Title string
	First bool // the incident's top cause
}

type chartTick struct {
	X     float64
	Label string
}

// newChart lays out the chart of a report; nil when it has no series.
func newChart(r *event.Report) *chart {
	ls := lanes(r)
	if len(ls.list) == 0 || ls.n == 0 {
		return nil
	}
	c := &chart{W: chartW, PlotX: chartLabelW, PlotW: chartW - chartLabelW - chartPeakW, Top: chartTop}
	c.Bottom = c.Top + float64(len(ls.list))*chartLaneH
	c.H = c.Bottom + chartAxisH
	total := ls.end.Sub(ls.start.Time)
	x := func(t time.Time) float64 {
		f := float64(t.Sub(ls.start.Time)) / float64(total)
		return round1(c.PlotX + math.Min(1, math.Max(0, f))*c.PlotW)
	}
	bw := c.PlotW / float64(ls.n)
	laneOf := map[string]int{}
	for i, l := range ls.list {
		laneOf[l.name] = i
		y := c.Top + float64(i)*chartLaneH
		name := Terminal(l.name) // service names come from the bundle
		cl := chartLane{Name: fit(name, 22), Full: name, Y: y, H: chartLaneH, Base: y + chartLaneH - 4, Stripe: i%2 == 0}
		inner := chartLaneH - 10
		var peakEv, peakErr int64
		for b := 0; b < ls.n; b++ {
			peakEv = max(peakEv, l.series.Events[b])
			peakErr = max(peakErr, at(l.series.Errors, b))
		}
		if peakEv > 0 {
			path := fmt.Sprintf("M%.1f %.1f", c.PlotX, cl.Base)
			for b := 0; b < ls.n; b++ {
				h := inner * float64(l.series.Events[b]) / float64(peakEv)
				path += fmt.Sprintf(" L%.1f %.1f L%.1f %.1f", c.PlotX+float64(b)*bw, cl.Base-h, c.PlotX+float64(b+1)*bw, cl.Base-h)
			}
			cl.Area = path + fmt.Sprintf(" L%.1f %.1f Z", c.PlotX+c.PlotW, cl.Base)
		}
		// Errors are scaled to the lane's peak, but to no less than a tenth
		// of its peak volume: a steady trickle of errors in a busy service
		// stays low, a burst reaches the top.
		scale := max(peakErr, (peakEv+9)/10, 1)
		for b := 0; b < ls.n; b++ {
			e := at(l.series.Errors, b)
			if e == 0 {
				continue
			}
			h := math.Max(1.5, inner*float64(e)/float64(scale))
			from := ls.start.Add(time.Duration(b) * ls.bucket)
			cl.Bars = append(cl.Bars, chartBar{
				X: round1(c.PlotX + float64(b)*bw), Y: round1(cl.Base - h), W: round1(math.Max(bw-0.3, 0.8)), H: round1(h),
				Title: fmt.Sprintf("%s: %d %s at %s (of %d events)", name, e, pluralS(int(e), "error", "errors"), from.UTC().Format("15:04:05Z"), l.series.Events[b]),
			})
		}
		cl.PeakY = y + chartLaneH/2 + 4
		switch {
		case peakErr > 0:
			cl.Peak = fmt.Sprintf("%d err/%s", peakErr, shortDur(ls.bucket))
		case l.events == 0:
			cl.Peak = "no events"
		default:
			cl.Peak = "no errors"
		}
		c.Lanes = append(c.Lanes, cl)
	}
	for _, inc := range r.Incidents {
		x0, x1 := x(inc.Start.Time), x(inc.End.Time)
		c.Incidents = append(c.Incidents, chartSpan{ID: inc.ID, X: x0, W: round1(math.Max(x1-x0, 2)), Severity: inc.Severity,
			Title: fmt.Sprintf("%s %s: %s", inc.ID, inc.Severity, span(inc.Start, inc.End))})
		for _, cause := range inc.Causes {
			if len(cause.Evidence) == 0 {
				continue
			}
			e := cause.Evidence[0]
			li, ok := laneOf[e.Source]
			if !ok {
				continue
			}
			c.Marks = append(c.Marks, chartMark{
				X: x(e.Time.Time), Y: round1(c.Top + float64(li)*chartLaneH + 10), Label: fmt.Sprint(cause.Rank), First: cause.Rank == 1,
				Title: fmt.Sprintf("%s cause %d: %s — %s (%.0f%%); first evidence %s %s:%d", inc.ID, cause.Rank, Terminal(cause.Service), Terminal(cause.Kind),
					cause.Confidence*100, clock(e.Time), Terminal(e.File), e.Line),
			})
		}
	}
	step := tickStep(total)
	for t := ls.start.Truncate(step); !t.After(ls.end.Time); t = t.Add(step) {
		if t.Before(ls.start.Time) {
			continue
		}
		label := t.UTC().Format("15:04")
		if len(c.Ticks) == 0 || t.UTC().Hour() == 0 && t.UTC().Minute() == 0 {
			label = t.UTC().Format("Jan 2 15:04")
		}
		c.Ticks = append(c.Ticks, chartTick{X: x(t), Label: label})
	}
	c.Desc = fmt.Sprintf("Errors per %s for %d services from %s to %s UTC, with %d incident %s shaded", shortDur(ls.bucket), len(c.Lanes),
		day(ls.start), day(ls.end), len(r.Incidents), pluralS(len(r.Incidents), "window", "windows"))
	return c
}

// tickStep picks a time-axis step that gives at most about ten ticks.
func tickStep(span time.Duration) time.Duration {
	for _, s := range []time.Duration{time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
		time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour} {
		if span/s <= 10 {
			return s
		}
	}
	return 24 * time.Hour
}

func shortDur(d time.Duration) string {
	switch {
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return fmt.Sprintf("%ds", d/time.Second)
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }
