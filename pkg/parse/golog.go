package parse

import (
	"strings"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// go-log: Go's standard library log package (and what log/slog's default
// handler prints through it):
//
//	2023/08/15 14:22:17 message                        (LstdFlags)
//	2023/08/15 14:22:17.123456 message                 (| Lmicroseconds)
//	2023/08/15 14:22:17 main.go:42: message            (| Lshortfile; Llongfile gives the full path)
//	[api] 2023/08/15 14:22:17 message                  (log.New with a prefix)
//
// With LUTC the stamps are UTC, but nothing in the line says so: give the
// source the zone UTC. The level comes from a leading word of the message
// when there is one ("ERROR: ...", "[WARN] ...", "INFO ..." in upper case,
// "error: ..."), and is then left out of the message; otherwise there is
// none. Goroutine dumps of panics ("panic: ...", "goroutine 1 [running]:",
// frames, "exit status 2") fold into the record before them, and a
// "panic: " or "fatal error: " line raises its level to fatal.
//
// nginx's error log starts with the same stamp; its lines
// ("2023/08/15 14:22:17 [error] 1234#0: *5 ...") are rejected so that
// detection is unambiguous. Fields: caller (file:line), prefix.

// GoLogID is the id of the Go log package format.
const GoLogID = "go-log"

func init() {
	Register(&Format{
		ID:          GoLogID,
		Description: "Go standard library log package: 2006/01/02 15:04:05[.000000] [file.go:N: ]message; panics and goroutine dumps fold",
		Example: "2023/08/15 14:22:17 listening on :8080\n" +
			"2023/08/15 14:22:17.123456 main.go:42: ERROR: connect to db: dial tcp 10.0.3.7:5432: connect: connection refused\n" +
			"2023/08/15 14:22:18 [WARN] retrying in 1s\n" +
			"2023/08/15 14:22:19 http: panic serving 10.0.0.5:51234: runtime error: invalid memory address or nil pointer dereference\n" +
			"goroutine 34 [running]:\n" +
			"net/http.(*conn).serve.func1()\n" +
			"\t/usr/local/go/src/net/http/server.go:1868 +0xb9",
		Specificity: 12,
		Multiline:   true,
		Segmentable: true,
		New:         func(ctx *Context) Decoder { return &goLogDecoder{loc: ctx.Loc} },
	})
}

type goLogDecoder struct {
	loc *time.Location
}

func (d *goLogDecoder) Decode(line []byte, ev *event.Event, cur *event.Event) Verdict {
	if len(line) == 0 {
		return Reject
	}
	k := 0 // start of the stamp
	if !isDigit(line[0]) {
		sp := -1
		for i := 0; i < len(line) && i < 41; i++ {
			if line[i] == ' ' {
				sp = i
				break
			}
		}
		if sp <= 0 || sp+20 > len(line) || line[sp+5] != '/' || !isDigit(line[sp+1]) {
			return d.cont(ev, cur)
		}
		k = sp + 1
	}
	t, prec, end, ok := goLogStamp(line, k, d.loc)
	if !ok {
		if k > 0 {
			return d.cont(ev, cur)
		}
		return Reject
	}
	s := ev.Raw
	i := end
	if i < len(s) {
		i++ // the space after the stamp
	}
	if goLogNginx(s[i:]) {
		return Reject
	}
	if j := strings.IndexByte(s[i:], ' '); j > 4 && s[i+j-1] == ':' && strings.Contains(s[i:i+j], ".go:") {
		ev.Set("caller", s[i:i+j-1])
		i += j + 1
	}
	lvl, n := goLogLevel(s[i:])
	ev.Time, ev.Precision, ev.Zoned = t, prec, false
	ev.Level = lvl
	ev.Message = s[i+n:]
	if k > 0 {
		ev.Set("prefix", javaTrimSpaces(s[:k-1]))
	}
	return Start
}

// cont folds a line that is not a record start into the open record.
func (d *goLogDecoder) cont(ev *event.Event, cur *event.Event) Verdict {
	if cur == nil {
		return Reject
	}
	if s := ev.Raw; strings.HasPrefix(s, "panic: ") || strings.HasPrefix(s, "fatal error: ") {
		cur.Level = event.LevelFatal
	}
	return Continue
}

// goLogStamp reads "2006/01/02 15:04:05[.000000]" at b[k:], followed by a
// space or the end of the line.
func goLogStamp(b []byte, k int, loc *time.Location) (time.Time, int, int, bool) {
	if k+19 > len(b) || b[k+4] != '/' || b[k+7] != '/' || b[k+10] != ' ' || b[k+13] != ':' {
		return time.Time{}, 0, 0, false
	}
	y, ok1 := num(b, k, 4)
	mo, ok2 := num(b, k+5, 2)
	d, ok3 := num(b, k+8, 2)
	if !ok1 || !ok2 || !ok3 {
		return time.Time{}, 0, 0, false
	}
	if k+19 < len(b) && b[k+19] == ',' {
		return time.Time{}, 0, 0, false
	}
	h, mi, s, ns, prec, end, ok := clock(b, k+11)
	if !ok || (end < len(b) && b[end] != ' ') {
		return time.Time{}, 0, 0, false
	}
	t, ok := mkTime(y, mo, d, h, mi, s, ns, loc, 0, false)
	return t, prec, end, ok
}

// goLogNginx reports the rest of an nginx error-log line after its stamp:
// "[level] pid#tid: ...".
func goLogNginx(s string) bool {
	if len(s) < 8 || s[0] != '[' {
		return false
	}
	e := strings.IndexByte(s, ']')
	if e < 0 {
		return false
	}
	switch s[1:e] {
	case "debug", "info", "notice", "warn", "error", "crit", "alert", "emerg":
	default:
		return false
	}
	i := e + 1
	if i >= len(s) || s[i] != ' ' {
		return false
	}
	i++
	p := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i == p || i >= len(s) || s[i] != '#' {
		return false
	}
	i++
	p = i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i > p && i < len(s) && s[i] == ':'
}

// goLogLevel reads a leading level word of a message: "[WARN] ",
// "ERROR: ", "error: ", "INFO " (upper case only when bare). It returns
// the level and how many bytes to skip.
func goLogLevel(s string) (event.Level, int) {
	if len(s) < 3 {
		return event.LevelNone, 0
	}
	if s[0] == '[' {
		e := strings.IndexByte(s, ']')
		if e < 2 || e > 10 {
			return event.LevelNone, 0
		}
		lvl, ok := levelWord([]byte(s[1:e]))
		if !ok {
			return event.LevelNone, 0
		}
		return lvl, goLogSkipSpace(s, e+1)
	}
	e := 0
	for e < len(s) && e < 10 && isLetter(s[e]) {
		e++
	}
	if e == 0 || e == len(s) {
		return event.LevelNone, 0
	}
	w := s[:e]
	switch s[e] {
	case ':':
		if e+1 < len(s) && s[e+1] != ' ' {
			return event.LevelNone, 0
		}
		if lvl, ok := levelWord([]byte(w)); ok {
			return lvl, goLogSkipSpace(s, e+1)
		}
	case ' ':
		if lvl, ok := javaUpperLevel(w); ok {
			return lvl, goLogSkipSpace(s, e)
		}
	}
	return event.LevelNone, 0
}

func goLogSkipSpace(s string, i int) int {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}
