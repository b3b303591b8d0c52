package parse

import (
	"bytes"
	"strings"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

func init() {
	Register(&Format{
		ID:          "nginx-access",
		Description: "nginx/Apache access log: common, combined, vhost_combined, Apache SSLRequestLog, and combined with appended timing/upstream fields (rt= urt= ua= us=, upstream lists)",
		Example: `203.0.113.7 - - [15/Aug/2023:14:22:17 +0000] "GET /api/invoice HTTP/1.1" 503 197 "-" "curl/8.1.2" 0.012 0.011 10.0.2.5:8080 503` + "\n" +
			`203.0.113.7 - alice [15/Aug/2023:14:22:18 +0000] "POST /api/login HTTP/1.1" 200 612 "https://shop.example.com/" "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/116.0" "-" rt=0.231 uct="0.000" uht="0.229" urt="0.230"`,
		Specificity: 20,
		Segmentable: true,
		New:         func(ctx *Context) Decoder { return &nginxAccessDecoder{loc: ctx.Loc, lean: ctx.Lean} },
	})
	Register(&Format{
		ID:          "nginx-ingress",
		Description: "ingress-nginx controller pod log: access lines with request length, proxy upstream name, upstream lists and request id; klog controller lines; nginx error lines",
		Example: `192.168.64.1 - - [07/Feb/2020:11:48:51 +0000] "POST /products HTTP/1.1" 502 157 "-" "curl/7.54.0" 89 0.013 [default-web-8080] [] 172.17.0.5:8080, 172.17.0.6:8080 0, 0 0.004, 0.008 502, 502 529a007902362a5f51385a5fa7049884` + "\n" +
			`I0207 11:48:52.046174       7 controller.go:163] "Backend successfully reloaded"` + "\n" +
			`W0207 11:48:53.512904       7 controller.go:1083] Service "default/web" does not have any active Endpoint.`,
		Specificity: 22,
		New: func(ctx *Context) Decoder {
			return &nginxIngressDecoder{loc: ctx.Loc, years: yearInfer{ref: ctx.ModTime}}
		},
	})
	Register(&Format{
		ID:          "nginx-error",
		Description: "nginx error log: YYYY/MM/DD HH:MM:SS [level] pid#tid: *conn message, client: ..., upstream: \"...\"; lines not starting with a date continue the previous record",
		Example: `2023/08/15 14:22:17 [error] 1234#5678: *99 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.7, server: api.example.com, request: "GET /x HTTP/1.1", upstream: "http://10.0.2.5:8080/x", host: "api.example.com"` + "\n" +
			`2023/08/15 14:22:19 [warn] 1234#5678: *102 an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/1/00/0000000001 while reading upstream, client: 10.0.0.8, server: api.example.com, request: "GET /export HTTP/1.1", upstream: "http://10.0.2.6:8080/export", host: "api.example.com"`,
		Specificity: 23,
		Segmentable: true,
		New:         func(ctx *Context) Decoder { return &nginxErrorDecoder{loc: ctx.Loc} },
	})
}

// nginxAccessDecoder reads access lines (nginxCLF plus nginxAccessTail).
// Lines of nginx's error log, which `docker logs` interleaves with the
// access log of the official image, are read too (with their continuation
// lines), so a container log of both is one input.
type nginxAccessDecoder struct {
	loc     *time.Location
	lean    bool // Context.Lean: the descriptive fields are left out
	errOpen bool // the open record takes continuation lines
	ts      stampCache
	text    textArena
}

func (d *nginxAccessDecoder) Decode(line []byte, ev *event.Event, cur *event.Event) Verdict {
	if tail, ok := nginxCLF(line, ev, d.loc, &d.ts, &d.text, d.lean); ok {
		nginxAccessTail(line, tail, ev, d.lean)
		d.errOpen = false
		return Start
	}
	return nginxErrorOr(line, ev, cur, d.loc, &d.ts, &d.errOpen)
}

// skim reads an access line as Decode does: with Lean, without its
// message (see skimmer); error-log lines are not skimmed.
func (d *nginxAccessDecoder) skim(line []byte, ev *event.Event) bool {
	text := &d.text
	if d.lean {
		text = nil
	}
	tail, ok := nginxCLF(line, ev, d.loc, &d.ts, text, d.lean)
	if ok {
		nginxAccessTail(line, tail, ev, d.lean)
	}
	return ok
}

// skimmed sets what an access line's Decode sets in the decoder.
func (d *nginxAccessDecoder) skimmed() { d.errOpen = false }

// whole is true: without Lean, skim reads an access line as Decode does.
func (d *nginxAccessDecoder) whole() bool { return true }

// nginxQuoteEnd is gatewayQuoteEnd(b, i), told by plain that b holds no
// backslash after b[i]: then only quotes are looked for. An access line's
// quoted values are read one after another, and gatewayQuoteEnd looks for
// a backslash up to the line's end for each; one search of the line tells
// them all. The loop is gatewayQuoteEnd's without the backslashes, written
// out so that it inlines into nginxCLF: sharing gatewayQuoteEnd's loop
// (told there is no backslash) cost an access line about 47 instructions
// more (a call per quoted value).
func nginxQuoteEnd(b []byte, i int, plain bool) int {
	if !plain {
		return gatewayQuoteEnd(b, i)
	}
	if i+2 < len(b) && b[i+2] == '"' && (i+3 == len(b) || b[i+3] == ' ') {
		return i + 2 // a value of one byte (a referrer's "-"): no search
	}
	last := -1
	for j := i + 1; j < len(b); {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			break
		}
		q := j + k
		if q+1 == len(b) || b[q+1] == ' ' {
			return q
		}
		last = q
		j = q + 1
	}
	return last
}

// nginxErrorOr reads an nginx error-log line, or a continuation of the
// open error-log record, or rejects the line.
func nginxErrorOr(line []byte, ev, cur *event.Event, loc *time.Location, ts *stampCache, open *bool) Verdict {
	if nginxErrorLine(line, ev, loc, ts) {
		*open = true
		return Start
	}
	if *open && cur != nil && nginxContinues(line) {
		nginxErrorMore(cur, ev.Raw)
		return Continue
	}
	*open = false
	return Reject
}

// nginxErrorDecoder reads nginx's error log. As Filebeat's nginx module
// does, a line that does not start with "YYYY/MM/DD " continues the
// previous record (FastCGI and upstream stderr relayed over several lines);
// lines that are plainly records of another kind (an access line, a klog
// line) are rejected instead.
type nginxErrorDecoder struct {
	loc *time.Location
	ts  stampCache
}

func (d *nginxErrorDecoder) Decode(line []byte, ev *event.Event, cur *event.Event) Verdict {
	if nginxErrorLine(line, ev, d.loc, &d.ts) {
		return Start
	}
	if cur != nil && nginxContinues(line) {
		nginxErrorMore(cur, ev.Raw)
		return Continue
	}
	return Reject
}

// nginxIngressDecoder reads an ingress-nginx controller pod's log: access
// lines in the controller's log-format-upstream, the controller's own klog
// lines, and nginx error-log lines. klog lines are taken only once the
// input has shown it is an ingress controller's (an ingress access line,
// the "NGINX Ingress controller" banner, or a klog line that mentions
// "ingress"), so that plain klog files of other components are not claimed.
type nginxIngressDecoder struct {
	loc     *time.Location
	years   yearInfer
	open    bool // the open record takes continuation lines
	ingress bool // this input is an ingress controller's
	ts      stampCache
	text    textArena
}

func (d *nginxIngressDecoder) Decode(line []byte, ev *event.Event, cur *event.Event) Verdict {
	if tail, ok := nginxCLF(line, ev, d.loc, &d.ts, &d.text, false); ok {
		if nginxIngressTail(line, tail, ev) {
			d.ingress, d.open = true, false
			return Start
		}
		gatewayReset(ev)
		d.open = false
		return Reject
	}
	if gatewayKlogHeader(line) {
		if !d.ingress && !gatewayContainsFold(line, "ingress") {
			d.open = false
			return Reject
		}
		if gatewayKlog(line, ev, d.loc, &d.years) {
			d.ingress, d.open = true, true
			return Start
		}
	}
	if bytes.Contains(line, []byte("NGINX Ingress controller")) {
		d.ingress = true
	}
	return nginxErrorOr(line, ev, cur, d.loc, &d.ts, &d.open)
}

// nginxCLF reads a common/combined access-log line as nginx and Apache
// write it:
//
//	[host] addresses ident user [dd/Mon/yyyy:HH:MM:SS zone] "request" status bytes ["referrer" "user agent"]
//
// and Apache's SSLRequestLog line "[stamp] client protocol cipher
// "request" bytes". The addresses are $remote_addr, or a list of them as
// $http_x_forwarded_for writes it (optionally quoted, optionally followed
// by one more address); a plain leading token before them is the virtual
// host (vhost_combined, Filebeat's "test-with-host" layout); a syslog
// header before them ("Aug 15 14:22:17 web1 nginx: ") is skipped. The
// stamp may also be $time_iso8601 ("[2023-08-15T14:22:17+02:00]").
// Following Filebeat, client is the first public IP of the list, else its
// first element; the raw list is kept as client_list.
//
// The message is the request line, a space and the status
// ("GET /api/invoice HTTP/1.1 503"). It returns the index after the last
// field read (user agent or byte count); on false ev is untouched. lean
// (Context.Lean) sets only the time, level, message and status: the line
// is checked as thoroughly, and the same lines are rejected. ts and text
// are the decoder's stamp cache and message arena (nil: none).
func nginxCLF(line []byte, ev *event.Event, loc *time.Location, ts *stampCache, text *textArena, lean bool) (int, bool) {
	if len(line) < 24 {
		return 0, false
	}
	k := -1 // index of the stamp's '['
	iso := false
	if line[0] == '[' {
		k = 0
	} else {
		for off := 1; off < len(line); {
			// the next " [": a '[' after a space (one IndexByte call;
			// an access line has a handful of spaces before its stamp)
			j := bytes.IndexByte(line[off:], '[')
			if j < 0 {
				return 0, false
			}
			j += off
			if line[j-1] != ' ' {
				off = j + 1
				continue
			}
			if j+3 < len(line) && isDigit(line[j+1]) && isDigit(line[j+2]) && line[j+3] == '/' {
				k = j
				break
			}
			if j+5 < len(line) && isDigit(line[j+1]) && isDigit(line[j+4]) && line[j+5] == '-' { // $time_iso8601
				k, iso = j, true
				break
			}
			off = j + 1
		}
		if k < 0 {
			return 0, false
		}
	}
	var st stamp
	var ok bool
	if iso {
		st, ok = ts.iso(line[k+1:], loc)
	} else {
		st, ok = ts.clf(line[k+1:], loc)
	}
	i := k + 1 + st.n
	if !ok || i >= len(line) || line[i] != ']' {
		return 0, false
	}
	i++
	raw := ev.Raw
	var client, list, host, user, tlsProto, tlsCipher [2]int
	multi := false
	if k == 0 {
		// SSLRequestLog: [stamp] client protocol cipher "request" bytes
		var toks [3][2]int
		n := 0
		for {
			i = gatewaySkipSpaces(line, i)
			if i >= len(line) || line[i] == '"' || n == len(toks) {
				break
			}
			e := gatewayTokenEnd(line, i)
			toks[n] = [2]int{i, e}
			n++
			i = e
		}
		if n != 3 || i >= len(line) || line[i] != '"' {
			return 0, false
		}
		client, tlsProto, tlsCipher = toks[0], toks[1], toks[2]
		i-- // at the space before the request
	} else {
		p := k - 1
		for p > 0 && line[p-1] == ' ' {
			p--
		}
		region := [2]int{0, p}
		if u := bytes.LastIndexByte(line[:p], ' '); u > 0 {
			user = [2]int{u + 1, p}
			region[1] = u
			if id := bytes.LastIndexByte(line[:u], ' '); id > 0 {
				region[1] = id // the ident (%l) between them is dropped
			}
		}
		for region[1] > 0 && line[region[1]-1] == ' ' {
			region[1]--
		}
		// a syslog header ("Aug 15 14:22:17 web1 nginx: ") ends with ": ",
		// which addresses and hosts never contain
		if c := lastColonSpace(line[:region[1]]); c >= 0 {
			region[0] = c + 2
		}
		if region[1] <= region[0] || line[region[0]] == ' ' {
			return 0, false
		}
		if !lean {
			host, list, client, multi = nginxAddresses(raw, region[0], region[1])
		}
	}
	// "request"
	if i+1 >= len(line) || line[i] != ' ' || line[i+1] != '"' {
		return 0, false
	}
	plain := bytes.IndexByte(line[i+2:], '\\') < 0 // no escapes: the quoted values end at quotes
	q := nginxQuoteEnd(line, i+1, plain)
	if q < 0 {
		return 0, false
	}
	req := [2]int{i + 2, q}
	i = q + 1
	var status, nbytes, ref, ua [2]int
	if k != 0 {
		if i >= len(line) || line[i] != ' ' {
			return 0, false
		}
		e := gatewayTokenEnd(line, i+1)
		if e-(i+1) != 3 || !gatewayAllDigits(raw[i+1:e]) {
			return 0, false
		}
		status = [2]int{i + 1, e}
		i = e
	}
	if i >= len(line) || line[i] != ' ' {
		return 0, false
	}
	e := gatewayTokenEnd(line, i+1)
	if b := raw[i+1 : e]; b != "-" && !gatewayAllDigits(b) {
		return 0, false
	}
	nbytes = [2]int{i + 1, e}
	i = e
	if k != 0 && i+2 < len(line) && line[i] == ' ' {
		r := -1
		switch {
		case line[i+1] == '"':
			if q := nginxQuoteEnd(line, i+1, plain); q > 0 {
				ref, r = [2]int{i + 2, q}, q+1
			}
		case line[i+1] == '-' && line[i+2] == ' ': // Traefik writes a bare "-"
			r = i + 2
		}
		if r > 0 {
			i = r
			if r+1 < len(line) && line[r] == ' ' && line[r+1] == '"' {
				if q := nginxQuoteEnd(line, r+1, plain); q > 0 {
					ua = [2]int{r + 2, q}
					i = q + 1
				}
			}
		}
	}

	nf := 12
	if lean {
		nf = 4 // time, level, message and status only
	}
	reserveFields(ev, nf)
	st.apply(&ev.Time, &ev.Precision, &ev.Zoned)
	if lean {
		gatewayAdd(ev, "status", raw[status[0]:status[1]])
	} else {
		gatewayAdd(ev, "client", raw[client[0]:client[1]])
		if multi {
			gatewayAdd(ev, "client_list", raw[list[0]:list[1]])
		}
		gatewayAdd(ev, "host", raw[host[0]:host[1]])
		gatewayAdd(ev, "user", raw[user[0]:user[1]])
		gatewayRequest(ev, raw[req[0]:req[1]])
		gatewayAdd(ev, "status", raw[status[0]:status[1]])
		gatewayAdd(ev, "bytes", raw[nbytes[0]:nbytes[1]])
		gatewayAdd(ev, "referrer", raw[ref[0]:ref[1]])
		gatewayAdd(ev, "user_agent", raw[ua[0]:ua[1]])
		gatewayAdd(ev, "tls_protocol", raw[tlsProto[0]:tlsProto[1]])
		gatewayAdd(ev, "tls_cipher", raw[tlsCipher[0]:tlsCipher[1]])
	}
	if k == 0 {
		ev.Level = event.LevelInfo
	} else {
		ev.Level = httpLevel(raw[status[0]:status[1]])
	}
	if text != nil { // nil: skimmed, no message
		ev.Message = text.requestMessage(raw, req[0], req[1], status[0], status[1])
	}
	return i, true
}

// lastColonSpace is bytes.LastIndex(b, []byte(": ")), by a loop: b is a
// few dozen bytes, too short for the library's search to pay. Most b (one
// address) hold no space at all, which one IndexByte tells.
func lastColonSpace(b []byte) int {
	if bytes.IndexByte(b, ' ') < 0 {
		return -1
	}
	for i := len(b) - 2; i >= 0; i-- {
		if b[i] == ':' && b[i+1] == ' ' {
			return i
		}
	}
	return -1
}

// nginxAddresses reads the part of an access line before ident and user:
// an optional virtual host, then one address or a list of them. It returns
// the spans of the host, of the address list, of the chosen client, and
// whether the list has more than one element.
func nginxAddresses(raw string, s, e int) (host, list, client [2]int, multi bool) {
	// ingress-nginx before 0.20 wrote "$remote_addr - [$the_real_ip]":
	// the bracketed real client address wins.
	if raw[e-1] == ']' {
		if j := strings.LastIndex(raw[s:e], " - ["); j >= 0 {
			client = [2]int{s + j + 4, e - 1}
			list = [2]int{s, s + j}
			return host, list, client, false
		}
	}
	type item struct {
		s, e  int
		plain bool
	}
	var items [2]item
	n := 0
	for j := s; j < e && n < len(items); {
		for j < e && raw[j] == ' ' {
			j++
		}
		if j >= e {
			break
		}
		if raw[j] == '"' {
			end := e
			if c := strings.IndexByte(raw[j+1:e], '"'); c >= 0 {
				end = j + 1 + c + 1
			}
			items[n] = item{j, end, false}
			n++
			j = end
			continue
		}
		t := j
		for t < e && raw[t] != ' ' {
			t++
		}
		plain := true
		for t < e && raw[t-1] == ',' {
			plain = false
			t2 := t
			for t2 < e && raw[t2] == ' ' {
				t2++
			}
			if t2 >= e {
				break
			}
			t = t2
			for t < e && raw[t] != ' ' {
				t++
			}
		}
		items[n] = item{j, t, plain}
		n++
		j = t
	}
	if n == 0 {
		return host, list, client, false
	}
	list = [2]int{items[0].s, e}
	if n >= 2 && items[0].plain {
		host = [2]int{items[0].s, items[0].e}
		list[0] = items[1].s
	}
	// elements, separated by spaces, commas and quotes
	first, public := [2]int{-1, -1}, [2]int{-1, -1}
	count := 0
	for j := list[0]; j < list[1]; {
		for j < list[1] && (raw[j] == ' ' || raw[j] == ',' || raw[j] == '"') {
			j++
		}
		if j >= list[1] {
			break
		}
		t := j
		for t < list[1] && raw[t] != ' ' && raw[t] != ',' && raw[t] != '"' {
			t++
		}
		// The first public element wins, else the first: a list of one
		// (nearly every line) needs no look at its address.
		count++
		switch {
		case first[0] < 0:
			first = [2]int{j, t}
		case public[0] >= 0:
		case count == 2 && gatewayPublicIP(raw[first[0]:first[1]]):
			public = first
		case gatewayPublicIP(raw[j:t]):
			public = [2]int{j, t}
		}
		j = t
	}
	client = first
	if public[0] >= 0 {
		client = public
	}
	if client[0] < 0 {
		client = [2]int{}
	}
	return host, list, client, count > 1
}

// nginxAccessTail reads the fields nginx configurations commonly append to
// the combined format. Nothing in the line names them, so they are
// recognized by shape:
//
//   - key=value pairs: rt/request_time, urt/upstream_response_time,
//     uct/upstream_connect_time, uht/upstream_header_time,
//     ua/upstream_addr, us/upstream_status, cs/upstream_cache_status,
//     host, request_id; other keys are kept under their own name;
//   - bare durations in seconds: the first is $request_time (latency_ms),
//     the second $upstream_response_time (upstream_latency_ms);
//   - a bare host:port (or unix:path) is $upstream_addr, and a status code
//     after it $upstream_status;
//   - a quoted address list is $http_x_forwarded_for (forwarded_for); a
//     32-hex or UUID value is the request id.
//
// Value lists ("10.0.0.1:80, 10.0.0.2:80", "... : ...", one element per
// upstream tried) give the last element as upstream / upstream_status and
// keep the raw list as upstream_list / upstream_status_list /
// upstream_time_list; upstream_latency_ms is the sum over the list.
//
// lean (Context.Lean) keeps upstream and the key=value pairs of no fixed
// name, and leaves out the rest; the items are told apart as without it.
func nginxAccessTail(line []byte, i int, ev *event.Event, lean bool) {
	if nginxCommonTail(line, i, ev, lean) {
		return
	}
	nginxTailItems(line, i, ev, lean)
}

// nginxTailItems is nginxAccessTail item by item, for any tail.
func nginxTailItems(line []byte, i int, ev *event.Event, lean bool) {
	raw := ev.Raw
	times, up := 0, nginxUpCheck{}
	for n := 0; n < 40; n++ {
		it, next, ok := gatewayNextItem(line, i, true)
		if !ok {
			return
		}
		i = next
		v := raw[it.s:it.e]
		switch it.kind {
		case gatewayKV:
			nginxKV(ev, raw[it.ks:it.ke], v, lean)
		case gatewayQuotedK:
			switch {
			case v == "-" || v == "":
			case gatewayIsRequestID(v):
				if !lean {
					gatewaySetNew(ev, "request_id", v)
				}
			case nginxIsAddrList(v):
				if !lean {
					gatewaySetNew(ev, "forwarded_for", v)
				}
			case gatewayIsHostPort(gatewayListLast(v)):
				if !up.has(ev) {
					nginxUpstreamList(ev, v, gatewayListLast(v), gatewayIsList(v), lean, true)
				}
			}
		case gatewayBare:
			last := v
			if it.sep {
				last = gatewayListLast(v)
			}
			haveUp := up.has(ev)
			switch {
			case v == "-":
			case gatewayIsSeconds(last):
				times++
				switch {
				case lean:
				case times == 1 && !it.sep:
					if ms, ok := gatewaySecondsToMs(v); ok {
						gatewaySetNew(ev, "latency_ms", ms)
					}
				default:
					nginxUpstreamTime(ev, v)
				}
			case !haveUp && gatewayIsHostPort(last):
				nginxUpstreamList(ev, v, last, it.sep, lean, true)
			case haveUp && len(last) == 3 && last[0] >= '1' && last[0] <= '5' && gatewayAllDigits(last):
				if lean {
					break
				}
				if _, ok := ev.Get("upstream_status"); !ok {
					nginxUpstreamStatus(ev, v, true)
				}
			case gatewayIsRequestID(v):
				if !lean {
					gatewaySetNew(ev, "request_id", v)
				}
			}
		}
	}
}

// nginxKV maps one key=value field of an access-log tail; lean keeps only
// upstream and the keys of no fixed meaning.
func nginxKV(ev *event.Event, key, v string, lean bool) {
	if v == "" || v == "-" {
		return
	}
	if lean {
		switch key {
		case "ua", "upstream", "upstream_addr":
			if gatewayIsHostPort(gatewayListLast(v)) || key != "ua" {
				nginxUpstream(ev, v, true)
			}
			return
		case "rt", "request_time", "urt", "upstream_response_time", "uct", "upstream_connect_time",
			"uht", "upstream_header_time", "us", "upstream_status", "cs", "upstream_cache_status", "cache",
			"host", "http_host", "vhost", "server_name", "request_id", "req_id", "reqid", "rid", "x_request_id",
			"xff", "forwarded_for", "http_x_forwarded_for":
			return
		}
		if nginxLeanDrops(key) { // a field lean mode leaves out, under its own name
			return
		}
	}
	switch key {
	case "rt", "request_time":
		if ms, ok := gatewaySecondsToMs(v); ok {
			ev.Set("latency_ms", ms)
		}
	case "urt", "upstream_response_time":
		nginxUpstreamTime(ev, v)
	case "uct", "upstream_connect_time":
		if ms, ok := gatewaySecondsToMs(v); ok {
			ev.Set("upstream_connect_ms", ms)
		}
	case "uht", "upstream_header_time":
		if ms, ok := gatewaySecondsToMs(v); ok {
			ev.Set("upstream_header_ms", ms)
		}
	case "ua", "upstream", "upstream_addr":
		if gatewayIsHostPort(gatewayListLast(v)) || key != "ua" {
			nginxUpstream(ev, v, false)
		} else {
			gatewaySetNew(ev, "user_agent", v)
		}
	case "us", "upstream_status":
		nginxUpstreamStatus(ev, v, false)
	case "cs", "upstream_cache_status", "cache":
		ev.Set("cache_status", v)
	case "host", "http_host", "vhost", "server_name":
		ev.Set("host", v)
	case "request_id", "req_id", "reqid", "rid", "x_request_id":
		ev.Set("request_id", v)
	case "xff", "forwarded_for", "http_x_forwarded_for":
		ev.Set("forwarded_for", v)
	default:
		for i := 0; i < len(key); i++ {
			if c := key[i]; !(c >= 'a' && c <= 'z' || isDigit(c) || c == '_') {
				return
			}
		}
		gatewaySetNew(ev, key, v)
	}
}

// nginxLeanDrops reports the fields lean mode leaves out (Options.Lean).
func nginxLeanDrops(key string) bool {
	switch key {
	case "client", "client_list", "host", "user", "method", "path", "protocol", "bytes", "referrer", "user_agent",
		"tls_protocol", "tls_cipher", "latency_ms", "upstream_latency_ms", "upstream_time_list", "upstream_connect_ms",
		"upstream_header_ms", "upstream_list", "upstream_status", "upstream_status_list", "cache_status",
		"request_id", "forwarded_for":
		return true
	}
	return false
}

// nginxUpstream sets upstream (the last address tried) and, unless lean,
// upstream_list.
func nginxUpstream(ev *event.Event, v string, lean bool) {
	nginxUpstreamList(ev, v, gatewayListLast(v), gatewayIsList(v), lean, false)
}

// nginxUpstreamList is nginxUpstream given the list's last element and
// whether it has more than one; absent says that ev has no upstream yet
// (it is added without a look for one).
func nginxUpstreamList(ev *event.Event, v, last string, list, lean, absent bool) {
	freshSet(ev, "upstream", last, absent)
	if !lean && list {
		ev.Set("upstream_list", v)
	}
}

// nginxUpstreamStatus sets upstream_status (the last) and
// upstream_status_list; absent says that ev has no upstream_status yet.
func nginxUpstreamStatus(ev *event.Event, v string, absent bool) {
	freshSet(ev, "upstream_status", gatewayListLast(v), absent)
	if gatewayIsList(v) {
		ev.Set("upstream_status_list", v)
	}
}

// freshSet is ev.Set(key, v) for a decoder that knows whether ev holds a
// field key: when absent says it does not, the value is appended as Set
// would append it, without looking for key.
func freshSet(ev *event.Event, key, v string, absent bool) {
	if absent {
		gatewayAdd(ev, key, v)
	} else {
		ev.Set(key, v)
	}
}

// nginxUpCheck tells whether an access line's event has an upstream
// field, looking at each field once: while the tail is read, fields are
// only added or given new values, never renamed or removed, so only the
// fields added since the last look are looked at.
type nginxUpCheck struct {
	n    int // ev.Fields[:n] were looked at
	have bool
}

// has reports whether ev has an upstream field.
func (c *nginxUpCheck) has(ev *event.Event) bool {
	for ; !c.have && c.n < len(ev.Fields); c.n++ {
		c.have = ev.Fields[c.n].Key == "upstream"
	}
	return c.have
}

// nginxUpstreamTime sets upstream_latency_ms (the sum over the upstreams
// tried, as Filebeat does) and upstream_time_list (seconds, as written).
func nginxUpstreamTime(ev *event.Event, v string) {
	if ms, ok := gatewaySecondsToMs(v); ok {
		ev.Set("upstream_latency_ms", ms)
	}
	if gatewayIsList(v) {
		ev.Set("upstream_time_list", v)
	}
}

// nginxIsAddrList reports a value made of IP addresses separated by commas
// and spaces, as X-Forwarded-For holds.
func nginxIsAddrList(v string) bool {
	n := 0
	for len(v) > 0 {
		j := strings.IndexAny(v, ", ")
		el := v
		if j >= 0 {
			el, v = v[:j], v[j+1:]
		} else {
			v = ""
		}
		if el == "" {
			continue
		}
		if strings.IndexByte(el, '.') < 0 && strings.IndexByte(el, ':') < 0 {
			return false
		}
		for i := 0; i < len(el); i++ {
			if c := el[i]; !(isHex(c) || c == '.' || c == ':') {
				return false
			}
		}
		n++
	}
	return n > 0
}

// gatewaySetNew sets a field only when the event has none of that name.
func gatewaySetNew(ev *event.Event, key, v string) {
	if _, ok := ev.Get(key); !ok {
		gatewayAdd(ev, key, v) // Set would look for key again
	}
}

// nginxIngressTail reads ingress-nginx's log-format-upstream after the user
// agent:
//
//	$request_length $request_time [$proxy_upstream_name] [$proxy_alternative_upstream_name] $upstream_addr $upstream_response_length $upstream_response_time $upstream_status $req_id
//
// (controllers before 0.24 have no alternative upstream name, and the
// oldest no request id). It reports false when the tail is not of that
// shape.
func nginxIngressTail(line []byte, i int, ev *event.Event) bool {
	raw := ev.Raw
	var its [9]gatewayItem
	n := 0
	for n < len(its) {
		it, next, ok := gatewayNextItem(line, i, true)
		if !ok {
			break
		}
		its[n] = it
		n++
		i = next
	}
	if n < 3 || its[0].kind != gatewayBare || its[1].kind != gatewayBare || its[2].kind != gatewayBracket {
		return false
	}
	reqLen, reqTime := raw[its[0].s:its[0].e], raw[its[1].s:its[1].e]
	if reqLen != "-" && !gatewayAllDigits(reqLen) || reqTime != "-" && !gatewayIsSeconds(reqTime) {
		return false
	}
	ev.Set("request_length", reqLen)
	if ms, ok := gatewaySecondsToMs(reqTime); ok {
		ev.Set("latency_ms", ms)
	}
	ev.Set("upstream_name", raw[its[2].s:its[2].e])
	k := 3
	if k < n && its[k].kind == gatewayBracket {
		ev.Set("upstream_alternative_name", raw[its[k].s:its[k].e])
		k++
	}
	for f := 0; k < n; k, f = k+1, f+1 {
		if its[k].kind != gatewayBare {
			break
		}
		v := raw[its[k].s:its[k].e]
		switch f {
		case 0:
			nginxUpstream(ev, v, false)
		case 1:
			ev.Set("upstream_bytes", gatewayListLast(v))
		case 2:
			nginxUpstreamTime(ev, v)
		case 3:
			nginxUpstreamStatus(ev, v, false)
		case 4:
			ev.Set("request_id", v)
		}
	}
	return true
}

// nginxErrorLine reads an nginx error-log line
//
//	2023/08/15 14:22:17 [error] 1234#5678: *99 message, client: ..., server: ...
//
// setting pid, tid, connection_id, the fields of the trailing "key: value"
// list (nginxErrorKV) and errno when the message quotes one ("(111:
// Connection refused)"). The message is the text after the connection
// number, as Filebeat keeps it. On false ev is untouched.
func nginxErrorLine(line []byte, ev *event.Event, loc *time.Location, ts *stampCache) bool {
	if !nginxErrorDate(line) {
		return false
	}
	st, ok := ts.iso(line, loc)
	i := st.n
	if !ok || i+3 >= len(line) || line[i] != ' ' || line[i+1] != '[' {
		return false
	}
	j := bytes.IndexByte(line[i+2:], ']')
	if j <= 0 {
		return false
	}
	lvl, ok := levelWord(line[i+2 : i+2+j])
	if !ok {
		return false
	}
	i += 2 + j + 1
	if i >= len(line) || line[i] != ' ' {
		return false
	}
	pid := [2]int{i + 1, i + 1}
	for pid[1] < len(line) && isDigit(line[pid[1]]) {
		pid[1]++
	}
	if pid[1] == pid[0] || pid[1] >= len(line) || line[pid[1]] != '#' {
		return false
	}
	tid := [2]int{pid[1] + 1, pid[1] + 1}
	for tid[1] < len(line) && isDigit(line[tid[1]]) {
		tid[1]++
	}
	if tid[1] == tid[0] || tid[1]+1 >= len(line) || line[tid[1]] != ':' || line[tid[1]+1] != ' ' {
		return false
	}
	i = tid[1] + 2
	var conn [2]int
	if i < len(line) && line[i] == '*' {
		e := i + 1
		for e < len(line) && isDigit(line[e]) {
			e++
		}
		if e > i+1 && e < len(line) && line[e] == ' ' {
			conn = [2]int{i + 1, e}
			i = e + 1
		}
	}
	raw := ev.Raw
	reserveFields(ev, 16)
	st.apply(&ev.Time, &ev.Precision, &ev.Zoned)
	ev.Level = lvl
	ev.Message = raw[i:]
	// A fresh event (every line's, unless a decoder tried before this one
	// left fields) takes these distinct keys without a look for them.
	fresh := len(ev.Fields) == 0
	freshSet(ev, "pid", raw[pid[0]:pid[1]], fresh)
	freshSet(ev, "tid", raw[tid[0]:tid[1]], fresh)
	freshSet(ev, "connection_id", raw[conn[0]:conn[1]], fresh)
	nginxErrorKV(ev, raw, i, fresh)
	return true
}

// nginxErrorDate reports a line starting with "YYYY/MM/DD ".
func nginxErrorDate(b []byte) bool {
	return len(b) > 11 && b[4] == '/' && b[7] == '/' && b[10] == ' ' &&
		isDigit(b[0]) && isDigit(b[1]) && isDigit(b[2]) && isDigit(b[3]) &&
		isDigit(b[5]) && isDigit(b[6]) && isDigit(b[8]) && isDigit(b[9])
}

// nginxContinues reports a line that may continue an nginx error-log
// record: not a dated line, and not plainly a record of another kind (an
// access line, a klog line) that shares the stream.
func nginxContinues(line []byte) bool {
	if nginxErrorDate(line) || gatewayKlogHeader(line) {
		return false
	}
	if j := bytes.Index(line, []byte(" [")); j >= 0 && j+4 < len(line) && isDigit(line[j+2]) && isDigit(line[j+3]) && line[j+4] == '/' {
		return false
	}
	return true
}

// nginxErrorKV reads the "key: value" list nginx appends to error messages
// (", client: 10.0.0.7, server: api, request: "GET /x HTTP/1.1", upstream:
// "http://10.0.2.5:8080/x", host: "api"") from raw[from:] into ev, and
// errno from the message before it. upstream is the host:port of the
// upstream URL (the URL itself is kept as upstream_url); target is set to
// the address of a connection that failed ("connect() to X failed", or the
// upstream of a "... while connecting to upstream" error). fresh tells that
// ev has none of the fields this sets (it has at most pid, tid and
// connection_id): each is then appended the first time it is stored.
func nginxErrorKV(ev *event.Event, raw string, from int, fresh bool) {
	f := nginxErrFields{ev: ev, fresh: fresh}
	if !fresh {
		f.have = ^uint16(0) // every key may be there already
	}
	msg := raw[from:]
	kv := lastIndex(msg, ", client: ")
	text := msg
	if kv >= 0 {
		text = msg[:kv]
		p := kv
		for p < len(msg) && strings.HasPrefix(msg[p:], ", ") {
			ks := p + 2
			c := strings.Index(msg[ks:], ": ")
			if c <= 0 || c > 20 {
				break
			}
			key := msg[ks : ks+c]
			vs := ks + c + 2
			var val string
			if vs < len(msg) && msg[vs] == '"' {
				// the value ends at the first '"' that ends msg or
				// comes before ", " (four lines, as the loop that was
				// here: default.pgo knows the calls below by line)
				ve := nginxErrorQuoteEnd(msg, vs+1)
				val = msg[vs+1 : ve]
				p = min(ve+1, len(msg))
			} else {
				ve := strings.Index(msg[vs:], ", ")
				if ve < 0 {
					ve = len(msg) - vs
				}
				val = msg[vs : vs+ve]
				p = vs + ve
			}
			switch key {
			case "client":
				f.set(nginxFClient, key, val)
			case "server":
				f.set(nginxFServer, key, val)
			case "host":
				f.set(nginxFHost, key, val)
			case "referrer":
				f.set(nginxFReferrer, key, val)
			case "subrequest":
				f.set(nginxFSubrequest, key, val)
			case "request":
				f.set(nginxFRequest, "request", val)
				method, path, proto := gatewaySplitRequest(val)
				f.set(nginxFMethod, "method", method)
				f.set(nginxFPath, "path", path)
				f.set(nginxFProtocol, "protocol", proto)
			case "upstream":
				f.set(nginxFUpstreamURL, "upstream_url", val)
				if h := gatewayURLHost(val); h != "" {
					f.set(nginxFUpstream, "upstream", h)
				} else {
					f.set(nginxFUpstream, "upstream", val)
				}
			}
		}
	}
	if f.absent("errno") {
		for off := 0; ; {
			j := indexVia(text[off:], " (", 1)
			if j < 0 {
				break
			}
			s := off + j + 2
			e := s
			for e < len(text) && isDigit(text[e]) {
				e++
			}
			if e > s && e+1 < len(text) && text[e] == ':' && text[e+1] == ' ' {
				f.set(nginxFErrno, "errno", text[s:e])
				break
			}
			off = s
		}
	}
	if f.absent("target") {
		if j := strings.Index(text, "connect() to "); j >= 0 {
			t := text[j+13:]
			if e := strings.IndexByte(t, ' '); e > 0 && gatewayIsHostPort(t[:e]) {
				f.set(nginxFTarget, "target", t[:e])
			}
		} else if strings.Contains(text, "while connecting to upstream") {
			if up, ok := ev.Get("upstream"); ok {
				f.set(nginxFTarget, "target", up)
			}
		}
	}
}

// Bits of nginxErrFields.have: the keys nginxErrorKV sets.
const (
	nginxFClient uint16 = 1 << iota
	nginxFServer
	nginxFHost
	nginxFReferrer
	nginxFSubrequest
	nginxFRequest
	nginxFMethod
	nginxFPath
	nginxFProtocol
	nginxFUpstreamURL
	nginxFUpstream
	nginxFErrno
	nginxFTarget
)

// nginxErrFields sets the fields of an nginx error line as Event.Set does.
// On a fresh event (see nginxErrorKV) a key is appended without a look for
// it the first time it is stored; have notes the keys stored, so that a
// key the line repeats is set in place, as Set would. On an event that is
// not fresh have holds every key, and each is set with Set.
type nginxErrFields struct {
	ev    *event.Event
	fresh bool
	have  uint16
}

// absent reports that the event has no field key, for a key the list does
// not set (errno, target: a fresh event then has none).
func (f *nginxErrFields) absent(key string) bool {
	if f.fresh {
		return true
	}
	_, ok := f.ev.Get(key)
	return !ok
}

// set sets key to v; bit is the key's nginxF* bit.
func (f *nginxErrFields) set(bit uint16, key, v string) {
	if f.have&bit != 0 {
		f.ev.Set(key, v)
	} else if v != "" && v != "-" {
		f.ev.Fields = append(f.ev.Fields, event.Field{Key: key, Value: v})
		f.have |= bit
	}
}

// nginxErrorQuoteEnd returns the index of the first '"' of msg at or
// after i that ends msg or comes before ", ", or len(msg) if none does: the
// end of a quoted value of nginxErrorKV. It looks from quote to quote
// (IndexByte), where a loop over the bytes cost ~8 instructions a byte.
func nginxErrorQuoteEnd(msg string, i int) int {
	for {
		q := strings.IndexByte(msg[i:], '"')
		if q < 0 {
			return len(msg)
		}
		if i += q; i+1 == len(msg) || strings.HasPrefix(msg[i+1:], ", ") {
			return i
		}
		i++
	}
}

// nginxErrorMore reads the "client: ..." list when it ends a continuation
// line (a multi-line upstream message is followed by it).
func nginxErrorMore(cur *event.Event, raw string) {
	if strings.Contains(raw, ", client: ") {
		nginxErrorKV(cur, raw, 0, false)
	}
}

// gatewayKlogHeader is the cheap check for a klog/glog line:
// "I0517 14:06:33.123456 ...".
func gatewayKlogHeader(b []byte) bool {
	if len(b) < 22 {
		return false
	}
	switch b[0] {
	case 'I', 'W', 'E', 'F':
	default:
		return false
	}
	return isDigit(b[1]) && isDigit(b[2]) && isDigit(b[3]) && isDigit(b[4]) && b[5] == ' ' &&
		isDigit(b[6]) && isDigit(b[7]) && b[8] == ':'
}

// gatewayKlog reads a klog/glog line "I0517 14:06:33.123456       7
// controller.go:146] message" (year-less: the year comes from years),
// setting the level from the severity letter, tid and file.
func gatewayKlog(line []byte, ev *event.Event, loc *time.Location, years *yearInfer) bool {
	if !gatewayKlogHeader(line) {
		return false
	}
	var lvl event.Level
	switch line[0] {
	case 'I':
		lvl = event.LevelInfo
	case 'W':
		lvl = event.LevelWarn
	case 'E':
		lvl = event.LevelError
	default:
		lvl = event.LevelFatal
	}
	mo, _ := num(line, 1, 2)
	d, _ := num(line, 3, 2)
	h, mi, s, ns, prec, end, ok := clock(line, 6)
	if !ok || mo < 1 || mo > 12 || d < 1 || d > 31 {
		return false
	}
	i := gatewaySkipSpaces(line, end)
	tid := [2]int{i, i}
	for tid[1] < len(line) && isDigit(line[tid[1]]) {
		tid[1]++
	}
	if tid[1] == tid[0] || tid[1] >= len(line) || line[tid[1]] != ' ' {
		return false
	}
	fs := tid[1] + 1
	fe := bytes.IndexByte(line[fs:], ']')
	if fe <= 0 || bytes.IndexByte(line[fs:fs+fe], ' ') >= 0 {
		return false
	}
	fe += fs
	msg := fe + 1
	if msg < len(line) && line[msg] == ' ' {
		msg++
	}
	y := years.yearFor(time.Month(mo), loc)
	t, ok := mkTime(y, mo, d, h, mi, s, ns, loc, 0, false)
	if !ok {
		return false
	}
	raw := ev.Raw
	reserveFields(ev, 4)
	ev.Time, ev.Precision, ev.Zoned = t, prec, false
	ev.Level = lvl
	ev.Message = raw[msg:]
	ev.Set("tid", raw[tid[0]:tid[1]])
	ev.Set("file", raw[fs:fe])
	return true
}

// gatewayContainsFold reports whether b contains the lower-case ASCII word
// w in any case.
func gatewayContainsFold(b []byte, w string) bool {
	if len(w) == 0 {
		return true
	}
	for i := 0; i+len(w) <= len(b); i++ {
		if b[i]|0x20 != w[0] {
			continue
		}
		j := 1
		for j < len(w) && b[i+j]|0x20 == w[j] {
			j++
		}
		if j == len(w) {
			return true
		}
	}
	return false
}
