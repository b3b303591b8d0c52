package parse

import (
	"encoding/binary"
	"time"
)

// wall is the date and clock of a timestamp to the second, as written.
type wall struct{ y, mo, d, h, mi, s int }

// stampCache remembers the last timestamp a decoder read, so that the next
// one written in the same second costs a byte comparison instead of a
// calendar computation: log lines come in time order, many to a second.
//
// The key is the stamp's bytes up to its seconds (the date and clock as
// written), the layout that read them, the zone for zone-less stamps, and
// the offset read after the fraction. The fraction is read on every line,
// the offset too unless the 8 bytes after the fraction (all that reading an
// offset looks at) are those of the previous stamp; the time is the cached
// one moved by the difference of the fractions. Everything the result depends on is in the
// key, so a hit gives exactly what a full parse gives, across zone and DST
// changes alike (a zone-less stamp's offset is a function of its wall clock
// and its zone).
//
// A nil *stampCache reads without caching. A cache belongs to one decoder
// (one goroutine).
type stampCache struct {
	key    [3]uint64 // the head: its bytes at 0, 8 and n-8 (heads are 16 to 24 bytes)
	n      int       // the head's length; 0: empty
	layout byte      // stampCLF or stampISO
	loc    *time.Location
	t      time.Time // the time of the stamp that filled the cache
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

// hit reports whether b starts with the cached head, read by the same
// layout in the same zone. b must be longer than the head: the heads'
// length checks (20 bytes for CLF, 12 for ISO) then hold as they did.
func (c *stampCache) hit(b []byte, loc *time.Location, layout byte) bool {
	return c != nil && c.n > 0 && len(b) > c.n && c.layout == layout && c.loc == loc &&
		binary.LittleEndian.Uint64(b) == c.key[0] && binary.LittleEndian.Uint64(b[8:]) == c.key[1] &&
		binary.LittleEndian.Uint64(b[c.n-8:]) == c.key[2]
}

// rest reads the fraction and offset after a cached head.
func (c *stampCache) rest(b []byte) (stamp, bool) {
	ns, prec, end := fraction(b, c.n)
	var off, end2 int
	var zoned bool
	if c.sameZone(b, end) {
		off, end2, zoned = c.off, end+c.zrel, c.zoned
	} else {
		off, end2, zoned = zone(b, end)
		if off != c.off || zoned != c.zoned { // read the head again: it is the same
			w := wall{}
			if c.layout == stampCLF {
				w, _, _ = clfHead(b)
			} else {
				w, _, _ = isoHead(b)
			}
			return c.fill(b, &w, c.n, c.loc, c.layout)
		}
		c.keepZone(b, end, end2)
	}
	return stamp{t: c.at(ns), n: end2, prec: prec, zoned: zoned}, true
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
// the time, and keeps it in c (when c is not nil and the head is 16 to 24
// bytes, as every head of these layouts is).
func (c *stampCache) fill(b []byte, w *wall, end int, loc *time.Location, layout byte) (stamp, bool) {
	ns, prec, e := fraction(b, end)
	off, e2, zoned := zone(b, e)
	t, ok := mkTime(w.y, w.mo, w.d, w.h, w.mi, w.s, ns, loc, off, zoned)
	if !ok {
		return stamp{}, false
	}
	if c != nil && end >= 16 && end <= 24 {
		c.key = [3]uint64{binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[8:]), binary.LittleEndian.Uint64(b[end-8:])}
		c.n = end
		c.layout, c.loc, c.off, c.zoned, c.t, c.ns = layout, loc, off, zoned, t, ns
		c.keepZone(b, e, e2)
	}
	return stamp{t: t, n: e2, prec: prec, zoned: zoned}, true
}

// at is the cached time moved to the fraction ns: for a stamp without a
// fraction (CLF's), the cached time itself, without Time.Add.
func (c *stampCache) at(ns int) time.Time {
	if ns == c.ns {
		return c.t
	}
	return c.t.Add(time.Duration(ns - c.ns))
}
