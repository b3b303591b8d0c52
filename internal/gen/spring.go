package gen

import (
	"strings"
	"time"
)

// Spring writes Spring Boot 3.x console/file log lines, logback's default
// pattern with the application name (Boot 3.2 and later):
//
//	%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %5p ${PID} --- [${spring.application.name}] [%15.15t] %-40.40logger{39} : %m%n
//
// e.g. "2023-08-15T14:22:17.123+08:00  INFO 1 --- [order-service]
// [ntainer#0-0-C-1] o.a.k.c.c.internals.ConsumerCoordinator  : [Consumer
// clientId=consumer-order-group-1, groupId=order-group] ..." on one line.
// Exceptions follow the line as Java prints them (see JavaException).
type Spring struct {
	App string
	PID int
	k   *Clock
	lg  map[string]string // logger name -> %-40.40logger{39}
	th  map[string]string // thread name -> %15.15t
}

// NewSpring returns a writer for application app running as pid in zone loc.
func NewSpring(app string, pid int, loc *time.Location) *Spring {
	return &Spring{App: app, PID: pid, k: NewClock(loc), lg: map[string]string{}, th: map[string]string{}}
}

// Append appends one log line (with its newline). level is logback's level
// name: TRACE, DEBUG, INFO, WARN or ERROR.
func (s *Spring) Append(b []byte, t time.Time, level, thread, logger, msg string) []byte {
	c := s.k.at(t)
	b = appendDate(b, c, '-')
	b = append(b, 'T')
	b = appendHMS(b, c)
	b = append(b, '.')
	b = appendFrac(b, t.Nanosecond(), 3)
	b = appendOffset(b, c.off, true, true)
	b = append(b, ' ')
	for i := len(level); i < 5; i++ {
		b = append(b, ' ')
	}
	b = append(b, level...)
	b = append(b, ' ')
	b = appendInt(b, int64(s.PID))
	b = append(b, " --- ["...)
	b = append(b, s.App...)
	b = append(b, "] ["...)
	b = append(b, s.thread(thread)...)
	b = append(b, "] "...)
	b = append(b, s.logger(logger)...)
	b = append(b, " : "...)
	b = append(b, msg...)
	return append(b, '\n')
}

func (s *Spring) thread(name string) string {
	if v, ok := s.th[name]; ok {
		return v
	}
	v := name
	if len(v) > 15 {
		v = v[len(v)-15:]
	}
	v = strings.Repeat(" ", 15-len(v)) + v
	s.th[name] = v
	return v
}

func (s *Spring) logger(name string) string {
	if v, ok := s.lg[name]; ok {
		return v
	}
	v := AbbreviateLogger(name, 39)
	if len(v) > 40 {
		v = v[len(v)-40:]
	}
	v += strings.Repeat(" ", 40-len(v))
	s.lg[name] = v
	return v
}

// AbbreviateLogger shortens a logger name as logback's %logger{n} does:
// package segments, from the left, shrink to their first letter until the
// name fits n characters; the last segment is never shortened.
func AbbreviateLogger(name string, n int) string {
	if len(name) <= n {
		return name
	}
	parts := strings.Split(name, ".")
	total := len(name)
	for i := 0; i < len(parts)-1 && total > n; i++ {
		if len(parts[i]) > 1 {
			total -= len(parts[i]) - 1
			parts[i] = parts[i][:1]
		}
	}
	return strings.Join(parts, ".")
}

// JavaException is a Java throwable as Throwable.printStackTrace prints it:
// "Class: message", one "\tat frame" line per frame, then its cause as
// "Caused by: ..." whose frames shared with the enclosing trace are folded
// into "\t... N more".
type JavaException struct {
	Class   string
	Message string // "" prints the class name alone
	Frames  []string
	Cause   *JavaException
}

// AppendJavaTrace appends the trace lines (each with its newline).
func AppendJavaTrace(b []byte, e *JavaException) []byte {
	var enclosing []string
	first := true
	for ; e != nil; e = e.Cause {
		if !first {
			b = append(b, "Caused by: "...)
		}
		b = append(b, e.Class...)
		if e.Message != "" {
			b = append(b, ": "...)
			b = append(b, e.Message...)
		}
		b = append(b, '\n')
		common := 0
		if !first {
			for common < len(e.Frames) && common < len(enclosing) &&
				e.Frames[len(e.Frames)-1-common] == enclosing[len(enclosing)-1-common] {
				common++
			}
		}
		for _, f := range e.Frames[:len(e.Frames)-common] {
			b = append(b, "\tat "...)
			b = append(b, f...)
			b = append(b, '\n')
		}
		if common > 0 {
			b = append(b, "\t... "...)
			b = appendInt(b, int64(common))
			b = append(b, " more\n"...)
		}
		enclosing = e.Frames
		first = false
	}
	return b
}

// JavaTraceLines counts the lines AppendJavaTrace writes for e.
func JavaTraceLines(e *JavaException) int {
	return strings.Count(string(AppendJavaTrace(nil, e)), "\n")
}
