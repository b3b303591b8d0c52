package index

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// Stored analyses. rca analyze keeps the result of its last analyses in the
// index, each under a key that names everything it was made of: the inputs
// as an update found them (Fingerprint), the settings and the program. A
// re-run on an unchanged bundle with the same settings finds its key and
// reuses the result instead of reading the bundle again. The index treats
// the result as opaque bytes.

const (
	analysisDir = "analysis"
	// keptAnalyses is how many stored analyses (of different settings or
	// bundle states) are kept; older ones are removed.
	keptAnalyses = 4
)

// Fingerprint hashes what the update found of every input: its path, the
// size and mtime of its file on disk and the hashes of the file's head and
// tail. Two updates with one fingerprint saw the same files, as far as the
// index tells files apart (an input that changed in its middle with size
// and mtime kept is taken as unchanged, as for the index itself).
func (u *Update) Fingerprint() string {
	paths := make([]string, 0, len(u.work))
	for p := range u.work {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	h := sha256.New()
	for _, p := range paths {
		st := u.work[p].st
		fmt.Fprintf(h, "%q %q %d %d %s %s %t\n", p, st.DiskPath, st.Size, st.ModTime.UnixNano(), st.Head, st.Tail, st.Member)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Unchanged reports whether the update has nothing to do: every input is
// as the index holds it, and none has vanished.
func (u *Update) Unchanged() bool {
	if u.Summary.Removed > 0 {
		return false
	}
	for _, w := range u.work {
		if w.action != Skip {
			return false
		}
	}
	return true
}

func analysisPath(dir, key string) string {
	return filepath.Join(dir, analysisDir, key+".gz")
}

// validKey keeps a key usable as a file name: rca passes a hex digest.
func validKey(key string) bool {
	return key != "" && len(key) <= 128 && strings.Trim(key, "0123456789abcdef") == ""
}

// StoredAnalysis returns the analysis stored under key, if there is one.
// A stored analysis that cannot be read is treated as absent.
func (x *Index) StoredAnalysis(key string) ([]byte, bool) {
	if !validKey(key) {
		return nil, false
	}
	f, err := os.Open(analysisPath(x.dir, key))
	if err != nil {
		return nil, false
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, false
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return nil, false
	}
	return data, true
}

// StoreAnalysis keeps data as the analysis under key: written to a
// temporary file, synced and renamed, so a reader finds it whole or not at
// all. Only the newest keptAnalyses analyses are kept.
func (x *Index) StoreAnalysis(key string, data []byte) error {
	if !validKey(key) {
		return fmt.Errorf("store analysis: bad key %q", key)
	}
	dir := filepath.Join(x.dir, analysisDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("store analysis: %w", err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		return fmt.Errorf("store analysis: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("store analysis: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("store analysis: %w", err)
	}
	_, err = tmp.Write(buf.Bytes())
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), analysisPath(x.dir, key))
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("store analysis: %w", err)
	}
	x.pruneAnalyses()
	return nil
}

// pruneAnalyses removes all but the newest keptAnalyses stored analyses,
// and temporary files left by an interrupted store.
func (x *Index) pruneAnalyses() {
	dir := filepath.Join(x.dir, analysisDir)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	type stored struct {
		name string
		mod  int64
	}
	var all []stored
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".tmp-") {
			os.Remove(filepath.Join(dir, e.Name()))
			continue
		}
		if fi, err := e.Info(); err == nil {
			all = append(all, stored{e.Name(), fi.ModTime().UnixNano()})
		}
	}
	slices.SortFunc(all, func(a, b stored) int { return cmp.Compare(b.mod, a.mod) })
	for i := keptAnalyses; i < len(all); i++ {
		os.Remove(filepath.Join(dir, all[i].name))
	}
}
