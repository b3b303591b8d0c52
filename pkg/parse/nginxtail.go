package parse

import "github.com/rca-dev/rca/pkg/event"

// nginxCommonTail reads the most common tail of an access line, from its
// end, in one pass: nothing, or
//
//	[ $request_time] $upstream_addr $upstream_status
//
// as " 0.207 10.0.2.7:8080 201" or " 0.001 - -" up to the end of the line,
// the address one IPv4 address and port. It reports false, leaving ev
// untouched, for any other tail, which nginxAccessTail then reads item by
// item.
//
// On such a tail, the item reader finds the same: the duration is the
// first bare seconds ($request_time, latency_ms), the address is a
// host:port that no list separator follows and no duration reading can
// claim (its ':' comes after its dots), so it is the upstream, and a
// status of 1xx to 5xx after it is the upstream's; a "-" is nothing. lean
// (Context.Lean) keeps only the upstream. FuzzNginxCommonTail holds the two
// readers to the same events, lean or not.
func nginxCommonTail(line []byte, i int, ev *event.Event, lean bool) bool {
	// read from the end: the status, the address, and what is left must
	// be nothing or the duration
	e := len(line)
	if e == i {
		return true
	}
	status := e
	switch {
	case e-i >= 2 && line[e-1] == '-' && line[e-2] == ' ':
		e -= 2
	case e-i >= 4 && line[e-4] == ' ' && isDigit(line[e-3]) && isDigit(line[e-2]) && isDigit(line[e-1]):
		e -= 4
		status = e + 1
	default:
		return false
	}
	// the address: "-", or digits and points, one colon, digits (read
	// back from the end: the port's digits to the colon, then the host's
	// digits and points to the space)
	a := e - 1
	dash := a > i && line[a] == '-'
	if !dash {
		for a = e; a > i && isDigit(line[a-1]); {
			a--
		}
		if a == e || a <= i+1 || line[a-1] != ':' {
			return false
		}
		colon := a - 1
		for a = colon; a > i && (isDigit(line[a-1]) || line[a-1] == '.'); {
			a--
		}
		if a == colon || !isDigit(line[a]) {
			return false
		}
	}
	if a == i || line[a-1] != ' ' {
		return false
	}
	secs := a-1 > i
	if secs && !nginxTailSeconds(line[i:a-1]) {
		return false
	}
	// the fields the item reader looks up, in one look
	var hasUp, hasLatency, hasStatus bool
	for k := range ev.Fields {
		switch ev.Fields[k].Key {
		case "upstream":
			hasUp = true
		case "latency_ms":
			hasLatency = true
		case "upstream_status":
			hasStatus = true
		}
	}
	if hasUp { // the item reader would not take the address
		return false
	}
	raw := ev.Raw
	if !lean && secs && !hasLatency {
		// gatewaySecondsToMs of one element (digits and a point hold no
		// list separator)
		if us, ok := gatewayMicros(raw[i+1 : a-1]); ok {
			gatewayAdd(ev, "latency_ms", gatewayFormatMs(us))
		}
	}
	if dash {
		return true
	}
	gatewayAdd(ev, "upstream", raw[a:e]) // nginxUpstreamList of one address, absent
	if !lean && !hasStatus && status < len(line) && line[status] >= '1' && line[status] <= '5' {
		nginxUpstreamStatus(ev, raw[status:], true)
	}
	return true
}

// nginxTailSeconds reports " " and digits with one point between them
// (" 0.207"), the tail's first item.
func nginxTailSeconds(b []byte) bool {
	if len(b) < 4 || b[0] != ' ' || !isDigit(b[1]) || !isDigit(b[len(b)-1]) {
		return false
	}
	dot := false
	for _, c := range b[2 : len(b)-1] {
		switch {
		case isDigit(c):
		case c == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return dot
}
