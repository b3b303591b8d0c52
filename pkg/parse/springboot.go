package parse

import (
	"strings"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// spring-boot: the default console and file layout of Spring Boot (logback
// and log4j2 alike):
//
//	Boot 1.x/2.x: %d{yyyy-MM-dd HH:mm:ss.SSS} %5p PID --- [%15.15t] %-40.40logger{39} : %m
//	Boot 3.0/3.1: %d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %5p PID --- [%15.15t] logger : %m
//	Boot 3.2+:    ... PID --- [app] [%15.15t] [correlation] logger : %m
//
// where "[app] " appears when spring.application.name is set and the
// correlation block ("[traceId-spanId] ") when tracing is on the class path.
// Boot 2.x services with Spring Cloud Sleuth print "%5p [app,traceId,spanId]"
// as the level: "INFO [order-service,5f0e...,9a1c...] 12345 --- [main] ...".
// Stack traces (%wEx) follow on their own lines and fold into the record.
// Fields: pid, thread, logger, app (when present), trace_id and span_id
// (when the correlation block has them).

// SpringBootID is the id of the Spring Boot format.
const SpringBootID = "spring-boot"

func init() {
	Register(&Format{
		ID:          SpringBootID,
		Description: "Spring Boot default layout (logback/log4j2): time, level, pid, ---, [app] [thread], logger : message; Boot 2.x and 3.x; stack traces fold",
		Example: "2019-03-05 10:57:51.112  INFO 45469 --- [           main] org.apache.catalina.core.StandardEngine  : Starting Servlet Engine: Apache Tomcat/7.0.52\n" +
			"2021-01-21 21:56:41.382  WARN 18 --- [ntainer#0-0-C-1] org.apache.kafka.clients.NetworkClient   : [Consumer clientId=consumer-email-1, groupId=email] Connection to node -1 (localhost/127.0.0.1:9092) could not be established. Broker may not be available.\n" +
			"2025-05-10T01:34:33.608Z  INFO 88909 --- [myapp] [           main] o.s.b.d.f.logexample.MyApplication       : Starting MyApplication using Java 17.0.15 with PID 88909 (/opt/apps/myapp.jar started by myuser in /opt/apps/)\n" +
			"2023-08-15T14:22:17.123+08:00 ERROR 12345 --- [order-service] [nio-8080-exec-1] c.e.o.web.OrderController                : Request processing failed\n" +
			"java.lang.IllegalStateException: order 42 has no lines\n" +
			"\tat com.example.order.web.OrderController.submit(OrderController.java:57)\n" +
			"\t... 12 more",
		Specificity: 25,
		Multiline:   true,
		Segmentable: true,
		New:         func(ctx *Context) Decoder { return &springDecoder{loc: ctx.Loc, lean: ctx.Lean} },
	})
}

type springDecoder struct {
	loc  *time.Location
	ts   stampCache
	bare bool // Decode for skim: no fields
	lean bool // Context.Lean: skim leaves the fields out
}

func (d *springDecoder) Decode(line []byte, ev *event.Event, cur *event.Event) Verdict {
	if len(line) < 20 || !isDigit(line[0]) {
		if cur != nil {
			javaNoteException(cur, ev.Raw)
			return Continue
		}
		return Reject
	}
	st, ok := d.ts.iso(line, d.loc)
	if !ok {
		return Reject
	}
	s := ev.Raw
	i := st.n
	// level, right-aligned in five columns
	if i >= len(s) || s[i] != ' ' {
		return Reject
	}
	for i < len(s) && s[i] == ' ' {
		i++
	}
	j := strings.IndexByte(s[i:], ' ')
	if j < 0 {
		return Reject
	}
	lvl, ok := javaUpperLevel(s[i : i+j])
	if !ok {
		return Reject
	}
	i += j
	for i < len(s) && s[i] == ' ' {
		i++
	}
	// Spring Cloud Sleuth's level pattern: "%5p [app,traceId,spanId]"
	var sleuth string
	if i < len(s) && s[i] == '[' {
		e := strings.IndexByte(s[i:], ']')
		if e < 0 || strings.IndexByte(s[i:i+e], ',') < 0 {
			return Reject
		}
		sleuth = s[i+1 : i+e]
		i += e + 1
		for i < len(s) && s[i] == ' ' {
			i++
		}
	}
	// pid (or "" when Boot could not tell: the layout then has two spaces)
	p := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	pid := s[p:i]
	for i < len(s) && s[i] == ' ' {
		i++
	}
	if !strings.HasPrefix(s[i:], "--- ") {
		return Reject
	}
	i += 4
	// up to three bracketed groups: [app] [thread] [correlation]
	var groups [3]string
	n := 0
	for n < 3 && i < len(s) && s[i] == '[' {
		e := javaMatchBracket(s, i)
		if e < 0 {
			return Reject
		}
		groups[n] = s[i+1 : e]
		n++
		i = e + 1
		for i < len(s) && s[i] == ' ' {
			i++
		}
	}
	if n == 0 {
		return Reject
	}
	var app, thread, corr string
	if n > 1 && springCorrelation(groups[n-1]) {
		corr = groups[n-1]
		n--
	}
	switch n {
	case 1:
		thread = groups[0]
	case 2:
		app, thread = groups[0], groups[1]
	default:
		return Reject
	}
	// logger, padded to 40 columns, then " : "
	l := i
	i = javaLoggerEnd(s, i) // the logger's bytes, four at a time
	// (the lines below keep their places for default.pgo)

	logger := s[l:i]
	if i < len(s) && s[i] != ' ' || !javaLoggerHead(logger) { // javaLoggerName, read once
		return Reject
	}
	for i < len(s) && s[i] == ' ' {
		i++
	}
	if i >= len(s) || s[i] != ':' || (i+1 < len(s) && s[i+1] != ' ') {
		return Reject
	}
	i++
	if i < len(s) {
		i++
	}
	st.apply(&ev.Time, &ev.Precision, &ev.Zoned)
	if ev.Level, ev.Message = lvl, s[i:]; d.bare {
		return Start
	}
	reserveFields(ev, 6) // room for the usual fields: the slab's, or one allocation
	// A fresh event (unless a decoder tried before) takes these distinct keys without a look for them.
	absent := len(ev.Fields) == 0
	freshSet(ev, "pid", pid, absent)
	freshSet(ev, "thread", javaTrimSpaces(thread), absent)
	freshSet(ev, "logger", logger, absent)
	freshSet(ev, "app", javaTrimSpaces(app), absent)
	if sleuth != "" {
		a, rest, _ := strings.Cut(sleuth, ",")
		tr, rest, _ := strings.Cut(rest, ",")
		sp, _, _ := strings.Cut(rest, ",")
		if _, ok := ev.Get("app"); !ok {
			ev.Set("app", a)
		}
		freshSet(ev, "trace_id", tr, absent)
		freshSet(ev, "span_id", sp, absent)
	}
	if corr != "" {
		c := javaTrimSpaces(corr)
		if k := strings.IndexByte(c, '-'); k > 0 {
			ev.Set("trace_id", c[:k])
			ev.Set("span_id", c[k+1:])
		} else {
			ev.Set("trace_id", c)
		}
	}
	return Start
}

// skim reads a record start as Decode does, with Lean without its fields:
// analysis reads none of them (see Options.Lean), and a classifier reads
// a Spring record's message, which skim sets (see skimHold).
func (d *springDecoder) skim(line []byte, ev *event.Event) bool {
	d.bare = d.lean
	v := d.Decode(line, ev, nil)
	d.bare = false
	return v == Start
}

// skimmed does nothing: a record start sets no state in the decoder.
func (d *springDecoder) skimmed() {}

// whole is true: without Lean, skim is Decode.
func (d *springDecoder) whole() bool { return true }

// springCorrelation reports Spring Boot's correlation block: hex trace and
// span ids joined by '-', or blanks of the same fixed width when no ids
// are known. A thread name is never 20+ characters of hex, dashes and
// spaces only.
func springCorrelation(g string) bool {
	if len(g) < 20 {
		return false
	}
	for i := 0; i < len(g); i++ {
		c := g[i]
		if !isDigit(c) && (c < 'a' || c > 'f') && c != '-' && c != ' ' {
			return false
		}
	}
	return true
}
