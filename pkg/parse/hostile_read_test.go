package parse

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rca-dev/rca/pkg/event"
)

// Reading damaged and odd text: streams that fail part-way, binary
// detection, UTF-16 without a BOM, crash holes of NULs.

// A .gz cut short, smaller than the detection sample: the lines before the
// cut are kept and the damage reported (the whole input was lost before).
func TestHostileSmallTruncatedGzipKeepsLines(t *testing.T) {
	dir := t.TempDir()
	var text strings.Builder
	for i := 0; i < 300; i++ { // varied, so that the stream is not one tiny deflate block
		fmt.Fprintf(&text, "2023-08-15T06:22:17.%03dZ INFO request %x before the cut\n", i, uint64(i)*0x9e3779b97f4a7c15)
	}
	data := gz(t, text.String())
	writeFile(t, filepath.Join(dir, "cut.log.gz"), data[:len(data)*2/3])
	evs, st := hostileRun(t, Options{}, dir)
	s := st["cut.log.gz"]
	if !strings.Contains(s.Skipped, "unexpected EOF") || s.Events == 0 || int64(len(evs)) != s.Events+s.Unparsed {
		t.Fatalf("stats %+v, %d events: want the lines before the cut and the damage named", s, len(evs))
	}
}

// A zip member whose checksum fails at its end keeps its lines.
func TestHostileZipChecksumErrorKeepsLines(t *testing.T) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "app.log", Method: zip.Store})
	io.WriteString(w, "2023-08-15T06:22:17.000Z INFO one\n2023-08-15T06:22:18.000Z INFO two\n")
	zw.Close()
	z := b.Bytes()
	z[30+len("app.log")+5] ^= 0x20 // a byte of the first line's text
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "bad.zip"), z)
	evs, st := hostileRun(t, Options{}, dir)
	s := st["bad.zip!/app.log"]
	if !strings.Contains(s.Skipped, "checksum") || s.Lines != 2 || len(evs) != 2 {
		t.Fatalf("stats %+v, %d events: want both lines and the checksum error", s, len(evs))
	}
}

func TestHostileBinaryReason(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 4096)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	text := []byte("2023-08-15T06:22:17.000Z INFO a line of text\n")
	hole := append(append(bytes.Repeat(text, 3), make([]byte, 4096)...), text...)
	latin1 := bytes.Repeat([]byte("2023-08-15 06:22:17 INFO caf\xe9 cr\xe8me br\xfbl\xe9e na\xefve\n"), 20)
	tests := []struct {
		name string
		head []byte
		want string // substring of the reason; "" for text
	}{
		{"text", text, ""},
		{"latin-1 text", latin1, ""},
		{"crash hole of NULs", hole, ""},
		{"NULs inside lines", []byte("2023-08-15 INFO a\x00b\x00c\n"), ""},
		{"ANSI colours", []byte("\x1b[31mERROR\x1b[0m boom\n\x1b[32mINFO\x1b[0m ok\n"), ""},
		{"ELF", []byte("\x7fELF\x02\x01\x01"), "ELF"},
		{"PNG", []byte("\x89PNG\r\n\x1a\n"), "PNG"},
		{"journal", []byte("LPKSHHRH\x00\x00\x00\x00"), "systemd journal"},
		{"all NUL", make([]byte, 1000), "all NUL"},
		{"random bytes", random, "binary data"},
		{"control bytes", bytes.Repeat([]byte{1, 2, 3, 'a', '\n'}, 100), "control bytes"},
	}
	for _, tt := range tests {
		got := binaryReason(tt.head)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("%s: binaryReason = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// A binary input is not read past its head: a core dump or a journal can be
// gigabytes.
func TestHostileBinaryNotReadToTheEnd(t *testing.T) {
	r := io.MultiReader(strings.NewReader("\x7fELF"), hostileEndless{})
	st, err := ReadInput(r, Spec{Path: "core"}, func(*event.Event) { t.Fatal("an event from a binary file") })
	if err != nil || !strings.Contains(st.Skipped, "ELF") || st.Bytes > sampleBytes {
		t.Fatalf("stats %+v, err %v: want ELF skipped after at most %d bytes", st, err, sampleBytes)
	}
}

type hostileEndless struct{}

func (hostileEndless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(i)
	}
	return len(p), nil
}

// UTF-16 without a byte-order mark is recognized by its NULs and decoded
// (it used to be skipped as binary data).
func TestHostileUTF16WithoutBOM(t *testing.T) {
	text := "2023-08-15T06:22:17.000Z WARN h\u00e9llo \u4e16\u754c\n2023-08-15T06:22:18.000Z INFO two\n"
	for _, enc := range []string{"utf-16le", "utf-16be"} {
		var b []byte
		for _, r := range text { // BMP only
			if enc == "utf-16le" {
				b = append(b, byte(r), byte(r>>8))
			} else {
				b = append(b, byte(r>>8), byte(r))
			}
		}
		var evs []event.Event
		st, err := ReadInput(bytes.NewReader(b), Spec{Path: "u16.log"}, func(e *event.Event) { evs = append(evs, *e) })
		if err != nil || st.Encoding != enc || len(evs) != 2 || evs[0].Message != "h\u00e9llo \u4e16\u754c" || evs[0].Level != event.LevelWarn {
			t.Errorf("%s: stats %+v err %v events %+v", enc, st, err, evs)
		}
	}
}

// The NULs a crash leaves before a line are dropped and counted; the line
// after the hole is parsed (it used to be kept unparsed, or the whole file
// skipped as binary when the hole was large).
func TestHostileNULHole(t *testing.T) {
	before := "2023-08-15T06:22:17.000Z INFO before the crash\n"
	after := "2023-08-15T06:25:00.000Z INFO after the restart\n"
	data := before + strings.Repeat("\x00", 8192) + after + strings.Repeat("\x00", 100)
	var evs []event.Event
	st, err := ReadInput(strings.NewReader(data), Spec{Path: "app.log"}, func(e *event.Event) { evs = append(evs, *e) })
	if err != nil || st.Skipped != "" {
		t.Fatalf("stats %+v err %v", st, err)
	}
	checkAccounting(t, st, evs)
	if st.NULBytes != 8292 || st.Events != 2 || st.Empty != 1 || len(evs) != 2 {
		t.Fatalf("stats %+v: want 2 events, the trailing hole an empty line, 8292 NUL bytes dropped", st)
	}
	if evs[1].Message != "after the restart" || evs[1].Offset != int64(len(before)+8192) {
		t.Errorf("event after the hole: %+v", evs[1])
	}
}

// A maximum line length below the read buffer (64 KiB) cuts lines too:
// `--max-line 1000` used to let lines up to 64 KiB through whole, as only
// lines longer than the buffer were capped (found by FuzzReadInput).
func TestHostileMaxLineBelowBuffer(t *testing.T) {
	data := "2023-08-15T06:22:17.000Z INFO " + strings.Repeat("x", 5000) + "\nshort\r\n" + strings.Repeat("y", 3000)
	var evs []event.Event
	st, err := ReadInput(strings.NewReader(data), Spec{Path: "a.log", MaxLine: 1000}, func(e *event.Event) { evs = append(evs, *e) })
	if err != nil {
		t.Fatal(err)
	}
	checkAccounting(t, st, evs)
	if st.Lines != 3 || st.CutLines != 2 || st.Bytes != int64(len(data)) {
		t.Fatalf("stats %+v: want 3 lines, 2 cut, all bytes read", st)
	}
	for _, e := range evs { // the generic format folds the untimed lines into the first
		if len(e.Raw) > 1001*e.Lines {
			t.Errorf("line %d: %d bytes kept for %d lines, over the 1000-byte maximum", e.Line, len(e.Raw), e.Lines)
		}
	}
	if c, _ := evs[0].Get("cut"); c != "true" {
		t.Errorf("the first line is not flagged cut")
	}
}
