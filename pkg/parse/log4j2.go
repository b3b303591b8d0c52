package parse

import (
	"strings"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// log4j2: the PatternLayout family of log4j 1.x/2.x and logback. A line is a
// timestamp, then a header of a level (%p, upper case, maybe padded), a
// thread in brackets ([%t]) and/or a logger (%c, %logger{36}, %c{1.},
// optionally with :%L), in any order, closed by " - " or " : "; the
// message follows. Covered layouts include:
//
//	%d{HH:mm:ss.SSS} [%t] %-5level %logger{36} - %msg%n     (log4j2 DefaultConfiguration)
//	%d{yyyy-MM-dd HH:mm:ss,SSS} [%t] %-5p %c - %m%n
//	%d %-5p [%t] %c{1.}:%L - %m%n
//	%d{ISO8601} %-5p %c:%L - %m%n
//	%d %p [%t] %c: %m%n                                        (Hadoop)
//	%d{ISO8601} - %-5p [%t:%C{1}@%L] - %m%n                    (ZooKeeper)
//	%d %-5p [%-25t] %-25c : %m%n                               (Spring-style custom)
//	%d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n                       (Spark)
//
// A "%c: %m" header without a thread is left to the python format, whose
// "%(levelname)s %(name)s: %(message)s" layout prints the same thing,
// except after Spark's two-digit-year stamp, which Python does not write.
//
// Time-only stamps (%d{HH:mm:ss.SSS}, %d{ABSOLUTE}) take their date from
// the input's modification time (ctx.ModTime, in ctx.Loc): the first line
// gets the modification date, or the day before when its time of day is
// more than five minutes later than the modification time of day (a file
// cannot hold a line written after its last write); each later line whose
// clock is more than 12 hours behind the previous line's starts the next
// day. A file spanning more than a day before its first line cannot be
// dated right this way. The relative-time layout of log4j 1.x's
// TTCCLayout ("%r [%t] %-5p %c - %m", milliseconds since start) has no
// usable time and is not read: such lines stay unparsed.
//
// Fields: thread, logger, line (when the header has them).

// Log4j2ID is the id of the log4j/logback pattern-layout format.
const Log4j2ID = "log4j2"

func init() {
	Register(&Format{
		ID:          Log4j2ID,
		Description: "log4j 1.x/2.x and logback pattern layouts: time (full or time of day), level, [thread], logger[:line], - message; stack traces fold",
		Example: "2000-09-07 14:07:41,508 [main] INFO  MyApp - Entering application.\n" +
			"2000-09-07 14:07:44 INFO org.foo.bar:32 - Entering application.\n" +
			"2023-08-15 14:22:17,123 ERROR [http-nio-8080-exec-3] c.e.o.OrderController:88 - Order submission failed\n" +
			"java.lang.IllegalStateException: inventory service unavailable\n" +
			"\tat com.example.order.OrderController.submit(OrderController.java:88)\n" +
			"Caused by: java.net.ConnectException: Connection refused\n" +
			"\t... 12 more\n" +
			"14:22:18.004 [main] WARN  com.example.order.OrderService - retrying in 500ms",
		Specificity: 15,
		Multiline:   true,
		New: func(ctx *Context) Decoder {
			return &log4jDecoder{loc: ctx.Loc, ref: ctx.ModTime}
		},
	})
}

type log4jDecoder struct {
	loc *time.Location
	ref time.Time
	// time-of-day dating
	daySet    bool
	y, m, d   int
	lastOfDay int // seconds since midnight of the previous time-only line
}

func (d *log4jDecoder) Decode(line []byte, ev *event.Event, cur *event.Event) Verdict {
	if len(line) < 10 || !isDigit(line[0]) {
		if cur != nil {
			javaNoteException(cur, ev.Raw)
			return Continue
		}
		return Reject
	}
	var st stamp
	spark := false
	switch {
	case line[2] == ':': // HH:mm:ss[.SSS]
		h, m, s, ns, prec, end, ok := clock(line, 0)
		if !ok || end >= len(line) || line[end] != ' ' {
			return Reject
		}
		st = stamp{t: d.ofDay(h, m, s, ns), n: end, prec: prec}
	case line[2] == '/': // yy/MM/dd HH:mm:ss (Spark)
		var ok bool
		if st, ok = log4jSparkStamp(line, d.loc); !ok {
			return Reject
		}
		spark = true
	default:
		var ok bool
		if st, ok = parseISO(line, d.loc); !ok {
			return Reject
		}
	}
	h, ok := log4jHeader(ev.Raw, st.n, spark)
	if !ok {
		return Reject
	}
	if line[2] == ':' {
		d.commitOfDay(st.t)
	}
	st.apply(&ev.Time, &ev.Precision, &ev.Zoned)
	ev.Level = h.level
	ev.Message = ev.Raw[h.msg:]
	ev.Fields = ev.Fields[:0]
	reserveFields(ev, 4) // one allocation at most for the usual fields
	ev.Set("thread", h.thread)
	ev.Set("logger", h.logger)
	ev.Set("line", h.line)
	return Start
}

// ofDay dates a time of day (see the comment at the top of the file). The
// day state moves only when the line is accepted (commitOfDay).
func (d *log4jDecoder) ofDay(h, m, s, ns int) time.Time {
	sec := h*3600 + m*60 + s
	y, mo, dd := d.y, d.m, d.d
	if !d.daySet {
		ref := d.ref
		if ref.IsZero() {
			ref = time.Now()
		}
		ref = ref.In(d.loc)
		var rm time.Month
		y, rm, dd = ref.Date()
		mo = int(rm)
		if refSec := ref.Hour()*3600 + ref.Minute()*60 + ref.Second(); sec > refSec+300 {
			dd--
		}
	} else if sec < d.lastOfDay-12*3600 {
		dd++
	}
	t := time.Date(y, time.Month(mo), dd, h, m, s, ns, d.loc)
	return t.UTC()
}

func (d *log4jDecoder) commitOfDay(t time.Time) {
	lt := t.In(d.loc)
	y, mo, dd := lt.Date()
	d.y, d.m, d.d, d.daySet = y, int(mo), dd, true
	d.lastOfDay = lt.Hour()*3600 + lt.Minute()*60 + lt.Second()
}

// log4jHead is a parsed pattern-layout header.
type log4jHead struct {
	level                event.Level
	thread, logger, line string
	msg                  int // index of the message
}

// log4jSparkStamp reads Spark's "%d{yy/MM/dd HH:mm:ss}" (years 2000-2099).
func log4jSparkStamp(b []byte, loc *time.Location) (stamp, bool) {
	if len(b) < 18 || b[5] != '/' || b[8] != ' ' {
		return stamp{}, false
	}
	y, ok1 := num(b, 0, 2)
	mo, ok2 := num(b, 3, 2)
	d, ok3 := num(b, 6, 2)
	if !ok1 || !ok2 || !ok3 || b[11] != ':' {
		return stamp{}, false
	}
	h, mi, s, ns, prec, end, ok := clock(b, 9)
	if !ok {
		return stamp{}, false
	}
	t, ok := mkTime(2000+y, mo, d, h, mi, s, ns, loc, 0, false)
	return stamp{t: t, n: end, prec: prec}, ok
}

// log4jHeader reads the header after the timestamp ending at s[i].
// bareColon allows "LEVEL logger: msg" without a thread (Spark's layout;
// with an ISO stamp that is python's).
func log4jHeader(s string, i int, bareColon bool) (h log4jHead, ok bool) {
	if i >= len(s) || s[i] != ' ' {
		return h, false
	}
	for i < len(s) && s[i] == ' ' {
		i++
	}
	if i+1 < len(s) && s[i] == '-' && s[i+1] == ' ' { // ZooKeeper: "ts - LEVEL [thread] - msg"
		i += 2
		for i < len(s) && s[i] == ' ' {
			i++
		}
	}
	haveLevel, haveThread, haveLogger := false, false, false
	for item := 0; item < 4 && i < len(s); item++ {
		c := s[i]
		switch {
		case c == '[':
			if haveThread {
				return h, false
			}
			e := javaMatchBracket(s, i)
			if e < 0 {
				return h, false
			}
			h.thread, haveThread = javaTrimSpaces(s[i+1:e]), true
			i = e + 1
			if i < len(s) && s[i] != ' ' {
				return h, false
			}
		case (c == '-' || c == ':') && (i+1 == len(s) || s[i+1] == ' '):
			if !haveLevel || (!haveThread && !haveLogger) {
				return h, false
			}
			h.msg = min(i+2, len(s))
			return h, true
		default:
			j := i
			for j < len(s) && s[j] != ' ' {
				j++
			}
			w := s[i:j]
			if lvl, ok := javaUpperLevel(w); ok && !haveLevel {
				h.level, haveLevel = lvl, true
				i = j
				break
			}
			if haveLogger {
				return h, false
			}
			colon := strings.HasSuffix(w, ":")
			if colon {
				w = w[:len(w)-1]
			}
			name, lineNo := javaSplitLine(w)
			if !javaLoggerName(name) {
				return h, false
			}
			h.logger, h.line, haveLogger = name, lineNo, true
			i = j
			if colon { // Hadoop "[thread] logger: msg"; without a thread it is python's
				if !haveLevel || !haveThread && !bareColon {
					return h, false
				}
				h.msg = min(i+1, len(s))
				return h, true
			}
		}
		for i < len(s) && s[i] == ' ' {
			i++
		}
	}
	return h, false
}
