package index

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/rca-dev/rca/pkg/event"
)

// Tuning. BlockSize is the number of non-notable events per block document;
// BatchSize the documents per bleve batch.
// Writers is the number of goroutines that execute batches: a safe batch
// waits for its segment to be persisted, so two writers overlap that wait.
var (
	BlockSize = 1024
	BatchSize = 2000
	Writers   = 2
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
	Tail               // only grew: indexed from its last block on
)

func (a Action) String() string {
	return [...]string{"unchanged", "full", "tail"}[a]
}

type fileWork struct {
	action     Action
	path       string
	st         *FileState
	resumeLine int64
	nextBlock  int
	cur        *blockBuilder
	// dup: more than one input has this display path (an archive can
	// hold two members of one name). Their events share the work, blocks
	// and line numbers; dupLines counts the notable events seen per line
	// so that each gets a document id of its own.
	dup      bool
	dupLines map[int64]int
}

// Update is an index update under way. Add is called from one goroutine.
type Update struct {
	x       *Index
	work    map[string]*fileWork
	ch      chan docOp
	wg      sync.WaitGroup
	errMu   sync.Mutex
	err     error
	start   time.Time
	Summary Summary
}

// Summary is what an update did.
type Summary struct {
	Skipped, Full, Tail, Removed int
	Events, Notable, Blocks      int64
	Elapsed                      time.Duration
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

type docOp struct {
	id  string
	doc map[string]any
}

// Begin starts an update for the bundle's current inputs: it decides per
// input what to read, removes the documents of vanished and changed inputs
// and marks the index incomplete until Commit.
func (x *Index) Begin(inputs []Input) (*Update, error) {
	u := &Update{x: x, work: map[string]*fileWork{}, ch: make(chan docOp, 4096), start: time.Now()}
	seen := map[string]bool{}
	var dels []string
	for _, in := range inputs {
		if w := u.work[in.Path]; w != nil {
			w.dup = true
			u.Summary.count(w.action)
			continue
		}
		seen[in.Path] = true
		old := x.st.Files[in.Path]
		nw := &FileState{DiskPath: in.DiskPath, Size: in.Size, ModTime: in.ModTime, Member: in.Member}
		nw.Head, nw.Tail, _ = hashHeadTail(in.DiskPath)
		w := &fileWork{action: Full, path: in.Path, st: nw}
		if old != nil {
			switch {
			case old.Size == nw.Size && old.ModTime.Equal(nw.ModTime) && old.Head == nw.Head && old.Tail == nw.Tail && old.Head != "":
				w.action, w.st = Skip, old
			case !in.Member && !old.Member && nw.Size > old.Size && old.Head != "" && grewFrom(in.DiskPath, old):
				w.action = Tail
				w.resumeLine = old.LastLine
				nw.Blocks = old.Blocks
				if n := len(old.Blocks); n > 0 && old.Blocks[n-1].N < BlockSize {
					w.resumeLine = min(w.resumeLine, old.Blocks[n-1].MinLine)
					nw.Blocks = old.Blocks[:n-1]
				}
				nw.Blocks = append([]Block(nil), nw.Blocks...)
				w.nextBlock = len(nw.Blocks)
				nw.Events, nw.Notable = old.Events, old.Notable // approximate until re-counted below
				ids, err := x.docIDs(in.Path, w.resumeLine)
				if err != nil {
					return nil, err
				}
				nw.Notable -= int64(len(ids))
				dels = append(dels, ids...)
				for k := w.nextBlock; k < len(old.Blocks); k++ {
					dels = append(dels, blockID(in.Path, k))
					nw.Events -= int64(old.Blocks[k].N)
				}
				nw.Events -= int64(len(ids))
			default:
				ids, err := x.docIDs(in.Path, -1)
				if err != nil {
					return nil, err
				}
				dels = append(dels, ids...)
			}
		}
		u.Summary.count(w.action)
		u.work[in.Path] = w
	}
	for p := range x.st.Files {
		if !seen[p] {
			ids, err := x.docIDs(p, -1)
			if err != nil {
				return nil, err
			}
			dels = append(dels, ids...)
			u.Summary.Removed++
		}
	}
	x.st.Complete = false
	if err := writeState(x.dir, x.st); err != nil {
		return nil, err
	}
	// Deletions go first, in one batch, so that no writer can re-add a
	// document before its old version is gone.
	if len(dels) > 0 {
		b := x.bl.NewBatch()
		for _, id := range dels {
			b.Delete(id)
		}
		if err := x.bl.Batch(b); err != nil {
			return nil, fmt.Errorf("index: remove old documents: %w", err)
		}
	}
	for range max(1, Writers) {
		u.wg.Add(1)
		go u.writer()
	}
	return u, nil
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

// Notable reports whether an event gets a document of its own.
func Notable(ev *event.Event) bool {
	return ev.Kind != "" || ev.Level.Rank() >= event.LevelWarn.Rank()
}

// Add indexes one event (if its input is being indexed). Not safe for
// concurrent use.
func (u *Update) Add(ev *event.Event) {
	w := u.work[ev.File]
	if w == nil || w.action == Skip || (w.action == Tail && ev.Line < w.resumeLine) {
		return
	}
	st := w.st
	st.Events++
	u.Summary.Events++
	if ev.Line >= st.LastLine {
		st.LastLine, st.LastOffset = ev.Line, ev.Offset
	}
	if Notable(ev) {
		st.Notable++
		u.Summary.Notable++
		id := eventID(ev.File, ev.Line)
		if w.dup {
			if w.dupLines == nil {
				w.dupLines = map[int64]int{}
			}
			if n := w.dupLines[ev.Line]; n > 0 {
				id += "~" + strconv.Itoa(n)
			}
			w.dupLines[ev.Line]++
		}
		u.ch <- docOp{id: id, doc: eventDoc(ev)}
		return
	}
	if w.cur == nil {
		w.cur = newBlockBuilder(ev)
	}
	w.cur.add(ev)
	if w.cur.b.N >= BlockSize {
		u.flushBlock(w)
	}
}

func (u *Update) flushBlock(w *fileWork) {
	if w.cur == nil {
		return
	}
	u.ch <- docOp{id: blockID(w.path, w.nextBlock), doc: w.cur.doc()}
	w.st.Blocks = append(w.st.Blocks, w.cur.b)
	w.nextBlock++
	w.cur = nil
	u.Summary.Blocks++
}

func (u *Update) setErr(err error) {
	u.errMu.Lock()
	if u.err == nil {
		u.err = err
	}
	u.errMu.Unlock()
}

// writer applies the document operations in batches. Batches are executed
// with bleve's safe (persisted) batches; unsafe_batch lost documents.
func (u *Update) writer() {
	defer u.wg.Done()
	b := u.x.bl.NewBatch()
	flush := func() {
		if b.Size() == 0 {
			return
		}
		if err := u.x.bl.Batch(b); err != nil {
			u.setErr(fmt.Errorf("index batch: %w", err))
		}
		b.Reset()
	}
	for op := range u.ch {
		if err := b.Index(op.id, op.doc); err != nil {
			u.setErr(err)
		}
		if b.Size() >= BatchSize {
			flush()
		}
	}
	flush()
}

// Commit writes the last blocks, waits for the writer and marks the index
// complete. The update must not be used afterwards.
func (u *Update) Commit() (Summary, error) {
	for _, w := range u.work {
		if w.action != Skip {
			u.flushBlock(w)
		}
	}
	close(u.ch)
	u.wg.Wait()
	if u.err != nil {
		return u.Summary, u.err
	}
	st := u.x.st
	st.Files = map[string]*FileState{}
	for p, w := range u.work {
		st.Files[p] = w.st
	}
	st.Complete = true
	st.Updated = time.Now().UTC()
	u.Summary.Elapsed = time.Since(u.start)
	return u.Summary, writeState(u.x.dir, st)
}

// Abort stops the writer; the index stays marked incomplete and is rebuilt
// by the next update.
func (u *Update) Abort() {
	close(u.ch)
	u.wg.Wait()
}

// eventID is the document id of a notable event; the n-th event of one
// path and line after the first (inputs of one name) has "~n" appended.
func eventID(file string, line int64) string { return "e/" + file + ":" + strconv.FormatInt(line, 10) }
func blockID(file string, k int) string      { return "b/" + file + "#" + strconv.Itoa(k) }

// docIDs lists the documents of one file: all of them, or (fromLine >= 0)
// the event documents at or after that line (the line is in the id).
func (x *Index) docIDs(file string, fromLine int64) ([]string, error) {
	fq := query.NewTermQuery(file)
	fq.SetField(fFile)
	var ids []string
	for from := 0; ; from += 10000 {
		req := bleve.NewSearchRequestOptions(fq, 10000, from, false)
		req.SortBy([]string{"_id"})
		res, err := x.bl.Search(req)
		if err != nil {
			return nil, fmt.Errorf("index: list %s: %w", file, err)
		}
		for _, h := range res.Hits {
			if fromLine >= 0 {
				if f, line := splitEventID(h.ID); f != file || line < fromLine {
					continue
				}
			}
			ids = append(ids, h.ID)
		}
		if len(res.Hits) < 10000 {
			return ids, nil
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

// eventDoc is the document of a notable event.
func eventDoc(ev *event.Event) map[string]any {
	d := map[string]any{fType: "e", fMessage: indexedText(ev.Message), fSource: ev.Source, fFile: ev.File}
	if ev.Level != "" {
		d[fLevel] = string(ev.Level)
	}
	if ev.Kind != "" {
		d[fKind] = ev.Kind
	}
	if ev.Format != "" {
		d[fFormat] = ev.Format
	}
	if !ev.Time.IsZero() {
		d[fTime] = ev.Time
	}
	for _, f := range ev.Fields {
		k := fieldName(f.Key)
		if k == "" {
			continue
		}
		if numericFields[k] {
			if v, err := strconv.ParseFloat(f.Value, 64); err == nil {
				d[k] = v
			}
			continue
		}
		d[k] = f.Value
	}
	return d
}

// fieldName is the document field of an extracted field, "" when it would
// clash with a core field.
func fieldName(k string) string {
	if coreFields[k] || k == "" || strings.ContainsAny(k, ".") {
		return ""
	}
	return k
}

// blockBuilder gathers a block's terms: the union of its events' values
// under the same field names as event documents.
type blockBuilder struct {
	b      Block
	source string
	file   string
	msg    strings.Builder
	levels map[string]bool
	fmts   map[string]bool
	fields map[string]map[string]bool
	nums   map[string]map[float64]bool
}

func newBlockBuilder(ev *event.Event) *blockBuilder {
	return &blockBuilder{source: ev.Source, file: ev.File, levels: map[string]bool{}, fmts: map[string]bool{},
		fields: map[string]map[string]bool{}, nums: map[string]map[float64]bool{},
		b: Block{MinLine: ev.Line, MaxLine: ev.Line, MinOff: ev.Offset, MaxOff: ev.Offset}}
}

func (bb *blockBuilder) add(ev *event.Event) {
	b := &bb.b
	b.N++
	b.MinLine, b.MaxLine = min(b.MinLine, ev.Line), max(b.MaxLine, ev.Line)
	b.MinOff, b.MaxOff = min(b.MinOff, ev.Offset), max(b.MaxOff, ev.Offset)
	if !ev.Time.IsZero() {
		if b.MinTime.IsZero() || ev.Time.Before(b.MinTime) {
			b.MinTime = ev.Time
		}
		if ev.Time.After(b.MaxTime) {
			b.MaxTime = ev.Time
		}
	}
	if bb.msg.Len() > 0 {
		bb.msg.WriteByte('\n')
	}
	bb.msg.WriteString(indexedText(ev.Message))
	if ev.Level != "" {
		bb.levels[string(ev.Level)] = true
	}
	if ev.Format != "" {
		bb.fmts[ev.Format] = true
	}
	for _, f := range ev.Fields {
		k := fieldName(f.Key)
		if k == "" {
			continue
		}
		if numericFields[k] {
			if v, err := strconv.ParseFloat(f.Value, 64); err == nil {
				if bb.nums[k] == nil {
					bb.nums[k] = map[float64]bool{}
				}
				bb.nums[k][v] = true
			}
			continue
		}
		if bb.fields[k] == nil {
			bb.fields[k] = map[string]bool{}
		}
		bb.fields[k][f.Value] = true
	}
}

func keys[K comparable](m map[K]bool) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func (bb *blockBuilder) doc() map[string]any {
	d := map[string]any{fType: "b", fMessage: bb.msg.String(), fSource: bb.source, fFile: bb.file}
	if len(bb.levels) > 0 {
		d[fLevel] = keys(bb.levels)
	}
	if len(bb.fmts) > 0 {
		d[fFormat] = keys(bb.fmts)
	}
	for k, vs := range bb.fields {
		s := keys(vs)
		sort.Strings(s)
		d[k] = s
	}
	for k, vs := range bb.nums {
		d[k] = keys(vs)
	}
	return d
}

// maxIndexedText is how much of one event's message is indexed. A log line
// can be a megabyte (a cut 50 MB line, a dumped payload); analysing all of
// it made bleve's memory grow past half a gigabyte. Search covers the first
// 64 KiB of each message (README: index limits).
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
