package report

import (
	"strings"
	"testing"
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
	f.Fuzz(func(t *testing.T, s string) {
		out := Terminal(s)
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
