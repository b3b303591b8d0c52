package gen

import (
	"bytes"
	"compress/gzip"
	"flag"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/bundles/invoice-outage from WriteDemo")

// demoGolden is the committed demo bundle, relative to this package.
var demoGolden = filepath.Join("..", "..", "testdata", "bundles", "invoice-outage")

func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDemoBundleUpToDate checks that WriteDemo reproduces the committed
// bundle byte for byte, so the bundle never drifts from its generator.
// Run with -update to rewrite it after changing the generator.
func TestDemoBundleUpToDate(t *testing.T) {
	dir := t.TempDir()
	if err := WriteDemo(dir); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.RemoveAll(demoGolden); err != nil {
			t.Fatal(err)
		}
		if err := WriteDemo(demoGolden); err != nil {
			t.Fatal(err)
		}
	}
	got, want := listFiles(t, dir), listFiles(t, demoGolden)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("files differ (run go test ./internal/gen -run TestDemoBundleUpToDate -update):\n got  %v\n want %v", got, want)
	}
	for _, rel := range got {
		g, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		w, err := os.ReadFile(filepath.Join(demoGolden, rel))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(g, w) {
			continue
		}
		if strings.HasSuffix(rel, ".gz") {
			// compress/flate's output may change between Go releases; the
			// content must not.
			if gc, wc := gunzip(t, g), gunzip(t, w); !bytes.Equal(gc, wc) {
				t.Errorf("%s: content differs, %s", rel, firstDiff(gc, wc))
			}
			continue
		}
		t.Errorf("%s differs from the committed bundle (run go test ./internal/gen -run TestDemoBundleUpToDate -update): %s", rel, firstDiff(g, w))
	}
}

// TestDemoBundleSyntax checks every line of the demo bundle against its
// format and its timestamps against the outage window.
func TestDemoBundleSyntax(t *testing.T) {
	dir := t.TempDir()
	if err := WriteDemo(dir); err != nil {
		t.Fatal(err)
	}
	n := checkBundle(t, dir, demoStart, demoEnd)
	if n < 20000 {
		t.Errorf("only %d lines", n)
	}
	var total int64
	for _, rel := range listFiles(t, dir) {
		fi, err := os.Stat(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		total += fi.Size()
		if rel != "rca.yaml" && rel != "TRUTH.md" && (fi.ModTime().Before(demoStart) || fi.ModTime().After(demoEnd)) {
			t.Errorf("%s: mtime %v outside the bundle's window", rel, fi.ModTime())
		}
	}
	if total > 3<<20 {
		t.Errorf("bundle is %d bytes, more than 3 MiB", total)
	}
	t.Logf("%d lines, %d bytes", n, total)
}

// TestDemoStory checks the facts TRUTH.md is built on.
func TestDemoStory(t *testing.T) {
	d := newDemo()
	d.run()
	dir := t.TempDir()
	if err := d.write(dir); err != nil {
		t.Fatal(err)
	}
	f := &d.facts
	within := func(what string, got, lo, hi interface{ Unix() int64 }) {
		if got.Unix() < lo.Unix() || got.Unix() > hi.Unix() {
			t.Errorf("%s at %v, want between %v and %v", what, got, lo, hi)
		}
	}
	within("first tax-adapter error", f.firstTaxJSON, taxFirst503, taxFirst503.Add(5e9))
	if len(f.pollTimeouts) == 0 {
		t.Fatal("no consumer poll timeout")
	}
	within("first poll timeout", f.pollTimeouts[0].t, lt(14, 21, 30, 0), lt(14, 22, 30, 0))
	within("first gateway 504", f.first504, lt(14, 21, 50, 0), lt(14, 22, 40, 0))
	within("last gateway 5xx", f.last5xx, lt(14, 30, 0, 0), lt(14, 31, 30, 0))
	if len(f.dups) == 0 || len(f.gtids) < 2 {
		t.Fatalf("no duplicate invoice in the binlog: %v %v", f.dups, f.gtids)
	}
	within("first duplicate commit", f.gtids[1].commit, lt(14, 22, 0, 0), lt(14, 31, 0, 0))
	root := countLines(map[string][]byte{"j": readFileBytes(t, filepath.Join(dir, pTaxJSON))}, "j", `"level":"error"`)
	gw := f.gateway503 + f.gateway504 + f.gatewayLimited
	if gw < 5*root {
		t.Errorf("gateway 5xx %d is not far louder than the root cause's %d error lines", gw, root)
	}
	truth := string(readFileBytes(t, filepath.Join(dir, "TRUTH.md")))
	for _, want := range []string{"tax-adapter/client.jsonl", f.gtids[0].gtid.String(), f.gtids[1].gtid.String(), "KafkaConsumer:: poll() timeout, last message received 3m ago", "06:19:40.214Z"} {
		if !strings.Contains(truth, want) {
			t.Errorf("TRUTH.md lacks %q", want)
		}
	}
}

func readFileBytes(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
