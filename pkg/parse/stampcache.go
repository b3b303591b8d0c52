package parse

import "time"

// wall is the date and clock of a timestamp to the second, as written.
type wall struct{ y, mo, d, h, mi, s int }

// stampCache remembers the last timestamp a decoder read, so that the next
// one written in the same second costs a byte comparison instead of a
// calendar computation: log lines come in time order, many to a second.
//
// The key is the stamp's bytes up to its seconds (the date and clock as
// written), the layout that read them, the zone for zone-less stamps, and
// the offset read after the fraction. What follows the seconds (fraction
// and offset) is read on every line; the time is the cached second plus the
// fraction. Everything the result depends on is in the key, so a hit gives
// exactly what a full parse gives, across zone and DST changes alike (a
// zone-less stamp's offset is a function of its wall clock and its zone).
//
// A nil *stampCache reads without caching. A cache belongs to one decoder
// (one goroutine).
type stampCache struct {
	key    [stampKeyMax]byte
	n      int  // bytes of key in use; 0: empty
	layout byte // stampCLF or stampISO
	loc    *time.Location
	w      wall
	off    int  // offset read after the fraction, in seconds
	zoned  bool // an offset or Z was read
	t      time.Time
}

// stampKeyMax bounds the key: the longest head (ISO with two spaces before
// a one-digit hour) is 19 bytes.
const stampKeyMax = 24

// Layouts a stampCache can hold.
const (
	stampCLF = 1
	stampISO = 2
)

// clf is parseCLF through the cache.
func (c *stampCache) clf(b []byte, loc *time.Location) (stamp, bool) {
	if c.hit(b, loc, stampCLF) {
		return c.rest(b)
	}
	w, end, ok := clfHead(b)
	if !ok {
		return stamp{}, false
	}
	return c.fill(b, w, end, loc, stampCLF)
}

// iso is parseISO through the cache.
func (c *stampCache) iso(b []byte, loc *time.Location) (stamp, bool) {
	if c.hit(b, loc, stampISO) {
		return c.rest(b)
	}
	w, end, ok := isoHead(b)
	if !ok {
		return stamp{}, false
	}
	return c.fill(b, w, end, loc, stampISO)
}

// hit reports whether b starts with the cached head, read by the same
// layout in the same zone. b must be longer than the head: the heads'
// length checks (20 bytes for CLF, 12 for ISO) then hold as they did.
func (c *stampCache) hit(b []byte, loc *time.Location, layout byte) bool {
	return c != nil && c.n > 0 && len(b) > c.n && c.layout == layout && c.loc == loc &&
		string(b[:c.n]) == string(c.key[:c.n])
}

// rest reads the fraction and offset after a cached head.
func (c *stampCache) rest(b []byte) (stamp, bool) {
	ns, prec, end := fraction(b, c.n)
	off, end2, zoned := zone(b, end)
	if off != c.off || zoned != c.zoned {
		return c.fill(b, c.w, c.n, c.loc, c.layout)
	}
	return stamp{t: c.t.Add(time.Duration(ns)), n: end2, prec: prec, zoned: zoned}, true
}

// fill reads the fraction and offset after a head w ending at end, builds
// the time, and keeps it in c (when c is not nil).
func (c *stampCache) fill(b []byte, w wall, end int, loc *time.Location, layout byte) (stamp, bool) {
	ns, prec, e := fraction(b, end)
	off, e2, zoned := zone(b, e)
	t, ok := mkTime(w.y, w.mo, w.d, w.h, w.mi, w.s, 0, loc, off, zoned)
	if !ok {
		return stamp{}, false
	}
	if c != nil && end <= len(c.key) {
		c.n = copy(c.key[:], b[:end])
		c.layout, c.loc, c.w, c.off, c.zoned, c.t = layout, loc, w, off, zoned, t
	}
	return stamp{t: t.Add(time.Duration(ns)), n: e2, prec: prec, zoned: zoned}, true
}
