package gen

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"
	_ "time/tzdata" // the zones below exist on machines without a zoneinfo database
)

// Zones the generated bundles use.
var (
	Shanghai = mustZone("Asia/Shanghai") // +08:00, no DST
	Kolkata  = mustZone("Asia/Kolkata")  // +05:30, no DST
	Berlin   = mustZone("Europe/Berlin") // +02:00 in August (CEST)
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// fileRecs collects the records of one output file before they are sorted
// by time and written; the demo bundle is small enough to hold in memory.
type fileRecs struct {
	recs []rec
}

type rec struct {
	t    time.Time
	seq  int
	data []byte
}

// recSet is a set of files under construction, keyed by their path in the
// bundle.
type recSet struct {
	files map[string]*fileRecs
	seq   int
}

func newRecSet() *recSet { return &recSet{files: map[string]*fileRecs{}} }

// add files data (one or more complete lines) at time t. Records of one file
// are written in time order; records with equal times keep their order.
func (s *recSet) add(path string, t time.Time, data []byte) {
	f := s.files[path]
	if f == nil {
		f = &fileRecs{}
		s.files[path] = f
	}
	s.seq++
	f.recs = append(f.recs, rec{t: t, seq: s.seq, data: data})
}

// sorted returns a file's records in time order.
func (s *recSet) sorted(path string) []rec {
	f := s.files[path]
	if f == nil {
		return nil
	}
	sort.SliceStable(f.recs, func(i, j int) bool {
		if !f.recs[i].t.Equal(f.recs[j].t) {
			return f.recs[i].t.Before(f.recs[j].t)
		}
		return f.recs[i].seq < f.recs[j].seq
	})
	return f.recs
}

// writeFile writes data to dir/path, creating directories, and sets the
// file's modification time to mtime (when not zero) as the producing
// process would have left it: the time of its last line.
func writeFile(dir, path string, data []byte, mtime time.Time) error {
	full := filepath.Join(dir, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(full, data, 0o644); err != nil {
		return err
	}
	if !mtime.IsZero() {
		return os.Chtimes(full, mtime, mtime)
	}
	return nil
}

// gzipBytes compresses data deterministically: no name, no modification
// time in the header, a fixed level.
func gzipBytes(data []byte) ([]byte, error) {
	var buf bytesBuffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(data); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.b, nil
}

type bytesBuffer struct{ b []byte }

func (w *bytesBuffer) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// stream is one file being written by the large generator: buffered, with
// an optional gzip layer, counting the bytes of content written (before
// compression) and the bytes that reach the disk.
type stream struct {
	f    *os.File
	disk *countWriter
	zw   *gzip.Writer
	bw   *bufio.Writer
	raw  int64 // content bytes written
	path string
	last time.Time // time of the last record, for the file's mtime
}

func createStream(dir, path string, gz bool) (*stream, error) {
	full := filepath.Join(dir, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(full)
	if err != nil {
		return nil, err
	}
	s := &stream{f: f, disk: &countWriter{w: f}, path: full}
	var w io.Writer = s.disk
	if gz {
		s.zw, _ = gzip.NewWriterLevel(s.disk, gzip.BestSpeed)
		w = s.zw
	}
	s.bw = bufio.NewWriterSize(w, 256<<10)
	return s, nil
}

func (s *stream) write(b []byte, t time.Time) error {
	s.raw += int64(len(b))
	s.last = t
	_, err := s.bw.Write(b)
	return err
}

// close flushes and closes the file, sets its mtime and returns its size
// on disk.
func (s *stream) close() (int64, error) {
	err := s.bw.Flush()
	if s.zw != nil {
		if e := s.zw.Close(); err == nil {
			err = e
		}
	}
	if e := s.f.Close(); err == nil {
		err = e
	}
	if err == nil && !s.last.IsZero() {
		err = os.Chtimes(s.path, s.last, s.last)
	}
	if err != nil {
		return 0, fmt.Errorf("write %s: %w", s.path, err)
	}
	return s.disk.n, nil
}
