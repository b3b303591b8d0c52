package parse

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// userCorpusPath is the path of a file in the shared corpus; the test is
// skipped when the corpus is absent.
func userCorpusPath(t testing.TB, parts ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{"..", "..", "..", "shared", "corpus"}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("corpus file absent: %v", err)
	}
	return p
}

// userWriteFile writes a formats file in a temporary directory.
func userWriteFile(t testing.TB, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// userRegister registers the formats of the given files for one test and
// removes them when it ends.
func userRegister(t testing.TB, paths ...string) []string {
	t.Helper()
	ids, err := RegisterUserFormats(paths...)
	if err != nil {
		t.Fatalf("RegisterUserFormats: %v", err)
	}
	t.Cleanup(func() {
		if _, err := RegisterUserFormats(); err != nil {
			t.Errorf("unregister: %v", err)
		}
	})
	return ids
}

const userExampleFile = "testdata/formats/example.yaml"

// userAcmeLines are lines of the example's acme-billing format: records,
// a stack trace that folds, and a line of another shape.
var userAcmeLines = strings.Join([]string{
	"2023-08-15 14:22:17.123 [ERROR] worker-3 payment gateway refused: connect to 10.0.3.7:443",
	"java.net.ConnectException: Connection refused",
	"\tat com.acme.billing.Gateway.charge(Gateway.java:88)",
	"2023-08-15 14:22:18.004 [SEV1] reconciler ledger out of balance by 1200.00 EUR",
	"2023-08-15 14:22:19.500 [info] scheduler-1 retry 2/5 in 500ms",
	"",
	"2023-08-15 14:22:20.000 [NOTALEVEL] main odd level word",
}, "\n")

func TestUserFormatsExampleFile(t *testing.T) {
	fs, err := LoadFormatsFile(userExampleFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 2 || fs[0].ID != "acme-billing" || fs[1].ID != "acme-gateway" {
		t.Fatalf("loaded %v", fs)
	}
	if f := fs[0]; f.Specificity != 30 || !f.Multiline || f.NoFallback || f.Description != "ACME billing daemon" {
		t.Errorf("acme-billing = %+v", f)
	}
	ids := userRegister(t, userExampleFile)
	if strings.Join(ids, ",") != "acme-billing,acme-gateway" {
		t.Errorf("registered %v", ids)
	}
	if p, ok := UserFormatFile("acme-billing"); !ok || p != userExampleFile {
		t.Errorf("UserFormatFile = %q %v", p, ok)
	}
	for _, f := range fs {
		// The samples decode, and detection picks the user format.
		evs, st := decodeText(t, "", "", f.Example+"\n")
		if st.Format != f.ID || st.Unparsed != 0 {
			t.Errorf("%s: detected %q (runner-up %q), unparsed %d", f.ID, st.Format, st.RunnerUp, st.Unparsed)
		}
		for _, e := range evs {
			if e.Format != f.ID {
				t.Errorf("%s: sample read by %q", f.ID, e.Format)
			}
		}
	}

	evs, st := decodeText(t, "", "-02:00", userAcmeLines)
	if st.Format != "acme-billing" || st.RunnerUp == "" {
		t.Errorf("detected %q, runner-up %q", st.Format, st.RunnerUp)
	}
	if st.Events != 4 || st.Continuation != 2 || st.Empty != 1 || st.Unparsed != 0 {
		t.Errorf("stats %+v", st)
	}
	want := []struct {
		time, level, thread, msg string
		lines                    int
	}{
		// timezone +08:00 in the file applies, not the -02:00 the input was given
		{"2023-08-15T06:22:17.123Z", "error", "worker-3", "payment gateway refused: connect to 10.0.3.7:443\njava.net.ConnectException: Connection refused\n\tat com.acme.billing.Gateway.charge(Gateway.java:88)", 3},
		{"2023-08-15T06:22:18.004Z", "fatal", "reconciler", "ledger out of balance by 1200.00 EUR", 1}, // level_map SEV1
		{"2023-08-15T06:22:19.5Z", "info", "scheduler-1", "retry 2/5 in 500ms", 1},
		{"2023-08-15T06:22:20Z", "", "main", "odd level word", 1},
	}
	if len(evs) != len(want) {
		t.Fatalf("got %d events, want %d", len(evs), len(want))
	}
	for i, w := range want {
		e := evs[i]
		th, _ := e.Get("thread")
		if !e.Time.Equal(mustTime(t, w.time)) || string(e.Level) != w.level || th != w.thread || e.Message != w.msg || e.Lines != w.lines {
			t.Errorf("event %d = %v %q %q %q lines=%d, want %s %q %q %q %d", i, e.Time, e.Level, th, e.Message, e.Lines, w.time, w.level, w.thread, w.msg, w.lines)
		}
		if e.Precision != 3 || e.Zoned || e.Format != "acme-billing" {
			t.Errorf("event %d: precision %d zoned %v format %q", i, e.Precision, e.Zoned, e.Format)
		}
	}

	// The epoch-ms access log: fields in snake_case, level from the status.
	evs, st = decodeText(t, "", "", strings.Join([]string{
		"1692109337123 9f86d081884c7d65 POST /v1/charges 502 30012ms upstream timed out",
		"1692109338000 0a1b2c3d4e5f6071 GET /v1/charges/ch_1 200 12ms",
		"1692109338001 0a1b2c3d4e5f6072 GET /v1/nope 404 1ms",
	}, "\n"))
	if st.Format != "acme-gateway" || st.Events != 3 {
		t.Fatalf("stats %+v", st)
	}
	e := evs[0]
	if !e.Time.Equal(mustTime(t, "2023-08-15T14:22:17.123Z")) || e.Precision != 3 || !e.Zoned || e.Level != event.LevelError || e.Message != "upstream timed out" {
		t.Errorf("gateway event = %v p%d z%v %q %q", e.Time, e.Precision, e.Zoned, e.Level, e.Message)
	}
	if wantFields := "[{request_id 9f86d081884c7d65} {method POST} {path /v1/charges} {status 502} {latency_ms 30012}]"; fmt.Sprint(e.Fields) != wantFields {
		t.Errorf("fields %v, want %v", e.Fields, wantFields)
	}
	if evs[1].Level != event.LevelInfo || evs[1].Message != "" || evs[2].Level != event.LevelWarn {
		t.Errorf("levels %q %q, message %q", evs[1].Level, evs[2].Level, evs[1].Message)
	}
}

// The same format as JSON (tab-indented, as editors write it) loads too.
func TestUserFormatsJSON(t *testing.T) {
	p := userWriteFile(t, "acme.json", `{
	"formats": [
		{
			"id": "acme-json",
			"description": "ACME billing daemon, JSON edition",
			"regex": "^(?P<time>\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}) \\[(?P<level>\\w+)\\] (?P<thread>[\\w-]+) (?P<message>.*)$",
			"time_layout": "2006-01-02 15:04:05.000",
			"timezone": "Asia/Shanghai",
			"multiline": true,
			"level_map": {"SEV1": "fatal"},
			"samples": ["2023-08-15 14:22:17.123 [ERROR] worker-3 payment gateway refused: connect to 10.0.3.7:443"]
		}
	]
}
`)
	userRegister(t, p)
	evs, st := decodeText(t, "", "", userAcmeLines)
	if st.Format != "acme-json" || st.Events != 4 || st.Continuation != 2 {
		t.Fatalf("stats %+v", st)
	}
	if !evs[0].Time.Equal(mustTime(t, "2023-08-15T06:22:17.123Z")) || evs[1].Level != event.LevelFatal {
		t.Errorf("events %v %q", evs[0].Time, evs[1].Level)
	}
}

// TestUserFormatsErrors: each problem is reported with the file, the line,
// the format id and what is wrong.
func TestUserFormatsErrors(t *testing.T) {
	const good = `formats:
  - id: acme
    regex: '^(?P<time>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}) \[(?P<level>\w+)\] (?P<message>.*)$'
    samples:
      - "2023-08-15 14:22:17.123 [ERROR] refused"
`
	// edit replaces one line of good.
	edit := func(old, new string) string {
		if !strings.Contains(good, old) {
			t.Fatalf("no %q in the good file", old)
		}
		return strings.Replace(good, old, new, 1)
	}
	lots := "formats:\n"
	for i := 0; i <= MaxFormatsPerFile; i++ {
		lots += fmt.Sprintf("  - {id: f%d, regex: '^(?P<time>\\S+)', samples: [2023-08-15T14:22:17Z]}\n", i)
	}
	tests := []struct {
		name, text, want string
	}{
		{"sample does not match", edit(`[ERROR] refused"`, `ERROR refused"`), `formats.yaml:5: format "acme": sample 1 does not match the regex`},
		{"second sample", good + `      - "2023-08-15 14:22:17.123 [WARN] ok"` + "\n" + `      - "garbage"` + "\n", `formats.yaml:7: format "acme": sample 3 does not match the regex`},
		{"no time group", edit(`(?P<time>`, `(?P<stamp>`), `formats.yaml:3: format "acme": regex has no (?P<time>...) group`},
		{"layout mismatch", edit("    samples:", "    time_layout: \"2006/01/02 15:04:05\"\n    samples:"),
			`formats.yaml:6: format "acme": sample 1: time "2023-08-15 14:22:17.123" does not parse with layout "2006/01/02 15:04:05": parsing time`},
		{"layout without date", edit("    samples:", "    time_layout: \"15:04:05.000\"\n    samples:"), `formats.yaml:4: format "acme": time_layout "15:04:05.000" has no date`},
		{"not a timestamp", edit(`(?P<time>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}) \[(?P<level>\w+)\]`, `\S+ \S+ \[(?P<time>\w+)\]`),
			`formats.yaml:5: format "acme": sample 1: time "ERROR" is not a timestamp rca reads by itself; set time_layout (a Go layout) or epoch`},
		{"time group too wide", edit(`(?P<time>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}) \[`, `(?P<time>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} )\[`),
			`sample 1: time "2023-08-15 14:22:17.123 ": only "2023-08-15 14:22:17.123" of it reads as a timestamp`},
		{"unknown key with hint", edit("    regex:", "    regexp:"), `formats.yaml:3: format "acme": unknown key "regexp" (did you mean "regex"?)`},
		{"misspelt key", edit("    samples:", "    multilne: true\n    samples:"), `unknown key "multilne" (did you mean "multiline"?)`},
		{"unknown key without hint", edit("    samples:", "    colour: red\n    samples:"), `unknown key "colour"; known keys: id, description, regex`},
		{"unknown top-level key", "version: 2\n" + good, `formats.yaml:1: unknown top-level key "version"`},
		{"bad id", edit("id: acme", "id: Acme_Billing"), `formats.yaml:2: format "Acme_Billing": id "Acme_Billing": use lower-case letters`},
		{"built-in id", edit("id: acme", "id: generic"), `format "generic": id clashes with the built-in format "generic"`},
		{"no id", edit("  - id: acme\n    regex:", "  - regex:"), `formats.yaml:2: format #1: no "id"`},
		{"duplicate id", good + strings.TrimPrefix(good, "formats:\n"), `formats.yaml:6: format "acme": id already used by the format at line 2`},
		{"bad regex", edit(`\[(?P<level>`, `[(?P<level>`), `formats.yaml:3: format "acme": regex: error parsing regexp`},
		{"regex too long", edit(`(?P<message>.*)$'`, `(?P<message>.*)`+strings.Repeat("x?", MaxUserRegexLen/2)+`$'`), `regex is 4185 bytes long; at most 4096`},
		{"groups clash", edit(`(?P<message>.*)`, `(?P<requestId>\S+) (?P<request_id>.*)`), `regex groups "requestId" and "request_id" both name "request_id"`},
		{"epoch and layout", edit("    samples:", "    epoch: ms\n    time_layout: \"2006\"\n    samples:"), `"epoch" and "time_layout" both set; use one`},
		{"epoch unit", edit("    samples:", "    epoch: seconds\n    samples:"), `formats.yaml:4: format "acme": epoch "seconds": want s, ms, us or ns`},
		{"epoch sample", edit("    samples:", "    epoch: ms\n    samples:"), `sample 1: time "2023-08-15 14:22:17.123" is not an epoch number in ms between 1971 and 2200`},
		{"timezone", edit("    samples:", "    timezone: Mars/Olympus\n    samples:"), `formats.yaml:4: format "acme": timezone: zone "Mars/Olympus"`},
		{"level word", edit("    samples:", "    level_map: {SEV1: terrible}\n    samples:"), `level_map: "SEV1": "terrible" is not a level`},
		{"level map without group", edit(`\[(?P<level>\w+)\]`, `\[\w+\]`) + "    level_map: {SEV1: error}\n", `level_map is set but the regex has no (?P<level>...) group`},
		{"specificity type", edit("    samples:", "    specificity: high\n    samples:"), "formats.yaml:4: format \"acme\": cannot unmarshal !!str `high` into int"},
		{"specificity range", edit("    samples:", "    specificity: 1000\n    samples:"), `specificity 1000: want 0 to 100`},
		{"no samples", strings.SplitAfter(good, "    samples:\n")[0], `formats.yaml:4: format "acme": no "samples"`},
		{"sample with a line break", edit(`      - "2023-08-15 14:22:17.123 [ERROR] refused"`, "      - |\n        2023-08-15 14:22:17.123 [ERROR] refused\n        \tat x"), `sample 1 holds a line break`},
		{"empty file", "# nothing yet\n", `formats.yaml: empty file; want a top-level "formats:" list`},
		{"not a list", "formats: {id: x}\n", `formats.yaml:1: "formats" must be a list`},
		{"yaml syntax", "formats:\n  - id: x\n    regex: 'y\n", `formats.yaml:3: found unexpected end of stream`},
		{"tabs", "formats:\n\t- id: x\n", `formats.yaml:2: found character that cannot start any token (YAML indents with spaces, not tabs)`},
		{"duplicate key", edit("    samples:", "    regex: '^(?P<time>x)'\n    samples:"), `already defined at line 3`},
		{"too many formats", lots, fmt.Sprintf("%d formats; at most %d per file", MaxFormatsPerFile+1, MaxFormatsPerFile)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := userWriteFile(t, "formats.yaml", tt.text)
			fs, err := LoadFormatsFile(p)
			if err == nil {
				t.Fatalf("loaded %d formats, want error %q", len(fs), tt.want)
			}
			var fe *FormatsFileError
			if !errors.As(err, &fe) || fe.Path != p {
				t.Errorf("error %T %v does not name the file", err, err)
			}
			msg := strings.TrimPrefix(err.Error(), filepath.Dir(p)+string(filepath.Separator))
			if !strings.Contains(msg, tt.want) {
				t.Errorf("error\n  %s\nwant it to contain\n  %s", msg, tt.want)
			}
			if _, err := RegisterUserFormats(p); err == nil {
				t.Errorf("RegisterUserFormats accepted the file")
			}
		})
	}
	if err := func() error { _, err := LoadFormatsFile(userWriteFile(t, "formats.yaml", good)); return err }(); err != nil {
		t.Fatalf("the good file fails: %v", err)
	}
	big := userWriteFile(t, "big.yaml", good+"# "+strings.Repeat("x", MaxFormatsFileSize)+"\n")
	if _, err := LoadFormatsFile(big); err == nil || !strings.Contains(err.Error(), "big.yaml: file is larger than 1048576 bytes") {
		t.Errorf("big file: %v", err)
	}
	if _, err := LoadFormatsFile(filepath.Join(t.TempDir(), "absent.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("absent file: %v", err)
	}
}

// An id in two files is an error naming both; a failed registration
// changes nothing; a new call replaces the formats of the last one.
func TestUserFormatsRegister(t *testing.T) {
	const one = "formats:\n  - {id: %s, regex: '^(?P<time>\\S+) (?P<message>.*)', samples: ['2023-08-15T14:22:17Z %s']}\n"
	a := userWriteFile(t, "a.yaml", fmt.Sprintf(one, "uf-one", "a"))
	b := userWriteFile(t, "b.yaml", fmt.Sprintf(one, "uf-one", "b"))
	c := userWriteFile(t, "c.yml", fmt.Sprintf(one, "uf-two", "c"))
	userRegister(t, a)
	// The same file twice, under two names, is read once.
	if ids, err := RegisterUserFormats(a, filepath.Join(filepath.Dir(a), ".", "a.yaml")); err != nil || len(ids) != 1 {
		t.Fatalf("same file twice: %v %v", ids, err)
	}
	_, err := RegisterUserFormats(c, a, b)
	if err == nil || !strings.Contains(err.Error(), b+`: format "uf-one": id already defined in `+a) {
		t.Fatalf("duplicate across files: %v", err)
	}
	if Lookup("uf-one") == nil || Lookup("uf-two") != nil {
		t.Fatalf("a failed registration changed the registry")
	}
	ids, err := RegisterUserFormats(c)
	if err != nil || len(ids) != 1 || ids[0] != "uf-two" {
		t.Fatalf("reload: %v %v", ids, err)
	}
	if Lookup("uf-one") != nil || Lookup("uf-two") == nil {
		t.Fatalf("reload kept uf-one or lost uf-two")
	}
	if _, ok := UserFormatFile("uf-one"); ok {
		t.Errorf("UserFormatFile still knows uf-one")
	}
	// Reloading the same file works (its ids are not "built-in").
	if _, err := RegisterUserFormats(c); err != nil {
		t.Fatalf("reload of the same file: %v", err)
	}
	if _, err := RegisterUserFormats(); err != nil || Lookup("uf-two") != nil {
		t.Fatalf("RegisterUserFormats() did not clear: %v", err)
	}
}

func TestUserFormatPaths(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("HOME", dir)
	t.Setenv("AppData", dir)
	cfg, err := os.UserConfigDir()
	if err != nil {
		t.Skip(err)
	}
	base := filepath.Join(cfg, "rca")
	if got := UserFormatPaths(); len(got) != 0 {
		t.Fatalf("no config: %v", got)
	}
	const one = "formats:\n  - {id: %s, regex: '^(?P<time>\\S+)', samples: ['2023-08-15T14:22:17Z']}\n"
	files := map[string]string{
		"formats.yaml":          "uf-main",
		"formats.d/b.yml":       "uf-b",
		"formats.d/a.json":      `"uf-a"`,
		"formats.d/c.YAML":      "uf-c",
		"formats.d/.hidden.yml": "uf-hidden",
		"formats.d/notes.txt":   "uf-txt",
	}
	for name, id := range files {
		p := filepath.Join(base, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(fmt.Sprintf(one, id)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(base, "formats.d", "dir.yaml"), 0o755); err != nil {
		t.Fatal(err)
	}
	got := UserFormatPaths()
	var rel []string
	for _, p := range got {
		r, _ := filepath.Rel(base, p)
		rel = append(rel, filepath.ToSlash(r))
	}
	if want := "formats.yaml formats.d/a.json formats.d/b.yml formats.d/c.YAML"; strings.Join(rel, " ") != want {
		t.Fatalf("UserFormatPaths = %v, want %s", rel, want)
	}
	ids := userRegister(t, got...)
	if strings.Join(ids, " ") != "uf-main uf-a uf-b uf-c" {
		t.Errorf("registered %v", ids)
	}
}

// TestUserFormatTimes covers the time readers: layouts (zoned, year-less,
// variable fraction), the generic readers, epochs, and the zones applied.
func TestUserFormatTimes(t *testing.T) {
	tests := []struct {
		name, spec, zone, line string // spec: extra keys, "; "-separated
		want                   string // RFC 3339 instant
		prec                   int
		zoned                  bool
	}{
		{"layout zoned", `time_layout: "02/Jan/2006:15:04:05.000 -0700"`, "", "[15/Aug/2023:14:22:17.123 +0800] x", "2023-08-15T06:22:17.123Z", 3, true},
		{"layout in the input zone", `time_layout: "2006-01-02 15:04:05"`, "-02:00", "[2023-08-15 14:22:17] x", "2023-08-15T16:22:17Z", 0, false},
		{"layout extra fraction", `time_layout: "2006-01-02 15:04:05"`, "", "[2023-08-15 14:22:17.25] x", "2023-08-15T14:22:17.25Z", 2, false},
		{"layout nines", `time_layout: "2006-01-02 15:04:05.999999"`, "", "[2023-08-15 14:22:17.5] x", "2023-08-15T14:22:17.5Z", 1, false},
		{"layout year-less", `time_layout: "Jan _2 15:04:05"`, "", "[Aug  5 14:22:17] x", "2023-08-05T14:22:17Z", 0, false},
		{"layout year-less last year", `time_layout: "01.02 15:04:05"`, "", "[10.30 16:49:06] x", "2022-10-30T16:49:06Z", 0, false},
		{"layout zone name", `time_layout: "2006-01-02 15:04:05 MST"; timezone: America/New_York`, "", "[2023-08-15 14:22:17 EDT] x", "2023-08-15T18:22:17Z", 0, true},
		{"format zone beats input zone", `time_layout: "2006-01-02 15:04:05"; timezone: Asia/Tokyo`, "-02:00", "[2023-08-15 14:22:17] x", "2023-08-15T05:22:17Z", 0, false},
		{"generic iso comma", ``, "+08:00", "[2023-08-15 14:22:17,123456] x", "2023-08-15T06:22:17.123456Z", 6, false},
		{"generic iso zoned", `timezone: "+05:00"`, "", "[2023-08-15T14:22:17.1+02:00] x", "2023-08-15T12:22:17.1Z", 1, true},
		{"generic format zone", `timezone: "+05:00"`, "-02:00", "[2023-08-15T14:22:17] x", "2023-08-15T09:22:17Z", 0, false},
		{"generic syslog", ``, "", "[Aug 15 14:22:17] x", "2023-08-15T14:22:17Z", 0, false},
		{"generic dateparse", ``, "", "[August 15, 2023 14:22:17] x", "2023-08-15T14:22:17Z", 0, false},
		{"generic epoch s", ``, "+08:00", "[1692109337] x", "2023-08-15T14:22:17Z", 0, true},
		{"generic epoch ms fraction", ``, "", "[1692109337123.5] x", "2023-08-15T14:22:17.1235Z", 4, true},
		{"generic epoch us", ``, "", "[1692109337123456] x", "2023-08-15T14:22:17.123456Z", 6, true},
		{"epoch s", `epoch: s`, "+08:00", "[1692109337] x", "2023-08-15T14:22:17Z", 0, true},
		{"epoch s fraction", `epoch: s`, "", "[1692109337.250] x", "2023-08-15T14:22:17.25Z", 3, true},
		{"epoch ms", `epoch: ms`, "", "[1692109337123] x", "2023-08-15T14:22:17.123Z", 3, true},
		{"epoch us", `epoch: us`, "", "[1692109337123456] x", "2023-08-15T14:22:17.123456Z", 6, true},
		{"epoch ns", `epoch: ns`, "", "[1692109337123456789] x", "2023-08-15T14:22:17.123456789Z", 9, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := fmt.Sprintf("formats:\n  - id: uf-time\n    regex: '^\\[(?P<time>[^\\]]+)\\] (?P<message>.*)$'\n    samples: [%q]\n", tt.line)
			for _, kv := range strings.Split(tt.spec, "; ") {
				if kv != "" {
					text += "    " + kv + "\n"
				}
			}
			userRegister(t, userWriteFile(t, "formats.yaml", text))
			evs, st := decodeText(t, "uf-time", tt.zone, tt.line+"\n")
			if st.Events != 1 {
				t.Fatalf("stats %+v", st)
			}
			e := evs[0]
			if !e.Time.Equal(mustTime(t, tt.want)) || e.Precision != tt.prec || e.Zoned != tt.zoned || e.Message != "x" {
				t.Errorf("%q = %s p%d z%v %q, want %s p%d z%v", tt.line, e.Time.Format(time.RFC3339Nano), e.Precision, e.Zoned, e.Message, tt.want, tt.prec, tt.zoned)
			}
		})
	}
	// Lines whose time group does not read are rejected, not guessed at.
	userRegister(t, userWriteFile(t, "formats.yaml", "formats:\n  - {id: uf-ms, epoch: ms, regex: '^(?P<time>\\d+) ', samples: ['1692109337123 x'], no_fallback: true}\n"))
	evs, st := decodeText(t, "uf-ms", "", "1692109337123 ok\n99 too early\n99999999999999999999999 overflow\n")
	if st.Events != 1 || st.Unparsed != 2 || evs[0].Message != "ok" {
		t.Errorf("stats %+v", st)
	}
}

// TestUserFormatMessageAndLevel covers the message and level without
// their groups, and field names.
func TestUserFormatMessageAndLevel(t *testing.T) {
	p := userWriteFile(t, "formats.yaml", `formats:
  - id: uf-nomsg
    regex: '^(?P<time>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z) (?P<hostName>\S+)'
    samples: ["2023-08-15T14:22:17Z db-1 ERROR: disk full"]
  - id: uf-lvl
    regex: '^(?P<time>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z) <(?P<level>\d)>'
    level_map: {"3": error, "4": Warning}
    samples: ["2023-08-15T14:22:17Z <3> - disk full"]
`)
	userRegister(t, p)
	evs, _ := decodeText(t, "uf-nomsg", "", "2023-08-15T14:22:17Z db-1 ERROR: disk full\n2023-08-15T14:22:18Z db-2 plain text\n")
	if e := evs[0]; e.Level != event.LevelError || e.Message != "disk full" || fmt.Sprint(e.Fields) != "[{host_name db-1}]" {
		t.Errorf("no message group: %q %q %v", e.Level, e.Message, e.Fields)
	}
	if e := evs[1]; e.Level != event.LevelNone || e.Message != "plain text" {
		t.Errorf("no message group: %q %q", e.Level, e.Message)
	}
	evs, _ = decodeText(t, "uf-lvl", "", "2023-08-15T14:22:17Z <3> - disk full\n2023-08-15T14:22:17Z <4> x\n2023-08-15T14:22:17Z <6> y\n")
	if evs[0].Level != event.LevelError || evs[0].Message != "disk full" || evs[1].Level != event.LevelWarn || evs[2].Level != event.LevelNone {
		t.Errorf("level_map: %q %q %q %q", evs[0].Level, evs[0].Message, evs[1].Level, evs[2].Level)
	}
	for in, want := range map[string]string{"requestId": "request_id", "RequestID": "request_id", "HTTPStatus": "http_status", "user_agent": "user_agent", "x2y": "x2y", "latencyMs": "latency_ms", "Thread": "thread"} {
		if got := userSnake(in); got != want {
			t.Errorf("userSnake(%q) = %q, want %q", in, got, want)
		}
	}
}

// userPrefilterRegexes exercise the prefilter derivation.
var userPrefilterRegexes = []string{
	`^(?P<time>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}) \[(?P<level>\w+)\] (?P<message>.*)$`,
	`^ACME (?P<time>\S+) (?P<message>.*)$`,
	`^(?:ACME|ACMF) (?P<time>\S+)`,
	`^(?i)acme (?P<time>\S+)`,
	`^\[(?P<time>[^\]]+)\]`,
	`^(?P<time>\d+)?x`,
	`^(?P<time>[a-zé]+)`,
	`ACME (?P<time>\S+)`,
	`(?m)^ACME\|(?P<time>\S+)`,
	`^(?:(?P<time>\d+)|kelvin)`,
	`^[^x](?P<time>\S+)`,
	`^.(?P<time>\S+)`,
	`^`,
	// tails the matcher strips
	`^(?P<time>\S+) (?P<message>.*)$`,
	`^(?P<time>\S+) .*`,
	`^(?P<time>\S+?) (?P<rest>.*?)$`,
	`^(?P<time>\S+?) (?P<rest>.*?)`,
	`(?s)^(?P<time>\S+) (?P<message>.*)$`,
	`(?m)^(?P<time>\S+) (?P<message>.*)$`,
	`^(?i)(?P<time>a+) (?P<m>.*)`,
	`^(?P<time>\d+)(?: (?P<level>\w+))? ?(?P<message>.*)$`,
	`(?P<time>\d+) (?P<message>.*)$`,
	`^(?P<time>[^\]]*)\] (?P<a>x|y)?(.*)\z`,
}

func TestUserFormatPrefilter(t *testing.T) {
	want := map[string]string{
		userPrefilterRegexes[0]:  `anchored lit="" first=[0-9]`,
		userPrefilterRegexes[1]:  `anchored lit="ACME " first=[A]`,
		userPrefilterRegexes[2]:  `anchored lit="ACM" first=[A]`,
		userPrefilterRegexes[3]:  `anchored lit="" first=[Aa]`,
		userPrefilterRegexes[4]:  `anchored lit="[" first=[[]`,
		userPrefilterRegexes[5]:  `anchored lit="" first=any`,
		userPrefilterRegexes[7]:  `lit="ACME "`,
		userPrefilterRegexes[8]:  `anchored lit="ACME|" first=[A]`,
		userPrefilterRegexes[11]: `anchored lit="" first=any`,
	}
	for _, expr := range userPrefilterRegexes {
		p := userPrefilterOf(regexp.MustCompile(expr))
		if w, ok := want[expr]; ok {
			if got := userDescribePrefilter(p); got != w {
				t.Errorf("prefilter(%s) = %s, want %s", expr, got, w)
			}
		}
	}
	// The usual "(?P<message>.*)$" tail is left to a slice, not the matcher.
	tails := map[string]string{
		userPrefilterRegexes[0]:  "tail=3 $",
		userPrefilterRegexes[13]: "tail=2 $",
		userPrefilterRegexes[14]: "tail=-1",
		userPrefilterRegexes[15]: "tail=2 $",
		userPrefilterRegexes[16]: "none", // lazy without $ matches nothing
		userPrefilterRegexes[18]: "none", // (?m)$
		userPrefilterRegexes[22]: "tail=3 $",
	}
	for expr, want := range tails {
		c, err := userCompileRegex(expr)
		if err != nil {
			t.Fatal(err)
		}
		got := "none"
		if c.tail {
			got = fmt.Sprintf("tail=%d", c.tailGroup)
			if c.tailEnd {
				got += " $"
			}
		}
		if got != want {
			t.Errorf("%s: %s, want %s", expr, got, want)
		}
	}
	for _, expr := range userPrefilterRegexes {
		for _, line := range []string{"", "ACME 1", "acme x", "Acme y", "ACMF 2", "[x] y", "x", "12x", "éa", "\xffa", "kelvin", "Kelvin", "\u212aelvin", "2023-08-15 14:22:17.123 [E] m", "ACME|1", "12 rest of line", "12 a\nb", "a\nb c", "aA b", "12", "12 ", "x] y", "x] ", "]"} {
			userCheckMatch(t, expr, line)
		}
	}
}

func userDescribePrefilter(p userPrefilter) string {
	s := fmt.Sprintf("lit=%q", p.lit)
	if !p.anchored {
		return s
	}
	s = "anchored " + s + " first="
	if p.first == nil {
		return s + "any"
	}
	var b strings.Builder
	for c := 0; c < 256; c++ {
		if p.first[c] {
			b.WriteByte(byte(c))
		}
	}
	if b.String() == "0123456789" {
		return s + "[0-9]"
	}
	return s + "[" + b.String() + "]"
}

var (
	userCompiledMu      sync.Mutex
	userCompiledRegexes = map[string]*userCompiled{}
)

// userCheckMatch fails when the prefilter rejects a line the regex
// matches, or when the fast matcher (prefilter, regex without its tail)
// finds other groups than the regex as written.
func userCheckMatch(t *testing.T, expr, line string) {
	t.Helper()
	userCompiledMu.Lock()
	defer userCompiledMu.Unlock()
	c := userCompiledRegexes[expr]
	if c == nil {
		var err error
		if c, err = userCompileRegex(expr); err != nil {
			t.Fatal(err)
		}
		userCompiledRegexes[expr] = c
	}
	want := c.re.FindSubmatchIndex([]byte(line))
	if !c.filter.pass([]byte(line)) && want != nil {
		t.Errorf("prefilter of %s rejects %q, which matches", expr, line)
	}
	um, ok := c.match([]byte(line))
	if ok != (want != nil) {
		t.Fatalf("%s on %q: fast match %v, regex %v", expr, line, ok, want)
	}
	if !ok {
		return
	}
	got := []int{um.m[0], um.end}
	for i := 1; i <= c.re.NumSubexp(); i++ {
		s, e := c.group(um, i)
		got = append(got, s, e)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s on %q: fast groups %v, regex %v", expr, line, got, want)
	}
}

func FuzzUserFormatMatch(f *testing.F) {
	f.Add("ACME 1")
	f.Add("2023-08-15 14:22:17.123 [E] m")
	f.Add("\u212aelvin")
	f.Fuzz(func(t *testing.T, line string) {
		for _, expr := range userPrefilterRegexes {
			userCheckMatch(t, expr, line)
		}
	})
}

// FuzzUserFormat fuzzes the example file's decoder through the shared
// harness, with the format registered for the run.
func FuzzUserFormat(f *testing.F) {
	userRegister(f, userExampleFile)
	fuzzFormat(f, "acme-billing", userAcmeLines, "2023-08-15 14:22:17.123 [SEV1] x\n\tat y\n", "2023-02-29 14:22:17.123 [E] t x\n")
}

// FuzzLoadFormats feeds arbitrary files to the loader: it must not panic,
// and a format it accepts must decode its own samples.
func FuzzLoadFormats(f *testing.F) {
	data, err := os.ReadFile(userExampleFile)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(data))
	f.Add("formats:\n  - {id: x, epoch: us, regex: '^(?P<time>\\d+)(?P<level>\\w)?', level_map: {a: error}, samples: ['1692109337123456']}\n")
	f.Add("formats:\n  - {id: y, time_layout: 'Jan _2 15:04:05', regex: '^(?P<time>.{15})', samples: ['Feb 29 14:22:17 x']}\n")
	f.Fuzz(func(t *testing.T, text string) {
		fs, err := userLoadFormats("fuzz.yaml", []byte(text))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, fm := range fs {
			for _, s := range strings.Split(fm.Example, "\n") {
				d := fm.New(&Context{Loc: time.UTC, ModTime: testModTime})
				ev := &event.Event{Raw: s}
				if d.Decode([]byte(s), ev, nil) != Start || ev.Time.IsZero() || ev.Time.Location() != time.UTC {
					t.Fatalf("%s: sample %q does not decode", fm.ID, s)
				}
			}
		}
	})
}

// --- Real logs: formats a user would write for systems rca has no
// built-in format for, checked line by line against the corpus' ground
// truth.

// userLoghub reads a loghub structured CSV as maps.
func userLoghub(t *testing.T, system string) (string, []map[string]string) {
	t.Helper()
	logPath := userCorpusPath(t, "loghub", system, system+"_2k.log")
	fh, err := os.Open(logPath + "_structured.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	recs, err := csv.NewReader(fh).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, k := range recs[0] {
			m[k] = r[i]
		}
		rows = append(rows, m)
	}
	text, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	return string(text), rows
}

// userCorpusFormats are formats for corpus systems, as a user would write.
const userCorpusFormats = `formats:
  - id: uf-hdfs
    description: Hadoop HDFS 0.x (loghub)
    regex: '^(?P<time>\d{6} \d{6}) (?P<pid>\d+) (?P<level>[A-Z]+) (?P<component>[^:]+): (?P<message>.*)$'
    time_layout: "060102 150405"
    samples: ["081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating"]
  - id: uf-zookeeper
    regex: '^(?P<time>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}) - (?P<level>[A-Z]+) +\[(?P<thread>.*?)\] - (?P<message>.*)$'
    samples: ["2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200"]
  - id: uf-bgl
    regex: '^(?P<label>\S+) (?P<time>\d{10}) \S+ (?P<node>\S+) (?P<stamp>\S+) \S+ (?P<type>\S+) (?P<component>\S+) (?P<level>\S+) (?P<message>.*)$'
    epoch: s
    level_map: {FAILURE: error}
    samples: ["- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected"]
  - id: uf-bgl-local
    regex: '^\S+ \d{10} \S+ \S+ (?P<time>\S+) \S+ \S+ \S+ (?P<level>\S+) (?P<message>.*)$'
    time_layout: "2006-01-02-15.04.05.000000"
    timezone: America/Los_Angeles
    specificity: 25
    samples: ["- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected"]
  - id: uf-proxifier
    regex: '^\[(?P<time>\d{2}\.\d{2} \d{2}:\d{2}:\d{2})\] (?P<program>.+?) - (?P<message>.*)$'
    time_layout: "01.02 15:04:05"
    samples: ["[10.30 16:49:06] chrome.exe - proxy.cse.cuhk.edu.hk:5070 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS"]
  - id: uf-kafka
    regex: '^\[(?P<time>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3})\] (?P<level>[A-Z]+) (?:\[(?P<component>[^\]]*)\][,:.]? +)?(?P<message>.*?)(?: \((?P<class>[\w.$]+)\))?$'
    multiline: true
    samples: ["[2017-08-04 10:48:20,377] INFO starting (kafka.server.KafkaServer)"]
`

func TestUserFormatsLoghub(t *testing.T) {
	userRegister(t, userWriteFile(t, "corpus.yaml", userCorpusFormats))
	type check func(t *testing.T, e event.Event, row map[string]string)
	fieldIs := func(t *testing.T, e event.Event, key, want string) {
		t.Helper()
		if got, _ := e.Get(key); got != want {
			t.Errorf("line %d: %s = %q, want %q", e.Line, key, got, want)
		}
	}
	levelIs := func(t *testing.T, e event.Event, word string) {
		t.Helper()
		want := LevelOf(word)
		if word == "FAILURE" {
			want = event.LevelError
		}
		if e.Level != want {
			t.Errorf("line %d: level %q, want %q (%s)", e.Line, e.Level, want, word)
		}
	}
	timeIs := func(t *testing.T, e event.Event, layout, value string, loc *time.Location) {
		t.Helper()
		want, err := time.ParseInLocation(layout, value, loc)
		if err != nil {
			t.Fatal(err)
		}
		if !e.Time.Equal(want) {
			t.Errorf("line %d: time %v, want %v", e.Line, e.Time, want.UTC())
		}
	}
	la, _ := LoadZone("America/Los_Angeles")
	tests := []struct {
		system, id string
		check      check
	}{
		{"HDFS", "uf-hdfs", func(t *testing.T, e event.Event, r map[string]string) {
			timeIs(t, e, "060102 150405", r["Date"]+" "+r["Time"], time.UTC)
			levelIs(t, e, r["Level"])
			fieldIs(t, e, "pid", r["Pid"])
			fieldIs(t, e, "component", r["Component"])
		}},
		{"Zookeeper", "uf-zookeeper", func(t *testing.T, e event.Event, r map[string]string) {
			timeIs(t, e, "2006-01-02 15:04:05,000", r["Date"]+" "+r["Time"], time.UTC)
			levelIs(t, e, r["Level"])
			if e.Precision != 3 {
				t.Errorf("line %d: precision %d", e.Line, e.Precision)
			}
		}},
		{"BGL", "uf-bgl", func(t *testing.T, e event.Event, r map[string]string) {
			if e.Time.Unix() != userMustInt(t, r["Timestamp"]) || !e.Zoned || e.Precision != 0 {
				t.Errorf("line %d: time %v zoned %v, want epoch %s", e.Line, e.Time, e.Zoned, r["Timestamp"])
			}
			levelIs(t, e, r["Level"])
			fieldIs(t, e, "node", r["Node"])
			fieldIs(t, e, "component", r["Component"])
			fieldIs(t, e, "stamp", r["Time"])
		}},
		// The same lines read from their local-time stamps with a DST zone
		// give the instants of the epoch column (PDT and PST both occur).
		{"BGL", "uf-bgl-local", func(t *testing.T, e event.Event, r map[string]string) {
			if e.Time.Unix() != userMustInt(t, r["Timestamp"]) || e.Zoned || e.Precision != 6 {
				t.Errorf("line %d: time %v (%d) zoned %v precision %d, want epoch %s", e.Line, e.Time, e.Time.Unix(), e.Zoned, e.Precision, r["Timestamp"])
			}
			timeIs(t, e, "2006-01-02-15.04.05.000000", r["Time"], la)
		}},
		{"Proxifier", "uf-proxifier", func(t *testing.T, e event.Event, r map[string]string) {
			// Year-less: the file's time is 2023-08-16 and it starts in
			// October, so 2022; the later July lines keep that year (the
			// year only rolls over from Nov/Dec to Jan/Feb).
			timeIs(t, e, "2006.01.02 15:04:05", "2022."+r["Time"], time.UTC)
			fieldIs(t, e, "program", r["Program"])
		}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			text, rows := userLoghub(t, tt.system)
			evs, st := decodeText(t, tt.id, "", text)
			if st.Lines != 2000 || st.Events != 2000 || len(evs) != 2000 || len(rows) != 2000 {
				t.Fatalf("stats %+v, %d rows", st, len(rows))
			}
			for i, e := range evs {
				r := rows[i]
				if e.Format != tt.id || e.Line != int64(i+1) {
					t.Fatalf("event %d: format %q line %d", i, e.Format, e.Line)
				}
				if strings.TrimSpace(e.Message) != strings.TrimSpace(r["Content"]) { // loghub trims Content
					t.Errorf("line %d: message %q, want %q", e.Line, e.Message, r["Content"])
				}
				tt.check(t, e, r)
			}
			if tt.id == "uf-bgl-local" {
				return // uf-bgl reads the same lines at a higher specificity
			}
			_, det := decodeText(t, "", "", text)
			if det.Format != tt.id {
				t.Errorf("detected %q (%.2f), runner-up %q (%.2f)", det.Format, det.Confidence, det.RunnerUp, det.RunnerUpConfidence)
			}
		})
	}
}

func userMustInt(t *testing.T, s string) int64 {
	t.Helper()
	var v int64
	if _, err := fmt.Sscan(s, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestUserFormatsKafkaBeats: a multi-line user format for the Kafka broker
// log, compared with Filebeat's expected output (zone -02:00).
func TestUserFormatsKafkaBeats(t *testing.T) {
	userRegister(t, userWriteFile(t, "corpus.yaml", userCorpusFormats))
	for _, name := range []string{"server.log", "server-2.0.0.log", "controller.log", "controller-2.0.0.log"} {
		t.Run(name, func(t *testing.T) {
			p := userCorpusPath(t, "beats", "kafka", "log", name)
			text, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(p + "-expected.json")
			if err != nil {
				t.Fatal(err)
			}
			var want []map[string]any
			if err := json.Unmarshal(data, &want); err != nil {
				t.Fatal(err)
			}
			evs, st := decodeText(t, "uf-kafka", "-02:00", string(text))
			if st.Unparsed != 0 {
				t.Errorf("%d unparsed lines", st.Unparsed)
			}
			if len(want) < 100 && len(evs) != len(want) || len(evs) < len(want) {
				t.Fatalf("%d events, want %d", len(evs), len(want))
			}
			for i, w := range want {
				e := evs[i]
				if off := w["log.offset"].(float64); e.Offset != int64(off) {
					t.Fatalf("event %d at offset %d, want %v", i, e.Offset, off)
				}
				if !e.Time.Equal(mustTime(t, w["@timestamp"].(string))) {
					t.Errorf("event %d: time %v, want %v", i, e.Time, w["@timestamp"])
				}
				if lv := w["log.level"].(string); e.Level != LevelOf(lv) {
					t.Errorf("event %d: level %q, want %q", i, e.Level, lv)
				}
				msg, _, _ := strings.Cut(e.Message, "\n")
				if c, _ := w["kafka.log.component"].(string); c != "unknown" && strings.Contains(msg, " ["+c+"], ") {
					// Filebeat's component grok is not anchored: it took
					// "[delete], " from the middle of a message.
					continue
				}
				if msg != w["message"] {
					t.Errorf("event %d: message %q, want %q", i, msg, w["message"])
				}
				if c, ok := w["kafka.log.class"]; ok {
					if got, _ := e.Get("class"); got != c {
						t.Errorf("event %d: class %q, want %q", i, got, c)
					}
				}
				if c, ok := w["kafka.log.component"]; ok && c != "unknown" {
					if got, _ := e.Get("component"); got != c {
						t.Errorf("event %d: component %q, want %q", i, got, c)
					}
				}
				_, multi := w["log.flags"]
				// Filebeat also flags an event that swallowed only empty
				// lines, which rca counts as empty instead.
				next := int64(len(text))
				if i+1 < len(want) {
					next = int64(want[i+1]["log.offset"].(float64))
				}
				gluedBlank := multi && e.Lines == 1 && userBlankBetween(text, e.Offset, next)
				if multi != (e.Lines > 1) && !gluedBlank {
					t.Errorf("event %d: %d lines, multiline flag %v", i, e.Lines, multi)
				}
			}
			if _, det := decodeText(t, "", "-02:00", string(text)); det.Format != "uf-kafka" {
				t.Errorf("detected %q, runner-up %q", det.Format, det.RunnerUp)
			}
		})
	}
}

// userBlankBetween reports that the lines after the one at offset from,
// up to offset to (or the end), are all blank, and that there is one.
func userBlankBetween(text []byte, from, to int64) bool {
	if to > int64(len(text)) || to <= from {
		return false
	}
	_, rest, ok := strings.Cut(string(text[from:to]), "\n")
	return ok && isBlank([]byte(strings.ReplaceAll(rest, "\n", ""))) && strings.Contains(rest, "\n")
}

// BenchmarkUserFormat decodes multi-MB texts of real lines with user
// formats: the example file's regex with stack traces (layout time), and
// corpus systems (layout, generic readers, epoch).
func BenchmarkUserFormat(b *testing.B) {
	userRegister(b, userExampleFile, userWriteFile(b, "corpus.yaml", userCorpusFormats))
	bench := func(b *testing.B, id, unit string) {
		var sb strings.Builder
		for sb.Len() < 8<<20 {
			sb.WriteString(unit)
			sb.WriteByte('\n')
		}
		text := sb.String()
		f := Lookup(id)
		b.SetBytes(int64(len(text)))
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			_, err := ReadInput(strings.NewReader(text), Spec{Path: "b.log", Format: f, ModTime: testModTime}, func(*event.Event) {})
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("acme-billing", func(b *testing.B) { bench(b, "acme-billing", userAcmeLines) })
	for _, c := range []struct{ system, id string }{{"HDFS", "uf-hdfs"}, {"Zookeeper", "uf-zookeeper"}, {"BGL", "uf-bgl"}} {
		b.Run(c.id, func(b *testing.B) {
			data, err := os.ReadFile(userCorpusPath(b, "loghub", c.system, c.system+"_2k.log"))
			if err != nil {
				b.Fatal(err)
			}
			bench(b, c.id, string(data))
		})
	}
}
