package parse

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/araddon/dateparse"
	"github.com/rca-dev/rca/pkg/event"
)

// Helpers shared by the key/value formats (json, logfmt): key names,
// well-known field mapping, value caps, and a learned time layout.

const (
	structuredMaxFields = 32  // generic fields kept per record (well-known ones always)
	structuredMaxValue  = 256 // bytes kept of one field value
)

// structuredWellKnown maps a key as logging libraries write it (lowercased,
// nested keys joined with '.') to rca's field key, or "" when the key has no
// well-known meaning.
func structuredWellKnown(k string) string {
	switch k {
	case "caller", "log.origin.function":
		return "caller"
	case "logger", "logger_name", "loggername", "log.logger", "logger.name":
		return "logger"
	case "service", "service.name", "service_name", "servicename":
		return "service"
	case "error", "err", "error.message", "err.message", "error_message":
		return "error"
	case "trace_id", "traceid", "trace.id", "dd.trace_id", "trace":
		return "trace_id"
	case "span_id", "spanid", "span.id", "dd.span_id":
		return "span_id"
	case "status", "status_code", "statuscode", "http.response.status_code", "response.status", "http.status_code", "http_status", "response_code":
		return "status"
	case "host", "hostname", "host.name", "host.hostname", "_hostname":
		return "host"
	case "pid", "process.pid", "_pid", "process_id":
		return "pid"
	case "thread", "thread_name", "threadname", "process.thread.name":
		return "thread"
	case "tid", "thread_id", "threadid", "process.thread.id":
		return "tid"
	case "method", "http.method", "request.method", "http.request.method", "http_method":
		return "method"
	case "path", "uri", "request.uri", "url.path", "request.path", "request_uri", "http.target":
		return "path"
	case "protocol", "proto", "request.proto", "http.version", "http.flavor":
		return "protocol"
	case "user_agent", "useragent", "user_agent.original", "http.user_agent", "http_user_agent":
		return "user_agent"
	case "client", "client_ip", "clientip", "remote_ip", "remote_addr", "remoteaddr", "request.remote_ip", "request.client_ip", "client.ip", "client.address", "source.ip":
		return "client"
	case "request_id", "requestid", "req_id", "reqid", "request.id", "http.request.id", "x_request_id":
		return "request_id"
	case "latency_ms", "duration_ms", "elapsed_ms":
		return "latency_ms"
	case "bytes", "bytes_sent", "body_bytes_sent", "response_bytes", "http.response.body.bytes":
		return "bytes"
	case "component":
		return "component"
	case "class":
		return "class"
	case "syslog_identifier", "program", "appname", "app_name":
		return "program"
	case "node", "node.name", "node_name":
		return "node"
	case "user", "user.name", "username":
		return "user"
	case "db", "database", "db.name":
		return "db"
	case "error_code", "errorcode", "error.code":
		return "error_code"
	case "topic":
		return "topic"
	case "group", "group_id", "groupid":
		return "group"
	case "partition":
		return "partition"
	case "client_id", "clientid":
		return "client_id"
	case "upstream", "upstream_addr", "upstream_host":
		return "upstream"
	}
	return ""
}

// structuredSkipKey reports keys that carry no information for rca:
// schema versions and journald's internal addresses.
func structuredSkipKey(k string) bool {
	if strings.HasPrefix(k, "__") {
		return true
	}
	switch k {
	case "@version", "ecs.version", "v", "_boot_id", "_machine_id", "_cap_effective", "_stream_id",
		"_systemd_invocation_id", "_source_realtime_timestamp", "_source_monotonic_timestamp", "_transport":
		return true
	}
	return false
}

// structuredSnake turns a key into a snake_case field key: camelCase is
// split, '-' and spaces become '_', '.' is kept for nesting, leading '@' and
// '_' are dropped, anything else outside [a-z0-9._] becomes '_'.
func structuredSnake(k string) string {
	ok := true
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || (c == '_' && i > 0)) {
			ok = false
			break
		}
	}
	if ok && k != "" {
		return k
	}
	b := make([]byte, 0, len(k)+4)
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case c >= 'A' && c <= 'Z':
			if i > 0 && len(b) > 0 && b[len(b)-1] != '_' && b[len(b)-1] != '.' {
				p := k[i-1]
				next := i+1 < len(k) && k[i+1] >= 'a' && k[i+1] <= 'z'
				if p >= 'a' && p <= 'z' || p >= '0' && p <= '9' || (p >= 'A' && p <= 'Z' && next) {
					b = append(b, '_')
				}
			}
			b = append(b, c+'a'-'A')
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b = append(b, c)
		case c == '.':
			if len(b) > 0 && b[len(b)-1] == '_' {
				b = b[:len(b)-1]
			}
			if len(b) > 0 && b[len(b)-1] != '.' {
				b = append(b, '.')
			}
		default: // '_', '-', ' ', '@', '/', ...
			if len(b) > 0 && b[len(b)-1] != '_' && b[len(b)-1] != '.' {
				b = append(b, '_')
			}
		}
	}
	for len(b) > 0 && (b[len(b)-1] == '_' || b[len(b)-1] == '.') {
		b = b[:len(b)-1]
	}
	if len(b) == 0 {
		return "field"
	}
	return string(b)
}

// structuredCap cuts a value to structuredMaxValue bytes at a rune boundary.
func structuredCap(v string) string {
	if len(v) <= structuredMaxValue {
		return v
	}
	i := structuredMaxValue
	for i > 0 && !utf8.RuneStart(v[i]) {
		i--
	}
	return v[:i]
}

// structuredAdd adds a field. Well-known keys (which several source keys
// map to) are added only once, the first value winning; generic fields stop
// at structuredMaxFields.
func structuredAdd(ev *event.Event, key, value string, known bool, generic *int) {
	if value == "" || value == "-" {
		return
	}
	if known {
		for i := range ev.Fields {
			if ev.Fields[i].Key == key {
				return
			}
		}
	} else {
		if *generic >= structuredMaxFields {
			return
		}
		*generic++
		if key == "target" {
			// rca's "target" is the host:port of a failed call; a log's own
			// "target" key (Rust tracing's module path) must not pose as one.
			key = "log_target"
		}
	}
	ev.Fields = append(ev.Fields, event.Field{Key: key, Value: structuredCap(value)})
}

// structuredKnownTarget reports a field key that well-known keys map to.
func structuredKnownTarget(k string) bool {
	return structuredWellKnown(k) == k
}

// structuredHTTPStatus reports a three-digit HTTP status 100..599.
func structuredHTTPStatus(s string) bool {
	return len(s) == 3 && s[0] >= '1' && s[0] <= '5' && isDigit(s[1]) && isDigit(s[2])
}

// Time value kinds a structured decoder learns once per input.
const (
	structTimeNone uint8 = iota
	structTimeISO
	structTimeCLF
	structTimeSyslog
	structTimeEpoch // digits with an optional fraction, in a string or a number
	structTimeLayout
)

// structuredTime parses the time values of one input. It learns the kind of
// value (ISO 8601, CLF, epoch, or a layout guessed once with dateparse) from
// the first value and re-learns only when a value does not fit.
type structuredTime struct {
	loc    *time.Location
	years  yearInfer
	kind   uint8
	layout string
	zoned  bool
	prec   int
	misses int
	ts     stampCache
}

func (st *structuredTime) parse(v []byte) (stamp, bool) {
	if len(v) == 0 || len(v) > 64 {
		return stamp{}, false
	}
	if st.kind != structTimeNone {
		if s, ok := st.parseAs(st.kind, v); ok {
			return s, true
		}
	}
	for _, k := range [...]uint8{structTimeISO, structTimeEpoch, structTimeCLF, structTimeSyslog} {
		if k == st.kind {
			continue
		}
		if s, ok := st.parseAs(k, v); ok {
			st.kind = k
			return s, true
		}
	}
	if st.misses > 16 && st.misses%64 != 0 { // values that are no times: guess rarely
		st.misses++
		return stamp{}, false
	}
	str := string(v)
	layout, err := dateparse.ParseFormat(str)
	if err == nil {
		if t, err := time.ParseInLocation(layout, str, st.loc); err == nil && t.Year() >= 1971 && t.Year() <= 2200 {
			st.kind, st.layout, st.misses = structTimeLayout, layout, 0
			st.zoned = strings.Contains(layout, "Z07") || strings.Contains(layout, "-07") || strings.Contains(layout, "MST")
			st.prec = 0
			if i := strings.LastIndex(layout, ".0"); i >= 0 {
				for j := i + 1; j < len(layout) && (layout[j] == '0' || layout[j] == '9'); j++ {
					st.prec++
				}
			}
			return stamp{t: t.UTC(), n: len(v), prec: st.prec, zoned: st.zoned}, true
		}
	}
	st.misses++
	return stamp{}, false
}

func (st *structuredTime) parseAs(kind uint8, v []byte) (stamp, bool) {
	switch kind {
	case structTimeISO:
		if !isDigit(v[0]) {
			return stamp{}, false
		}
		s, ok := st.ts.iso(v, st.loc)
		if !ok {
			return stamp{}, false
		}
		if !s.zoned && structuredUTCSuffix(v[s.n:]) { // "2023-08-15 14:22:17 UTC"
			if s, ok = parseISO(v, time.UTC); ok {
				s.zoned, s.n = true, len(v)
			}
			return s, ok
		}
		return structuredWhole(s, v)
	case structTimeEpoch:
		return structuredEpoch(v)
	case structTimeCLF:
		if !isDigit(v[0]) {
			return stamp{}, false
		}
		s, ok := st.ts.clf(v, st.loc)
		if !ok {
			return stamp{}, false
		}
		return structuredWhole(s, v)
	case structTimeSyslog:
		s, ok := parseSyslogStamp(v, st.loc, &st.years)
		if !ok {
			return stamp{}, false
		}
		return structuredWhole(s, v)
	case structTimeLayout:
		t, err := time.ParseInLocation(st.layout, string(v), st.loc)
		if err != nil {
			return stamp{}, false
		}
		return stamp{t: t.UTC(), n: len(v), prec: st.prec, zoned: st.zoned}, true
	}
	return stamp{}, false
}

// structuredWhole accepts a stamp only when it used the whole value.
func structuredWhole(s stamp, v []byte) (stamp, bool) {
	if s.n == len(v) {
		return s, true
	}
	return stamp{}, false
}

// structuredUTCSuffix reports a zone name that means UTC after a stamp.
func structuredUTCSuffix(rest []byte) bool {
	switch string(rest) {
	case " UTC", " GMT", "UTC", " Z", " +0000", " +00:00":
		return true
	}
	return false
}

// structuredEpoch reads an epoch number (seconds, ms, µs or ns by
// magnitude, with an optional fraction), as digits or in exponent form.
func structuredEpoch(v []byte) (stamp, bool) {
	i := 0
	var n int64
	for i < len(v) && isDigit(v[i]) {
		if i >= 19 {
			return stamp{}, false
		}
		n = n*10 + int64(v[i]-'0')
		i++
	}
	if i == 0 {
		return stamp{}, false
	}
	var frac []byte
	if i < len(v) && v[i] == '.' {
		j := i + 1
		for j < len(v) && isDigit(v[j]) {
			j++
		}
		frac = v[i+1 : j]
		i = j
	}
	if i < len(v) && (v[i] == 'e' || v[i] == 'E') {
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil || f <= 0 || f > 9.2e18 {
			return stamp{}, false
		}
		return structuredEpoch([]byte(strconv.FormatFloat(f, 'f', -1, 64)))
	}
	if i != len(v) {
		return stamp{}, false
	}
	t, prec, ok := epochTime(n, frac)
	if !ok {
		return stamp{}, false
	}
	return stamp{t: t, n: len(v), prec: prec, zoned: true}, true
}

// structuredNumLevel maps a numeric level: bunyan/pino (10 trace .. 60
// fatal) for 10 and up, syslog severities for 0..7.
func structuredNumLevel(v []byte, python bool) event.Level {
	n, err := strconv.Atoi(string(v))
	if err != nil || n < 0 {
		return event.LevelNone
	}
	if python { // logging.DEBUG=10 .. CRITICAL=50
		switch {
		case n >= 50:
			return event.LevelFatal
		case n >= 40:
			return event.LevelError
		case n >= 30:
			return event.LevelWarn
		case n >= 20:
			return event.LevelInfo
		case n >= 10:
			return event.LevelDebug
		}
		return event.LevelNone
	}
	switch {
	case n >= 60:
		return event.LevelFatal
	case n >= 50:
		return event.LevelError
	case n >= 40:
		return event.LevelWarn
	case n >= 30:
		return event.LevelInfo
	case n >= 20:
		return event.LevelDebug
	case n >= 10:
		return event.LevelTrace
	case n <= 7:
		return syslogSeverity(n)
	}
	return event.LevelNone
}

// structuredUnescapeJSON decodes a JSON string body (without quotes). It is
// lenient: an invalid escape is kept as written.
func structuredUnescapeJSON(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b = append(b, c)
			continue
		}
		i++
		switch s[i] {
		case 'n':
			b = append(b, '\n')
		case 't':
			b = append(b, '\t')
		case 'r':
			b = append(b, '\r')
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case '"', '\\', '/':
			b = append(b, s[i])
		case 'u':
			if i+4 < len(s) {
				if r, err := strconv.ParseUint(s[i+1:i+5], 16, 32); err == nil {
					i += 4
					if r >= 0xD800 && r < 0xDC00 && i+6 < len(s) && s[i+1] == '\\' && s[i+2] == 'u' {
						if r2, err := strconv.ParseUint(s[i+3:i+7], 16, 32); err == nil && r2 >= 0xDC00 && r2 < 0xE000 {
							r = (r-0xD800)<<10 + (r2 - 0xDC00) + 0x10000
							i += 6
						}
					}
					b = utf8.AppendRune(b, rune(r))
					continue
				}
			}
			b = append(b, '\\', 'u')
		default:
			b = append(b, '\\', s[i])
		}
	}
	return string(b)
}
