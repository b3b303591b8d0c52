package parse

import (
	"time"
)

// Fixed-layout timestamp readers. They work on bytes without allocating and
// without a general-purpose guess per line: each format knows its layout, and
// the generic fallback (generic.go) learns one layout per input and reuses it.

// stamp is a parsed timestamp and how much of the input it used.
type stamp struct {
	t     time.Time // UTC
	n     int       // bytes consumed from the start of the input
	prec  int       // fraction digits written (0..9)
	zoned bool      // an offset or Z was part of the stamp
}

// apply copies the stamp's time facts into an event.
func (s stamp) apply(t *time.Time, prec *int, zoned *bool) {
	*t, *prec, *zoned = s.t, s.prec, s.zoned
}

// num reads exactly n ASCII digits at b[i:].
func num(b []byte, i, n int) (int, bool) {
	if i < 0 || i+n > len(b) {
		return 0, false
	}
	v := 0
	for _, c := range b[i : i+n] {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// clock reads H:MM:SS or HH:MM:SS at b[i:], then an optional fraction
// ('.' or ',' and 1-9 digits). It returns the end index.
func clock(b []byte, i int) (h, m, s, ns, prec, end int, ok bool) {
	if h, m, s, end, ok = hms(b, i); !ok {
		return
	}
	ns, prec, end = fraction(b, end)
	return h, m, s, ns, prec, end, true
}

// hms reads H:MM:SS or HH:MM:SS at b[i:] and returns the index after the
// seconds. Only bytes before that index decide the answer.
func hms(b []byte, i int) (h, m, s, end int, ok bool) {
	if i >= len(b) || !isDigit(b[i]) {
		return
	}
	if i+1 < len(b) && isDigit(b[i+1]) {
		h, _ = num(b, i, 2)
		i += 2
	} else {
		h = int(b[i] - '0')
		i++
	}
	if i >= len(b) || b[i] != ':' {
		return
	}
	if m, ok = num(b, i+1, 2); !ok || i+3 >= len(b) || b[i+3] != ':' {
		return 0, 0, 0, 0, false
	}
	if s, ok = num(b, i+4, 2); !ok {
		return
	}
	i += 6
	if h > 23 || m > 59 || s > 60 {
		return 0, 0, 0, 0, false
	}
	if s == 60 { // leap second: keep the instant in range
		s = 59
	}
	return h, m, s, i, true
}

// fraction reads an optional fraction of a second at b[i:] ('.' or ','
// and digits, of which the first nine count) and returns it in
// nanoseconds, the digits kept and the end index.
func fraction(b []byte, i int) (ns, prec, end int) {
	if i+1 < len(b) && (b[i] == '.' || b[i] == ',') && isDigit(b[i+1]) {
		// milliseconds, the most written: three digits and a byte after
		// them that is not a fourth
		if i+4 < len(b) && isDigit(b[i+2]) && isDigit(b[i+3]) && !isDigit(b[i+4]) {
			return (int(b[i+1]-'0')*100 + int(b[i+2]-'0')*10 + int(b[i+3]-'0')) * 1e6, 3, i + 4
		}
		i++
		for i < len(b) && isDigit(b[i]) {
			if prec < 9 {
				ns = ns*10 + int(b[i]-'0')
				prec++
			}
			i++
		}
		ns *= fractionScale[prec] // prec is 1 to 9
	}
	return ns, prec, i
}

// fractionScale[p] turns p digits of a fraction into nanoseconds.
var fractionScale = [10]int{1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 100, 10, 1}

// zone reads an optional zone suffix at b[i:]: Z, ±HH:MM, ±HHMM or ±HH,
// optionally after one space for the ±HHMM/±HH:MM forms. It returns the
// offset in seconds, the end index and whether a zone was present.
func zone(b []byte, i int) (off int, end int, ok bool) {
	if i >= len(b) {
		return 0, i, false
	}
	if b[i] == 'Z' || b[i] == 'z' {
		if i+1 < len(b) && isLetter(b[i+1]) {
			return 0, i, false
		}
		return 0, i + 1, true
	}
	j := i
	spaced := false
	if b[j] == ' ' {
		j++
		spaced = true
	}
	if j >= len(b) || (b[j] != '+' && b[j] != '-') {
		return 0, i, false
	}
	sign := 1
	if b[j] == '-' {
		sign = -1
	}
	hh, ok1 := num(b, j+1, 2)
	if !ok1 || hh > 14 {
		return 0, i, false
	}
	k := j + 3
	mm := 0
	if k < len(b) && b[k] == ':' {
		if mm, ok1 = num(b, k+1, 2); !ok1 {
			return 0, i, false
		}
		k += 3
	} else if v, ok2 := num(b, k, 2); ok2 {
		mm = v
		k += 2
	} else if spaced {
		return 0, i, false // " -08" alone is too ambiguous after a space
	}
	if mm > 59 || (k < len(b) && isDigit(b[k])) {
		return 0, i, false
	}
	if spaced && k < len(b) && b[k] != ' ' && b[k] != ']' && b[k] != '"' {
		return 0, i, false
	}
	return sign * (hh*3600 + mm*60), k, true
}

func isLetter(c byte) bool { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }

// mkTime builds a UTC time from wall-clock parts, in loc unless a zone was
// read. It rejects impossible dates (Feb 30) rather than normalizing them.
func mkTime(y, mo, d, h, mi, s, ns int, loc *time.Location, off int, zoned bool) (time.Time, bool) {
	if mo < 1 || mo > 12 || d < 1 || d > 31 || y < 1 {
		return time.Time{}, false
	}
	var t time.Time
	if zoned {
		t = time.Date(y, time.Month(mo), d, h, mi, s, ns, time.UTC).Add(-time.Duration(off) * time.Second)
	} else {
		t = time.Date(y, time.Month(mo), d, h, mi, s, ns, loc)
	}
	if !zoned && t.Day() != d { // Day is a calendar computation: only when it decides
		return time.Time{}, false
	}
	return t.UTC(), true
}

// parseISO reads YYYY-MM-DD[T ]HH:MM:SS[.frac][zone] (also '/' as the date
// separator, as nginx error logs and Go's log package write, and one or two
// spaces before a one-digit hour, as MariaDB writes) at the start of b.
func parseISO(b []byte, loc *time.Location) (stamp, bool) {
	return (*stampCache)(nil).iso(b, loc)
}

// isoHead reads the date and clock of parseISO's stamp, up to the seconds.
func isoHead(b []byte) (w wall, end int, ok bool) {
	y, ok := num(b, 0, 4)
	if !ok || len(b) < 10 || (b[4] != '-' && b[4] != '/') || b[7] != b[4] {
		return w, 0, false
	}
	mo, ok1 := num(b, 5, 2)
	d, ok2 := num(b, 8, 2)
	if !ok1 || !ok2 || len(b) < 12 {
		return w, 0, false
	}
	i := 10
	switch b[i] {
	case 'T', 't':
		i++
	case ' ':
		i++
		if i < len(b) && b[i] == ' ' { // "2019-10-08  9:06:57"
			i++
		}
	default:
		return w, 0, false
	}
	h, mi, s, end, ok := hms(b, i)
	if !ok {
		return w, 0, false
	}
	return wall{y, mo, d, h, mi, s}, end, true
}

var monthNames = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// month reads a three-letter English month abbreviation (any case).
func month(b []byte, i int) (int, bool) {
	if i+3 > len(b) {
		return 0, false
	}
	c0, c1, c2 := b[i]|0x20, b[i+1]|0x20, b[i+2]|0x20
	for k, name := range monthNames {
		if c0 == name[0]|0x20 && c1 == name[1] && c2 == name[2] {
			return k + 1, true
		}
	}
	return 0, false
}

// parseCLF reads the common-log-format stamp 15/Aug/2023:14:22:17 +0800
// (nginx, Apache, HAProxy's accept date without zone) at the start of b.
func parseCLF(b []byte, loc *time.Location) (stamp, bool) {
	return (*stampCache)(nil).clf(b, loc)
}

// clfHead reads the date and clock of parseCLF's stamp, up to the seconds.
func clfHead(b []byte) (w wall, end int, ok bool) {
	d, ok := num(b, 0, 2)
	if !ok || len(b) < 20 || b[2] != '/' || b[6] != '/' || b[11] != ':' {
		return w, 0, false
	}
	mo, ok1 := month(b, 3)
	y, ok2 := num(b, 7, 4)
	if !ok1 || !ok2 {
		return w, 0, false
	}
	h, mi, s, end, ok := hms(b, 12)
	if !ok {
		return w, 0, false
	}
	return wall{y, mo, d, h, mi, s}, end, true
}

// parseShortDate reads the MySQL 5.5/5.6 and mysqlbinlog stamp
// YYMMDD H:MM:SS or YYMMDD HH:MM:SS (years 2000-2099) at the start of b.
func parseShortDate(b []byte, loc *time.Location) (stamp, bool) {
	y, ok := num(b, 0, 2)
	mo, ok1 := num(b, 2, 2)
	d, ok2 := num(b, 4, 2)
	if !ok || !ok1 || !ok2 || len(b) < 13 || b[6] != ' ' {
		return stamp{}, false
	}
	i := 7
	if b[i] == ' ' { // "150105  9:08:40"
		i++
	}
	h, mi, s, ns, prec, end, ok := clock(b, i)
	if !ok {
		return stamp{}, false
	}
	t, ok := mkTime(2000+y, mo, d, h, mi, s, ns, loc, 0, false)
	if !ok {
		return stamp{}, false
	}
	return stamp{t: t, n: end, prec: prec}, true
}

// parseSyslogStamp reads the year-less RFC 3164 stamp "Aug 15 14:22:17" or
// "Aug  5 14:22:17" (optionally with a fraction, and optionally followed by
// a four-digit year as some devices write) at the start of b. The year comes
// from years.
func parseSyslogStamp(b []byte, loc *time.Location, years *yearInfer) (stamp, bool) {
	mo, ok := month(b, 0)
	if !ok || len(b) < 15 || b[3] != ' ' {
		return stamp{}, false
	}
	i := 4
	if b[i] == ' ' {
		i++
	}
	var d int
	switch {
	case i+1 < len(b) && isDigit(b[i]) && isDigit(b[i+1]):
		d, _ = num(b, i, 2)
		i += 2
	case isDigit(b[i]):
		d = int(b[i] - '0')
		i++
	default:
		return stamp{}, false
	}
	if i >= len(b) || b[i] != ' ' {
		return stamp{}, false
	}
	h, mi, s, ns, prec, end, ok := clock(b, i+1)
	if !ok {
		return stamp{}, false
	}
	y := 0
	if yy, ok := num(b, end+1, 4); ok && end < len(b) && b[end] == ' ' && (end+5 == len(b) || b[end+5] == ' ') {
		y, end = yy, end+5
	} else {
		y = years.yearFor(time.Month(mo), loc)
	}
	t, ok := mkTime(y, mo, d, h, mi, s, ns, loc, 0, false)
	if !ok {
		return stamp{}, false
	}
	return stamp{t: t, n: end, prec: prec}, true
}

// epochTime converts an epoch number, given as its integer part and the
// digits after the decimal point, to a time, telling seconds, milliseconds,
// microseconds and nanoseconds apart by magnitude. It accepts instants
// between 1971 and 2200.
func epochTime(intPart int64, frac []byte) (time.Time, int, bool) {
	if intPart <= 0 {
		return time.Time{}, 0, false
	}
	var unit int64 // nanoseconds per unit
	var digits int // fraction digits the integer part already carries
	switch {
	case intPart >= 1e17:
		unit, digits = 1, 9
	case intPart >= 1e14:
		unit, digits = 1e3, 6
	case intPart >= 1e11:
		unit, digits = 1e6, 3
	case intPart >= 3e7:
		unit, digits = 1e9, 0
	default:
		return time.Time{}, 0, false
	}
	sec := intPart / (1e9 / unit)
	ns := (intPart % (1e9 / unit)) * unit
	if sec > 7258118400 { // 2200-01-01
		return time.Time{}, 0, false
	}
	prec := digits
	scale := unit / 10
	for _, c := range frac {
		if !isDigit(c) {
			return time.Time{}, 0, false
		}
		if scale > 0 {
			ns += int64(c-'0') * scale
			scale /= 10
			prec++
		}
	}
	return time.Unix(sec, ns).UTC(), prec, true
}

// yearInfer gives year-less timestamps (syslog, glog, some MySQL) a year:
// the first one takes the year of the reference time (the file's time), or
// the year before when its month lies after the reference month; later ones
// keep that year and roll over at New Year (December followed by January).
type yearInfer struct {
	ref  time.Time
	year int
	last time.Month
	set  bool
}

func (y *yearInfer) yearFor(m time.Month, loc *time.Location) int {
	if !y.set {
		ref := y.ref
		if ref.IsZero() {
			ref = time.Now()
		}
		ref = ref.In(loc)
		y.year = ref.Year()
		if m > ref.Month() {
			y.year--
		}
		y.set = true
	} else if y.last >= time.November && m <= time.February {
		y.year++
	}
	y.last = m
	return y.year
}
