package parse

import (
	"encoding/binary"
	"time"
)

// wall is the date and clock of a timestamp to the second, as written.
type wall struct{ y, mo, d, h, mi, s int }

// stampCache remembers the last timestamp a decoder read, so that the next
// one written in the same minute costs a byte comparison instead of a
// calendar computation: log lines come in time order, many to a minute
// (error logs often fewer than one a second).
//
// The key is the stamp's bytes up to its minutes (the date and clock as
// written, but the seconds), the layout that read them, the zone for
// zone-less stamps, and the offset read after the fraction. The seconds
// and the fraction are read on every line, the offset too unless the 8
// bytes after the fraction (all that reading an offset looks at) are those
// of the previous stamp; the time is the cached one moved by the
// difference of the seconds and fractions. Everything the result depends
// on is in the key, so a hit gives exactly what a full parse gives, across
// zone and DST changes alike (a zone-less stamp's offset is a function of
// its wall clock and its zone): a zone-less minute is kept whole only when
// it reads with one offset throughout (steadyMinute), else only the
// stamp's second is kept, the seconds then being part of the key.
//
// A nil *stampCache reads without caching. A cache belongs to one decoder
// (one goroutine).
type stampCache struct {
	key    [3]uint64 // the head: its bytes at 0, 8 and n-8 (heads are 18 to 24 bytes), the last word under mask
	mask   uint64    // of the last word: all but the seconds (the last two bytes), or all of it
	n      int       // the head's length; 0: empty
	layout byte      // stampCLF or stampISO
	loc    *time.Location
	t      time.Time // the time of the stamp that filled the cache
	sec    int       // its seconds, as hms returns them (0..59)
	ns     int       // its fraction, in nanoseconds

	// What follows the fraction: zone reads at most 8 bytes, so the same
	// 8 bytes (or the same shorter rest of the line) read the same zone.
	zkey  uint64
	zlen  int // bytes in zkey: 8, or fewer at the end of the line
	off   int // the offset read, in seconds
	zrel  int // zone's end, relative to where it started
	zoned bool
}

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
	return c.fill(b, &w, end, loc, stampCLF)
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
	return c.fill(b, &w, end, loc, stampISO)
}

// hit reports whether b starts with the cached head (but its seconds, when
// the cache holds a whole minute), read by the same layout in the same
// zone. b must be longer than the head: the heads' length checks (20 bytes
// for CLF, 12 for ISO) then hold as they did.
func (c *stampCache) hit(b []byte, loc *time.Location, layout byte) bool {
	return c != nil && c.n > 0 && len(b) > c.n && c.layout == layout && c.loc == loc &&
		binary.LittleEndian.Uint64(b) == c.key[0] && binary.LittleEndian.Uint64(b[8:]) == c.key[1] &&
		binary.LittleEndian.Uint64(b[c.n-8:])&c.mask == c.key[2]
}

// rest reads the seconds, fraction and offset after a cached head. Seconds
// hms would not take send the stamp to the full reading, which rejects it.
func (c *stampCache) rest(b []byte) (stamp, bool) {
	s0, s1 := b[c.n-2], b[c.n-1]
	if !isDigit(s0) || !isDigit(s1) || s0 > '6' || (s0 == '6' && s1 != '0') {
		return c.full(b)
	}
	sec := min(int(s0-'0')*10+int(s1-'0'), 59) // a leap second is read as 59, as hms does
	ns, prec, end := fraction(b, c.n)
	var off, end2 int
	var zoned bool
	if c.sameZone(b, end) {
		off, end2, zoned = c.off, end+c.zrel, c.zoned
	} else {
		off, end2, zoned = zone(b, end)
		if off != c.off || zoned != c.zoned { // read the head again: it is the same
			return c.full(b)
		}
		c.keepZone(b, end, end2)
	}
	return stamp{t: c.at(sec, ns), n: end2, prec: prec, zoned: zoned}, true
}

// full reads a stamp whose head (but its seconds) is the cached one
// without the cache, and keeps it.
func (c *stampCache) full(b []byte) (stamp, bool) {
	var w wall
	var end int
	var ok bool
	if c.layout == stampCLF {
		w, end, ok = clfHead(b)
	} else {
		w, end, ok = isoHead(b)
	}
	if !ok {
		return stamp{}, false
	}
	return c.fill(b, &w, end, c.loc, c.layout)
}

// sameZone reports whether the bytes zone would read at b[i:] are those
// it read for the cached stamp.
func (c *stampCache) sameZone(b []byte, i int) bool {
	if c.zlen == 8 {
		return len(b)-i >= 8 && binary.LittleEndian.Uint64(b[i:]) == c.zkey
	}
	return len(b)-i == c.zlen && zoneWord(b[i:]) == c.zkey
}

// keepZone notes the bytes at b[i:] that zone read, ending at end.
func (c *stampCache) keepZone(b []byte, i, end int) {
	c.zlen = min(8, len(b)-i)
	if c.zlen == 8 {
		c.zkey = binary.LittleEndian.Uint64(b[i:])
	} else {
		c.zkey = zoneWord(b[i:])
	}
	c.zrel = end - i
}

// zoneWord packs up to 8 bytes.
func zoneWord(b []byte) uint64 {
	var x uint64
	for j := len(b) - 1; j >= 0; j-- {
		x = x<<8 | uint64(b[j])
	}
	return x
}

// fill reads the fraction and offset after a head w ending at end, builds
// the time, and keeps it in c (when c is not nil and the head is 18 to 24
// bytes, as every head of these layouts is).
func (c *stampCache) fill(b []byte, w *wall, end int, loc *time.Location, layout byte) (stamp, bool) {
	ns, prec, e := fraction(b, end)
	off, e2, zoned := zone(b, e)
	t, ok := mkTime(w.y, w.mo, w.d, w.h, w.mi, w.s, ns, loc, off, zoned)
	if !ok {
		return stamp{}, false
	}
	if c != nil && end >= 18 && end <= 24 {
		c.mask = ^uint64(0)
		if zoned || loc == time.UTC || steadyMinute(w, loc, t, ns) {
			c.mask >>= 16 // the seconds, b[end-2:end], are the word's top bytes
		}
		c.key = [3]uint64{binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[8:]), binary.LittleEndian.Uint64(b[end-8:]) & c.mask}
		c.n = end
		c.layout, c.loc, c.off, c.zoned, c.t, c.sec, c.ns = layout, loc, off, zoned, t, w.s, ns
		c.keepZone(b, e, e2)
	}
	return stamp{t: t, n: e2, prec: prec, zoned: zoned}, true
}

// steadyMinute reports whether zone-less stamps in loc of the minute of w
// are the time t of w (with fraction ns) moved by the difference of their
// seconds. time.Date reads a wall clock with the offset of loc's period at
// that wall clock taken as UTC, and, when the instant this gives lies
// outside that period, with the offset of the instant's own period: when
// both stay in one period through the minute, the minute reads with one
// offset. Checking the minute's ends is not enough: a zone that goes from
// an offset of less than a minute west of UTC to one east of it reads some
// minute with the first offset, then the second, then the first again.
func steadyMinute(w *wall, loc *time.Location, t time.Time, ns int) bool {
	w0 := time.Date(w.y, time.Month(w.mo), w.d, w.h, w.mi, 0, 0, time.UTC).Unix()
	_, off := time.Unix(w0, 0).In(loc).Zone()
	u0 := w0 - int64(off)
	if !onePeriod(loc, w0, w0+59) || !onePeriod(loc, u0, u0+59) {
		return false
	}
	first, ok1 := mkTime(w.y, w.mo, w.d, w.h, w.mi, 0, 0, loc, 0, false)
	last, ok2 := mkTime(w.y, w.mo, w.d, w.h, w.mi, 59, 0, loc, 0, false)
	return ok1 && ok2 && last.Sub(first) == 59*time.Second &&
		t.Sub(first) == time.Duration(w.s)*time.Second+time.Duration(ns)
}

// onePeriod reports whether the instants from to to (Unix seconds) lie in
// one zone period of loc.
func onePeriod(loc *time.Location, from, to int64) bool {
	start, end := time.Unix(from, 0).In(loc).ZoneBounds()
	return (start.IsZero() || start.Unix() <= from) && (end.IsZero() || to < end.Unix())
}

// at is the cached time moved to the seconds sec and fraction ns: for a
// stamp of the cached second without a fraction (CLF's), the cached time
// itself, without Time.Add.
func (c *stampCache) at(sec, ns int) time.Time {
	if sec == c.sec && ns == c.ns {
		return c.t
	}
	return c.t.Add(time.Duration(sec-c.sec)*time.Second + time.Duration(ns-c.ns))
}
