package report

import (
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// laneSet is the report's series arranged for a chart: one lane per
// service, the services of the incidents first (in rank order, each in
// order of first error), then the others by name.
type laneSet struct {
	start, end event.Time
	bucket     time.Duration
	n          int // buckets
	list       []lane
}

type lane struct {
	name                     string
	series                   *event.Series
	events, warnings, errors int64
}

func lanes(r *event.Report) *laneSet {
	ls := &laneSet{}
	if len(r.Series) == 0 {
		return ls
	}
	first := &r.Series[0]
	ls.start = first.Start
	ls.bucket = time.Duration(first.BucketSeconds) * time.Second
	ls.n = len(first.Events)
	ls.end = event.Time{Time: ls.start.Add(time.Duration(ls.n) * ls.bucket)}
	by := map[string]*event.Series{}
	for i := range r.Series {
		by[r.Series[i].Service] = &r.Series[i]
	}
	added := map[string]bool{}
	add := func(name string) {
		s := by[name]
		if s == nil || added[name] || len(s.Events) != ls.n {
			return
		}
		added[name] = true
		l := lane{name: name, series: s}
		for i := range s.Events {
			l.events += s.Events[i]
			l.warnings += at(s.Warnings, i)
			l.errors += at(s.Errors, i)
		}
		ls.list = append(ls.list, l)
	}
	for _, inc := range r.Incidents {
		for _, s := range inc.Services {
			add(s)
		}
	}
	for _, s := range r.Series {
		add(s.Service)
	}
	return ls
}

func at(xs []int64, i int) int64 {
	if i < len(xs) {
		return xs[i]
	}
	return 0
}

// perCell is how many buckets one of at most cells columns sums.
func (ls *laneSet) perCell(cells int) int {
	if ls.n == 0 || cells <= 0 {
		return 1
	}
	return (ls.n + cells - 1) / cells
}

// cells sums counts into at most n columns of perCell(n) buckets.
func (l lane) cells(counts []int64, n int) []int64 {
	per := (len(counts) + n - 1) / max(n, 1)
	if per < 1 {
		per = 1
	}
	out := make([]int64, (len(counts)+per-1)/per)
	for i, c := range counts {
		out[i/per] += c
	}
	return out
}
