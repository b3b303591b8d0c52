package parse

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

func gz(t testing.TB, data string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(data))
	w.Close()
	return b.Bytes()
}

func tarOf(t testing.TB, files map[string][]byte) []byte {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(files[n])), ModTime: testModTime, Typeflag: tar.TypeReg})
		tw.Write(files[n])
	}
	tw.Close()
	return b.Bytes()
}

func zipOf(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for n, d := range files {
		w, _ := zw.Create(n)
		w.Write([]byte(d))
	}
	zw.Close()
	return b.Bytes()
}

func writeFile(t testing.TB, p string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func runPlan(t testing.TB, paths []string, opts Options) ([]event.Event, []Stats) {
	t.Helper()
	plan, err := NewPlan(paths, opts)
	if err != nil {
		t.Fatal(err)
	}
	var evs []event.Event
	stats, err := plan.Run(context.Background(), opts, func(e *event.Event) error {
		evs = append(evs, *e)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return evs, stats
}

// TestBundle reads a folder bundle with rotated, gzipped, tarred, zipped
// and nested inputs, and checks sources, paths, zones, order and accounting.
func TestBundle(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "rca.yaml"), []byte("timezones:\n  app: \"+08:00\"\n"))
	writeFile(t, filepath.Join(dir, "README.md"), []byte("# notes\n"))
	writeFile(t, filepath.Join(dir, "app", "app.log"), []byte("no time here\n2023-08-15 14:22:19,000 ERROR third\n\tat x\n"))
	writeFile(t, filepath.Join(dir, "app", "app.log.1"), []byte("2023-08-15 14:22:17,000 INFO first\n"))
	writeFile(t, filepath.Join(dir, "app", "app.log.2.gz"), gz(t, "2023-08-15 14:00:00,000 INFO zeroth\n"))
	writeFile(t, filepath.Join(dir, "db.log"), []byte("2023-08-15T06:22:18.000Z ERROR second\n\n"))
	inner := tarOf(t, map[string][]byte{
		"bundle/kafka/server.log":      []byte("2023-08-15T06:22:18.500Z WARN kafka\n"),
		"bundle/kafka/server.log.1.gz": gz(t, "2023-08-15T06:00:00.000Z INFO old kafka\n"),
	})
	writeFile(t, filepath.Join(dir, "evil.tar"), tarOf(t, map[string][]byte{
		"../../etc/passwd": []byte("2023-08-15T06:30:00.000Z INFO escaped name\n"),
		"/abs/x.log":       []byte("2023-08-15T06:30:01.000Z INFO absolute name\n"),
	}))
	writeFile(t, filepath.Join(dir, "more.tar.gz"), gz(t, string(inner)))
	writeFile(t, filepath.Join(dir, "zipped.zip"), zipOf(t, map[string]string{"edge/edge.log": "2023-08-15T06:22:20Z INFO last\n"}))
	writeFile(t, filepath.Join(dir, "bin", "core"), append([]byte("\x7fELF"), make([]byte, 100)...))
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.log"), 0o644); err != nil {
		t.Fatal(err)
	}

	evs, stats := runPlan(t, []string{dir}, Options{})

	var got []string
	for _, e := range evs {
		ts := "-"
		if !e.Time.IsZero() {
			ts = e.Time.Format("15:04:05.000")
		}
		got = append(got, ts+" "+e.Source+" "+e.File+" "+strings.SplitN(e.Message, "\n", 2)[0])
	}
	want := []string{
		"- app app/app.log no time here",
		"06:00:00.000 app app/app.log.2.gz zeroth",
		"06:00:00.000 kafka more.tar.gz!/bundle/kafka/server.log.1.gz old kafka",
		"06:22:17.000 app app/app.log.1 first",
		"06:22:18.000 db db.log second",
		"06:22:18.500 kafka more.tar.gz!/bundle/kafka/server.log kafka",
		"06:22:19.000 app app/app.log third",
		"06:22:20.000 edge zipped.zip!/edge/edge.log last",
		"06:30:00.000 etc evil.tar!/etc/passwd escaped name",
		"06:30:01.000 abs evil.tar!/abs/x.log absolute name",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	skipped := map[string]string{}
	for _, s := range stats {
		if s.Skipped != "" {
			skipped[s.Path] = s.Skipped
			continue
		}
		if s.Events+s.Continuation+s.Unparsed+s.Empty != s.Lines {
			t.Errorf("%s: accounting does not add up: %+v", s.Path, s)
		}
	}
	for p, want := range map[string]string{"README.md": "documentation", "rca.yaml": "bundle config", "bin/core": "ELF", "pipe.log": "named pipe"} {
		if !strings.Contains(skipped[p], want) {
			t.Errorf("%s skipped as %q, want it to mention %q", p, skipped[p], want)
		}
	}
	for _, s := range stats {
		if s.Path == "app/app.log" && s.Timezone != "+08:00" {
			t.Errorf("app/app.log zone = %q, want +08:00 from rca.yaml", s.Timezone)
		}
	}
}

func TestFlagsWinOverBundleConfig(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "rca.yaml"), []byte("timezones:\n  app: \"+08:00\"\n"))
	writeFile(t, filepath.Join(dir, "app", "a.log"), []byte("2023-08-15 14:22:17 INFO x\n"))
	z, err := ParseZoneFlags([]string{"app=UTC"})
	if err != nil {
		t.Fatal(err)
	}
	evs, _ := runPlan(t, []string{dir}, Options{Zones: z})
	if len(evs) != 1 || !evs[0].Time.Equal(time.Date(2023, 8, 15, 14, 22, 17, 0, time.UTC)) {
		t.Fatalf("events = %+v, want one at 14:22:17Z", evs)
	}
}

func TestBundleConfigRejectsUnknownKeys(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "rca.yaml"), []byte("timezone: UTC\ntimezonez: {}\n"))
	writeFile(t, filepath.Join(dir, "a.log"), []byte("x\n"))
	if _, err := NewPlan([]string{dir}, Options{}); err == nil || !strings.Contains(err.Error(), "timezonez") {
		t.Fatalf("NewPlan error = %v, want one naming the unknown key", err)
	}
}

func TestTruncatedGzipKeepsWhatWasRead(t *testing.T) {
	dir := t.TempDir()
	var lines strings.Builder
	for i := 0; i < 5000; i++ {
		lines.WriteString("2023-08-15T06:22:17.000Z INFO line of a log that was cut short\n")
	}
	data := gz(t, lines.String())
	writeFile(t, filepath.Join(dir, "cut.log.gz"), data[:len(data)/2])
	evs, stats := runPlan(t, []string{dir}, Options{})
	if len(stats) != 1 || !strings.Contains(stats[0].Skipped, "unexpected EOF") {
		t.Fatalf("stats = %+v, want a skip reason naming the truncation", stats)
	}
	if len(evs) == 0 || int64(len(evs)) != stats[0].Events+stats[0].Unparsed {
		t.Fatalf("got %d events, stats %+v: what was read before the cut must be kept", len(evs), stats[0])
	}
}

func TestMergeIsStableAndReordersLocally(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.log"), []byte("2023-08-15T00:00:02Z a2\n2023-08-15T00:00:01Z a1-late\n2023-08-15T00:00:03Z a3\n"))
	writeFile(t, filepath.Join(dir, "b.log"), []byte("2023-08-15T00:00:02Z b2\n"))
	evs, _ := runPlan(t, []string{filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log")}, Options{})
	var got []string
	for _, e := range evs {
		got = append(got, e.Message)
	}
	if want := "a1-late a2 b2 a3"; strings.Join(got, " ") != want {
		t.Errorf("order = %q, want %q", strings.Join(got, " "), want)
	}
}

// TestArchiveBundleConfig: the rca.yaml at an archive's root (under its
// wrapper folder) applies to the archive's members when the folder the
// archive lies in has none; two archives side by side each keep their
// own; a bundle folder's rca.yaml wins over an archive's inside it.
func TestArchiveBundleConfig(t *testing.T) {
	bundle := func(zone string) []byte {
		return tarOf(t, map[string][]byte{
			"incident-42/rca.yaml":    []byte("timezones:\n  app: \"" + zone + "\"\n"),
			"incident-42/app/app.log": []byte("2023-08-15 14:22:17 INFO x\n"),
		})
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "east.tar.gz"), gz(t, string(bundle("+08:00"))))
	writeFile(t, filepath.Join(dir, "west.zip"), zipOf(t, map[string]string{
		"rca.yaml": "timezones:\n  app: \"-07:00\"\n", "app/app.log": "2023-08-15 14:22:17 INFO x\n"}))
	want := map[string]time.Time{
		"east.tar.gz!/incident-42/app/app.log": time.Date(2023, 8, 15, 6, 22, 17, 0, time.UTC),
		"west.zip!/app/app.log":                time.Date(2023, 8, 15, 21, 22, 17, 0, time.UTC),
	}
	plan, err := NewPlan([]string{filepath.Join(dir, "east.tar.gz"), filepath.Join(dir, "west.zip")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(plan.BundleConfigs()); n != 2 {
		t.Errorf("%d bundle configs, want 2", n)
	}
	evs, _ := runPlan(t, []string{filepath.Join(dir, "east.tar.gz"), filepath.Join(dir, "west.zip")}, Options{})
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2", len(evs))
	}
	for _, ev := range evs {
		if w := want[ev.File]; !ev.Time.Equal(w) {
			t.Errorf("%s: time %s, want %s (its archive's rca.yaml)", ev.File, ev.Time, w)
		}
	}

	// A bundle folder's own rca.yaml wins.
	writeFile(t, filepath.Join(dir, "rca.yaml"), []byte("timezones:\n  app: UTC\n"))
	evs, _ = runPlan(t, []string{dir}, Options{})
	for _, ev := range evs {
		if w := time.Date(2023, 8, 15, 14, 22, 17, 0, time.UTC); !ev.Time.Equal(w) {
			t.Errorf("%s: time %s, want %s (the folder's rca.yaml)", ev.File, ev.Time, w)
		}
	}
}

// TestArchiveWrapperSources: in a bundle folder of per-service archives,
// an archive's one folder of files names their source, as a folder would;
// an archive given as the bundle, or one whose folder holds folders, is
// read without its wrapper folder.
func TestArchiveWrapperSources(t *testing.T) {
	dir := t.TempDir()
	line := []byte("2023-08-15T06:22:17Z INFO x\n")
	writeFile(t, filepath.Join(dir, "gateway.tar.gz"), gz(t, string(tarOf(t, map[string][]byte{"gateway/access.log": line, "gateway/error.log": line}))))
	writeFile(t, filepath.Join(dir, "mysql.zip"), zipOf(t, map[string]string{"mysql/error.log": string(line)}))
	writeFile(t, filepath.Join(dir, "more.tar.gz"), gz(t, string(tarOf(t, map[string][]byte{"bundle/kafka/server.log": line}))))
	incident := filepath.Join(t.TempDir(), "incident-42.tar.gz")
	writeFile(t, incident, gz(t, string(tarOf(t, map[string][]byte{"incident-42/app.log": line, "incident-42/db.log": line}))))
	for _, tt := range []struct {
		path string
		want map[string]string
	}{
		{dir, map[string]string{
			"gateway.tar.gz!/gateway/access.log":   "gateway",
			"gateway.tar.gz!/gateway/error.log":    "gateway",
			"mysql.zip!/mysql/error.log":           "mysql",
			"more.tar.gz!/bundle/kafka/server.log": "kafka",
		}},
		{incident, map[string]string{
			"incident-42.tar.gz!/incident-42/app.log": "app",
			"incident-42.tar.gz!/incident-42/db.log":  "db",
		}},
	} {
		plan, err := NewPlan([]string{tt.path}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, in := range plan.Inputs {
			got[in.Path] = in.Source
		}
		for p, w := range tt.want {
			if got[p] != w {
				t.Errorf("%s: source %q, want %q (all: %v)", p, got[p], w, got)
			}
		}
	}
}
