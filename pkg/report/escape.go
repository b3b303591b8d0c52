package report

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/rca-dev/rca/pkg/event"
)

// Terminal escapes a log-derived string for a terminal: control bytes (ESC
// of colour and OSC sequences, CR, backspace, BEL, and the C1 controls)
// become visible escapes like \x1b, newlines become "⏎ " so one record
// stays on one line, and invalid UTF-8 becomes U+FFFD. The original stays
// in the JSON output.
func Terminal(s string) string {
	if event.PrintableASCII(s) {
		return s
	}
	return string(appendEscaped(make([]byte, 0, len(s)+8), s))
}

// AppendTerminal appends Terminal(s) to b.
func AppendTerminal(b []byte, s string) []byte {
	if event.PrintableASCII(s) {
		return append(b, s...)
	}
	return appendEscaped(b, s)
}

// appendEscaped appends s to b as Terminal escapes text that is not
// printable ASCII.
func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = utf8.AppendRune(b, '\uFFFD')
		case r == '\n':
			b = append(b, "⏎ "...)
		case r == '\t':
			b = append(b, ' ')
		case r < 0x20 || r == 0x7f:
			b = fmt.Appendf(b, "\\x%02x", r)
		case event.InertRune(r): // C1 controls (a one-rune CSI in some terminals), line separators, bidi overrides
			b = fmt.Appendf(b, "\\u%04x", r)
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return b
}

// TerminalLines escapes like Terminal but keeps line breaks: for text of
// several lines (an error message) that may carry log-derived parts.
func TerminalLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Terminal(l)
	}
	return strings.Join(lines, "\n")
}

// InertJSON rewrites the runes of event.InertRune in encoded JSON as \u
// escapes. encoding/json leaves C1 controls and bidi overrides raw; in JSON
// such runes occur only inside strings, where the escape decodes to the
// same string, so the document's content is unchanged.
func InertJSON(b []byte) []byte {
	clean := true
	for i := 0; i < len(b); i++ {
		if b[i] == 0xc2 || b[i] == 0xe2 {
			clean = false
			break
		}
	}
	if clean {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if event.InertRune(r) {
			out = fmt.Appendf(out, "\\u%04x", r)
		} else {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}

// MarkdownCell escapes a string for a Markdown table cell: terminal escapes
// first, then pipes, backticks, HTML and the characters that start
// Markdown syntax, so log text can neither break the table nor inject
// markup or links.
func MarkdownCell(s string) string {
	s = Terminal(s)
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '|':
			b.WriteString(`\|`)
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '`', '*', '_', '[', ']', '\\', '#', '~', '!':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// truncate cuts s to at most n display columns (counting runes), marking
// the cut with "…".
func truncate(s string, n int) string {
	if n <= 1 || utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for k := range s {
		if i == n-1 {
			return s[:k] + "…"
		}
		i++
	}
	return s
}
