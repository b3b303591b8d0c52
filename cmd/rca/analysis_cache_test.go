package main

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestAnalyzeReusesStoredAnalysis checks the analysis the index keeps: a
// re-run on an unchanged bundle reuses it and prints, in every format, what
// a fresh analysis prints; any change to the bundle or to a setting that
// shapes the report makes rca read the bundle again.
func TestAnalyzeReusesStoredAnalysis(t *testing.T) {
	bundle := filepath.Join(t.TempDir(), "bundle")
	copyTree(t, demoBundle, bundle)
	ix := filepath.Join(t.TempDir(), "ix")
	const note = "report reused from the index"

	analyze := func(args ...string) (string, bool) {
		t.Helper()
		out, stderr, code := run(t, append([]string{"analyze", "--index", ix, "--no-pager"}, args...)...)
		if code != 0 {
			t.Fatalf("analyze %v: exit %d: %s", args, code, stderr)
		}
		return out, strings.Contains(stderr, note)
	}
	fresh := func(args ...string) string {
		t.Helper()
		out, stderr, code := run(t, append([]string{"analyze", "--no-index", "--no-pager"}, args...)...)
		if code != 0 {
			t.Fatalf("analyze --no-index %v: exit %d: %s", args, code, stderr)
		}
		return out
	}

	if _, reused := analyze("--format", "json", bundle); reused {
		t.Fatal("the first analysis of a bundle said it reused one")
	}
	for _, args := range [][]string{
		{"--format", "json"},
		{"--format", "text", "--width", "80"},
		{"--format", "markdown"},
		{"--format", "html"},
		{"--format", "json", "--top", "1"},
	} {
		args = append(args, bundle)
		out, reused := analyze(args...)
		if !reused {
			t.Errorf("%v: the unchanged bundle was read again", args)
		}
		if want := fresh(args...); out != want {
			t.Errorf("%v: the reused report differs from a fresh one (%d vs %d bytes)", args, len(out), len(want))
		}
	}

	// What shapes the report is part of the key.
	for _, args := range [][]string{
		{"--since", "2023-08-15T06:00:00Z"},
		{"--bucket", "2m"},
		{"--no-skew"},
		{"--tz", "gateway=UTC"},
		{"--reanalyze"},
	} {
		args = append(append([]string{"--format", "json"}, args...), bundle)
		out, reused := analyze(args...)
		if reused {
			t.Errorf("%v: reused the analysis made without these flags", args)
		}
		if want := fresh(args...); out != want && args[2] != "--reanalyze" {
			t.Errorf("%v: the report differs from a fresh one", args)
		}
	}

	// A changed bundle is read again, then its new analysis is reused.
	change := func(what string, f func()) {
		t.Helper()
		// a later mtime even on coarse file systems
		time.Sleep(10 * time.Millisecond)
		f()
		out, reused := analyze("--format", "json", bundle)
		if reused {
			t.Errorf("%s: reused the analysis of the bundle before", what)
		}
		if want := fresh("--format", "json", bundle); out != want {
			t.Errorf("%s: the report differs from a fresh one", what)
		}
		if again, reused := analyze("--format", "json", bundle); !reused || again != out {
			t.Errorf("%s: the analysis after the change was not reused (reused %v)", what, reused)
		}
	}
	log := filepath.Join(bundle, "order-service", "consumer-watchdog.log")
	change("a line appended", func() {
		f, err := os.OpenFile(log, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("2023-08-15 14:59:59.000 ERROR [watchdog] consumer lag check failed: Connection refused\n")
		f.Close()
	})
	change("the bundle config changed", func() {
		cfg := filepath.Join(bundle, "rca.yaml")
		data, err := os.ReadFile(cfg)
		if err != nil {
			t.Fatal(err)
		}
		data = []byte(strings.Replace(string(data), "kafka: UTC", "kafka: +01:00", 1))
		if err := os.WriteFile(cfg, data, 0o644); err != nil {
			t.Fatal(err)
		}
	})
	change("a file removed", func() {
		if err := os.Remove(filepath.Join(bundle, "kafka", "controller.log")); err != nil {
			t.Fatal(err)
		}
	})
}

// TestGoBuildID reads build IDs as the go command writes them, and finds
// none where there is none of its form.
func TestGoBuildID(t *testing.T) {
	const id = "aaaa/bbbb/cccc/dddd"
	note := func(name string, typ uint32, desc string) []byte {
		b := binary.LittleEndian.AppendUint32(nil, uint32(len(name)))
		b = binary.LittleEndian.AppendUint32(b, uint32(len(desc)))
		b = binary.LittleEndian.AppendUint32(b, typ)
		return append(append(b, name...), desc...)
	}
	for _, tt := range []struct {
		name string
		note []byte
		want string
	}{
		{"go note", note("Go\x00\x00", 4, id), id},
		{"other type", note("Go\x00\x00", 3, id), ""},
		{"other owner", note("GNU\x00", 4, id), ""},
		{"desc past the end", note("Go\x00\x00", 4, id)[:20], ""},
		{"short", []byte("Go"), ""},
	} {
		if got := elfGoNote(tt.note, binary.LittleEndian); got != tt.want {
			t.Errorf("elfGoNote(%s) = %q, want %q", tt.name, got, tt.want)
		}
	}
	for _, tt := range []struct {
		name string
		file string
		want string
	}{
		{"text string", "MZ\x00junk\xff Go build ID: \"" + id + "\"\n \xff more", id},
		{"three parts", "MZ\xff Go build ID: \"a/b/c\"\n \xff", ""},
		{"empty part", "MZ\xff Go build ID: \"a//c/d\"\n \xff", ""},
		{"unterminated", "MZ\xff Go build ID: \"" + id, ""},
		{"none", "MZ no id here", ""},
		{"empty file", "", ""},
	} {
		if got := goBuildID(strings.NewReader(tt.file)); got != tt.want {
			t.Errorf("goBuildID(%s) = %q, want %q", tt.name, got, tt.want)
		}
	}

	// The test binary was linked by the go command: it has one.
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	f, err := os.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := goBuildID(f); got == "" {
		t.Error("goBuildID(test binary) found no build ID")
	}
}
