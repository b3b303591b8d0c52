package parse

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rca-dev/rca/internal/gen"
	"github.com/rca-dev/rca/pkg/event"
)

// Damaged and malicious bundles at the package level (archives, bombs,
// files changing while read); the commands are run on the whole hostile
// bundle in cmd/rca/hostile_test.go.

// hostileCheck checks the line accounting of every input of a run against
// the events it emitted, and returns the stats by path.
func hostileCheck(t testing.TB, evs []event.Event, stats []Stats) map[string]Stats {
	t.Helper()
	byFile := map[string][]event.Event{}
	for _, e := range evs {
		byFile[e.File] = append(byFile[e.File], e)
	}
	out := map[string]Stats{}
	for _, s := range stats {
		if _, dup := out[s.Path]; !dup {
			out[s.Path] = s
		}
		if s.Lines == 0 && s.Skipped != "" {
			if len(byFile[s.Path]) > 0 && !strings.Contains(s.Path, "dup") {
				t.Errorf("%s: skipped (%s) but emitted %d events", s.Path, s.Skipped, len(byFile[s.Path]))
			}
			continue
		}
		if s.Events+s.Continuation+s.Unparsed+s.Empty != s.Lines {
			t.Errorf("%s: events %d + continuation %d + unparsed %d + empty %d != lines %d", s.Path, s.Events, s.Continuation, s.Unparsed, s.Empty, s.Lines)
		}
	}
	return out
}

func hostileRun(t testing.TB, opts Options, paths ...string) ([]event.Event, map[string]Stats) {
	t.Helper()
	evs, stats := runPlan(t, paths, opts)
	return evs, hostileCheck(t, evs, stats)
}

// Two zip members of one name are two inputs with their own content (the
// second used to be read as the first, twice).
func TestHostileZipDuplicateNames(t *testing.T) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, msg := range []string{"first", "second"} {
		w, _ := zw.Create("app/dup.log")
		io.WriteString(w, "2023-08-15T06:22:17.000Z INFO "+msg+"\n")
	}
	zw.Close()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "dup.zip"), b.Bytes())
	evs, _ := hostileRun(t, Options{}, dir)
	var got []string
	for _, e := range evs {
		got = append(got, e.Message)
	}
	if strings.Join(got, ",") != "first,second" {
		t.Fatalf("messages %q, want first,second", got)
	}
}

// Links, devices and FIFOs inside archives are listed as skipped, with the
// link target shown; folders are not listed. Nothing is followed.
func TestHostileArchiveEntriesReported(t *testing.T) {
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	tw.WriteHeader(&tar.Header{Name: "logs/", Typeflag: tar.TypeDir, Mode: 0o755})
	body := "2023-08-15T06:22:17.000Z INFO ok\n"
	tw.WriteHeader(&tar.Header{Name: "logs/app.log", Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(body))})
	io.WriteString(tw, body)
	tw.WriteHeader(&tar.Header{Name: "logs/secret.log", Typeflag: tar.TypeSymlink, Linkname: "/etc/shadow"})
	tw.WriteHeader(&tar.Header{Name: "logs/hard.log", Typeflag: tar.TypeLink, Linkname: "logs/app.log"})
	tw.WriteHeader(&tar.Header{Name: "logs/sda", Typeflag: tar.TypeBlock, Devmajor: 8})
	tw.WriteHeader(&tar.Header{Name: "logs/pipe", Typeflag: tar.TypeFifo})
	tw.Close()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "b.tar"), b.Bytes())
	evs, st := hostileRun(t, Options{}, dir)
	if len(evs) != 1 {
		t.Errorf("%d events, want the one of logs/app.log", len(evs))
	}
	for p, want := range map[string]string{"b.tar!/logs/secret.log": "symbolic link in an archive (to /etc/shadow)", "b.tar!/logs/hard.log": "hard link",
		"b.tar!/logs/sda": "device", "b.tar!/logs/pipe": "named pipe"} {
		if !strings.Contains(st[p].Skipped, want) {
			t.Errorf("%s: skipped %q, want it to mention %q", p, st[p].Skipped, want)
		}
	}
	if _, ok := st["b.tar!/logs"]; ok {
		t.Errorf("the folder entry is listed as an input")
	}
}

// Archives of thousands of members are listed and read in time linear in
// their size: members are read in one pass (small ones kept in memory),
// not by decompressing the archive again from its start for each member
// (3,000 members took 30 s in a .tar.gz, 10 s in a .zip).
func TestHostileManyMembersLinear(t *testing.T) {
	dir := t.TempDir()
	const n = 3000
	if err := gen.ManyMemberTar(filepath.Join(dir, "many.tar.gz"), n); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for i := 0; i < n; i++ {
		w, _ := zw.Create(fmt.Sprintf("z/m%05d.log", i))
		fmt.Fprintf(w, "2023-08-15T06:22:17.000Z INFO zip member %d\n", i)
	}
	zw.Close()
	writeFile(t, filepath.Join(dir, "many.zip"), b.Bytes())
	start := time.Now()
	evs, st := hostileRun(t, Options{}, dir)
	if len(evs) != 2*n || len(st) != 2*n {
		t.Fatalf("%d events from %d inputs, want %d from %d", len(evs), len(st), 2*n, 2*n)
	}
	if el := time.Since(start); el > 15*time.Second {
		t.Errorf("reading %d archive members took %v: quadratic again?", 2*n, el)
	}
}

// A decompression bomb is stopped at the limits, reported, and the run goes
// on: the lines read before the guard tripped are kept and accounted, the
// zip's honest member after the bomb is read.
func TestHostileBombStopped(t *testing.T) {
	dir := t.TempDir()
	if err := gen.WriteGzipBomb(filepath.Join(dir, "bomb.log.gz"), 32<<20); err != nil {
		t.Fatal(err)
	}
	if err := gen.WriteZipBomb(filepath.Join(dir, "bomb.zip"), 32<<20); err != nil {
		t.Fatal(err)
	}
	if err := gen.WriteGzipBomb(filepath.Join(dir, "small.log.gz"), 2<<20); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "ok.log"), []byte("2023-08-15T06:22:17.000Z INFO fine\n"))
	lim := Limits{BombBytes: 4 << 20, BombRatio: 100}
	evs, st := hostileRun(t, Options{Limits: lim}, dir)
	zipSize, _ := os.Stat(filepath.Join(dir, "bomb.zip"))
	for p, most := range map[string]int64{
		"bomb.log.gz": 4<<20 + 1<<20, // the gzip guard counts the compressed bytes read so far
		// a zip member's ratio is taken against its whole compressed size
		"bomb.zip!/bomb.log": max(4<<20, 100*zipSize.Size()) + 1<<20,
	} {
		s := st[p]
		if !strings.Contains(s.Skipped, "decompression bomb") {
			t.Errorf("%s: skipped %q, want a decompression bomb", p, s.Skipped)
		}
		if s.Lines == 0 || s.Bytes > most {
			t.Errorf("%s: %d lines, %d bytes: want the lines before the limit, at most %d bytes", p, s.Lines, s.Bytes, most)
		}
	}
	if s := st["small.log.gz"]; s.Skipped != "" || s.Bytes != 2<<20 {
		t.Errorf("a stream under the limits: %+v, want it read whole", s)
	}
	if st["ok.log"].Events != 1 || st["bomb.zip!/honest.log"].Events != 1 {
		t.Errorf("the other inputs were not read: %+v / %+v", st["ok.log"], st["bomb.zip!/honest.log"])
	}
	if len(evs) < 3 {
		t.Errorf("%d events", len(evs))
	}
	if d := (Limits{}).orDefault(); d.BombBytes != 1<<30 || d.BombRatio != 200 {
		t.Errorf("default limits %+v, want 1 GiB at 200x", d)
	}
}

// Archive member names that Go flags as insecure (absolute, "..") are read
// all the same, also when GODEBUG makes archive/tar and archive/zip return
// ErrInsecurePath: names are cleaned for display and never used to write.
func TestHostileInsecureNamesWithGODEBUG(t *testing.T) {
	t.Setenv("GODEBUG", "tarinsecurepath=0,zipinsecurepath=0")
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "evil.tar"), tarOf(t, map[string][]byte{
		"../../x.log": []byte("2023-08-15T06:30:00.000Z INFO dotdot\n"),
		"/abs/y.log":  []byte("2023-08-15T06:30:01.000Z INFO absolute\n"),
	}))
	writeFile(t, filepath.Join(dir, "evil.zip"), zipOf(t, map[string]string{"../z.log": "2023-08-15T06:30:02.000Z INFO zip dotdot\n"}))
	evs, st := hostileRun(t, Options{}, dir)
	if len(evs) != 3 {
		t.Fatalf("%d events, want 3; stats %+v", len(evs), st)
	}
	for _, p := range []string{"evil.tar!/x.log", "evil.tar!/abs/y.log", "evil.zip!/z.log"} {
		if st[p].Events != 1 {
			t.Errorf("%s: %+v", p, st[p])
		}
	}
}

// A file that grows while rca reads it is read up to the size it had when
// listed (a live log cannot keep a run going), and the rest is reported; a
// file cut short while read ends early and says so. Both keep their
// accounts. The changes happen from the Progress hook, during the read.
func TestHostileFileChangesWhileRead(t *testing.T) {
	line := "2023-08-15T06:22:17.000Z INFO a line of a live log\n"
	const n = 40000 // ~2 MB: many reads
	for _, tt := range []struct {
		name   string
		change func(p string)
		want   string
		lines  func(int64) bool
	}{
		{"grows", func(p string) {
			f, _ := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
			f.WriteString(strings.Repeat(line, 1000))
			f.Close()
		}, "grew while read", func(l int64) bool { return l == n }},
		{"shrinks", func(p string) { os.Truncate(p, int64(len(line))*100+7) }, "shrank while read", func(l int64) bool { return l < n }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "live.log")
			writeFile(t, p, []byte(strings.Repeat(line, n)))
			changed := make(chan bool, 1)
			changed <- true
			opts := Options{Progress: func(int64) {
				select {
				case <-changed:
					tt.change(p)
				default:
				}
			}}
			_, st := hostileRun(t, opts, dir)
			s := st["live.log"]
			if !strings.Contains(s.Skipped, tt.want) || !tt.lines(s.Lines) {
				t.Errorf("stats %+v: want %q", s, tt.want)
			}
		})
	}
}

// A stalled consumer cancels the run also when Progress is set (the
// progress reader used to bypass the cancellation).
func TestHostileProgressKeepsCancellation(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.log"), []byte(strings.Repeat("2023-08-15T06:22:17.000Z INFO x\n", 200000)))
	plan, err := NewPlan([]string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var read int64
	n := 0
	_, err = plan.Run(ctx, Options{Progress: func(b int64) { read += b }}, func(*event.Event) error {
		if n++; n == 10 {
			cancel()
		}
		return nil
	})
	if err == nil {
		t.Fatalf("run not cancelled")
	}
	if read > 4<<20 {
		t.Errorf("read %d bytes after cancellation", read)
	}
}

// Compression nested deeper than four levels is not followed, and xz and
// zstd files are named as unsupported; all are reported, the rest is read.
func TestHostileNestingAndUnsupported(t *testing.T) {
	dir := t.TempDir()
	data := "2023-08-15T06:22:17.000Z INFO deep\n"
	for i := 0; i < 6; i++ {
		data = string(gz(t, data))
	}
	writeFile(t, filepath.Join(dir, "deep.log.gz"), []byte(data))
	writeFile(t, filepath.Join(dir, "ok.log.gz"), gz(t, string(gz(t, "2023-08-15T06:22:17.000Z INFO two levels\n"))))
	writeFile(t, filepath.Join(dir, "a.log.xz"), []byte("\xfd7zXZ\x00\x00\x04"))
	writeFile(t, filepath.Join(dir, "a.log.zst"), []byte("\x28\xb5\x2f\xfd\x00"))
	evs, st := hostileRun(t, Options{}, dir)
	for p, want := range map[string]string{"deep.log.gz": "nested deeper than 4", "a.log.xz": "xz-compressed: not supported", "a.log.zst": "zstd-compressed: not supported"} {
		if !strings.Contains(st[p].Skipped, want) {
			t.Errorf("%s: skipped %q, want %q", p, st[p].Skipped, want)
		}
	}
	if len(evs) != 1 || evs[0].Message != "two levels" {
		t.Errorf("events %+v, want the one of ok.log.gz", evs)
	}
}
