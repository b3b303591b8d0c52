package event

import (
	"encoding/json"
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
	f.Fuzz(func(t *testing.T, s string) {
		b := AppendString(nil, s)
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
