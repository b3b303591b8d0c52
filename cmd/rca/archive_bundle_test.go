package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tarGzTree writes the folder dir as a .tar.gz at p whose members sit
// under one wrapper folder, as `tar czf p -C parent name` makes it.
func tarGzTree(t *testing.T, dir, p string) {
	t.Helper()
	var b bytes.Buffer
	gz := gzip.NewWriter(&b)
	tw := tar.NewWriter(gz)
	wrapper := filepath.Base(dir)
	err := filepath.WalkDir(dir, func(f string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, f)
		tw.WriteHeader(&tar.Header{Name: wrapper + "/" + filepath.ToSlash(rel), Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg})
		_, err = tw.Write(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	tw.Close()
	gz.Close()
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestArchivedBundle: the demo bundle as a .tar.gz (its rca.yaml, with the
// sources' zones and the topology, inside) is analysed as the folder is:
// the same incidents, causes, evidence lines and times; and a re-run on the
// unchanged archive reuses the analysis the index keeps.
func TestArchivedBundle(t *testing.T) {
	dir := t.TempDir()
	folder := filepath.Join(dir, "invoice-outage")
	copyTree(t, demoBundle, folder)
	archive := filepath.Join(dir, "demo.tar.gz")
	tarGzTree(t, folder, archive)

	report := func(path string) map[string]any {
		t.Helper()
		out, stderr, code := run(t, "analyze", "--no-index", "--no-pager", "--format", "json", path)
		if code != 0 {
			t.Fatalf("analyze %s: exit %d: %s", path, code, stderr)
		}
		out = strings.ReplaceAll(out, "demo.tar.gz!/invoice-outage/", "")
		var r map[string]any
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		delete(r, "generated_at")
		delete(r, "inputs") // the same inputs, in the archive's order
		return r
	}
	want, got := report(folder), report(archive)
	if a, b := mustJSON(t, want), mustJSON(t, got); a != b {
		t.Errorf("the archive's report differs from the folder's:\nfolder:  %.600s\narchive: %.600s", a, b)
	}

	ix := filepath.Join(t.TempDir(), "ix")
	for i := range 2 {
		_, stderr, code := run(t, "analyze", "--index", ix, "--no-pager", "--format", "json", archive)
		if code != 0 {
			t.Fatalf("analyze: exit %d: %s", code, stderr)
		}
		if reused := strings.Contains(stderr, "report reused from the index"); reused != (i == 1) {
			t.Errorf("run %d: reused %v, want %v", i+1, reused, i == 1)
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
