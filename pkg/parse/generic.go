package parse

import (
	"bytes"
	"strings"
	"time"

	"github.com/araddon/dateparse"
	"github.com/rca-dev/rca/pkg/event"
)

// GenericID is the id of the fallback format: any line that starts with a
// timestamp. It is also offered every line another format rejects.
const GenericID = "generic"

func init() {
	Register(&Format{
		ID:          GenericID,
		Description: "any line that starts with a timestamp dateparse knows; an optional level word follows",
		Example:     "2023-08-15 14:22:17,123 WARN cache refresh took 1200ms\nMon Jan  2 15:04:05 2023 [info] worker 3 started",
		Specificity: 0,
		Multiline:   true,
		New:         func(ctx *Context) Decoder { return &genericDecoder{times: newTimeLearner(ctx)} },
	})
}

// genericDecoder finds a leading timestamp with a timeLearner.
type genericDecoder struct {
	times *timeLearner
}

// timeLearner reads a timestamp at the start of a line. Known fixed layouts
// are read by the byte parsers; anything else is guessed once with dateparse
// and the layout is cached, so later lines cost one time.ParseInLocation.
// One timeLearner serves one input.
type timeLearner struct {
	loc    *time.Location
	years  yearInfer
	layout string // cached dateparse layout
	tokens int    // how many space-separated tokens it spans
	zoned  bool
	prec   int
	misses int // consecutive guesses that failed; guessing backs off
}

func newTimeLearner(ctx *Context) *timeLearner {
	return &timeLearner{loc: ctx.Loc, years: yearInfer{ref: ctx.ModTime}}
}

// prefix reads a timestamp at the start of b (no brackets).
func (g *timeLearner) prefix(b []byte) (stamp, bool) {
	if len(b) == 0 {
		return stamp{}, false
	}
	if st, ok := fastStamp(b, g.loc, &g.years); ok {
		return st, true
	}
	return g.learned(b)
}

func (g *genericDecoder) Decode(line []byte, ev *event.Event, _ *event.Event) Verdict {
	if len(line) < 6 || !maybeTimestamp(line) {
		return Reject
	}
	b := line
	skip := 0
	if b[0] == '[' {
		skip = 1
		b = b[1:]
	}
	st, ok := g.times.prefix(b)
	if !ok {
		return Reject
	}
	end := skip + st.n
	if skip == 1 {
		if end < len(line) && line[end] == ']' {
			end++
		} else if i := bytes.IndexByte(line[end:], ']'); i >= 0 && i < 12 { // "[ts tz]"
			end += i + 1
		}
	}
	st.apply(&ev.Time, &ev.Precision, &ev.Zoned)
	ev.Message, ev.Level = restAndLevel(ev.Raw, end)
	return Start
}

// fastStamp tries the fixed layouts that need no guessing.
func fastStamp(b []byte, loc *time.Location, years *yearInfer) (stamp, bool) {
	if isDigit(b[0]) {
		if st, ok := parseISO(b, loc); ok {
			return st, true
		}
		if st, ok := parseCLF(b, loc); ok {
			return st, true
		}
		if st, ok := parseShortDate(b, loc); ok {
			return st, true
		}
		if st, ok := parseEpochPrefix(b); ok {
			return st, true
		}
		return stamp{}, false
	}
	return parseSyslogStamp(b, loc, years)
}

// epochNumber reads a 10-, 13-, 16- or 19-digit epoch number with an
// optional fraction at the start of b (seconds, ms, µs or ns by its
// length); n is the bytes it used.
func epochNumber(b []byte) (stamp, bool) {
	i := 0
	var v int64
	for i < len(b) && isDigit(b[i]) && i < 19 {
		v = v*10 + int64(b[i]-'0')
		i++
	}
	if i != 10 && i != 13 && i != 16 && i != 19 {
		return stamp{}, false
	}
	j := i
	if j+1 < len(b) && b[j] == '.' && isDigit(b[j+1]) {
		j++
		for j < len(b) && isDigit(b[j]) {
			j++
		}
	}
	var frac []byte
	if j > i {
		frac = b[i+1 : j]
	}
	t, prec, ok := epochTime(v, frac)
	if !ok {
		return stamp{}, false
	}
	return stamp{t: t, n: j, prec: prec, zoned: true}, true
}

// parseEpochPrefix reads an epoch number followed by a space or tab.
func parseEpochPrefix(b []byte) (stamp, bool) {
	st, ok := epochNumber(b)
	if !ok || st.n >= len(b) || (b[st.n] != ' ' && b[st.n] != '\t') {
		return stamp{}, false
	}
	return st, true
}

// learned parses with the cached layout, guessing a new one when there is
// none or it no longer fits.
func (g *timeLearner) learned(b []byte) (stamp, bool) {
	// dateparse leaves a leading weekday out of the layout it returns, so
	// the weekday is skipped here and the layout learned from the rest.
	day := weekdayPrefix(b)
	st, ok := g.learnedAt(b[day:])
	st.n += day
	return st, ok
}

// weekdayPrefix is the length of a leading "Mon ", "Mon, " or "Monday, ".
func weekdayPrefix(b []byte) int {
	if len(b) < 4 {
		return 0
	}
	for _, d := range dayNames {
		if b[0] == d[0] && b[1] == d[1] && b[2] == d[2] {
			i := 3
			for i < len(b) && i < 10 && isLetter(b[i]) {
				i++
			}
			if i < len(b) && b[i] == ',' {
				i++
			}
			if i < len(b) && b[i] == ' ' {
				for i < len(b) && b[i] == ' ' {
					i++
				}
				return i
			}
		}
	}
	return 0
}

func (g *timeLearner) learnedAt(b []byte) (stamp, bool) {
	if g.layout != "" {
		if cand, n := tokensPrefix(b, g.tokens); n > 0 {
			if t, err := time.ParseInLocation(g.layout, cand, g.loc); err == nil {
				return stamp{t: t.UTC(), n: n, prec: g.prec, zoned: g.zoned}, true
			}
		}
	}
	if g.misses > 64 && g.misses%64 != 0 { // a file of non-timestamp lines: guess rarely
		g.misses++
		return stamp{}, false
	}
	for k := 5; k >= 1; k-- {
		cand, n := tokensPrefix(b, k)
		if n == 0 || len(cand) < 6 {
			continue
		}
		cand = strings.TrimRight(cand, ":]")
		layout, err := dateparse.ParseFormat(cand)
		if err != nil {
			continue
		}
		t, err := time.ParseInLocation(layout, cand, g.loc)
		if err != nil || t.Year() < 1971 || t.Year() > 2200 {
			continue
		}
		g.layout, g.tokens, g.misses = layout, k, 0
		g.zoned = strings.Contains(layout, "Z07") || strings.Contains(layout, "-07") || strings.Contains(layout, "MST")
		g.prec = 0
		if i := strings.LastIndex(layout, ".0"); i >= 0 {
			for j := i + 1; j < len(layout) && (layout[j] == '0' || layout[j] == '9'); j++ {
				g.prec++
			}
		}
		return stamp{t: t.UTC(), n: len(cand), prec: g.prec, zoned: g.zoned}, true
	}
	g.misses++
	return stamp{}, false
}

// tokensPrefix returns the first k space-separated tokens of b as a string
// and their length, or n == 0 when b has fewer tokens or they are too long.
func tokensPrefix(b []byte, k int) (string, int) {
	i, seen := 0, 0
	for i < len(b) && i < 48 {
		if b[i] == ' ' {
			if i > 0 && b[i-1] != ' ' {
				seen++
				if seen == k {
					return string(b[:i]), i
				}
			}
		}
		i++
	}
	if i == len(b) && seen == k-1 {
		return string(b), i
	}
	return "", 0
}

var dayNames = [...]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}

// maybeTimestamp is the cheap gate before any timestamp parsing: a digit,
// a '[', or a month or day name at the start of the line.
func maybeTimestamp(b []byte) bool {
	c := b[0]
	if c == '[' {
		if len(b) < 2 {
			return false
		}
		c = b[1]
		b = b[1:]
	}
	if isDigit(c) {
		return true
	}
	if _, ok := month(b, 0); ok {
		return true
	}
	if len(b) >= 3 {
		for _, d := range dayNames {
			if b[0] == d[0] && b[1] == d[1] && b[2] == d[2] {
				return true
			}
		}
	}
	return false
}

// restAndLevel returns the message after position i of raw (separators
// trimmed) and a level when the next word is one: "ERROR", "[warn]", "E:",
// ":INFO:", "<error>".
func restAndLevel(raw string, i int) (string, event.Level) {
	rest := trimSeparators(raw[i:])
	word := rest
	if len(rest) > 0 && (rest[0] == '[' || rest[0] == '<' || rest[0] == '(') {
		closer := map[byte]string{'[': "]", '<': ">", '(': ")"}[rest[0]]
		if j := strings.Index(rest, closer); j > 0 && j <= 12 {
			word = rest[:j+1] // "[WARN ]": the whole bracketed group
		}
	} else if j := strings.IndexAny(word, " \t:|"); j >= 0 {
		word = word[:j]
	}
	w := strings.TrimSpace(strings.Trim(word, "[]<>()"))
	if lvl, ok := levelWord([]byte(w)); ok && w != "" {
		msg := trimSeparators(rest[len(word):])
		return msg, lvl
	}
	return rest, event.LevelNone
}

// trimSeparators drops the spaces, tabs and ":-|" that sit between a log
// header and its message.
func trimSeparators(s string) string {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == ':' || s[i] == '-' || s[i] == '|') {
		i++
	}
	return s[i:]
}
