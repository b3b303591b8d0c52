package correlate

import (
	"sort"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// maxSeriesBuckets bounds the buckets of a report's series (the chart's
// resolution); the bucket width grows to stay under it.
const maxSeriesBuckets = 400

// addSeries fills rep.Series: per source, its events, warnings and errors
// in equal buckets over the bundle's span, on the skew-corrected clock
// (the skew each input carries in rep.Inputs). Call it at the end of
// Finish, after skew correction. Event counts come from the 10 s volume
// counters; warnings and errors from the kept records, and past
// Config.MaxRecords notable events from 10 s counters of the rest.
func (a *Analyzer) addSeries(rep *event.Report) {
	rep.Series = []event.Series{}
	if a.events == 0 || len(a.sources) == 0 {
		return
	}
	skew := map[string]time.Duration{}
	for _, in := range rep.Inputs {
		if in.SkewSeconds != 0 {
			skew[in.Source] = time.Duration(in.SkewSeconds * float64(time.Second))
		}
	}
	// the corrected span
	var first, last time.Time
	for _, s := range a.sources {
		if s.events == 0 {
			continue
		}
		f, l := s.first.Add(-skew[s.name]), s.last.Add(-skew[s.name])
		if first.IsZero() || f.Before(first) {
			first = f
		}
		if l.After(last) {
			last = l
		}
	}
	bucket := seriesBucket(a.cfg.Bucket, last.Sub(first))
	start := first.Truncate(bucket)
	n := int(last.Sub(start)/bucket) + 1
	index := func(t time.Time) int {
		return min(max(int(t.Sub(start)/bucket), 0), n-1)
	}
	out := make([]event.Series, len(a.sources))
	for si, s := range a.sources {
		ser := event.Series{
			Service: s.name, BucketSeconds: int64(bucket / time.Second), Start: event.Time{Time: start},
			Events: make([]int64, n), Warnings: make([]int64, n), Errors: make([]int64, n),
		}
		off := skew[s.name]
		at := func(vb int64) int { return index(time.Unix(vb*int64(volumeBucket/time.Second), 0).Add(-off)) }
		for vb, c := range s.volume {
			ser.Events[at(vb)] += c
		}
		for vb, c := range s.overWarn {
			ser.Warnings[at(vb)] += c
		}
		for vb, c := range s.overErr {
			ser.Errors[at(vb)] += c
		}
		out[si] = ser
	}
	for i := range a.recs.len() {
		r := a.recs.at(i)
		switch rank := int(r.rank); {
		case rank >= event.LevelError.Rank():
			out[r.src].Errors[index(r.time())]++
		case rank == event.LevelWarn.Rank():
			out[r.src].Warnings[index(r.time())]++
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Service < out[j].Service })
	rep.Series = out
}

// seriesBucket picks the series' bucket width: the analysis bucket when
// one was set (at least the 10 s of the volume counters, in whole 10 s),
// else the width the tests would choose; then wide enough for at most
// maxSeriesBuckets buckets.
func seriesBucket(cfg, span time.Duration) time.Duration {
	b := cfg
	if b <= 0 {
		b = bucketFor(span)
	}
	b = max(volumeBucket, (b+volumeBucket-1)/volumeBucket*volumeBucket)
	for span/b >= maxSeriesBuckets {
		b *= 2
	}
	return b
}
