package parse

import (
	"strings"

	"github.com/rca-dev/rca/pkg/event"
)

// Helpers shared by the Java-family formats (spring-boot, log4j2,
// elasticsearch, kafka-server) and, for exception lines, python.
//
// Stack traces need no recognition to be folded: those formats are
// Multiline, so every line they reject joins the open record. What the
// helpers add is the exception class of a folded trace as a field:
// "exception" is the first exception line's class, "cause" the class of
// the last "Caused by:" line (the root cause, as Java prints it last).

// javaExceptionClass returns the class named by an exception line of a
// stack trace ("java.net.UnknownHostException: zookeeper",
// "Caused by: org.apache.kafka.common.errors.TimeoutException",
// "MergeMappingException[Merge failed...]", Python's "ValueError: bad"),
// and whether it was a "Caused by:" line. It returns "" for other lines,
// including indented frames ("\tat ...").
func javaExceptionClass(s string) (class string, cause bool) {
	if strings.HasPrefix(s, "Caused by: ") {
		s, cause = s[len("Caused by: "):], true
	}
	if s == "" || !isLetter(s[0]) {
		return "", false
	}
	i := 0
	for i < len(s) && i < 256 {
		c := s[i]
		if isLetter(c) || isDigit(c) || c == '.' || c == '_' || c == '$' {
			i++
			continue
		}
		break
	}
	if i < len(s) && s[i] != ':' && s[i] != '[' {
		return "", false
	}
	name := s[:i]
	last := name
	if j := strings.LastIndexByte(name, '.'); j >= 0 {
		last = name[j+1:]
	}
	if k := strings.IndexByte(last, '$'); k >= 0 { // Outer$InnerException
		last = last[k+1:]
	}
	if strings.HasSuffix(last, "Exception") || strings.HasSuffix(last, "Error") || last == "Throwable" {
		return name, cause
	}
	return "", false
}

// javaNoteException records the exception class of a continuation line
// (raw, one physical line) on the open record.
func javaNoteException(cur *event.Event, raw string) {
	if cur == nil || raw == "" || raw[0] == ' ' || raw[0] == '\t' {
		return
	}
	class, cause := javaExceptionClass(raw)
	if class == "" {
		return
	}
	if _, ok := cur.Get("exception"); !ok {
		cur.Set("exception", class)
		return
	}
	if cause {
		cur.Set("cause", class)
	}
}

// javaMatchBracket returns the index of the ']' closing the '[' at s[i],
// counting nested brackets, or -1. The first ']' closes it when no '['
// comes before it, as in most lines ("[main]", "[order-service]").
func javaMatchBracket(s string, i int) int {
	if i < len(s) && s[i] == '[' {
		if c := strings.IndexByte(s[i+1:], ']'); c < 0 {
			return -1
		} else if strings.IndexByte(s[i+1:i+1+c], '[') < 0 {
			return i + 1 + c
		}
	}
	return javaMatchNested(s, i)
}

// javaMatchNested is javaMatchBracket byte by byte, for nested brackets.
func javaMatchNested(s string, i int) int {
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '[':
			depth++
		case ']':
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

// javaLoggerName reports a logger or class name as log4j/logback print it:
// "com.example.OrderService", "c.e.o.OrderService", "MyApp",
// "o.a.c.c.C.[Tomcat].[localhost].[/]", "Foo$Bar". Spring's 40-column
// truncation may leave it starting with '.'.
func javaLoggerName(s string) bool {
	if !javaLoggerHead(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !javaLoggerByte[s[i]] {
			return false
		}
	}
	return true
}

// javaLoggerHead reports a name that may start a logger name: not empty,
// and its first byte a letter, '_', '.' or '$'.
func javaLoggerHead(s string) bool {
	if s == "" {
		return false
	}
	c := s[0]
	return isLetter(c) || c == '_' || c == '.' || c == '$'
}

// javaLoggerEnd returns the index of the first byte of s at or after i
// that is not a logger byte (javaLoggerByte), or len(s). A logger name
// padded to 40 columns is most of a Spring Boot line's head: the bytes are
// tested four at a time, with one bounds check.
func javaLoggerEnd(s string, i int) int {
	for i >= 0 && i+4 <= len(s) {
		b := s[i : i+4]
		if !javaLoggerByte[b[0]] || !javaLoggerByte[b[1]] || !javaLoggerByte[b[2]] || !javaLoggerByte[b[3]] {
			break
		}
		i += 4
	}
	for i < len(s) && javaLoggerByte[s[i]] {
		i++
	}
	return i
}

// javaLoggerByte marks the bytes of a logger name: letters, digits and
// ._$-[]/#@ (a table: one load a byte).
var javaLoggerByte = func() (t [256]bool) {
	for c := range t {
		t[c] = isLetter(byte(c)) || isDigit(byte(c)) || strings.IndexByte("._$-[]/#@", byte(c)) >= 0
	}
	return t
}()

// javaUpperLevel reads an upper-case level word (INFO, WARN, ERROR...),
// as %p/%level print it.
func javaUpperLevel(s string) (event.Level, bool) {
	if s == "" || len(s) > 8 {
		return event.LevelNone, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return event.LevelNone, false
		}
	}
	return levelWord([]byte(s))
}

// javaTrimSpaces trims ASCII spaces (the padding of %-5p, %15.15t, %-40c).
func javaTrimSpaces(s string) string {
	for len(s) > 0 && s[0] == ' ' {
		s = s[1:]
	}
	for len(s) > 0 && s[len(s)-1] == ' ' {
		s = s[:len(s)-1]
	}
	return s
}

// javaSplitLine splits "org.foo.Bar:32" into the logger and the line.
func javaSplitLine(w string) (name, line string) {
	k := strings.LastIndexByte(w, ':')
	if k <= 0 || k == len(w)-1 {
		return w, ""
	}
	for i := k + 1; i < len(w); i++ {
		if !isDigit(w[i]) {
			return w, ""
		}
	}
	return w[:k], w[k+1:]
}
