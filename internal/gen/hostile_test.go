package gen

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateHostile = flag.Bool("update-hostile", false, "rewrite testdata/hostile from WriteHostile")

// hostileGolden is the committed hostile bundle, relative to this package.
var hostileGolden = filepath.Join("..", "..", "testdata", "hostile")

// TestHostileBundleUpToDate checks that WriteHostile reproduces the
// committed hostile bundle byte for byte (its gzip streams are stored, not
// compressed, so their bytes do not depend on the Go release). Run with
// -update-hostile to rewrite it after changing the generator.
func TestHostileBundleUpToDate(t *testing.T) {
	dir := t.TempDir()
	if err := WriteHostile(dir); err != nil {
		t.Fatal(err)
	}
	if *updateHostile {
		if err := os.RemoveAll(hostileGolden); err != nil {
			t.Fatal(err)
		}
		if err := WriteHostile(hostileGolden); err != nil {
			t.Fatal(err)
		}
	}
	got, want := listFiles(t, dir), listFiles(t, hostileGolden)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("files differ (run go test ./internal/gen -run TestHostileBundleUpToDate -update-hostile):\n got  %v\n want %v", got, want)
	}
	for _, rel := range got {
		g, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		w, err := os.ReadFile(filepath.Join(hostileGolden, rel))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(g, w) {
			t.Errorf("%s differs from WriteHostile's output (run with -update-hostile)", rel)
		}
	}
}

func TestHostileHelpers(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "long", "long.log")
	if err := WriteLongLine(p, 1<<20, false); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 1<<20 || bytes.IndexByte(b, '\n') >= 0 {
		t.Errorf("one-line file: %d bytes, newline at %d; want 1 MiB without a newline", len(b), bytes.IndexByte(b, '\n'))
	}
	if err := WriteLongLine(p, 1<<20, true); err != nil {
		t.Fatal(err)
	}
	if b, _ = os.ReadFile(p); bytes.Count(b, []byte("\n")) != 2 {
		t.Errorf("framed long line: %d newlines, want 2", bytes.Count(b, []byte("\n")))
	}
	for _, f := range []func(string, int64) error{WriteGzipBomb, WriteZipBomb} {
		if err := f(filepath.Join(dir, "bomb", "b"), 8<<20); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(filepath.Join(dir, "bomb", "b"))
		if err != nil || fi.Size() > 64<<10 {
			t.Errorf("bomb of 8 MiB is %d bytes compressed (err %v), want a ratio over 100", fi.Size(), err)
		}
	}
}
