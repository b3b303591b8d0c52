package event

import (
	"encoding/json"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestAppendJSON(t *testing.T) {
	e := Event{
		Time: time.Date(2023, 8, 15, 6, 22, 17, 123000000, time.UTC), Precision: 3,
		Source: "gateway", File: "gateway/access.log", Line: 812, Offset: 90412, Format: "nginx-access",
		Level: LevelError, Message: "GET /api/invoice HTTP/1.1 503", Kind: "http_5xx",
		Fields: []Field{{"status", "503"}, {"upstream", "10.0.2.5:8080"}}, Lines: 1,
	}
	want := `{"time":"2023-08-15T06:22:17.123Z","source":"gateway","file":"gateway/access.log","line":812,"offset":90412,"format":"nginx-access","level":"error","message":"GET /api/invoice HTTP/1.1 503","kind":"http_5xx","fields":{"status":"503","upstream":"10.0.2.5:8080"},"lines":1,"unparsed":false}`
	if got := string(e.AppendJSON(nil)); got != want {
		t.Errorf("AppendJSON =\n%s\nwant\n%s", got, want)
	}
	u := Event{Source: "x", File: "x.log", Line: 2, Message: "\x1b[31mred\x1b[0m \xff\"q\"\n", Lines: 1, Unparsed: true}
	var m map[string]any
	if err := json.Unmarshal(u.AppendJSON(nil), &m); err != nil {
		t.Fatalf("unparsed event is not valid JSON: %v", err)
	}
	if m["time"] != nil || m["level"] != nil || m["kind"] != nil || m["unparsed"] != true {
		t.Errorf("unparsed event = %v, want null time/level/kind and unparsed true", m)
	}
	if m["message"] != "\x1b[31mred\x1b[0m \ufffd\"q\"\n" {
		t.Errorf("message round trip = %q", m["message"])
	}
}

func TestAppendTimePrecision(t *testing.T) {
	tm := time.Date(2023, 8, 15, 6, 22, 17, 123456789, time.UTC)
	for prec, want := range map[int]string{0: "2023-08-15T06:22:17.123Z", 3: "2023-08-15T06:22:17.123Z", 6: "2023-08-15T06:22:17.123456Z", 9: "2023-08-15T06:22:17.123456789Z"} {
		if got := string(AppendTime(nil, tm, prec)); got != want {
			t.Errorf("AppendTime(prec %d) = %s, want %s", prec, got, want)
		}
	}
}

// The runes that act on terminals without ESC (C1 controls, bidi
// overrides, line separators) are escaped; the decoded string is unchanged.
func TestAppendStringInertRunes(t *testing.T) {
	in := "csi \u009b31m osc \u009d0;t\u009c rtl \u202eevil\u202c iso \u2066x\u2069 ls \u2028 ok é 世界"
	got := string(AppendString(nil, in))
	want := `"csi \u009b31m osc \u009d0;t\u009c rtl \u202eevil\u202c iso \u2066x\u2069 ls \u2028 ok é 世界"`
	if got != want {
		t.Errorf("AppendString = %s\nwant          %s", got, want)
	}
	var back string
	if err := json.Unmarshal([]byte(got), &back); err != nil || back != in {
		t.Errorf("round trip = %q, %v", back, err)
	}
}

func FuzzAppendString(f *testing.F) {
	f.Add("plain")
	f.Add("\x1b]8;;http://x\x07link\x1b]8;;\x07 \xff\xfe \u2028")
	f.Add("\u009b31m \u202e")
	f.Add("GET /api/invoice?id=\"x\" HTTP/1.1 503 \\ tab\there, caf\u00e9 \x7f end")
	f.Add("0123456789abcdef\n0123456789\u2029abcdef\x00")
	f.Fuzz(func(t *testing.T, s string) {
		b := AppendString(nil, s)
		if want := appendStringBytewise(nil, s); string(b) != string(want) {
			t.Fatalf("AppendString(%q) = %s, byte by byte %s", s, b, want)
		}
		var out string
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("AppendString(%q) is not valid JSON: %v", s, err)
		}
		if utf8.ValidString(s) && out != s {
			t.Fatalf("AppendString(%q) decodes to %q", s, out)
		}
		for _, r := range string(b) {
			if r < 0x20 || r == 0x7f || InertRune(r) {
				t.Fatalf("AppendString(%q) = %q keeps %U raw", s, b, r)
			}
		}
	})
}

// appendStringBytewise is AppendString looking at every byte (as it did
// before its eight-byte steps): FuzzAppendString holds them to the same
// output.
func appendStringBytewise(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != 0x7f {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if InertRune(r) {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// TestNeedsLook checks needsLook's lowest set bit against a byte-by-byte
// search for the first byte AppendString cannot copy as it is: every byte
// value at every position among printable filler, and random words.
func TestNeedsLook(t *testing.T) {
	special := func(c byte) bool { return c < 0x20 || c == '"' || c == '\\' || c >= 0x7f }
	first := func(w []byte) int {
		for i, c := range w {
			if special(c) {
				return i
			}
		}
		return 8
	}
	check := func(w []byte) {
		t.Helper()
		m := needsLook(le64(string(w)))
		got := 8
		if m != 0 {
			got = bits.TrailingZeros64(m) >> 3
		}
		if want := first(w); got != want {
			t.Fatalf("needsLook(%q): first byte %d, want %d", w, got, want)
		}
	}
	for v := 0; v < 256; v++ {
		for p := 0; p < 8; p++ {
			w := []byte("abcdefgh")
			w[p] = byte(v)
			check(w)
			for q := p + 1; q < 8; q++ { // a special byte after it changes nothing
				w2 := append([]byte(nil), w...)
				w2[q] = 0
				check(w2)
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	w := make([]byte, 8)
	for i := 0; i < 1_000_000; i++ {
		for k := range w {
			w[k] = byte(0x20 + r.IntN(0x60)) // mostly printable
			if r.IntN(16) == 0 {
				w[k] = byte(r.IntN(256))
			}
		}
		check(w)
	}
}

// TestAppendTimeIsFormat checks AppendTime's written-out date and clock
// against time's own formatting, across the years it writes out and
// beyond (which time formats).
func TestAppendTimeIsFormat(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	times := []time.Time{
		time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(-1, 12, 31, 23, 59, 59, 0, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2024, 2, 29, 12, 0, 0, 5, time.FixedZone("x", 8*3600)), time.Unix(0, 0),
	}
	for i := 0; i < 200000; i++ {
		times = append(times, time.Unix(r.Int64N(400*365*86400)-100*365*86400, r.Int64N(1e9)))
	}
	for _, tm := range times {
		for _, prec := range []int{0, 3, 6, 9} {
			u := tm.UTC()
			want := u.Format("2006-01-02T15:04:05") + "." + fmt.Sprintf("%09d", u.Nanosecond())[:max(3, prec)] + "Z"
			if got := string(AppendTime(nil, tm, prec)); got != want {
				t.Fatalf("AppendTime(%v, %d) = %s, want %s", tm, prec, got, want)
			}
		}
	}
}

// TestPrintableASCII checks PrintableASCII against a byte-by-byte test on
// every byte value at every position of strings of 1-20 bytes.
func TestPrintableASCII(t *testing.T) {
	for n := 1; n <= 20; n++ {
		for p := 0; p < n; p++ {
			for v := 0; v < 256; v++ {
				b := []byte(strings.Repeat("a", n))
				b[p] = byte(v)
				want := v >= 0x20 && v < 0x7f
				if got := PrintableASCII(string(b)); got != want {
					t.Fatalf("PrintableASCII(%q) = %v, want %v", b, got, want)
				}
			}
		}
	}
}
