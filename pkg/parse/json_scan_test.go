package parse

import (
	"strings"
	"testing"
)

// jsonStrEndPlain is the byte-by-byte scan jsonStrEnd must agree with.
func jsonStrEndPlain(b []byte, i int) (int, bool, bool) {
	esc := false
	for ; i < len(b); i++ {
		switch b[i] {
		case '"':
			return i, esc, true
		case '\\':
			esc = true
			i++
		}
	}
	return len(b), esc, false
}

func TestJSONStrEnd(t *testing.T) {
	long := strings.Repeat("x", 100)
	for _, tc := range []struct {
		in      string
		end     int
		esc, ok bool
	}{
		{`"`, 0, false, true},
		{`ab"`, 2, false, true},
		{`level":"info"`, 5, false, true},
		{`0123456"`, 7, false, true},  // quote at the end of the first word
		{`01234567"`, 8, false, true}, // quote in the tail
		{`0123456789abcdef"x`, 16, false, true},
		{`a\"b"`, 4, true, true},
		{`a\\"b"`, 3, true, true},
		{`abcdefg\"hijklmnop"`, 18, true, true},
		{`abcdefg\\"hijklmnop"`, 9, true, true},
		{`abcdefg\`, 8, true, false},
		{`abcdefgh\`, 9, true, false},
		{`unterminated`, 12, false, false},
		{long + `"`, 100, false, true},
		{long + `\n"`, 102, true, true},
		{long + `\"` + long + `"`, 202, true, true},
		{`ab\n` + long + `"`, 104, true, true},
		{long, 100, false, false},
		{long + `\`, 101, true, false},
		{`\` + long, 101, true, false},
		{"\x22\x5c", 0, false, true},
		{"\xa2\xdc\"", 2, false, true}, // bytes with the high bit set
		{"\x00\x00\x00\x00\x00\x00\x00\x00\"", 8, false, true},
	} {
		end, esc, ok := jsonStrEnd([]byte(tc.in), 0)
		if end != tc.end || esc != tc.esc || ok != tc.ok {
			t.Errorf("jsonStrEnd(%q) = %d, %v, %v; want %d, %v, %v", tc.in, end, esc, ok, tc.end, tc.esc, tc.ok)
		}
		if pe, pesc, pok := jsonStrEndPlain([]byte(tc.in), 0); pe != end || pesc != esc || pok != ok {
			t.Errorf("jsonStrEndPlain(%q) = %d, %v, %v; jsonStrEnd says %d, %v, %v", tc.in, pe, pesc, pok, end, esc, ok)
		}
	}
}

// FuzzJSONStrEnd holds jsonStrEnd to the byte-by-byte scan from every
// start in the input.
func FuzzJSONStrEnd(f *testing.F) {
	for _, s := range []string{`level":"info"`, `a\"bcdefghijk"`, strings.Repeat(`\\`, 40) + `"`,
		strings.Repeat("0123456789", 8) + `\"` + `"`, "\"\\\"\\\\\"", "\xa2\xdc\x22\x5c\x80\x7f"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for i := 0; i <= len(b); i++ {
			end, esc, ok := jsonStrEnd(b, i)
			pe, pesc, pok := jsonStrEndPlain(b, i)
			if end != pe || esc != pesc || ok != pok {
				t.Fatalf("jsonStrEnd(%q, %d) = %d, %v, %v; plain scan %d, %v, %v", b, i, end, esc, ok, pe, pesc, pok)
			}
		}
	})
}
