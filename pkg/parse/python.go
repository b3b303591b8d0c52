package parse

import (
	"strings"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// python: Python's logging module with %(asctime)s in the common layouts
//
//	%(asctime)s - %(name)s - %(levelname)s - %(message)s     (the logging cookbook's)
//	%(asctime)s %(levelname)s %(name)s: %(message)s          (also with [%(levelname)s])
//	%(asctime)s:%(levelname)s:%(name)s:%(message)s           (and without :%(name)s)
//
// and the layout of oVirt's vdsm,
// "%(threadName)s::%(levelname)s::%(asctime)s::%(module)s::%(lineno)d::%(name)s::(%(funcName)s) %(message)s".
// asctime is "2023-08-15 14:22:17,123" in the zone of the source.
// Tracebacks ("Traceback (most recent call last):", indented frames, the
// final "ValueError: ...") fold into the record; the exception class
// becomes the field "exception".
//
// logging.BASIC_FORMAT ("%(levelname)s:%(name)s:%(message)s", what
// logging.basicConfig() prints by default: "ERROR:root:message") carries
// no time. Such a line is not folded into the record before it (it is a
// record of its own, written later): the decoder reports it as a record
// start without a time, which the framework keeps as an unparsed line.
//
// Fields: logger (the logger name), and for vdsm thread and line.

// PythonID is the id of the Python logging format.
const PythonID = "python"

func init() {
	Register(&Format{
		ID:          PythonID,
		Description: "Python logging with asctime (\"time - name - LEVEL - msg\", \"time LEVEL name: msg\", \"time:LEVEL:name:msg\", vdsm); tracebacks fold",
		Example: "2023-08-15 14:22:17,123 - tax_adapter.client - ERROR - tax service returned 503 for invoice INV-2023-0042\n" +
			"Traceback (most recent call last):\n" +
			"  File \"/app/tax_adapter/client.py\", line 88, in submit\n" +
			"    resp.raise_for_status()\n" +
			"requests.exceptions.HTTPError: 503 Server Error: Service Unavailable for url: http://tax-svc:8080/v1/quote\n" +
			"2023-08-15 14:22:18,004 WARNING tax_adapter.retry: retrying in 2.0 seconds\n" +
			"2023-08-15 14:22:20,010:INFO:tax_adapter.client:quote ok",
		Specificity: 15,
		Multiline:   true,
		Segmentable: true,
		New:         func(ctx *Context) Decoder { return &pythonDecoder{loc: ctx.Loc} },
	})
}

type pythonDecoder struct {
	loc *time.Location
}

func (d *pythonDecoder) Decode(line []byte, ev *event.Event, cur *event.Event) Verdict {
	if len(line) == 0 {
		return Reject
	}
	if !isDigit(line[0]) {
		if v := d.vdsm(line, ev); v != Reject {
			return v
		}
		if pythonBasic(ev.Raw) {
			ev.Message = ev.Raw
			return Start // no time: kept as an unparsed line of its own
		}
		if cur != nil {
			javaNoteException(cur, ev.Raw)
			return Continue
		}
		return Reject
	}
	st, ok := parseISO(line, d.loc)
	if !ok || st.zoned {
		return Reject
	}
	s := ev.Raw
	i := st.n
	if i+1 >= len(s) {
		return Reject
	}
	var lvl event.Level
	var name string
	switch {
	case strings.HasPrefix(s[i:], " - "): // - name - LEVEL - msg
		i += 3
		e := strings.Index(s[i:], " - ")
		if e <= 0 || strings.IndexByte(s[i:i+e], ' ') >= 0 {
			return Reject
		}
		name = s[i : i+e]
		i += e + 3
		e = strings.Index(s[i:], " - ")
		if e < 0 {
			if lvl, ok = javaUpperLevel(strings.TrimSuffix(s[i:], " -")); !ok {
				return Reject
			}
			i = len(s)
			break
		}
		if lvl, ok = javaUpperLevel(s[i : i+e]); !ok {
			return Reject
		}
		i += e + 3
	case s[i] == ':': // :LEVEL:name:msg or :LEVEL:msg
		i++
		e := strings.IndexByte(s[i:], ':')
		if e <= 0 {
			return Reject
		}
		if lvl, ok = javaUpperLevel(s[i : i+e]); !ok {
			return Reject
		}
		i += e + 1
		if e = strings.IndexByte(s[i:], ':'); e > 0 && pythonName(s[i:i+e]) {
			name = s[i : i+e]
			i += e + 1
		}
	case s[i] == ' ': // LEVEL name: msg, [LEVEL] name: msg
		i++
		e := strings.IndexByte(s[i:], ' ')
		if e <= 0 {
			return Reject
		}
		w := s[i : i+e]
		if len(w) > 2 && w[0] == '[' && w[len(w)-1] == ']' {
			w = w[1 : len(w)-1]
		}
		if lvl, ok = javaUpperLevel(w); !ok {
			return Reject
		}
		i += e + 1
		e = strings.IndexByte(s[i:], ' ')
		if e < 0 {
			e = len(s) - i
		}
		if e < 2 || s[i+e-1] != ':' || !pythonName(s[i:i+e-1]) {
			return Reject
		}
		name = s[i : i+e-1]
		i = min(i+e+1, len(s))
	default:
		return Reject
	}
	st.apply(&ev.Time, &ev.Precision, &ev.Zoned)
	ev.Level = lvl
	ev.Message = s[i:]
	reserveFields(ev, 2) // room for the usual fields: the slab's, or one allocation
	ev.Set("logger", name)
	return Start
}

// vdsm reads "Thread-15::DEBUG::2011-12-07 11:44:17,737::clientIF::54::vds::(wrapper) msg".
func (d *pythonDecoder) vdsm(line []byte, ev *event.Event) Verdict {
	s := ev.Raw
	t := strings.Index(s[:min(len(s), 66)], "::")
	if t <= 0 || t > 64 || strings.IndexByte(s[:t], ' ') >= 0 {
		return Reject
	}
	i := t + 2
	e := strings.Index(s[i:], "::")
	if e <= 0 {
		return Reject
	}
	lvl, ok := javaUpperLevel(s[i : i+e])
	if !ok {
		return Reject
	}
	i += e + 2
	st, ok := parseISO(line[i:], d.loc)
	if !ok || st.zoned || !strings.HasPrefix(s[i+st.n:], "::") {
		return Reject
	}
	j := i + st.n + 2
	var parts [3]string // module, lineno, name
	for k := range parts {
		e := strings.Index(s[j:], "::")
		if e < 0 || e > 128 {
			return Reject
		}
		parts[k] = s[j : j+e]
		j += e + 2
	}
	if j < len(s) && s[j] == '(' { // (funcName)
		if e := strings.IndexByte(s[j:], ')'); e > 0 {
			j += e + 1
			if j < len(s) && s[j] == ' ' {
				j++
			}
		}
	}
	st.apply(&ev.Time, &ev.Precision, &ev.Zoned)
	ev.Level = lvl
	ev.Message = s[j:]
	ev.Set("thread", s[:t])
	ev.Set("logger", parts[2])
	ev.Set("line", parts[1])
	return Start
}

// pythonName reports a logger name: dotted identifiers ("tax_adapter.client",
// "root", "uvicorn.error", "__main__").
func pythonName(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isLetter(c) && !isDigit(c) && c != '_' && c != '.' && c != '-' {
			return false
		}
	}
	return true
}

// pythonBasic reports a logging.BASIC_FORMAT line: "LEVEL:name:message"
// with one of Python's level names.
func pythonBasic(s string) bool {
	e := strings.IndexByte(s, ':')
	if e < 4 || e > 8 {
		return false
	}
	switch s[:e] {
	case "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL":
	default:
		return false
	}
	rest := s[e+1:]
	n := strings.IndexByte(rest, ':')
	return n > 0 && pythonName(rest[:n])
}
