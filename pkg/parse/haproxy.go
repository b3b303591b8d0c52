package parse

import (
	"bytes"
	"strings"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

func init() {
	Register(&Format{
		ID:          "haproxy",
		Description: "HAProxy via syslog (RFC 3164/5424 or ISO header) or stdout: HTTP and TCP log lines, SSL/connection errors, server and proxy state messages; stderr [ALERT]/[WARNING] lines",
		Example: `Sep 20 15:44:23 lb1 haproxy[1234]: 10.0.0.7:52345 [20/Sep/2023:15:44:23.123] fe_https~ be_api/api1 0/0/1/12/13 503 212 - - ---- 1/1/0/0/0 0/0 "GET /api/invoice HTTP/1.1"` + "\n" +
			`Sep 20 15:44:24 lb1 haproxy[1234]: 10.0.0.8:40962 [20/Sep/2023:15:44:24.285] pg_front pg_back/<NOSRV> -1/-1/1 212 SC 1/1/0/0/0 0/0` + "\n" +
			`Sep 20 15:44:25 lb1 haproxy[1234]: Server be_api/api1 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms. 1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
		Specificity: 21,
		New: func(ctx *Context) Decoder {
			return &haproxyDecoder{loc: ctx.Loc, years: yearInfer{ref: ctx.ModTime}}
		},
	})
}

// haproxyDecoder reads HAProxy's logs. A line is either a syslog header
// ("Sep 20 15:44:23 lb1 haproxy[1234]: ", optionally after "<PRI>"; an
// RFC 5424 header; or rsyslog's ISO stamp) followed by HAProxy's message,
// or the message alone (HAProxy logging to stdout in "raw" format). The
// event time is the accept date in brackets of traffic lines, which has
// milliseconds and a year, else the header's stamp; accept dates also fix
// the year later header-only lines get. The accept date carries no zone:
// it is read in the input's zone even when an ISO header has an offset.
type haproxyDecoder struct {
	loc   *time.Location
	years yearInfer
}

func (d *haproxyDecoder) Decode(line []byte, ev *event.Event, _ *event.Event) Verdict {
	if len(line) < 12 {
		return Reject
	}
	i, pri := 0, -1
	if line[0] == '<' {
		j := 1
		for j < len(line) && j < 5 && isDigit(line[j]) {
			j++
		}
		if j > 1 && j < len(line) && line[j] == '>' {
			pri, _ = num(line, 1, j-1)
			i = j + 1
		}
	}
	raw := ev.Raw
	var hdr stamp
	haveHdr := false
	var host, prog, pid [2]int
	switch {
	case pri >= 0 && i+2 < len(line) && line[i] == '1' && line[i+1] == ' ': // RFC 5424
		st, ok := parseISO(line[i+2:], d.loc)
		if !ok {
			return Reject
		}
		hdr, haveHdr = st, true
		var f [5][2]int // host app procid msgid structured-data
		p := i + 2 + st.n
		for k := range f {
			if p >= len(line) || line[p] != ' ' {
				return Reject
			}
			f[k] = [2]int{p + 1, gatewayTokenEnd(line, p+1)}
			p = f[k][1]
		}
		host, prog, pid = f[0], f[1], f[2]
		if raw[f[4][0]:f[4][1]] != "-" {
			return Reject // structured data HAProxy does not send
		}
		i = p + 1
	case i < len(line) && isLetter(line[i]) && haproxyMonth(line, i):
		st, ok := parseSyslogStamp(line[i:], d.loc, &d.years)
		if !ok {
			return Reject
		}
		hdr, haveHdr = st, true
		i += st.n
	case i+10 < len(line) && isDigit(line[i]) && line[i+4] == '-':
		st, ok := parseISO(line[i:], d.loc)
		if !ok {
			return Reject
		}
		hdr, haveHdr = st, true
		i += st.n
	}
	if haveHdr && prog[1] == 0 {
		// [host] program[pid]:
		if i >= len(line) || line[i] != ' ' {
			return Reject
		}
		t1 := [2]int{i + 1, gatewayTokenEnd(line, i+1)}
		if !haproxyProgram(line, t1) {
			host = t1
			t1 = [2]int{t1[1] + 1, gatewayTokenEnd(line, t1[1]+1)}
			if t1[0] >= len(line) || !haproxyProgram(line, t1) {
				return Reject
			}
		}
		prog = [2]int{t1[0], t1[1] - 1} // without ':'
		if b := bytes.IndexByte(line[prog[0]:prog[1]], '['); b > 0 && line[prog[1]-1] == ']' {
			pid = [2]int{prog[0] + b + 1, prog[1] - 1}
			prog[1] = prog[0] + b
		}
		i = t1[1]
	}
	i = gatewaySkipSpaces(line, i)
	if i >= len(line) {
		return Reject
	}
	named := !haveHdr || strings.Contains(raw[prog[0]:prog[1]], "haproxy")

	reserveFields(ev, 28)
	ok := haproxyTraffic(line, i, ev, d)
	if !ok {
		gatewayReset(ev)
	}
	if !ok && !haveHdr {
		ok = haproxyStderr(line, i, ev, d)
	}
	if !ok {
		if !haveHdr || !named {
			gatewayReset(ev)
			return Reject
		}
		haproxyMessage(raw, i, ev)
		if pri >= 0 {
			if l := syslogSeverity(pri & 7); l.Rank() > ev.Level.Rank() {
				ev.Level = l
			}
		}
	}
	if ev.Time.IsZero() {
		hdr.apply(&ev.Time, &ev.Precision, &ev.Zoned)
	}
	ev.Set("host", raw[host[0]:host[1]])
	ev.Set("program", raw[prog[0]:prog[1]])
	ev.Set("pid", raw[pid[0]:pid[1]])
	return Start
}

// haproxyMonth reports a month name followed by a space at b[i:].
func haproxyMonth(b []byte, i int) bool {
	_, ok := month(b, i)
	return ok && i+3 < len(b) && b[i+3] == ' '
}

// haproxyProgram reports a syslog tag token "name:" or "name[pid]:".
func haproxyProgram(line []byte, t [2]int) bool {
	if t[1]-t[0] < 2 || t[1] > len(line) || line[t[1]-1] != ':' {
		return false
	}
	name := line[t[0] : t[1]-1]
	if b := bytes.IndexByte(name, '['); b >= 0 {
		return b > 0 && name[len(name)-1] == ']' && gatewayAllDigits(string(name[b+1:len(name)-1]))
	}
	return bytes.IndexByte(name, '/') < 0 && bytes.IndexByte(name, '=') < 0
}

// haproxyTraffic reads a traffic line: "client:port [accept date] ..."
// followed by the rest of an HTTP log (option httplog), a TCP log (option
// tcplog), or "frontend/bind: error" for connections that failed before a
// request (SSL handshake errors).
//
// HTTP fields: client, client_port, frontend (without the "~" HAProxy adds
// for SSL frontends), backend, server, timers tq/tw/tc/tr/tt, latency_ms
// (= tt, the total time), status, bytes, termination_state, actconn,
// feconn, beconn, srv_conn, retries, srv_queue, backend_queue,
// request_headers / response_headers (captures, as written), method,
// path, protocol. TCP lines have timers tw/tc/tt and no status. The
// message of an HTTP line is the request line and status ("GET /x
// HTTP/1.1 503"); of a TCP line the log text after the accept date. The
// level is the worse of httpLevel(status) and the termination state's
// (server-side aborts and errors are errors; client-side and proxy-side
// ones warnings).
func haproxyTraffic(line []byte, i int, ev *event.Event, d *haproxyDecoder) bool {
	ce := gatewayTokenEnd(line, i)
	if ce+3 >= len(line) || line[ce+1] != '[' || !isDigit(line[ce+2]) {
		return false
	}
	raw := ev.Raw
	chost, cport := gatewaySplitHostPort(raw[i:ce])
	if cport == "" {
		return false
	}
	st, ok := parseCLF(line[ce+2:], d.loc)
	p := ce + 2 + st.n
	if !ok || p+1 >= len(line) || line[p] != ']' || line[p+1] != ' ' {
		return false
	}
	body := p + 2
	var tok [16][2]int
	n := 0
	for q := body; n < len(tok); {
		q = gatewaySkipSpaces(line, q)
		if q >= len(line) || line[q] == '{' || line[q] == '"' {
			break
		}
		e := gatewayTokenEnd(line, q)
		tok[n] = [2]int{q, e}
		n++
		q = e
	}
	if n == 0 {
		return false
	}
	v := func(k int) string { return raw[tok[k][0]:tok[k][1]] }
	fe := v(0)
	if strings.HasSuffix(fe, ":") { // "fe/bind: SSL handshake failure"
		f, bind, _ := strings.Cut(fe[:len(fe)-1], "/")
		gatewayAdd(ev, "frontend", f)
		gatewayAdd(ev, "bind", bind)
		ev.Message = raw[min(tok[0][1]+1, len(raw)):]
		ev.Level = event.LevelWarn
	} else {
		if n < 3 {
			return false
		}
		be, srv, okb := strings.Cut(v(1), "/")
		timers := v(2)
		nt := strings.Count(timers, "/")
		if !okb || nt != 2 && nt != 4 {
			return false
		}
		gatewayAdd(ev, "frontend", strings.TrimSuffix(fe, "~"))
		gatewayAdd(ev, "backend", be)
		gatewayAdd(ev, "server", srv)
		var tnames []string
		var rest int // index of the token after the timers' followers
		var ts string
		if nt == 4 {
			// status bytes req_cookie resp_cookie term conns queues
			if n < 10 {
				return false
			}
			tnames = haproxyHTTPTimers[:]
			code := v(3)
			gatewayAdd(ev, "status", code)
			gatewayAdd(ev, "bytes", v(4))
			ts = v(7)
			haproxyCounts(ev, v(8), v(9))
			ev.Level = httpLevel(code)
			rest = 10
		} else {
			// bytes term conns queues
			if n < 7 {
				return false
			}
			tnames = haproxyTCPTimers[:]
			gatewayAdd(ev, "bytes", v(3))
			ts = v(4)
			haproxyCounts(ev, v(5), v(6))
			ev.Level = event.LevelInfo
			rest = 7
			ev.Message = raw[body:tok[6][1]]
		}
		for k, t := 0, timers; k < len(tnames); k++ {
			val, more, _ := strings.Cut(t, "/")
			gatewayAdd(ev, tnames[k], val)
			t = more
			if k == len(tnames)-1 {
				gatewayAdd(ev, "latency_ms", strings.TrimPrefix(val, "+"))
			}
		}
		gatewayAdd(ev, "termination_state", ts)
		if l := haproxyTermLevel(ts); l.Rank() > ev.Level.Rank() {
			ev.Level = l
		}
		if nt == 4 {
			q := tok[rest-1][1]
			haproxyHTTPTail(line, q, ev, tok[3])
		}
	}
	st.apply(&ev.Time, &ev.Precision, &ev.Zoned)
	gatewayAdd(ev, "client", chost)
	gatewayAdd(ev, "client_port", cport)
	// the accept date fixes the year of later lines that have only a header
	d.years.year, d.years.last, d.years.set = ev.Time.In(d.loc).Year(), ev.Time.In(d.loc).Month(), true
	return true
}

var (
	haproxyHTTPTimers = [...]string{"tq", "tw", "tc", "tr", "tt"}
	haproxyTCPTimers  = [...]string{"tw", "tc", "tt"}
)

// haproxyCounts sets the connection counts "actconn/feconn/beconn/srv_conn/retries"
// and the queues "srv_queue/backend_queue".
func haproxyCounts(ev *event.Event, conns, queues string) {
	for _, k := range [...]string{"actconn", "feconn", "beconn", "srv_conn", "retries"} {
		var val string
		val, conns, _ = strings.Cut(conns, "/")
		gatewayAdd(ev, k, val)
	}
	sq, bq, _ := strings.Cut(queues, "/")
	gatewayAdd(ev, "srv_queue", sq)
	gatewayAdd(ev, "backend_queue", bq)
}

// haproxyHTTPTail reads the captured headers ("{...}", none, one or two)
// and the quoted request line after the queues of an HTTP log line, and
// sets the message.
func haproxyHTTPTail(line []byte, q int, ev *event.Event, cs [2]int) {
	raw := ev.Raw
	caps := 0
	for {
		q = gatewaySkipSpaces(line, q)
		if q >= len(line) || line[q] != '{' {
			break
		}
		e := bytes.IndexByte(line[q:], '}')
		if e < 0 {
			return
		}
		e += q
		if caps == 0 {
			ev.Set("request_headers", raw[q+1:e])
		} else {
			ev.Set("response_headers", raw[q+1:e])
		}
		caps++
		q = e + 1
	}
	if q >= len(line) || line[q] != '"' {
		ev.Message = raw[cs[0]:cs[1]]
		return
	}
	e := gatewayQuoteEnd(line, q)
	if e < 0 { // HAProxy cuts long request lines without closing the quote
		e = len(line)
	}
	gatewayRequest(ev, raw[q+1:e])
	ev.Message = gatewayRequestMessage(raw, q+1, e, cs[0], cs[1])
}

// haproxyTermLevel is the level a termination state implies: the first
// character says who ended the session ('-' normal; 'C'/'c' the client,
// 'S'/'s' the server, 'P' the proxy, 'R' resources, 'I' an internal
// error, 'D'/'U'/'K'/'L' server state or admin actions).
func haproxyTermLevel(ts string) event.Level {
	if ts == "" {
		return event.LevelNone
	}
	switch ts[0] {
	case 'S', 's', 'R', 'I':
		return event.LevelError
	case 'C', 'c', 'P', 'D', 'U', 'K', 'L':
		return event.LevelWarn
	}
	return event.LevelNone
}

// haproxyMessage reads HAProxy's other messages: server and health-check
// state changes, proxy start/stop, "backend X has no server available!",
// "Connect from A to B (frontend/MODE)" of the default log format. The
// message is the text as written; the level comes from what it says.
func haproxyMessage(raw string, i int, ev *event.Event) {
	msg := raw[i:]
	ev.Message = msg
	ev.Level = event.LevelInfo
	switch {
	case strings.HasPrefix(msg, "Server "), strings.HasPrefix(msg, "Health check for server "), strings.HasPrefix(msg, "Health check for backup server "):
		rest := msg[strings.Index(msg, "Server ")+len("Server "):]
		if strings.HasPrefix(msg, "Health") {
			rest = msg[strings.Index(msg, "server ")+len("server "):]
		}
		name, _, _ := strings.Cut(rest, " ")
		if be, srv, ok := strings.Cut(name, "/"); ok {
			ev.Set("backend", be)
			ev.Set("server", srv)
		}
		if _, r, ok := strings.Cut(msg, "reason: "); ok {
			r, _, _ = strings.Cut(r, ", ")
			ev.Set("reason", r)
		}
		if _, r, ok := strings.Cut(msg, `info: "`); ok {
			r, _, _ = strings.Cut(r, `"`)
			ev.Set("check_info", r)
		}
		switch {
		case strings.Contains(msg, " is DOWN"), strings.Contains(msg, " going DOWN"):
			ev.Level = event.LevelError
		case strings.HasPrefix(msg, "Health check") && strings.Contains(msg, " failed"):
			ev.Level = event.LevelWarn
		case strings.Contains(msg, " is UP"):
			ev.Level = event.LevelNotice
		}
	case strings.HasPrefix(msg, "backend ") && strings.Contains(msg, " has no server available"):
		name, _, _ := strings.Cut(msg[len("backend "):], " ")
		ev.Set("backend", name)
		ev.Level = event.LevelError
	case strings.HasPrefix(msg, "Proxy "):
		name, _, _ := strings.Cut(msg[len("Proxy "):], " ")
		ev.Set("proxy", name)
	case strings.HasPrefix(msg, "Stopping "):
		f := strings.Fields(msg)
		if len(f) > 2 {
			ev.Set("proxy", f[2])
		}
	case strings.HasPrefix(msg, "Connect from "):
		f := strings.Fields(msg)
		if len(f) >= 6 && f[3] == "to" {
			h, p := gatewaySplitHostPort(f[2])
			ev.Set("client", h)
			ev.Set("client_port", p)
			ev.Set("frontend_addr", f[4])
			fm := strings.Trim(f[5], "()")
			if fe, mode, ok := strings.Cut(fm, "/"); ok {
				ev.Set("frontend", fe)
				ev.Set("mode", mode)
			}
		}
	}
}

// haproxyStderr reads what HAProxy before 2.4 prints on stderr when it
// runs in the foreground (containers): "[WARNING] 263/154423 (1234) : msg",
// the stamp being day-of-year/HHMMSS without a year, which is taken from
// the accept dates seen so far, else from the file time. HAProxy 2.4 and
// later print no time ("[NOTICE]   (1) : ..."); such lines are not read.
func haproxyStderr(line []byte, i int, ev *event.Event, d *haproxyDecoder) bool {
	if line[i] != '[' {
		return false
	}
	e := bytes.IndexByte(line[i:], ']')
	if e < 2 || e > 10 {
		return false
	}
	e += i
	lvl, ok := levelWord(line[i+1 : e])
	if !ok {
		return false
	}
	p := gatewaySkipSpaces(line, e+1)
	doy, ok1 := num(line, p, 3)
	h, ok2 := num(line, p+4, 2)
	mi, ok3 := num(line, p+6, 2)
	s, ok4 := num(line, p+8, 2)
	if !ok1 || !ok2 || !ok3 || !ok4 || line[p+3] != '/' || doy < 1 || doy > 366 || h > 23 || mi > 59 || s > 59 {
		return false
	}
	p += 10
	if p+2 >= len(line) || line[p] != ' ' || line[p+1] != '(' {
		return false
	}
	pe := bytes.IndexByte(line[p+2:], ')')
	if pe <= 0 {
		return false
	}
	pid := [2]int{p + 2, p + 2 + pe}
	m := pid[1] + 1
	if !bytes.HasPrefix(line[m:], []byte(" : ")) {
		return false
	}
	m += 3
	var y int
	if d.years.set {
		y = d.years.year
	} else {
		ref := d.years.ref
		if ref.IsZero() {
			ref = time.Now()
		}
		ref = ref.In(d.loc)
		y = ref.Year()
		if doy > ref.YearDay() {
			y--
		}
	}
	t := time.Date(y, 1, 1, h, mi, s, 0, d.loc).AddDate(0, 0, doy-1)
	raw := ev.Raw
	ev.Time, ev.Precision, ev.Zoned = t.UTC(), 0, false
	haproxyMessage(raw, m, ev)
	if lvl.Rank() > ev.Level.Rank() {
		ev.Level = lvl
	}
	ev.Set("pid", raw[pid[0]:pid[1]])
	return true
}
