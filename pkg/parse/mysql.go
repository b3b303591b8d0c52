package parse

import (
	"bytes"
	"net/netip"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// Helpers shared by the MySQL/MariaDB formats (mysql_error.go,
// mysql_slow.go, mysql_binlog.go).

// mysqlSkipBlank skips spaces and tabs from b[i:].
func mysqlSkipBlank(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	return i
}

// mysqlTokenEnd is the end of the token (no space or tab) starting at b[i:].
func mysqlTokenEnd(b []byte, i int) int {
	for i < len(b) && b[i] != ' ' && b[i] != '\t' {
		i++
	}
	return i
}

// mysqlDigitsEnd is the end of the run of ASCII digits starting at b[i:].
func mysqlDigitsEnd(b []byte, i int) int {
	for i < len(b) && isDigit(b[i]) {
		i++
	}
	return i
}

// mysqlAtoi reads an unsigned decimal number (at most 18 digits).
func mysqlAtoi(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var v int64
	for _, c := range b {
		if !isDigit(c) {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	return v, true
}

// mysqlTrimRight is the end of b[:end] without trailing blanks.
func mysqlTrimRight(b []byte, end int) int {
	for end > 0 && (b[end-1] == ' ' || b[end-1] == '\t') {
		end--
	}
	return end
}

// mysqlFold folds a line that starts no record into the open one. An open
// record with an empty message (a stamp-only header such as InnoDB's
// "2016-06-15 20:28:25 7f72c0043700") takes the line as its message.
func mysqlFold(ev, cur *event.Event) Verdict {
	if cur == nil {
		return Reject
	}
	if cur.Message == "" {
		cur.Message = ev.Raw
		return Absorb
	}
	return Continue
}

// mysqlQuoted returns the text between the quote at s[i] and the next quote,
// and the index after the closing quote.
func mysqlQuoted(s string, i int) (string, int, bool) {
	if i >= len(s) || s[i] != '\'' {
		return "", i, false
	}
	for j := i + 1; j < len(s); j++ {
		if s[j] == '\'' {
			return s[i+1 : j], j + 1, true
		}
	}
	return "", i, false
}

// mysqlIsIP reports whether s is an IPv4 or IPv6 address.
func mysqlIsIP(s string) bool {
	if len(s) < 2 || len(s) > 45 {
		return false
	}
	_, err := netip.ParseAddr(s)
	return err == nil
}

// mysqlWallIn reads wall-clock digits (kept in a UTC time) in loc.
func mysqlWallIn(wall time.Time, loc *time.Location) time.Time {
	y, mo, d := wall.Date()
	h, mi, s := wall.Clock()
	return time.Date(y, mo, d, h, mi, s, wall.Nanosecond(), loc).UTC()
}

// mysqlZoneOffset reports whether a wall-clock time (digits kept in a UTC
// time) and an epoch instant name the same moment up to slack seconds in
// some real time zone: their difference is a whole quarter hour within
// -14h..+14h. It returns that offset in seconds. MySQL writes a local
// stamp next to an epoch (slow log "# Time:" and "SET timestamp=",
// mysqlbinlog headers and "SET TIMESTAMP="); when they agree, the epoch is
// the exact instant, whatever zone the server or mysqlbinlog ran in.
func mysqlZoneOffset(wall time.Time, epoch int64, slack int64) (int64, bool) {
	d := wall.Unix() - epoch
	q := d / 900
	r := d - q*900
	if r > 450 {
		q++
		r -= 900
	} else if r < -450 {
		q--
		r += 900
	}
	if r < 0 {
		r = -r
	}
	off := q * 900
	if off > 14*3600 || off < -14*3600 || r > slack {
		return 0, false
	}
	return off, true
}

// mysqlHasPrefix is bytes.HasPrefix for a string prefix, without a copy.
func mysqlHasPrefix(b []byte, p string) bool {
	return len(b) >= len(p) && string(b[:len(p)]) == p
}

// mysqlIndex is bytes.Index for a string needle.
func mysqlIndex(b []byte, s string) int {
	return bytes.Index(b, []byte(s))
}
