package index

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// State is what the index holds, kept in state.json. The blocks' sketches
// and the notable events live in one data file per input (data/N.dat),
// which an update only appends to or replaces by a new file: a state.json
// always describes files that are whole, so an interrupted update leaves
// the last complete index readable.
type State struct {
	Version  int    `json:"version"`  // MappingVersion it was built with
	Complete bool   `json:"complete"` // false while an update is under way
	Config   string `json:"config"`   // the ingest settings the events were read with
	// Paths are the bundle's absolute paths (for re-reading blocks).
	Paths   []string              `json:"paths"`
	Files   map[string]*FileState `json:"files"`
	Updated time.Time             `json:"updated"`
	NextID  int64                 `json:"next_id"` // names the next data file
}

// FileState is one input as it was indexed.
type FileState struct {
	DiskPath string    `json:"disk_path"` // file on disk (the archive for members)
	Size     int64     `json:"size"`
	ModTime  time.Time `json:"mtime"`
	Head     string    `json:"head"` // hash of the first hashSpan bytes
	Tail     string    `json:"tail"` // hash of the last hashSpan bytes
	Member   bool      `json:"member,omitempty"`
	Format   string    `json:"format,omitempty"` // the format it was read as
	Events   int64     `json:"events"`
	Notable  int64     `json:"notable"`
	// LastDigest is the digest of its last event (LastNotable: of a notable
	// one); a grown input's tail check leaves that event out.
	LastDigest  uint64 `json:"last_digest"`
	LastNotable bool   `json:"last_notable,omitempty"`
	Data        string `json:"data"`     // its data file, relative to the index
	DataLen     int64  `json:"data_len"` // the bytes of it this state uses
	// Blocks are the plain blocks (events below warn without a kind), in
	// file order; NotableBlocks hold the other events, also in file order,
	// and keep them (and every event of a path that several inputs share).
	Blocks        []Block `json:"blocks"`
	NotableBlocks []Block `json:"notable_blocks"`
}

// Block is one block of events of a file: its line, byte and time range,
// where its sketch (and, for notable blocks, its events) are in the data
// file, and, for plain blocks, a digest of its events that tells a
// re-read that it found the same events.
type Block struct {
	MinLine int64 `json:"min_line"`
	MaxLine int64 `json:"max_line"`
	Off     int64 `json:"off"` // byte offset of its first event
	// End is the offset of the event after its last one (0: the end of the
	// input); plain blocks only.
	End       int64     `json:"end,omitempty"`
	MinTime   time.Time `json:"min_time"`
	MaxTime   time.Time `json:"max_time"`
	N         int       `json:"n"`
	SketchOff int64     `json:"sk_off"`
	SketchLen int       `json:"sk_len"`
	EventsOff int64     `json:"ev_off,omitempty"`
	EventsLen int       `json:"ev_len,omitempty"`
	Digest    uint64    `json:"digest,omitempty"`
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
