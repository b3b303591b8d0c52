package parse

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// skimJSONLog is a JSON-lines log made to test skimming: plain records
// (zap's keys, then some with slog's "time", so that the learned time key
// matters), warnings and errors, records with an error field or escapes,
// pretty-printed records over several lines (one without a time), Docker
// json-file records with the lines that fold into them, compose-prefixed
// records, lines that are not JSON, blank lines, a clock that goes back by
// more than the reorder window holds, and long lines.
func skimJSONLog() string {
	var b strings.Builder
	at := time.Date(2023, 8, 15, 6, 0, 0, 0, time.UTC)
	for i := 0; i < 3000; i++ {
		if i == 1500 {
			at = at.Add(-20 * time.Minute)
		}
		level := []string{"info", "info", "debug", "info", "warn", "info", "error", "info"}[i%8]
		msg := fmt.Sprintf("handled request %d in %d ms", i, i%97)
		switch {
		case i%400 == 7:
			msg += " " + strings.Repeat("q", 250)
		case i%30 == 11:
			msg += ` \"quoted\"\n\tsecond line`
		}
		ts := at.Format("2006-01-02T15:04:05.000Z")
		switch {
		case i%100 == 50:
			fmt.Fprintf(&b, `{"time":"%s","ts":"%s","level":"%s","msg":"%s"}`+"\n", at.Add(time.Hour).Format(time.RFC3339Nano), ts, level, msg)
		case i%45 == 17:
			fmt.Fprintf(&b, `{"ts":%d.%03d,"level":"%s","msg":"%s","error":"dial tcp 10.0.3.7:3306: connect: connection refused"}`+"\n", at.Unix(), i%1000, level, msg)
		case i%80 == 21:
			fmt.Fprintf(&b, "{\n  \"ts\": \"%s\",\n  \"level\": \"%s\",\n  \"msg\": \"%s\"\n}\n", ts, level, msg)
		case i%90 == 33:
			fmt.Fprintf(&b, "{\"level\":\"info\",\n\"msg\":\"no time %d\"}\n", i)
		case i%70 == 41:
			fmt.Fprintf(&b, `{"log":"%s %s\n","stream":"stdout","time":"%s"}`+"\n", level, msg, ts)
			fmt.Fprintf(&b, `{"log":"\tat com.example.Order.submit(Order.java:57)\n","stream":"stdout","time":"%s"}`+"\n", ts)
		case i%75 == 13:
			fmt.Fprintf(&b, `app_1  | {"ts":"%s","level":"%s","msg":"%s"}`+"\n", ts, level, msg)
		case i%65 == 29:
			fmt.Fprintf(&b, `{"ts":"%s","level":"%s","msg":"%s"} trailing`+"\n", ts, level, msg)
		default:
			fmt.Fprintf(&b, `{"level":"%s","ts":"%s","logger":"taxclient","caller":"taxclient/client.go:142","msg":"%s","status":%d,"latency_ms":%d,"url":"https://api.example.gov/v2/x","req":{"id":%d,"attempt":1}}`+"\n",
				level, ts, msg, []int{200, 200, 503, 201}[i%4], i%300, i)
		}
		switch {
		case i%60 == 5:
			b.WriteString("\tat com.example.Order.plain(Order.java:1)\n")
		case i%70 == 9:
			b.WriteString("\n   \n")
		case i%110 == 19:
			b.WriteString(`{"ts":"` + ts + `","msg":"unterminated` + "\n")
		}
		if i%2 == 0 {
			at = at.Add(time.Second)
		}
	}
	return b.String()
}

// checkSkimSeq fails t unless the format's decoder that skims lines reads
// them as one that only decodes: each line it skims is a record start to
// the other, read the same (Lean; the message too when msg; of the fields
// those keep names, all when keep is nil); a plain one
// (skimPlain) is taken (skimmed is called, and the pipeline closes the
// record), a notable one is read again with Decode, as the pipeline does
// when its taker declines it; every line not taken gets the same verdict
// and event. It reports how many lines were taken.
func checkSkimSeq(t testing.TB, id string, lines []string, msg bool, keep func(string) bool) int {
	t.Helper()
	return checkSkimSeqIn(t, id, lines, true, msg, keep)
}

// checkWholeSkimSeq is checkSkimSeq in a run that is not Lean, where a
// decoder that skims whole (skimmer.whole) skims each record start into
// what Decode makes of it, message and every field. It reports how many
// lines were taken: none for a decoder that does not skim whole.
func checkWholeSkimSeq(t testing.TB, id string, lines []string) int {
	t.Helper()
	return checkSkimSeqIn(t, id, lines, false, true, nil)
}

func checkSkimSeqIn(t testing.TB, id string, lines []string, lean, msg bool, keep func(string) bool) int {
	t.Helper()
	ctx := &Context{Loc: time.UTC, Lean: lean, ModTime: time.Date(2023, 9, 1, 0, 0, 0, 0, time.UTC)}
	plain, skimming := Lookup(id).New(ctx), Lookup(id).New(ctx)
	sk := skimming.(skimmer)
	if !lean && !sk.whole() {
		return 0
	}
	var curP, curS *event.Event
	skimmed := 0
	for _, l := range lines {
		line := []byte(l)
		want := &event.Event{Raw: l}
		v := plain.Decode(line, want, curP)
		if v == Start {
			curP = want
		}
		got := &event.Event{Raw: l}
		if sk.skim(line, got) && !got.Time.IsZero() {
			if v != Start {
				t.Fatalf("skimmed %q, which Decode reads as %v", l, v)
			}
			w := *want
			if !msg {
				w.Message = ""
			}
			if keep != nil {
				w.Fields = nil
				for _, f := range want.Fields {
					if keep(f.Key) {
						w.Fields = append(w.Fields, f)
					}
				}
			}
			sameEvent(t, l, got, &w)
			if skimPlain(got) {
				sk.skimmed()
				curS = nil
				skimmed++
				continue
			}
			// the taker declines a notable record: the line is read again
		}
		got = &event.Event{Raw: l}
		if u := skimming.Decode(line, got, curS); u != v {
			t.Fatalf("after skimming, %q reads as %v, not %v", l, u, v)
		}
		if v == Start {
			curS = got
		}
		sameEvent(t, l, got, want)
	}
	return skimmed
}

// sameEvent fails t unless got is want (fields nil or empty alike).
func sameEvent(t testing.TB, line string, got, want *event.Event) {
	t.Helper()
	g, w := *got, *want
	if len(g.Fields) == 0 && len(w.Fields) == 0 {
		g.Fields, w.Fields = nil, nil
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("%q read as\n%+v\nwant\n%+v", line, g, w)
	}
}

// TestJSONSkimReadsAsDecode: the JSON decoder skims the one-line records
// of the test log and of the JSON samples (corpus and testdata) into what
// Decode makes of them, message included, fields but those skimField names
// left out, and reads every other line as
// it would have (checkSkimSeq), the learned time state included.
func TestJSONSkimReadsAsDecode(t *testing.T) {
	logs := []string{skimJSONLog()}
	files, _ := filepath.Glob("../../../shared/corpus/*/*/*json*")
	more, _ := filepath.Glob("testdata/*json*")
	for _, p := range append(files, more...) {
		if b, err := os.ReadFile(p); err == nil {
			logs = append(logs, string(b))
		}
	}
	skimmed, lines := 0, 0
	for _, l := range logs {
		ls := strings.Split(l, "\n")
		lines += len(ls)
		skimmed += checkSkimSeq(t, "json", ls, true, skimField)
	}
	if skimmed < 2000 {
		t.Errorf("%d of %d lines skimmed", skimmed, lines)
	}
	// each kind of line the skim leaves to Decode
	for _, tc := range []struct {
		name  string
		lines []string
		n     int // lines skimmed
	}{
		{"one line", []string{`{"ts":"2023-08-15T06:00:00Z","msg":"a"}`}, 1},
		{"no time", []string{`{"msg":"a"}`}, 0},
		{"opens a record", []string{`{"ts":"2023-08-15T06:00:00Z",`, `"msg":"a"}`, `{"ts":"2023-08-15T06:00:01Z","msg":"b"}`}, 1},
		{"open record broken by a record", []string{`{"ts":"2023-08-15T06:00:00Z",`, `{"ts":"2023-08-15T06:00:01Z","msg":"b"}`}, 0},
		{"docker", []string{`{"log":"a\n","stream":"stderr","time":"2023-08-15T06:00:00Z"}`, `{"log":" b\n","stream":"stderr","time":"2023-08-15T06:00:00Z"}`}, 0},
		{"compose prefix", []string{`web_1  | {"ts":"2023-08-15T06:00:00Z","msg":"a"}`}, 0},
		{"ends in a string", []string{`{"ts":"2023-08-15T06:00:00Z","msg":"a`}, 1},
		{"bad", []string{`{"ts":"2023-08-15T06:00:00Z",x}`}, 0},
		{"learned key", []string{`{"ts":"2023-08-15T06:00:00Z","msg":"a"}`, `{"time":"2023-08-15T07:00:00Z","ts":"2023-08-15T06:00:01Z"}`, `{"time":"2023-08-15T07:00:00Z","ts":"2023-08-15T06:00:02Z"}`}, 3},
		{"year", []string{`{"ts":"Dec 31 23:59:59","msg":"a"}`, `{"ts":"Jan  1 00:00:01","msg":"b"}`, `{"ts":"Jan  1 00:00:02","msg":"c"}`}, 3},
		{"layout", []string{`{"ts":"15 Aug 2023 06:00:00 UTC","msg":"a"}`, `{"ts":"15 Aug 2023 06:00:01 UTC","msg":"b"}`}, 2},
		{"misses", append(strings.Split(strings.Repeat(`{"time":"nope","msg":"x"}`+"\n", 9), "\n"), `{"time":"15 Aug 2023 06:00:00 UTC","msg":"a"}`), 1},
		{"notable", []string{`{"ts":"2023-08-15T06:00:00Z","level":"error","msg":"a"}`, `{"ts":"2023-08-15T06:00:01Z","level":"info","msg":"b"}`}, 1},
		// 31 generic fields before response_flags (also generic): kept as the 32nd
		{"under the generic cap", []string{`{"ts":"2023-08-15T06:00:00Z",` + strings.Repeat(`"a":"1","b":"-","c":"\u002d","d":"","e":2,`, 15) + `"f":"1","response_flags":"UF","method":"GET"}`}, 1},
		// 32 generic fields before it: left out
		{"over the generic cap", []string{`{"ts":"2023-08-15T06:00:00Z",` + strings.Repeat(`"a":"1","b":"-","c":"\u002d","d":"","e":2,`, 16) + `"response_flags":"UF","method":"GET"}`}, 1},
		{"fields", []string{`{"ts":"2023-08-15T06:00:00Z","http":{"method":"GET","status_code":200},"status":"x","err":"a\nb","error":"c","upstream_addr":"10.0.0.1:80","target":"t","exc_info":"e"}`}, 1},
		{"inferred time after a skim", []string{`{"ts":"2023-08-15T06:00:00Z","msg":"a"}`, `{"msg":"b",`, `"x":1}`}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if n := checkSkimSeq(t, "json", tc.lines, true, skimField); n != tc.n {
				t.Errorf("%d lines skimmed, want %d", n, tc.n)
			}
		})
	}
}

// FuzzJSONSkim: whatever the lines, the JSON decoder that skims reads them
// as the one that only decodes (checkSkimSeq).
func FuzzJSONSkim(f *testing.F) {
	lines := strings.Split(skimJSONLog(), "\n")
	for i := 0; i+8 < len(lines) && i < 800; i += 40 {
		f.Add(strings.Join(lines[i:i+8], "\n"))
	}
	f.Add("{\"ts\":\"Dec 31 23:59:59\",\"msg\":\"a\"}\n{\"ts\":\"Jan  1 00:00:01\"}\n{\"ts\":1692080537.5}")
	f.Add("{\"time\":\"2023-08-15T07:00:00Z\",\"ts\":\"2023-08-15T06:00:01Z\"}\n{\"ts\":\"2023-08-15T06:00:00Z\",\n\"a\":[1,{\"b\":\"c\"}]}")
	f.Fuzz(func(t *testing.T, text string) {
		checkSkimSeq(t, "json", strings.Split(text, "\n"), true, skimField)
		if n := checkWholeSkimSeq(t, "json", strings.Split(text, "\n")); n != 0 {
			t.Fatalf("JSON lines skimmed whole: %d", n)
		}
	})
}

// TestJSONSkimKeepsTheStream: skimming JSON lines keeps the stream
// (checkFormatSkimStream).
func TestJSONSkimKeepsTheStream(t *testing.T) {
	checkFormatSkimStream(t, filepath.Join("client", "client.jsonl"), skimJSONLog(), "json", 400)
}

// TestSyslog5424SkimKeepsTheStream: skimming RFC 5424 syslog keeps the
// stream (checkFormatSkimStream).
func TestSyslog5424SkimKeepsTheStream(t *testing.T) {
	checkFormatSkimStream(t, filepath.Join("node", "messages"), skim5424Log(), "syslog5424", 200)
}

// checkFormatSkimStream writes text (of the format id) to name and checks
// that skimming keeps the stream (checkSkimStream), read whole and in
// segments, with and without lines cut at maxLine, with an application
// log whose events interleave with text's; most records must be skimmed,
// and text must have out-of-order lines.
func checkFormatSkimStream(t *testing.T, name, text, id string, maxLine int) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, name), []byte(text))
	var app strings.Builder
	for at := time.Date(2023, 8, 15, 5, 50, 0, 0, time.UTC); at.Before(time.Date(2023, 8, 15, 6, 30, 0, 0, time.UTC)); at = at.Add(time.Second) {
		fmt.Fprintf(&app, "%s ERROR 1 --- [main] com.example.App : tick\n", at.Format("2006-01-02 15:04:05.000"))
	}
	writeFile(t, filepath.Join(dir, "app", "app.log"), []byte(app.String()))
	for _, tc := range []struct {
		name    string
		segment int64
		maxLine int
	}{
		{"whole", -1, 0},
		{"segments", 64 << 10, 0},
		{"cut lines", -1, maxLine},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := Options{Segment: tc.segment, MaxLine: tc.maxLine, Formats: []FormatRule{{Glob: "*/" + filepath.Base(name), ID: id}}}
			want, got := skimRun(t, []string{dir}, opts, false), skimRun(t, []string{dir}, opts, true)
			merged := checkSkimStream(t, want, got)
			if got.skimmed < 1000 {
				t.Errorf("%d records skimmed; want most plain ones", got.skimmed)
			}
			if tc.name == "whole" && merged == 0 {
				t.Error("no skimmed record precedes an earlier line: the test log does not test that case")
			}
			for _, st := range want.stats {
				if st.Format == id && st.OutOfOrder == 0 && tc.segment < 0 {
					t.Errorf("%s has no out-of-order lines: %+v", st.Path, st)
				}
			}
			// without Lean, a decoder that skims whole (skimmer.whole)
			// skims most records, and one that does not none
			whole := checkWholeSkimStream(t, []string{dir}, opts)
			if n, all := whole.skimmed, Lookup(id).New(&Context{Loc: time.UTC}).(skimmer).whole(); all && n < 1000 || !all && n != 0 {
				t.Errorf("%d records skimmed whole (the decoder skims whole: %v)", n, all)
			}
		})
	}
}

// FuzzJSONSkimStream: whatever the text, read as JSON lines, whole or in
// small segments, skimming keeps the stream (checkSkimStream).
func FuzzJSONSkimStream(f *testing.F) {
	fuzzFormatSkimStream(f, skimJSONLog(), "json")
}

// FuzzSyslog5424SkimStream: whatever the text, read as RFC 5424 syslog,
// whole or in small segments, skimming keeps the stream (checkSkimStream).
func FuzzSyslog5424SkimStream(f *testing.F) {
	fuzzFormatSkimStream(f, skim5424Log(), "syslog5424")
}

// fuzzFormatSkimStream seeds f with parts of text and checks that, read
// as format id, skimming keeps the stream of whatever text it is given.
func fuzzFormatSkimStream(f *testing.F, text, id string) {
	lines := strings.SplitAfter(text, "\n")
	f.Add(strings.Join(lines[:60], ""), false)
	f.Add(strings.Join(lines[len(lines)/2:len(lines)/2+60], ""), true)
	f.Fuzz(func(t *testing.T, text string, segments bool) {
		dir := t.TempDir()
		path := filepath.Join(dir, "a.log")
		writeFile(t, path, []byte(text))
		opts := Options{Formats: []FormatRule{{Glob: "*", ID: id}}, MaxLine: 300, Segment: -1, Reorder: 4}
		if segments {
			opts.Segment = 1024
		}
		checkSkimStream(t, skimRun(t, []string{path}, opts, false), skimRun(t, []string{path}, opts, true))
		checkWholeSkimStream(t, []string{path}, opts)
	})
}

// skim5424Log is an RFC 5424 syslog made to test skimming: plain records
// with and without structured data (a level parameter in some, escapes in
// others), records whose PRI or level parameter is a warning or an error,
// records without the PRI header, lines of BSD syslog and others that are
// not RFC 5424, blank lines, a clock that goes back by more than the
// reorder window holds, and long lines.
func skim5424Log() string {
	var b strings.Builder
	at := time.Date(2023, 8, 15, 6, 0, 0, 0, time.UTC)
	for i := 0; i < 3000; i++ {
		if i == 1500 {
			at = at.Add(-20 * time.Minute)
		}
		pri := []int{14, 14, 15, 14, 12, 14, 11, 14}[i%8] // info, debug, warning, error
		ts := at.Format("2006-01-02T15:04:05.000Z")
		msg := fmt.Sprintf("handled request %d in %d ms", i, i%97)
		if i%400 == 7 {
			msg += " " + strings.Repeat("q", 250)
		}
		switch {
		case i%9 == 4:
			fmt.Fprintf(&b, "<%d>1 %s web-01 payments %d ID47 [req@32473 id=\"%d\" level=\"%s\"] %s\n", pri, ts, 1000+i%50, i, []string{"info", "error", "debug"}[i%3], msg)
		case i%13 == 6:
			fmt.Fprintf(&b, "<%d>1 %s web-01 payments - - [a@1 q=\"x\\\"y\\]z\"][b@2 r=\"\"] %s\n", pri, ts, msg)
		case i%17 == 8:
			fmt.Fprintf(&b, "%s web-01 payments %d - - %s\n", ts, i%50, msg)
		case i%50 == 10:
			fmt.Fprintf(&b, "Aug 15 06:00:00 web-01 sshd[12]: %s\n", msg)
		case i%70 == 9:
			b.WriteString("\n   \n")
		default:
			fmt.Fprintf(&b, "<%d>1 %s web-01 payments %d - - \ufeff%s\n", pri, ts, 1000+i%50, msg)
		}
		if i%2 == 0 {
			at = at.Add(time.Second)
		}
	}
	return b.String()
}

// TestSyslog5424SkimReadsAsDecode: the RFC 5424 decoder skims the records
// of the test log into what Decode makes of them, message included,
// fields left out (none is one skimField names), and reads every other
// line as it would have (checkSkimSeq).
func TestSyslog5424SkimReadsAsDecode(t *testing.T) {
	lines := strings.Split(skim5424Log(), "\n")
	lines = append(lines, strings.Split(Lookup("syslog5424").Example, "\n")...)
	if n := checkWholeSkimSeq(t, "syslog5424", lines); n < 1500 {
		t.Errorf("%d of %d lines skimmed whole", n, len(lines))
	}
	if n := checkSkimSeq(t, "syslog5424", lines, true, skimField); n < 1500 {
		t.Errorf("%d of %d lines skimmed", n, len(lines))
	}
}

// FuzzSyslog5424Skim: whatever the lines, the RFC 5424 decoder that skims
// reads them as the one that only decodes (checkSkimSeq).
func FuzzSyslog5424Skim(f *testing.F) {
	lines := strings.Split(skim5424Log(), "\n")
	for i := 0; i+8 < len(lines) && i < 800; i += 40 {
		f.Add(strings.Join(lines[i:i+8], "\n"))
	}
	f.Add(Lookup("syslog5424").Example)
	f.Fuzz(func(t *testing.T, text string) {
		checkSkimSeq(t, "syslog5424", strings.Split(text, "\n"), true, skimField)
		checkWholeSkimSeq(t, "syslog5424", strings.Split(text, "\n"))
	})
}
