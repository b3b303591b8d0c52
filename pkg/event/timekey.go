package event

import "time"

// TimeKey is a time as its Unix seconds and nanoseconds. Keys order as
// their times do (Before; == as Equal) for times without a monotonic clock
// reading, which event times never carry (they are UTC, and setting the
// location drops the reading): two integer comparisons instead of calls
// that check for one. The hot paths that order or bound events by time
// (the parse merge, per-input first and last) compare keys.
type TimeKey struct {
	Sec  int64
	Nsec int64
}

// KeyOf returns t's key.
func KeyOf(t time.Time) TimeKey {
	return TimeKey{Sec: t.Unix(), Nsec: int64(t.Nanosecond())}
}

// Before reports whether k orders before l, as t.Before(u) for their
// times t and u.
func (k TimeKey) Before(l TimeKey) bool {
	return k.Sec < l.Sec || k.Sec == l.Sec && k.Nsec < l.Nsec
}
