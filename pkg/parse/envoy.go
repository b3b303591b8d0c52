package parse

import (
	"bytes"
	"strings"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

func init() {
	Register(&Format{
		ID:          "envoy-access",
		Description: "Envoy default text access log ([START_TIME] \"METHOD PATH PROTOCOL\" code flags ...), Istio sidecar variants; Envoy's own log lines in the same stream",
		Example: `[2023-08-15T14:22:17.310Z] "GET /api/invoice HTTP/1.1" 200 - 0 1532 12 11 "203.0.113.7" "okhttp/4.9.3" "8f7b2c1e-6d3a-4b8e-9f0a-1c2d3e4f5a6b" "api.example.com" "10.0.2.5:8080"` + "\n" +
			`[2023-08-15T14:22:18.004Z] "POST /api/pay HTTP/1.1" 503 UF upstream_reset_before_response_started{connection_failure} - "-" 0 91 3 - "-" "okhttp/4.9.3" "0b9e6c1d-2f4a-4c8b-a1e2-3d4c5b6a7f80" "payments:8080" "10.0.2.6:8080" outbound|8080||payments.default.svc.cluster.local - 10.96.12.34:8080 10.244.0.15:51234 - default`,
		Specificity: 21,
		Segmentable: true,
		New:         func(ctx *Context) Decoder { return &envoyAccessDecoder{loc: ctx.Loc} },
	})
	Register(&Format{
		ID:          "envoy-app",
		Description: "Envoy application log ([YYYY-MM-DD HH:MM:SS.mmm][tid][level][logger] [file:line] msg) and istio-proxy's tab-separated form of it",
		Example: `[2021-03-12 15:31:30.492][1][warning][runtime] [source/common/runtime/runtime_features.cc:31] Unable to use runtime singleton for feature envoy.http.headermap.lazy_map_min_size` + "\n" +
			`[2021-03-12 15:31:31.007][14][debug][router] [source/common/router/router.cc:425] [C12][S8123456789012345678] cluster 'payments' match for URL '/api/pay'` + "\n" +
			"2023-10-12T08:08:15.270118Z\twarning\tenvoy config external/envoy/source/extensions/config_subscription/grpc/grpc_stream.h:152\tStreamAggregatedResources gRPC config stream to xds-grpc closed: 14, connection error\tthread=19",
		Specificity: 22,
		Segmentable: true,
		New:         func(ctx *Context) Decoder { return &envoyAppDecoder{loc: ctx.Loc} },
	})
}

// envoyAccessDecoder reads Envoy access lines, and Envoy's own log lines
// (with their continuation lines), which share an istio-proxy container's
// output with the access log.
type envoyAccessDecoder struct {
	loc  *time.Location
	open bool // the open record is an application-log record
}

func (d *envoyAccessDecoder) Decode(line []byte, ev *event.Event, cur *event.Event) Verdict {
	if envoyAccess(line, ev, d.loc) {
		d.open = false
		return Start
	}
	if envoyApp(line, ev, d.loc) {
		d.open = true
		return Start
	}
	if d.open && cur != nil && envoyContinues(line) {
		return Continue
	}
	d.open = false
	return Reject
}

// envoyAppDecoder reads Envoy's application log. Lines that do not start
// with a timestamp continue the previous record (Envoy's debug log prints
// header maps one header a line).
type envoyAppDecoder struct {
	loc *time.Location
}

func (d *envoyAppDecoder) Decode(line []byte, ev *event.Event, cur *event.Event) Verdict {
	if envoyApp(line, ev, d.loc) {
		return Start
	}
	if cur != nil && envoyContinues(line) {
		return Continue
	}
	return Reject
}

// envoyContinues reports a line that does not start a record of its own:
// no "[digit" and no ISO date at its start.
func envoyContinues(b []byte) bool {
	if len(b) > 1 && b[0] == '[' && isDigit(b[1]) {
		return false
	}
	return !(len(b) > 10 && isDigit(b[0]) && isDigit(b[3]) && b[4] == '-' && b[7] == '-')
}

// envoyAccess reads a line of Envoy's default access-log format
//
//	[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"
//
// and of Istio's variants, which put fields between the response flags
// and the byte counts (%RESPONSE_CODE_DETAILS%
// %CONNECTION_TERMINATION_DETAILS% "%UPSTREAM_TRANSPORT_FAILURE_REASON%",
// or the quoted mixer status of Istio 1.1) and append %UPSTREAM_CLUSTER%
// %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS%
// %DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME%. The
// byte counts are found as four numbers (or "-") followed by a quoted
// field.
//
// The message is the request line, the status and, when set, the response
// flags ("POST /api/pay HTTP/1.1 503 UF"). The level is httpLevel(status),
// raised to error when a flag reports an upstream failure (UF, UH, URX,
// NR, ...) and to warn for other flags; target is the upstream host of a
// UF (connection failure).
func envoyAccess(line []byte, ev *event.Event, loc *time.Location) bool {
	if len(line) < 40 || line[0] != '[' || !isDigit(line[1]) {
		return false
	}
	st, ok := parseISO(line[1:], loc)
	i := 1 + st.n
	if !ok || i+2 >= len(line) || line[i] != ']' || line[i+1] != ' ' || line[i+2] != '"' {
		return false
	}
	q := gatewayQuoteEnd(line, i+2)
	if q < 0 || q+1 >= len(line) || line[q+1] != ' ' {
		return false
	}
	req := [2]int{i + 3, q}
	status := [2]int{q + 2, gatewayTokenEnd(line, q+2)}
	if n := status[1] - status[0]; n < 1 || n > 3 || !gatewayAllDigits(ev.Raw[status[0]:status[1]]) || status[1]+1 >= len(line) {
		return false
	}
	flags := [2]int{status[1] + 1, gatewayTokenEnd(line, status[1]+1)}
	if flags[1] == flags[0] {
		return false
	}
	raw := ev.Raw
	var its [24]gatewayItem
	n := 0
	for p := flags[1]; n < len(its); n++ {
		it, next, ok := gatewayNextItem(line, p, false)
		if !ok {
			break
		}
		its[n], p = it, next
	}
	k := -1
	for c := 0; c+4 < n && c < 6; c++ {
		if its[c+4].kind != gatewayQuotedK {
			continue
		}
		good := true
		for x := c; x < c+4; x++ {
			v := raw[its[x].s:its[x].e]
			if its[x].kind != gatewayBare || v != "-" && !gatewayAllDigits(v) {
				good = false
				break
			}
		}
		if good {
			k = c
			break
		}
	}
	if k < 0 {
		return false
	}

	reserveFields(ev, 24)
	st.apply(&ev.Time, &ev.Precision, &ev.Zoned)
	gatewayRequest(ev, raw[req[0]:req[1]])
	code, fl := raw[status[0]:status[1]], raw[flags[0]:flags[1]]
	gatewayAdd(ev, "status", code)
	gatewayAdd(ev, "response_flags", fl)
	bare := 0
	for x := 0; x < k; x++ {
		v := raw[its[x].s:its[x].e]
		if its[x].kind == gatewayQuotedK {
			gatewayAdd(ev, "upstream_failure_reason", v)
			continue
		}
		switch bare {
		case 0:
			gatewayAdd(ev, "response_code_details", v)
		case 1:
			gatewayAdd(ev, "termination_details", v)
		}
		bare++
	}
	val := func(x int) string {
		if x >= n {
			return ""
		}
		return raw[its[x].s:its[x].e]
	}
	gatewayAdd(ev, "bytes_in", val(k))
	gatewayAdd(ev, "bytes_out", val(k+1))
	gatewayAdd(ev, "latency_ms", val(k+2))
	gatewayAdd(ev, "upstream_latency_ms", val(k+3))
	x := k + 4
	for _, key := range envoyQuotedKeys {
		if x >= n || its[x].kind != gatewayQuotedK {
			break
		}
		gatewayAdd(ev, key, val(x))
		x++
	}
	for _, key := range envoyTailKeys {
		if x >= n || its[x].kind != gatewayBare {
			break
		}
		v := val(x)
		gatewayAdd(ev, key, v)
		if key == "downstream_remote_address" {
			h, _ := gatewaySplitHostPort(v)
			gatewayAdd(ev, "client", h)
		}
		x++
	}
	ev.Level = httpLevel(code)
	if fl != "-" {
		if envoyUpstreamFailure(fl) {
			ev.Level = event.LevelError
		} else if ev.Level.Rank() < event.LevelWarn.Rank() {
			ev.Level = event.LevelWarn
		}
		if strings.Contains(","+fl+",", ",UF,") {
			if up, ok := ev.Get("upstream"); ok {
				gatewayAdd(ev, "target", up)
			}
		}
	}
	if fl == "-" {
		ev.Message = gatewayRequestMessage(raw, req[0], req[1], status[0], status[1])
	} else {
		ev.Message = raw[req[0]:req[1]] + " " + code + " " + fl
	}
	return true
}

// The fields of an access line after the byte counts and durations.
var (
	envoyQuotedKeys = [...]string{"forwarded_for", "user_agent", "request_id", "authority", "upstream"}
	envoyTailKeys   = [...]string{"upstream_cluster", "upstream_local_address", "downstream_local_address", "downstream_remote_address", "requested_server_name", "route_name"}
)

// envoyUpstreamFailure reports response flags that name a failure on the
// upstream side: no healthy host, connection failure or reset, overflow,
// no route, retries exhausted, timeouts.
func envoyUpstreamFailure(flags string) bool {
	for len(flags) > 0 {
		f := flags
		if j := strings.IndexByte(flags, ','); j >= 0 {
			f, flags = flags[:j], flags[j+1:]
		} else {
			flags = ""
		}
		switch f {
		case "UH", "UF", "UO", "NR", "URX", "NC", "UT", "UC", "UR", "LH", "UMSDR", "UPE":
			return true
		}
	}
	return false
}

// envoyApp reads a line of Envoy's own log in its default format
// "[%Y-%m-%d %T.%e][%t][%l][%n] [%g:%#] %v" (before Envoy 1.15 without the
// bracket before the source location), or as istio-proxy writes it:
// "2023-10-12T08:08:15.270118Z\tdebug\tenvoy pool file:line\tmsg\tthread=25".
// Fields: thread, component (Envoy's logger name), file (path:line), and
// connection_id / stream_id from a leading "[C12][S345]".
func envoyApp(line []byte, ev *event.Event, loc *time.Location) bool {
	if len(line) < 24 {
		return false
	}
	if line[0] == '[' {
		return envoyAppBracket(line, ev, loc)
	}
	if isDigit(line[0]) {
		return envoyAppIstio(line, ev, loc)
	}
	return false
}

func envoyAppBracket(line []byte, ev *event.Event, loc *time.Location) bool {
	st, ok := parseISO(line[1:], loc)
	i := 1 + st.n
	if !ok || i+1 >= len(line) || line[i] != ']' || line[i+1] != '[' {
		return false
	}
	var parts [3][2]int // thread, level, logger
	for p := range parts {
		s := i + 2
		e := bytes.IndexByte(line[s:], ']')
		if e < 0 {
			return false
		}
		e += s
		parts[p] = [2]int{s, e}
		i = e
		if p < 2 && (i+1 >= len(line) || line[i+1] != '[') {
			return false
		}
	}
	lvl, ok := levelWord(line[parts[1][0]:parts[1][1]])
	if !ok || !gatewayAllDigits(ev.Raw[parts[0][0]:parts[0][1]]) {
		return false
	}
	i++ // after the logger's ']'
	if i < len(line) && line[i] == ' ' {
		i++
	}
	var file [2]int
	s := i
	if s < len(line) && line[s] == '[' {
		s++
	}
	if e := bytes.Index(line[s:], []byte("] ")); e > 0 {
		f := line[s : s+e]
		if c := bytes.LastIndexByte(f, ':'); c > 0 && bytes.IndexByte(f, ' ') < 0 && gatewayAllDigits(string(f[c+1:])) {
			file = [2]int{s, s + e}
			i = s + e + 2
		}
	} else if e := bytes.LastIndexByte(line[s:], ']'); e > 0 && s+e == len(line)-1 { // "[file:line]" and no message
		file = [2]int{s, s + e}
		i = len(line)
	}
	raw := ev.Raw
	reserveFields(ev, 8)
	st.apply(&ev.Time, &ev.Precision, &ev.Zoned)
	ev.Level = lvl
	ev.Message = raw[i:]
	ev.Set("thread", raw[parts[0][0]:parts[0][1]])
	ev.Set("component", raw[parts[2][0]:parts[2][1]])
	ev.Set("file", raw[file[0]:file[1]])
	envoyConnIDs(ev, raw, i)
	return true
}

func envoyAppIstio(line []byte, ev *event.Event, loc *time.Location) bool {
	st, ok := parseISO(line, loc)
	i := st.n
	if !ok || i >= len(line) || line[i] != '\t' {
		return false
	}
	ls := i + 1
	le := bytes.IndexByte(line[ls:], '\t')
	if le <= 0 {
		return false
	}
	le += ls
	lvl, ok := levelWord(line[ls:le])
	if !ok || !bytes.HasPrefix(line[le+1:], []byte("envoy ")) {
		return false
	}
	cs := le + 1 + len("envoy ")
	ce := cs
	for ce < len(line) && line[ce] != ' ' && line[ce] != '\t' {
		ce++
	}
	if ce >= len(line) || ce == cs {
		return false
	}
	var file [2]int
	ms := ce + 1
	if line[ce] == ' ' {
		fe := bytes.IndexByte(line[ce+1:], '\t')
		if fe < 0 {
			return false
		}
		file = [2]int{ce + 1, ce + 1 + fe}
		ms = file[1] + 1
	}
	me := len(line)
	var thread [2]int
	if t := bytes.LastIndex(line[ms:], []byte("\tthread=")); t >= 0 {
		me = ms + t
		thread = [2]int{me + len("\tthread="), len(line)}
	}
	raw := ev.Raw
	reserveFields(ev, 8)
	st.apply(&ev.Time, &ev.Precision, &ev.Zoned)
	ev.Level = lvl
	ev.Message = raw[ms:me]
	ev.Set("component", raw[cs:ce])
	ev.Set("file", raw[file[0]:file[1]])
	ev.Set("thread", raw[thread[0]:thread[1]])
	envoyConnIDs(ev, raw, ms)
	return true
}

// envoyConnIDs reads a leading "[C123]" or "[C123][S456]" of a message.
func envoyConnIDs(ev *event.Event, raw string, i int) {
	for _, p := range [2]struct {
		c   byte
		key string
	}{{'C', "connection_id"}, {'S', "stream_id"}} {
		if i+2 >= len(raw) || raw[i] != '[' || raw[i+1] != p.c {
			return
		}
		e := i + 2
		for e < len(raw) && isDigit(raw[e]) {
			e++
		}
		if e == i+2 || e >= len(raw) || raw[e] != ']' {
			return
		}
		ev.Set(p.key, raw[i+2:e])
		i = e + 1
	}
}
