package index

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// State is what the index holds, kept beside the bleve data in state.json.
type State struct {
	Version  int    `json:"version"`  // MappingVersion it was built with
	Complete bool   `json:"complete"` // false while an update is under way
	Config   string `json:"config"`   // the ingest settings the events were read with
	// Paths are the bundle's absolute paths (for re-reading blocks).
	Paths   []string              `json:"paths"`
	Files   map[string]*FileState `json:"files"`
	Updated time.Time             `json:"updated"`
}

// FileState is one input as it was indexed.
type FileState struct {
	DiskPath string    `json:"disk_path"` // file on disk (the archive for members)
	Size     int64     `json:"size"`
	ModTime  time.Time `json:"mtime"`
	Head     string    `json:"head"` // hash of the first hashSpan bytes
	Tail     string    `json:"tail"` // hash of the last hashSpan bytes
	Member   bool      `json:"member,omitempty"`
	Events   int64     `json:"events"`
	Notable  int64     `json:"notable"`
	// LastOffset is the byte offset of the last event seen: a grown file is
	// re-read from there (or its last partial block) on.
	LastOffset int64   `json:"last_offset"`
	LastLine   int64   `json:"last_line"`
	Blocks     []Block `json:"blocks"`
}

// Block is the range of one block document (non-notable events only).
type Block struct {
	MinLine int64     `json:"min_line"`
	MaxLine int64     `json:"max_line"`
	MinOff  int64     `json:"min_off"`
	MaxOff  int64     `json:"max_off"`
	MinTime time.Time `json:"min_time"`
	MaxTime time.Time `json:"max_time"`
	N       int       `json:"n"`
}

func readState(dir string) (*State, error) {
	data, err := os.ReadFile(filepath.Join(dir, "state.json"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read index state: %w", err)
	}
	var st State
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("index state %s is corrupt (%v); rebuild it with rca index --rebuild", filepath.Join(dir, "state.json"), err)
	}
	return &st, nil
}

// writeState replaces state.json atomically (temp file, fsync, rename).
func writeState(dir string, st *State) error {
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, "state.json.tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("write index state: %w", err)
	}
	if _, err = f.Write(data); err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write index state: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, "state.json")); err != nil {
		return fmt.Errorf("write index state: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
