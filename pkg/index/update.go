package index

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/rca-dev/rca/pkg/event"
)

// Tuning. BlockSize is the most plain events (below warn, without a kind)
// per block; NotableBlockSize the most notable events per block. A block
// also ends early when its sketch would pass its fill limit.
var (
	BlockSize        = 1024
	NotableBlockSize = 256
)

const hashSpan = 64 << 10

// Input describes one input of the bundle as it is now.
type Input struct {
	Path     string // display path (event.File)
	DiskPath string // the file on disk (the archive, for a member)
	Member   bool   // inside an archive: never read as a grown tail
	Size     int64
	ModTime  time.Time
}

// Action is what an update does with one input.
type Action int

// The actions.
const (
	Skip Action = iota // unchanged since the last run: not read
	Full               // new or changed: (re)indexed whole
	Tail               // only grew: indexed from its last blocks on
)

func (a Action) String() string {
	return [...]string{"unchanged", "full", "tail"}[a]
}

// Update is an index update under way. Observe is called for every event
// of the inputs being indexed, in file order per input (parse's
// Options.Transform is such a place); inputs may be observed concurrently,
// one goroutine per input, or per segment of an input that was Split
// (parse's Options.SplitFile).
type Update struct {
	x       *Index
	work    map[string]*fileWork
	start   time.Time
	Summary Summary
	// last remembers, by the address of an event's File, the work of its
	// input (workOf): a decoder gives all of an input's events one File
	// string, and Observe is called for every event.
	last [64]atomic.Pointer[workEntry]
}

// workEntry is an entry of Update.last. Its file pointer keeps the
// string it was taken from alive, so no other string can take its
// address.
type workEntry struct {
	file *byte
	n    int
	w    *fileWork
}

// workOf is u.work[file], most often without hashing file: inputs are
// observed from several goroutines at once, and each entry is replaced
// whole.
func (u *Update) workOf(file string) *fileWork {
	p := unsafe.StringData(file)
	slot := &u.last[uintptr(unsafe.Pointer(p))>>4%uintptr(len(u.last))]
	if e := slot.Load(); e != nil && e.file == p && e.n == len(file) {
		return e.w
	}
	w := u.work[file]
	if p != nil {
		slot.Store(&workEntry{file: p, n: len(file), w: w})
	}
	return w
}

// Summary is what an update did.
type Summary struct {
	Skipped, Full, Tail, Removed int
	Events, Notable, Blocks      int64
	Elapsed                      time.Duration
	// Redone are grown inputs whose re-read tail did not agree with what
	// was indexed before; they were indexed whole (rca index) or are left
	// for the next update (analyze).
	Redone []string
}

func (s *Summary) count(a Action) {
	switch a {
	case Skip:
		s.Skipped++
	case Full:
		s.Full++
	case Tail:
		s.Tail++
	}
}

// fileWork is the update of one input. It is used by one goroutine at a
// time (the one reading the input).
type fileWork struct {
	action Action
	path   string
	dir    string // the index's
	// dup: more than one input has this path (archive members of one
	// name). Their events are observed under mu and all kept in the index
	// (as notable blocks), since a re-read could not tell them apart.
	dup bool
	mu  sync.Mutex
	st  *FileState
	dw  *dataWriter
	err error

	// Tail: events before resumeLine, and those up to the kept blocks'
	// last lines, are indexed already.
	resumeOff, resumeLine  int64
	plainKeep, notableKeep int64
	check                  *tailCheck

	plain, notable blockBuilder
	pendEnd        int   // plain block waiting for its End, or -1
	added          int64 // events indexed by this update
	addedNotable   int64
	keptBlocks     int
	buf            []byte // the notable block's events, encoded
	zbuf           []byte // and compressed

	// A split input (split.go): parts holds one work per segment, which
	// starts at the byte offset of the same index in starts; a part's
	// parent is the input's work, whose data file the parts share.
	parts  []*fileWork
	starts []int64
	parent *fileWork
}

// tailCheck compares the events of the blocks a grown input drops and
// indexes again with what they held: a read from the middle of a file must
// find the same events as the whole read did.
type tailCheck struct {
	plain, notable       Block
	hasPlain, hasNotable bool
	// The old last event may have grown continuation lines: it is left out
	// of the sums, and its old digest out of its block's.
	lastLine    int64
	lastDigest  uint64
	lastNotable bool
	sumP, sumN  uint64
	done, bad   bool
}

// Begin starts an update for the bundle's current inputs: it decides per
// input what to read. The index on disk stays as it was until Commit.
func (x *Index) Begin(inputs []Input) (*Update, error) {
	u := &Update{x: x, work: map[string]*fileWork{}, start: time.Now()}
	if err := os.MkdirAll(filepath.Join(x.dir, "data"), 0o755); err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	seen := map[string]bool{}
	for _, in := range inputs {
		if w := u.work[in.Path]; w != nil {
			// An archive can hold two members of one name: their events
			// share a display path and line numbers, and come from two
			// readers at once. All of them are kept in the index.
			w.dup = true
			u.Summary.count(w.action)
			continue
		}
		seen[in.Path] = true
		old := x.st.Files[in.Path]
		nw := &FileState{DiskPath: in.DiskPath, Size: in.Size, ModTime: in.ModTime, Member: in.Member}
		nw.Head, nw.Tail, _ = hashHeadTail(in.DiskPath)
		w := &fileWork{action: Full, path: in.Path, st: nw, pendEnd: -1}
		if old != nil {
			switch {
			case old.Size == nw.Size && old.ModTime.Equal(nw.ModTime) && old.Head == nw.Head && old.Tail == nw.Tail && old.Head != "":
				w.action, w.st = Skip, old
			case !in.Member && !old.Member && nw.Size > old.Size && old.Head != "" && old.Data != "" && grewFrom(in.DiskPath, old):
				w.action = Tail
				w.resume(old)
			}
		}
		u.Summary.count(w.action)
		if w.action == Full {
			w.st.Data = x.newDataName()
		}
		w.dir = x.dir
		u.work[in.Path] = w
	}
	for p := range x.st.Files {
		if !seen[p] {
			u.Summary.Removed++
		}
	}
	return u, nil
}

func (x *Index) newDataName() string {
	x.st.NextID++
	return filepath.Join("data", strconv.FormatInt(x.st.NextID, 10)+".dat")
}

// resume sets a grown input up to be indexed from its last blocks on: the
// last plain and the last notable block are dropped (the last event may
// have grown continuation lines) and read again from the first of them.
func (w *fileWork) resume(old *FileState) {
	nw := w.st
	nw.Data, nw.DataLen, nw.Format = old.Data, old.DataLen, old.Format
	nw.Blocks = append([]Block(nil), old.Blocks...)
	nw.NotableBlocks = append([]Block(nil), old.NotableBlocks...)
	nw.LastDigest, nw.LastNotable = old.LastDigest, old.LastNotable
	c := &tailCheck{lastLine: old.LastLine(), lastDigest: old.LastDigest, lastNotable: old.LastNotable}
	w.resumeOff, w.resumeLine = 0, 1
	first := true
	take := func(bs *[]Block, keep *int64, dropped *Block, has *bool) {
		n := len(*bs)
		if n == 0 {
			return
		}
		*dropped, *has = (*bs)[n-1], true
		*bs = (*bs)[:n-1]
		if n > 1 {
			*keep = (*bs)[n-2].MaxLine
		}
		if first || dropped.MinLine < w.resumeLine {
			w.resumeOff, w.resumeLine = dropped.Off, dropped.MinLine
			first = false
		}
	}
	take(&nw.Blocks, &w.plainKeep, &c.plain, &c.hasPlain)
	take(&nw.NotableBlocks, &w.notableKeep, &c.notable, &c.hasNotable)
	if c.hasPlain || c.hasNotable {
		w.check = c
	}
	w.keptBlocks = len(nw.Blocks) + len(nw.NotableBlocks)
	for _, b := range nw.Blocks {
		nw.Events += int64(b.N)
	}
	for _, b := range nw.NotableBlocks {
		nw.Events += int64(b.N)
		nw.Notable += int64(b.N)
	}
}

// LastLine is the line of the input's last indexed event.
func (f *FileState) LastLine() int64 {
	var l int64
	if n := len(f.Blocks); n > 0 {
		l = f.Blocks[n-1].MaxLine
	}
	if n := len(f.NotableBlocks); n > 0 {
		l = max(l, f.NotableBlocks[n-1].MaxLine)
	}
	return l
}

// Need reports whether the input with this display path must be read.
func (u *Update) Need(path string) bool {
	w := u.work[path]
	return w == nil || w.action != Skip
}

// Action is what the update does with the input.
func (u *Update) Action(path string) Action {
	if w := u.work[path]; w != nil {
		return w.action
	}
	return Full
}

// Resume is where a grown input's new events start: reading it from this
// byte offset, numbering its first line line, is enough. ok is false for
// inputs that are not indexed as a grown tail.
func (u *Update) Resume(path string) (off, line int64, ok bool) {
	w := u.work[path]
	if w == nil || w.action != Tail {
		return 0, 0, false
	}
	return w.resumeOff, w.resumeLine, true
}

// Format is the format an input was read as (it was indexed with it).
func (u *Update) Format(path string) string {
	if w := u.work[path]; w != nil {
		return w.st.Format
	}
	return ""
}

// SetFormat records the format an input was read as; search re-reads it
// with that format.
func (u *Update) SetFormat(path, format string) {
	if w := u.work[path]; w != nil && w.action != Skip && format != "" {
		w.st.Format = format
	}
}

// Retry returns the grown inputs whose re-read tail did not agree with the
// index and sets them up to be indexed whole: the caller reads them again
// from their start.
func (u *Update) Retry() []string {
	var out []string
	for p, w := range u.work {
		if w.action != Tail || w.check == nil || !w.check.failed() {
			continue
		}
		out = append(out, p)
		st := w.st
		*w = fileWork{action: Full, path: p, dir: w.dir, dw: w.dw, pendEnd: -1, dup: w.dup,
			st: &FileState{DiskPath: st.DiskPath, Size: st.Size, ModTime: st.ModTime, Head: st.Head, Tail: st.Tail, Member: st.Member, Format: st.Format, Data: st.Data}}
		u.Summary.Tail--
		u.Summary.Full++
		u.Summary.Redone = append(u.Summary.Redone, p)
	}
	return out
}

func (c *tailCheck) failed() bool {
	c.finish()
	return c.bad
}

func (c *tailCheck) finish() {
	if c.done {
		return
	}
	c.done = true
	wantP, wantN := c.plain.Digest, c.notable.Digest
	switch {
	case c.lastNotable && c.hasNotable && c.notable.MaxLine == c.lastLine:
		wantN -= c.lastDigest
	case !c.lastNotable && c.hasPlain && c.plain.MaxLine == c.lastLine:
		wantP -= c.lastDigest
	}
	if (c.hasPlain && c.sumP != wantP) || (c.hasNotable && c.sumN != wantN) {
		c.bad = true
	}
}

// observe adds an event of a dropped block to the check.
func (c *tailCheck) observe(ev *event.Event, notable bool, d uint64) {
	if c.done {
		return
	}
	if ev.Line > max(c.plain.MaxLine, c.notable.MaxLine) {
		c.finish()
		return
	}
	if ev.Line == c.lastLine {
		return
	}
	switch {
	case notable && c.hasNotable && ev.Line >= c.notable.MinLine && ev.Line <= c.notable.MaxLine:
		c.sumN += d
	case !notable && c.hasPlain && ev.Line >= c.plain.MinLine && ev.Line <= c.plain.MaxLine:
		c.sumP += d
	case notable && (!c.hasNotable || ev.Line > c.notable.MaxLine), !notable && (!c.hasPlain || ev.Line > c.plain.MaxLine):
		c.bad = true // an event the old read did not have
	}
}

// Notable reports whether an event gets a notable block (its events are
// kept in the index and searched without re-reading the bundle).
func Notable(ev *event.Event) bool {
	return ev.Kind != "" || ev.Level.Rank() >= event.LevelWarn.Rank()
}

// Observe indexes one event of an input being indexed. Events of one input
// come in file order, from one goroutine at a time; different inputs may
// be observed concurrently. An input read in segments (Split) may have
// each segment's events observed from a goroutine of its own, each in
// file order.
func (u *Update) Observe(ev *event.Event) {
	w := u.workOf(ev.File)
	if w == nil || w.action == Skip || ev.Line < w.resumeLine {
		return
	}
	if w.parts != nil {
		// the input's err is its parts' (they write its data file under
		// its lock, from their goroutines): join reports it
		w = w.part(ev.Offset)
	} else {
		if w.dup {
			w.mu.Lock()
			defer w.mu.Unlock()
		}
		if w.err != nil {
			return
		}
	}
	notable := Notable(ev)
	kept := notable || w.dup
	// the digest is needed first to check a grown tail; otherwise add
	// makes it along with the keys, from the values it reads anyway
	var d uint64
	known := w.check != nil && !w.check.done // the check ends once past the dropped blocks
	if known {
		d = digest(ev)
		w.check.observe(ev, notable, d)
	}
	if w.action == Tail && ((notable && ev.Line <= w.notableKeep) || (!notable && ev.Line <= w.plainKeep)) {
		return
	}
	if w.pendEnd >= 0 {
		w.st.Blocks[w.pendEnd].End = ev.Offset
		w.pendEnd = -1
	}
	w.st.Events++
	w.added++
	if notable {
		w.st.Notable++
		w.addedNotable++
	}
	if kept {
		b := &w.notable
		d = w.add(b, ev, d, known)
		w.st.LastDigest, w.st.LastNotable = d, notable
		w.buf = appendEvent(w.buf, ev)
		if b.b.N >= NotableBlockSize || b.sk.full() {
			w.flush(b, true)
		}
		return
	}
	b := &w.plain
	d = w.add(b, ev, d, known)
	w.st.LastDigest, w.st.LastNotable = d, notable
	if b.b.N >= BlockSize || b.sk.full() {
		w.flush(b, false)
		w.pendEnd = len(w.st.Blocks) - 1
	}
}

var (
	rangeLine = rangeField(fLine) // every event's line is in its block's range
	tagFile   = fieldTag(fFile)
	coreTags  = [...]uint64{fieldTag(fSource), fieldTag(fLevel), fieldTag(fKind), fieldTag(fFormat)}
)

// blockBuilder gathers one block.
type blockBuilder struct {
	sk   *sketch
	b    Block
	open bool
	last [4]string // the source, level, kind and format last added
	core uint64    // their coreHash
	// fields remembers the field last seen at each position of ev.Fields
	// (a decoder names its fields in the same order line after line): its
	// key's tag and range, and the key last added in this block. A key
	// added again changes no bit of the filter: it is not added again.
	// Events are told apart by their number of fields (fields[n], n up to
	// fieldLayouts-1; more share the last): a line with an optional field
	// (an access line's referrer) moves the fields after it, and would
	// otherwise make those positions' fields new to its neighbours.
	fields [fieldLayouts][]fieldMemo
}

// fieldLayouts is how many numbers of fields a blockBuilder remembers the
// fields of apart (blockBuilder.fields).
const fieldLayouts = 16

// fieldMemo is what a blockBuilder remembers of one field position.
type fieldMemo struct {
	key   string
	named bool // key, tag and rng are set
	tag   uint64
	rng   int    // rangeField(key)
	last  uint64 // the key last added in this block, if set
	set   bool
	// val[:vn] is the value of last, kept for a range field: its value,
	// not only its key, must be the same for the range to stay as it is.
	// It is a copy (the event's strings may alias the line being read);
	// vn < 0: the value was longer than val, and is not kept.
	val [22]byte
	vn  int8
}

// holds reports whether v is the value m keeps.
func (m *fieldMemo) holds(v string) bool {
	return int(m.vn) == len(v) && string(m.val[:len(v)]) == v
}

// hold keeps a copy of v when it fits.
func (m *fieldMemo) hold(v string) {
	m.vn = -1
	if len(v) <= len(m.val) {
		m.vn = int8(copy(m.val[:], v))
	}
}

// add adds ev to the block bb builds. known says that d is ev's digest;
// otherwise add makes the digest, hashing each field's value once for
// the digest and, when it is new to the block, for its key (valueHash2).
// It returns the digest.
func (w *fileWork) add(bb *blockBuilder, ev *event.Event, d uint64, known bool) uint64 {
	if bb.sk == nil {
		bb.sk = newSketch()
	}
	sk := bb.sk
	b := &bb.b
	if !bb.open {
		bb.open = true
		*b = Block{MinLine: ev.Line, Off: ev.Offset}
		bb.last = [4]string{"\x00", "\x00", "\x00", "\x00"}
		for _, memos := range &bb.fields {
			for i := range memos {
				memos[i].set = false
			}
		}
		sk.add(valueKey(tagFile, ev.File))
	}
	// the source, level, kind and format change little within a block:
	// their keys are added, and their part of the digest made, when they
	// change
	changed := false
	for i, v := range [...]string{ev.Source, string(ev.Level), ev.Kind, ev.Format} {
		if !sameString(v, bb.last[i]) {
			bb.last[i], changed = keep(v, ev.Raw), true
			if v != "" || i == 0 {
				sk.add(valueKey(coreTags[i], v))
			}
		}
	}
	if changed {
		bb.core = coreHash(ev)
	}
	var h uint64 // the digest so far, when it is not known
	ascii := false
	if !known {
		h, ascii = digestFrom(ev, bb.core)
	}
	b.N++
	b.MaxLine = ev.Line
	if !ev.Time.IsZero() {
		if b.MinTime.IsZero() || ev.Time.Before(b.MinTime) {
			b.MinTime = ev.Time
		}
		if ev.Time.After(b.MaxTime) {
			b.MaxTime = ev.Time
		}
	}
	// digestHead saw whether the message is ASCII; its indexed part may
	// be when the whole is not
	msg := indexedText(ev.Message)
	if known || !ascii && len(msg) < len(ev.Message) {
		ascii = isASCII(msg)
	}
	sketchText(msg, ascii, sk)
	sk.addRange(rangeLine, float64(ev.Line))
	fs := ev.Fields
	lay := &bb.fields[min(len(fs), fieldLayouts-1)]
	if len(fs) > len(*lay) {
		*lay = append(*lay, make([]fieldMemo, len(fs)-len(*lay))...)
	}
	memos := (*lay)[:len(fs)]
	for i := range memos {
		f, m := &fs[i], &memos[i]
		if !m.named || !sameString(m.key, f.Key) {
			*m = fieldMemo{key: keep(f.Key, ev.Raw), named: true, tag: fieldTag(f.Key), rng: rangeField(f.Key)}
		}
		var key uint64
		if known {
			key = valueKey(m.tag, f.Value)
		} else {
			h, key = valueHash2(h, m.tag, f.Value)
		}
		if m.set && key == m.last && (m.rng < 0 || m.holds(f.Value)) {
			continue
		}
		m.last, m.set = key, true
		sk.add(key)
		if m.rng >= 0 {
			m.hold(f.Value)
			if v, ok := rangeValue(f.Value); ok {
				sk.addRange(m.rng, v)
			}
		}
	}
	if !known {
		d = digestEnd(h, ev)
	}
	b.Digest += d
	return d
}

// keep is s, or a copy of s when its bytes lie in raw's: an event's
// strings may alias the line being read (parse.Options.Observe), which a
// blockBuilder must not keep past the event. A decoder's own names
// (field keys, source, format) are kept as they are, so that sameString
// still finds them the same string.
func keep(s, raw string) string {
	if _, ok := within(s, raw); ok {
		return strings.Clone(s)
	}
	return s
}

// sameString is a == b, the usual case first: a decoder names a field
// (and sets an event's source, level and format) with the same string
// line after line, so the data pointers are compared before the bytes.
func sameString(a, b string) bool {
	return len(a) == len(b) && (unsafe.StringData(a) == unsafe.StringData(b) || a == b)
}

// rangeValue is strconv.ParseFloat(s, 64) for a range field's value, with
// its usual form, a decimal integer of at most 15 digits (exact in a
// float64), converted without it.
func rangeValue(s string) (float64, bool) {
	if n := len(s); n > 0 && n <= 15 {
		var v uint64
		i := 0
		for ; i < n; i++ {
			c := s[i] - '0'
			if c > 9 {
				break
			}
			v = v*10 + uint64(c)
		}
		if i == n {
			return float64(v), true
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

// flush writes a finished block to the data file.
func (w *fileWork) flush(bb *blockBuilder, notable bool) {
	if !bb.open {
		return
	}
	b := bb.b
	p := sketchBuf.Get().(*[]byte)
	*p = bb.sk.appendFolded((*p)[:0])
	b.SketchOff, b.SketchLen = w.write(*p), len(*p)
	sketchBuf.Put(p)
	if notable {
		w.zbuf = encodeChunk(w.zbuf, w.buf)
		chunk := w.zbuf
		w.buf = w.buf[:0]
		b.EventsOff, b.EventsLen = w.write(chunk), len(chunk)
		w.st.NotableBlocks = append(w.st.NotableBlocks, b)
	} else {
		w.st.Blocks = append(w.st.Blocks, b)
	}
	bb.open = false
	bb.sk.reset()
}

var sketchBuf = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

// write appends b to the input's data file, opened at the first write
// (a bundle may hold thousands of inputs), and returns its offset.
func (w *fileWork) write(b []byte) int64 {
	if p := w.parent; p != nil { // a part of a split input
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.write(b)
	}
	if w.dw == nil && w.err == nil {
		w.dw, w.err = openData(filepath.Join(w.dir, w.st.Data))
	}
	if w.err != nil {
		return 0
	}
	off, err := w.dw.write(b)
	if err != nil {
		w.err = err
	}
	return off
}

// Commit finishes the last blocks, writes the data files and then the new
// state. The update must not be used afterwards.
func (u *Update) Commit() (Summary, error) {
	// The data files are finished several at a time: most of the time is
	// each file's sync, waiting on the disk.
	var wg sync.WaitGroup
	sem := make(chan struct{}, commitSyncs)
	for _, w := range u.work {
		if w.action == Skip {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			w.finish()
		}()
	}
	wg.Wait()
	var failed []string
	for p, w := range u.work {
		if w.action != Skip && w.err != nil {
			failed = append(failed, p)
		}
	}
	if len(failed) > 0 {
		sort.Strings(failed)
		return u.Summary, fmt.Errorf("index %s: %w", failed[0], u.work[failed[0]].err)
	}
	st := u.x.st
	st.Files = map[string]*FileState{}
	for p, w := range u.work {
		if w.action == Tail && w.check != nil && w.check.failed() {
			// analyze read it whole, but the index kept its first part:
			// left out now, indexed whole by the next update.
			u.Summary.Redone = append(u.Summary.Redone, p)
			continue
		}
		st.Files[p] = w.st
		if w.action != Skip {
			u.Summary.Events += w.added
			u.Summary.Notable += w.addedNotable
			u.Summary.Blocks += int64(len(w.st.Blocks) + len(w.st.NotableBlocks) - w.keptBlocks)
		}
	}
	st.Complete = true
	st.Updated = time.Now().UTC()
	u.Summary.Elapsed = time.Since(u.start)
	if err := writeState(u.x.dir, st); err != nil {
		return u.Summary, err
	}
	u.x.removeUnused()
	return u.Summary, nil
}

// commitSyncs is how many data files Commit finishes at once.
const commitSyncs = 8

// finish writes the last blocks of a file read, and closes its data file.
func (w *fileWork) finish() {
	if w.parts != nil {
		w.join()
	}
	w.flush(&w.plain, false)
	w.flush(&w.notable, true)
	if w.dw != nil {
		if w.err == nil {
			w.st.DataLen = w.dw.off
		}
		if err := w.dw.close(); err != nil && w.err == nil {
			w.err = err
		}
	}
}

// Abort stops the update: the index stays as the last Commit left it.
func (u *Update) Abort() {
	for _, w := range u.work {
		if w.dw != nil {
			w.dw.w.Flush()
			w.dw.f.Close()
			w.dw = nil
		}
	}
}

// removeUnused deletes data files the state does not name (left by
// replaced inputs or interrupted updates).
func (x *Index) removeUnused() {
	used := map[string]bool{}
	for _, f := range x.st.Files {
		used[filepath.Clean(f.Data)] = true
	}
	ents, _ := os.ReadDir(filepath.Join(x.dir, "data"))
	for _, e := range ents {
		if rel := filepath.Join("data", e.Name()); !used[rel] {
			os.Remove(filepath.Join(x.dir, rel))
		}
	}
}

// hashHeadTail hashes the first and last hashSpan bytes of a file.
func hashHeadTail(path string) (head, tail string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", "", err
	}
	head, err = hashRange(f, 0, min(hashSpan, fi.Size()))
	if err != nil {
		return "", "", err
	}
	n := min(hashSpan, fi.Size())
	tail, err = hashRange(f, fi.Size()-n, n)
	return head, tail, err
}

func hashRange(f *os.File, off, n int64) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(f, off, n)); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)[:12]), nil
}

// grewFrom reports whether the file still starts with what was indexed:
// the same head and the same bytes where the old tail was.
func grewFrom(path string, old *FileState) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	n := min(hashSpan, old.Size)
	h, err1 := hashRange(f, 0, n)
	t, err2 := hashRange(f, old.Size-n, n)
	return err1 == nil && err2 == nil && h == old.Head && t == old.Tail
}

// maxIndexedText is how much of one event's message is indexed. A log line
// can be a megabyte (a cut 50 MB line, a dumped payload); search covers the
// first 64 KiB of each message (README: index limits).
const maxIndexedText = 64 << 10

func indexedText(s string) string {
	if len(s) <= maxIndexedText {
		return s
	}
	cut := maxIndexedText
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut]
}
