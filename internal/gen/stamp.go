package gen

import "time"

// Clock turns instants into the wall-clock fields of one zone. It caches the
// fields of the last second it saw, so writers that format many lines per
// second pay for the zone conversion once per second. A Clock is not safe
// for concurrent use; each writer owns one.
type Clock struct {
	loc  *time.Location
	unix int64
	ok   bool
	c    civil
}

// civil is one second of wall-clock time in a zone.
type civil struct {
	year, month, day, hour, min, sec int
	off                              int    // seconds east of UTC
	abbr                             string // zone abbreviation, e.g. "CST", "IST", "UTC"
}

// NewClock returns a Clock for loc (nil means UTC).
func NewClock(loc *time.Location) *Clock {
	if loc == nil {
		loc = time.UTC
	}
	return &Clock{loc: loc}
}

// Location returns the clock's zone.
func (k *Clock) Location() *time.Location { return k.loc }

func (k *Clock) at(t time.Time) *civil {
	u := t.Unix()
	if k.ok && u == k.unix {
		return &k.c
	}
	lt := t.In(k.loc)
	y, mo, d := lt.Date()
	h, mi, s := lt.Clock()
	abbr, off := lt.Zone()
	k.c = civil{year: y, month: int(mo), day: d, hour: h, min: mi, sec: s, off: off, abbr: abbr}
	k.unix, k.ok = u, true
	return &k.c
}

var monthAbbr = [13]string{"", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// appendPad appends v (>= 0) in decimal, zero-padded to width digits.
func appendPad(b []byte, v, width int) []byte {
	var buf [20]byte
	i := len(buf)
	for v >= 10 {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
	}
	i--
	buf[i] = byte('0' + v)
	for len(buf)-i < width && i > 0 {
		i--
		buf[i] = '0'
	}
	return append(b, buf[i:]...)
}

// appendInt appends v in decimal.
func appendInt(b []byte, v int64) []byte {
	if v >= 0 && v < 10 {
		return append(b, byte('0'+v))
	}
	var buf [20]byte
	i := len(buf)
	neg := v < 0
	u := uint64(v)
	if neg {
		u = uint64(-v)
	}
	for u > 0 {
		i--
		buf[i] = byte('0' + u%10)
		u /= 10
	}
	if neg {
		i--
		buf[i] = '-'
	}
	return append(b, buf[i:]...)
}

func append2(b []byte, v int) []byte { return append(b, byte('0'+v/10), byte('0'+v%10)) }

func append4(b []byte, v int) []byte {
	return append(b, byte('0'+v/1000), byte('0'+v/100%10), byte('0'+v/10%10), byte('0'+v%10))
}

// appendFrac appends the first digits fraction digits of ns (no separator).
func appendFrac(b []byte, ns, digits int) []byte {
	div := 100000000
	for i := 0; i < digits; i++ {
		b = append(b, byte('0'+ns/div%10))
		div /= 10
	}
	return b
}

// appendDate appends YYYY<sep>MM<sep>DD.
func appendDate(b []byte, c *civil, sep byte) []byte {
	b = append4(b, c.year)
	b = append(b, sep)
	b = append2(b, c.month)
	b = append(b, sep)
	return append2(b, c.day)
}

// appendHMS appends HH:MM:SS.
func appendHMS(b []byte, c *civil) []byte {
	b = append2(b, c.hour)
	b = append(b, ':')
	b = append2(b, c.min)
	b = append(b, ':')
	return append2(b, c.sec)
}

// appendOffset appends the zone offset as +HH:MM (colon) or +HHMM, or "Z"
// for UTC when z is set.
func appendOffset(b []byte, off int, colon, z bool) []byte {
	if off == 0 && z {
		return append(b, 'Z')
	}
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	b = append(b, sign)
	b = append2(b, off/3600)
	if colon {
		b = append(b, ':')
	}
	return append2(b, off/60%60)
}

// appendSeconds appends a duration as seconds with the given fraction
// digits (nginx $request_time: 3, MySQL slow log Query_time: 6).
func appendSeconds(b []byte, d time.Duration, digits int) []byte {
	if d < 0 {
		d = 0
	}
	unit := time.Second
	for i := 0; i < digits; i++ {
		unit /= 10
	}
	n := int64((d + unit/2) / unit) // rounded
	scale := int64(1)
	for i := 0; i < digits; i++ {
		scale *= 10
	}
	b = appendInt(b, n/scale)
	if digits > 0 {
		b = append(b, '.')
		b = appendPad(b, int(n%scale), digits)
	}
	return b
}
