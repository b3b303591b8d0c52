package index

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Index is an open, locked index directory.
type Index struct {
	dir  string
	lock *os.File
	st   *State
}

// Options say how to open an index.
type Options struct {
	Rebuild bool     // throw away what is there and start again
	Config  string   // the ingest settings; a different one means a rebuild
	Paths   []string // the bundle's absolute paths; nil when only searching
	// ReadOnly opens an existing, complete index for searching: nothing is
	// rebuilt, a missing or incomplete index is an error.
	ReadOnly bool
	Log      io.Writer // notes (rebuild reasons) go here; nil discards
}

// DefaultDir is where the index of a bundle lives:
// os.UserCacheDir()/rca/index/<hash of the bundle's absolute paths>.
func DefaultDir(paths []string) (string, error) {
	abs, err := AbsPaths(paths)
	if err != nil {
		return "", err
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("index location: %w (set --index or RCA_INDEX)", err)
	}
	sum := sha256.Sum256([]byte(strings.Join(abs, "\x00")))
	return filepath.Join(cache, "rca", "index", hex.EncodeToString(sum[:8])), nil
}

// AbsPaths returns the paths made absolute and cleaned, in the given order.
func AbsPaths(paths []string) ([]string, error) {
	out := make([]string, len(paths))
	for i, p := range paths {
		a, err := filepath.Abs(p)
		if err != nil {
			return nil, err
		}
		out[i] = filepath.Clean(a)
	}
	return out, nil
}

// Open locks and opens the index in dir, rebuilding it when it was left
// incomplete, was built with another mapping or other settings, or when
// asked to.
func Open(dir string, o Options) (*Index, error) {
	logf := func(format string, a ...any) {
		if o.Log != nil {
			fmt.Fprintf(o.Log, "rca: index: "+format+"\n", a...)
		}
	}
	if o.ReadOnly {
		if _, err := os.Stat(filepath.Join(dir, "state.json")); err != nil {
			return nil, fmt.Errorf("no index at %s: run rca index PATH (or rca analyze) first", dir)
		}
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create index: %w", err)
	}
	lk, err := lockDir(dir, LockWait)
	if err != nil {
		return nil, err
	}
	x := &Index{dir: dir, lock: lk}
	fail := func(err error) (*Index, error) {
		x.Close()
		return nil, err
	}
	st, serr := readState(dir)
	why := ""
	switch {
	case o.Rebuild:
		why = "rebuilding as asked"
	case serr != nil:
		if o.ReadOnly {
			return fail(serr)
		}
		why = "state file unreadable"
	case st == nil:
		if _, err := os.Stat(filepath.Join(dir, "data")); err == nil {
			why = "no state file"
		}
	case st.Version != MappingVersion:
		why = fmt.Sprintf("mapping changed (version %d, now %d)", st.Version, MappingVersion)
	case !st.Complete:
		why = "the last update did not finish"
	case o.Paths != nil && !slices.Equal(st.Paths, o.Paths):
		why = "bundle paths changed"
	case o.Paths != nil && st.Config != o.Config:
		why = "ingest settings changed"
	}
	if why != "" && o.ReadOnly {
		return fail(fmt.Errorf("index %s needs a rebuild (%s): run rca index PATH", dir, why))
	}
	if why != "" {
		logf("%s: rebuilding %s", why, dir)
		for _, sub := range []string{"bleve", "data", analysisDir} { // bleve: the data of mapping v2 and before
			if err := os.RemoveAll(filepath.Join(dir, sub)); err != nil {
				return fail(fmt.Errorf("rebuild index: %w", err))
			}
		}
		st = nil
	}
	if st == nil {
		if o.ReadOnly {
			return fail(fmt.Errorf("no index at %s: run rca index PATH (or rca analyze) first", dir))
		}
		st = &State{Version: MappingVersion, Complete: true, Files: map[string]*FileState{}}
	}
	if o.Paths != nil {
		st.Paths, st.Config = o.Paths, o.Config
	}
	x.st = st
	return x, nil
}

// Dir is the index directory.
func (x *Index) Dir() string { return x.dir }

// State is what the index holds (do not modify).
func (x *Index) State() *State { return x.st }

// Close closes the index and releases the lock.
func (x *Index) Close() error {
	if x.lock != nil {
		x.lock.Close()
		x.lock = nil
	}
	return nil
}

// Status summarises the index.
type Status struct {
	Dir           string
	Files         int
	Events        int64
	Notable       int64
	Blocks        int // plain blocks
	NotableBlocks int
	Bytes         int64
	Updated       time.Time
	Complete      bool
}

// Status reports what the index holds.
func (x *Index) Status() Status {
	s := Status{Dir: x.dir, Files: len(x.st.Files), Updated: x.st.Updated, Complete: x.st.Complete}
	for _, f := range x.st.Files {
		s.Events += f.Events
		s.Notable += f.Notable
		s.Blocks += len(f.Blocks)
		s.NotableBlocks += len(f.NotableBlocks)
	}
	filepath.Walk(x.dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			s.Bytes += fi.Size()
		}
		return nil
	})
	return s
}
