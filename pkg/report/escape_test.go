package report

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rca-dev/rca/pkg/event"
)

func TestTerminalEscapesControls(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"\x1b]8;;http://evil\x07link\x1b]8;;\x07", `\x1b]8;;http://evil\x07link\x1b]8;;\x07`},
		{"a\rb\bc", `a\x0db\x08c`},
		{"two\nlines", "two⏎ lines"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
		{"\u009b31m c1 csi", `\u009b31m c1 csi`},
		{"rtl \u202e override", `rtl \u202e override`},
		{"ünïcödé ok", "ünïcödé ok"},
	}
	for _, tt := range tests {
		if got := Terminal(tt.in); got != tt.want {
			t.Errorf("Terminal(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMarkdownCell(t *testing.T) {
	got := MarkdownCell("a|b `code` <script>alert(1)</script> [x](javascript:y) **b**")
	for _, bad := range []string{"<script", "[x](javascript", " `code`", "a|b", " **"} {
		if strings.Contains(got, bad) {
			t.Errorf("MarkdownCell left %q in %q", bad, got)
		}
	}
}

func FuzzTerminal(f *testing.F) {
	f.Add("\x1b[2J\x1b[H\x1b]0;title\x07")
	f.Add("GET /api/x HTTP/1.1 503 upstream timed out\x7f")
	f.Add("caf\u00e9 \xff\tend of a longer line\n and more")
	f.Fuzz(func(t *testing.T, s string) {
		out := Terminal(s)
		if want := terminalRunes(s); out != want {
			t.Fatalf("Terminal(%q) = %q, rune by rune %q", s, out, want)
		}
		if got := string(AppendTerminal([]byte("x"), s)); got != "x"+out {
			t.Fatalf("AppendTerminal(x, %q) = %q, want x%q", s, got, out)
		}
		for i := 0; i < len(out); i++ {
			if c := out[i]; c < 0x20 || c == 0x7f {
				t.Fatalf("Terminal(%q) = %q keeps control byte %#x", s, out, c)
			}
		}
		if strings.ContainsRune(out, '\u009b') {
			t.Fatalf("Terminal(%q) keeps a C1 CSI", s)
		}
	})
}

// terminalRunes is Terminal as it was written first, rune by rune with
// a builder: FuzzTerminal holds Terminal and AppendTerminal to it.
func terminalRunes(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune('\uFFFD')
		case r == '\n':
			b.WriteString("⏎ ")
		case r == '\t':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\x%02x", r)
		case event.InertRune(r):
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

func TestTerminalLinesKeepsLineBreaks(t *testing.T) {
	got := TerminalLines("rca.yaml: unknown key \x1b]0;x\x07\nsecond line \r")
	if want := "rca.yaml: unknown key \\x1b]0;x\\x07\nsecond line \\x0d"; got != want {
		t.Errorf("TerminalLines = %q, want %q", got, want)
	}
}

func TestInertJSON(t *testing.T) {
	in := []byte("{\"m\":\"\u009b31m é \u202eevil ‐ ok\"}") // raw C1 CSI and RLO, as encoding/json leaves them
	got := string(InertJSON(in))
	if want := `{"m":"\u009b31m é \u202eevil ‐ ok"}`; got != want {
		t.Errorf("inertJSON = %s, want %s", got, want)
	}
	var a, b map[string]string
	if json.Unmarshal(in, &a) != nil || json.Unmarshal([]byte(got), &b) != nil || a["m"] != b["m"] {
		t.Errorf("content changed: %q vs %q", a["m"], b["m"])
	}
}

func TestDurationBeyondInt64(t *testing.T) {
	a := event.Time{Time: time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)}
	b := event.Time{Time: time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)}
	if got := duration(a, b); got != "2932896 days" {
		t.Errorf("duration 1970→9999 = %s, want 2932896 days", got)
	}
	if got := duration(a, event.Time{Time: a.Add(90 * time.Second)}); got != "1m30s" {
		t.Errorf("duration = %s", got)
	}
}

// FuzzMarkdownCell checks that no log text can break out of a table cell
// or carry markup: no raw pipe, angle bracket, backtick, line break or
// control byte survives.
func FuzzMarkdownCell(f *testing.F) {
	f.Add("a|b `code` <script>alert(1)</script> [x](javascript:y) **b**\n# h")
	f.Add("\\| \\` \x1b[31m \u009b \r\b")
	f.Fuzz(func(t *testing.T, s string) {
		out := MarkdownCell(s)
		for i := 0; i < len(out); i++ {
			c := out[i]
			if c < 0x20 || c == 0x7f || c == '<' || c == '>' {
				t.Fatalf("MarkdownCell(%q) = %q keeps %q", s, out, c)
			}
			if (c == '|' || c == '`' || c == '[' || c == '*' || c == '_') && (i == 0 || out[i-1] != '\\' || escapedBackslash(out, i-1)) {
				t.Fatalf("MarkdownCell(%q) = %q leaves %q unescaped at %d", s, out, c, i)
			}
		}
	})
}

// escapedBackslash reports whether the backslash at i is itself escaped
// (preceded by an odd run of backslashes).
func escapedBackslash(s string, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}
