package parse

import "github.com/rca-dev/rca/pkg/event"

// nginxLeanTail reads, for a lean decode, the most common tail of an access
// line in one pass: nothing, or
//
//	[ $request_time] $upstream_addr $upstream_status
//
// as " 0.207 10.0.2.7:8080 201" or " 0.001 - -" up to the end of the line,
// the address one IPv4 address and port. It reports false, leaving ev
// untouched, for any other tail, which nginxAccessTail then reads item by
// item.
//
// On such a tail, the item reader finds the same: the duration is bare
// seconds (lean keeps none), the address is a host:port that no list
// separator follows and no duration reading can claim (its ':' comes
// after its dots), so it is the upstream; a "-" is nothing, and the status
// is left out. FuzzNginxLeanTail holds the two readers to the same events.
func nginxLeanTail(line []byte, i int, ev *event.Event) bool {
	if i == len(line) {
		return true
	}
	// the tokens, each after exactly one space, and the classes of
	// their bytes
	var tok [3]struct {
		s, e int
		cls  uint8
	}
	n := 0
	for i < len(line) {
		if n == len(tok) || line[i] != ' ' {
			return false
		}
		s := i + 1
		var cls uint8
		for i = s; i < len(line); i++ {
			c := tailClass[line[i]]
			if c == tailSpace {
				break
			}
			cls |= c
		}
		if i == s {
			return false
		}
		tok[n].s, tok[n].e, tok[n].cls = s, i, cls
		n++
	}
	switch n {
	case 3:
		if t := tok[0]; t.cls&^(tailDigit|tailDot) != 0 || !nginxLeanSeconds(line[t.s:t.e]) {
			return false
		}
		tok[0], tok[1] = tok[1], tok[2]
	case 2:
	default:
		return false
	}
	addr, status := tok[0], tok[1]
	dash := func(s, e int) bool { return e-s == 1 && line[s] == '-' }
	if !(status.e-status.s == 3 && status.cls == tailDigit || dash(status.s, status.e)) {
		return false
	}
	switch {
	case dash(addr.s, addr.e):
		return true
	case addr.cls&^(tailDigit|tailDot|tailColon) != 0 || !nginxLeanAddr(line[addr.s:addr.e]):
		return false
	}
	ev.Set("upstream", ev.Raw[addr.s:addr.e])
	return true
}

// Byte classes for nginxLeanTail.
const (
	tailOther uint8 = 1 << iota
	tailDigit
	tailDot
	tailColon
	tailSpace
)

// tailClass is the class of every byte.
var tailClass = func() (t [256]uint8) {
	for c := range t {
		t[c] = tailOther
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = tailDigit
	}
	t['.'], t[':'], t[' '] = tailDot, tailColon, tailSpace
	return t
}()

// nginxLeanSeconds reports, of digits and points, one point with digits
// on both sides ("0.207").
func nginxLeanSeconds(b []byte) bool {
	dot := -1
	for j, c := range b {
		if c == '.' {
			if dot >= 0 {
				return false
			}
			dot = j
		}
	}
	return dot > 0 && dot < len(b)-1
}

// nginxLeanAddr reports, of digits, points and colons, an IPv4 address
// and port as nginx writes $upstream_addr: a digit first, one colon, no
// point after it, a digit last.
func nginxLeanAddr(b []byte) bool {
	colon := -1
	for j, c := range b {
		switch c {
		case ':':
			if colon >= 0 {
				return false
			}
			colon = j
		case '.':
			if colon >= 0 {
				return false
			}
		}
	}
	return colon > 0 && colon < len(b)-1 && b[0] != '.'
}
