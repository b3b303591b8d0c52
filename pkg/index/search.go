package index

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/rca-dev/rca/pkg/event"
)

// Query is a search: bleve query-string syntax plus filters.
type Query struct {
	Text         string // "" matches everything
	Since, Until time.Time
	Sources      []string
	Levels       []string
	Kinds        []string
}

// ReadRange is a part of an input to read: from the event that starts at
// byte Off on line Line up to byte End (0: to the end of the input).
type ReadRange struct {
	Off, Line, End int64
}

// ReadRequest asks for events of one input of the bundle.
type ReadRequest struct {
	Path   string // display path
	Format string // the format it was indexed with ("" when unknown)
	// Ranges are the parts wanted, in file order; nil means the whole
	// input. A reader may read more than asked, in file order.
	Ranges []ReadRange
}

// Reread reads events of the bundle again, with the settings and the
// classification the index was built with, numbering lines and offsets as
// a read of the whole input does, and calls emit for each.
type Reread func(ctx context.Context, settings State, req ReadRequest, emit func(*event.Event)) error

// SearchStats describes how a search ran.
type SearchStats struct {
	Blocks            int // blocks in the index (plain and notable)
	NotableCandidates int // notable blocks whose events were checked
	Candidates        int // plain blocks re-read from the bundle
	Notable           int // hits among notable events
	Verified          int // hits among re-read plain events
	Redone            int // plain blocks a range re-read did not find as indexed, read again whole
	// Stale are inputs that changed since they were indexed: results for
	// them may be incomplete until the index is updated.
	Stale []string
}

// compileQuery turns q into its matcher; nil matches nothing.
func compileQuery(q Query) (*node, error) {
	var parts []*node
	if strings.TrimSpace(q.Text) != "" {
		n, err := compile(query.NewQueryStringQuery(booleanWords(q.Text)))
		if err != nil {
			return nil, fmt.Errorf("query %q: %w", q.Text, err)
		}
		if n == nil {
			return nil, nil // nothing but stop words
		}
		parts = append(parts, n)
	}
	if !q.Since.IsZero() || !q.Until.IsZero() {
		parts = append(parts, &node{kind: nTime, tlo: q.Since, thi: q.Until, loIncl: true})
	}
	for _, f := range []struct {
		field string
		vs    []string
	}{{fSource, q.Sources}, {fLevel, q.Levels}, {fKind, q.Kinds}} {
		if len(f.vs) == 0 {
			continue
		}
		or := &node{kind: nOr, min: 1}
		for _, v := range f.vs {
			or.kids = append(or.kids, &node{kind: nTerm, field: f.field, term: v})
		}
		parts = append(parts, or)
	}
	switch len(parts) {
	case 0:
		return &node{kind: nAll}, nil
	case 1:
		return parts[0], nil
	}
	return &node{kind: nAnd, kids: parts}, nil
}

// Search calls hit with every event that matches q, in no particular
// order, from one goroutine at a time. Notable events are checked from the
// index; plain blocks whose sketch may match are re-read from the bundle
// with reread and their events checked. Inputs are searched in parallel
// (reread is called concurrently for different inputs).
func (x *Index) Search(ctx context.Context, q Query, reread Reread, hit func(*event.Event)) (SearchStats, error) {
	var ss SearchStats
	tree, err := compileQuery(q)
	if err != nil || tree == nil {
		return ss, err
	}
	paths := make([]string, 0, len(x.st.Files))
	for p, fs := range x.st.Files {
		paths = append(paths, p)
		ss.Blocks += len(fs.Blocks) + len(fs.NotableBlocks)
		if fi, err := os.Stat(fs.DiskPath); err != nil || fi.Size() != fs.Size || !fi.ModTime().Equal(fs.ModTime) {
			ss.Stale = append(ss.Stale, p)
		}
	}
	sort.Strings(ss.Stale)
	// the largest first, so that the workers finish together
	sort.Slice(paths, func(i, j int) bool {
		a, b := x.st.Files[paths[i]], x.st.Files[paths[j]]
		if a.Size != b.Size {
			return a.Size > b.Size
		}
		return paths[i] < paths[j]
	})
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu    sync.Mutex
		first error
		next  int
		wg    sync.WaitGroup
	)
	locked := func(ev *event.Event) {
		mu.Lock()
		hit(ev)
		mu.Unlock()
	}
	for range min(runtime.GOMAXPROCS(0), len(paths)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				if next == len(paths) || first != nil {
					mu.Unlock()
					return
				}
				p := paths[next]
				next++
				mu.Unlock()
				fss, err := x.searchFile(ctx, p, x.st.Files[p], tree, reread, locked)
				mu.Lock()
				ss.NotableCandidates += fss.NotableCandidates
				ss.Candidates += fss.Candidates
				ss.Notable += fss.Notable
				ss.Verified += fss.Verified
				ss.Redone += fss.Redone
				if err != nil && first == nil {
					first = err
					cancel()
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return ss, first
}

// searchFile searches the blocks of one input.
func (x *Index) searchFile(ctx context.Context, p string, fs *FileState, tree *node, reread Reread, hit func(*event.Event)) (SearchStats, error) {
	var ss SearchStats
	if len(fs.Blocks)+len(fs.NotableBlocks) == 0 {
		return ss, nil
	}
	f, err := os.Open(filepath.Join(x.dir, fs.Data))
	if err != nil {
		return ss, fmt.Errorf("index data of %s: %w (rebuild it with rca index --rebuild)", p, err)
	}
	defer f.Close()
	var v eventView
	for _, b := range fs.NotableBlocks {
		ok, err := x.may(f, tree, &b)
		if err != nil {
			return ss, err
		}
		if !ok {
			continue
		}
		ss.NotableCandidates++
		data, err := readAt(f, b.EventsOff, b.EventsLen)
		if err != nil {
			return ss, err
		}
		evs, err := decodeChunk(data, p)
		if err != nil {
			return ss, fmt.Errorf("index data of %s: %w (rebuild it with rca index --rebuild)", p, err)
		}
		for _, ev := range evs {
			v.reset(ev)
			if tree.match(&v) {
				ss.Notable++
				hit(ev)
			}
		}
	}
	var cands []Block
	for _, b := range fs.Blocks {
		ok, err := x.may(f, tree, &b)
		if err != nil {
			return ss, err
		}
		if ok {
			cands = append(cands, b)
		}
	}
	if len(cands) == 0 {
		return ss, ctx.Err()
	}
	ss.Candidates = len(cands)
	n, redone, err := x.verify(ctx, p, fs, cands, tree, reread, hit)
	ss.Verified, ss.Redone = n, redone
	return ss, err
}

// may reads a block's sketch and asks the query about it.
func (x *Index) may(f *os.File, tree *node, b *Block) (bool, error) {
	bv := blockView{min: b.MinTime, max: b.MaxTime}
	if !tree.mayTime(&bv) {
		return false, nil
	}
	data, err := readAt(f, b.SketchOff, b.SketchLen)
	if err != nil {
		return false, err
	}
	if bv.sk, err = readSketch(data); err != nil {
		return false, fmt.Errorf("%s: %w (rebuild it with rca index --rebuild)", f.Name(), err)
	}
	return tree.may(&bv), nil
}

// mergeGap is how far apart two candidate blocks may be and still be read
// in one go: reading the events between costs less than starting again.
const mergeGap = 256 << 10

// verify re-reads candidate plain blocks of one input and checks their
// events. A block whose events do not add up to its digest (a read from
// its middle found other events than the whole read did) is read again
// from the input's start. Events must come in file order.
func (x *Index) verify(ctx context.Context, path string, fs *FileState, cands []Block, tree *node, reread Reread, hit func(*event.Event)) (int, int, error) {
	n := 0
	// run reads the blocks' events (in file order) and hands each block's
	// hits on as soon as the read has passed it and its digest agrees; the
	// blocks whose digest does not are returned. A whole read (whole) hands
	// every block's hits on.
	run := func(blocks []Block, whole bool) ([]Block, error) {
		req := ReadRequest{Path: path, Format: fs.Format}
		if !whole {
			for _, b := range blocks {
				// neighbours, and blocks a few events apart, are one read
				if k := len(req.Ranges); k > 0 && req.Ranges[k-1].End > 0 && b.Off-req.Ranges[k-1].End < mergeGap {
					req.Ranges[k-1].End = b.End
					continue
				}
				req.Ranges = append(req.Ranges, ReadRange{Off: b.Off, Line: b.MinLine, End: b.End})
			}
		}
		var (
			again []Block
			cur   int // the block being read
			sum   uint64
			hits  []*event.Event
			v     eventView
		)
		finish := func(upto int) {
			for ; cur < upto; cur++ {
				if whole || sum == blocks[cur].Digest {
					for _, ev := range hits {
						hit(ev)
					}
					n += len(hits)
				} else {
					again = append(again, blocks[cur])
				}
				sum, hits = 0, hits[:0]
			}
		}
		err := reread(ctx, *x.st, req, func(ev *event.Event) {
			i := cur + sort.Search(len(blocks)-cur, func(k int) bool { return blocks[cur+k].MaxLine >= ev.Line })
			finish(i)
			if i == len(blocks) || ev.Line < blocks[i].MinLine || Notable(ev) {
				return
			}
			sum += digest(ev)
			v.reset(ev)
			if tree.match(&v) {
				hits = append(hits, ev)
			}
		})
		if err != nil {
			return nil, err
		}
		finish(len(blocks))
		return again, nil
	}
	again, err := run(cands, false)
	if err != nil || len(again) == 0 {
		return n, 0, err
	}
	_, err = run(again, true)
	return n, len(again), err
}

// booleanWords accepts the AND, OR and NOT words people type into search
// boxes and turns them into bleve's +/- syntax: "a AND b" is "+a +b",
// "NOT a" is "-a", OR is bleve's default. Quoted phrases are left alone.
func booleanWords(s string) string {
	toks := splitQueryTokens(s)
	has := false
	for _, t := range toks {
		if t == "AND" || t == "OR" || t == "NOT" {
			has = true
		}
	}
	if !has {
		return s
	}
	mark := make([]byte, len(toks))
	for i, t := range toks {
		switch t {
		case "AND":
			if i > 0 && mark[i-1] == 0 {
				mark[i-1] = '+'
			}
			if i+1 < len(toks) && mark[i+1] == 0 {
				mark[i+1] = '+'
			}
		case "NOT":
			if i+1 < len(toks) {
				mark[i+1] = '-'
			}
		}
	}
	var out []string
	for i, t := range toks {
		if t == "AND" || t == "OR" || t == "NOT" {
			continue
		}
		if mark[i] != 0 && t[0] != '+' && t[0] != '-' {
			t = string(mark[i]) + t
		}
		out = append(out, t)
	}
	return strings.Join(out, " ")
}

// splitQueryTokens splits on spaces outside double quotes.
func splitQueryTokens(s string) []string {
	var toks []string
	var cur strings.Builder
	inq := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			cur.WriteByte(c)
			i++
			cur.WriteByte(s[i])
		case c == '"':
			inq = !inq
			cur.WriteByte(c)
		case (c == ' ' || c == '\t') && !inq:
			if cur.Len() > 0 {
				toks = append(toks, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteByte(c)
		}
	}
	if cur.Len() > 0 {
		toks = append(toks, cur.String())
	}
	return toks
}
