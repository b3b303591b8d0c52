package index_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/index"
)

// TestStoredAnalyses checks the analyses an index keeps: found by their key
// only, whole, the newest few kept, none after a rebuild.
func TestStoredAnalyses(t *testing.T) {
	dir := t.TempDir()
	ix, err := index.Open(dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	key := func(i int) string { return fmt.Sprintf("%064x", i+1) }
	if _, ok := ix.StoredAnalysis(key(0)); ok {
		t.Fatal("an empty index has a stored analysis")
	}
	if err := ix.StoreAnalysis("../escape", []byte("x")); err == nil {
		t.Error("a key that is not a digest was accepted")
	}
	for i := range 6 {
		if err := ix.StoreAnalysis(key(i), []byte(strings.Repeat("report ", i+1))); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond) // distinct mtimes
	}
	for i := range 6 {
		data, ok := ix.StoredAnalysis(key(i))
		if want := i >= 2; ok != want {
			t.Errorf("analysis %d: found %v, want %v (the newest 4 are kept)", i, ok, want)
		}
		if ok && string(data) != strings.Repeat("report ", i+1) {
			t.Errorf("analysis %d: read %q", i, data)
		}
	}
	// a damaged one reads as absent
	if err := os.WriteFile(filepath.Join(dir, "analysis", key(5)+".gz"), []byte("not gzip"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ok := ix.StoredAnalysis(key(5)); ok {
		t.Error("a damaged stored analysis was returned")
	}
	ix.Close()
	ix, err = index.Open(dir, index.Options{Rebuild: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, ok := ix.StoredAnalysis(key(4)); ok {
		t.Error("a rebuilt index kept a stored analysis")
	}
}
