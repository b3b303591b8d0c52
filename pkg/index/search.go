package index

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
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

// Hit is one matching event. Event is the full event for hits verified by
// re-reading; for notable events it holds the stored fields only.
type Hit struct {
	Event *event.Event
}

// Reread re-reads the events of the given inputs (display paths) of the
// bundle, with the same settings and classification the index was built
// with, calling emit for each.
type Reread func(ctx context.Context, paths []string, settings State, emit func(*event.Event)) error

// SearchStats describes how a search ran.
type SearchStats struct {
	Notable    int // hits among notable events
	Candidates int // candidate blocks re-read
	Verified   int // hits among re-read block events
}

// Search runs q and returns every matching event in time order (then file,
// line). Block candidates are verified by re-reading them with reread.
func (x *Index) Search(ctx context.Context, q Query, reread Reread) ([]Hit, SearchStats, error) {
	var ss SearchStats
	exact, err := buildQuery(q, false)
	if err != nil {
		return nil, ss, err
	}
	hits, err := searchAll(x.bl, query.NewConjunctionQuery([]query.Query{exact, termQ(fType, "e")}), true)
	if err != nil {
		return nil, ss, err
	}
	ss.Notable = len(hits)

	// Blocks hold only kind-less events below warn.
	if len(q.Kinds) == 0 && !onlyNotableLevels(q.Levels) {
		relaxed, err := buildQuery(q, true)
		if err != nil {
			return nil, ss, err
		}
		bh, err := searchAll(x.bl, query.NewConjunctionQuery([]query.Query{relaxed, termQ(fType, "b")}), false)
		if err != nil {
			return nil, ss, err
		}
		ranges := map[string][]Block{}
		for _, h := range bh {
			file, k, ok := parseBlockID(h.ID)
			fs := x.st.Files[file]
			if !ok || fs == nil || k >= len(fs.Blocks) {
				continue
			}
			b := fs.Blocks[k]
			if !q.Since.IsZero() && (b.MaxTime.IsZero() || b.MaxTime.Before(q.Since)) {
				continue
			}
			if !q.Until.IsZero() && (b.MinTime.IsZero() || !b.MinTime.Before(q.Until)) {
				continue
			}
			ranges[file] = append(ranges[file], b)
			ss.Candidates++
		}
		if len(ranges) > 0 {
			vh, err := x.verify(ctx, q, ranges, reread)
			if err != nil {
				return nil, ss, err
			}
			ss.Verified = len(vh)
			hits = append(hits, vh...)
		}
	}
	out := make([]Hit, len(hits))
	for i, h := range hits {
		out[i] = Hit{Event: h.ev}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Event, out[j].Event
		if !a.Time.Equal(b.Time) {
			return a.Time.Before(b.Time)
		}
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	return out, ss, nil
}

func onlyNotableLevels(levels []string) bool {
	if len(levels) == 0 {
		return false
	}
	for _, l := range levels {
		if event.Level(l).Rank() < event.LevelWarn.Rank() {
			return false
		}
	}
	return true
}

// verify re-reads the candidate blocks' events and runs the exact query on
// the non-notable ones in a throw-away in-memory index.
func (x *Index) verify(ctx context.Context, q Query, ranges map[string][]Block, reread Reread) ([]rawHit, error) {
	paths := make([]string, 0, len(ranges))
	for p := range ranges {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	mem, err := bleve.NewUsing("", newMapping(), scorch.Name, scorch.Name, nil) // in memory
	if err != nil {
		return nil, err
	}
	defer mem.Close()
	// Ids in the throw-away index are sequence numbers: two events can
	// share a path and line (archive members of one name).
	var evs []*event.Event
	b := mem.NewBatch()
	var ierr error
	err = reread(ctx, paths, *x.st, func(ev *event.Event) {
		if ierr != nil || Notable(ev) {
			return
		}
		in := false
		for _, r := range ranges[ev.File] {
			if ev.Line >= r.MinLine && ev.Line <= r.MaxLine {
				in = true
				break
			}
		}
		if !in {
			return
		}
		id := strconv.Itoa(len(evs))
		evs = append(evs, ev)
		// One batch for the lot: each in-memory batch makes a segment, and
		// fewer segments are cheaper to build and to search.
		ierr = b.Index(id, eventDoc(ev))
	})
	if err != nil {
		return nil, err
	}
	if ierr == nil && b.Size() > 0 {
		ierr = mem.Batch(b)
	}
	if ierr != nil {
		return nil, fmt.Errorf("verify: %w", ierr)
	}
	exact, err := buildQuery(q, false)
	if err != nil {
		return nil, err
	}
	hs, err := searchAll(mem, exact, false)
	if err != nil {
		return nil, err
	}
	for i := range hs {
		n, _ := strconv.Atoi(hs[i].ID)
		hs[i].ev = evs[n]
	}
	return hs, nil
}

type rawHit struct {
	ID string
	ev *event.Event
}

var storedFields = []string{fMessage, fSource, fLevel, fKind, fFile, fTime}

// searchAll pages through every hit of q.
func searchAll(ix bleve.Index, q query.Query, load bool) ([]rawHit, error) {
	const page = 10000
	var out []rawHit
	for from := 0; ; from += page {
		req := bleve.NewSearchRequestOptions(q, page, from, false)
		req.SortBy([]string{"_id"})
		if load {
			req.Fields = storedFields
		}
		res, err := ix.Search(req)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		for _, h := range res.Hits {
			rh := rawHit{ID: h.ID}
			if load {
				rh.ev = storedEvent(h.Fields)
				_, rh.ev.Line = splitEventID(h.ID)
			}
			out = append(out, rh)
		}
		if len(res.Hits) < page {
			return out, nil
		}
	}
}

func storedEvent(f map[string]any) *event.Event {
	s := func(k string) string { v, _ := f[k].(string); return v }
	ev := &event.Event{Message: s(fMessage), Source: s(fSource), Level: event.Level(s(fLevel)), Kind: s(fKind), File: s(fFile), Lines: 1}
	if t, err := time.Parse(time.RFC3339Nano, s(fTime)); err == nil {
		ev.Time = t.UTC()
	}
	ev.Raw = ev.Message
	return ev
}

// splitEventID reverses eventID.
func splitEventID(id string) (string, int64) {
	i := strings.LastIndexByte(id, ':')
	if !strings.HasPrefix(id, "e/") || i < 0 {
		return "", 0
	}
	line := id[i+1:]
	if j := strings.IndexByte(line, '~'); j >= 0 {
		line = line[:j]
	}
	n, _ := strconv.ParseInt(line, 10, 64)
	return id[2:i], n
}

func parseBlockID(id string) (string, int, bool) {
	if !strings.HasPrefix(id, "b/") {
		return "", 0, false
	}
	i := strings.LastIndexByte(id, '#')
	if i < 0 {
		return "", 0, false
	}
	k, err := strconv.Atoi(id[i+1:])
	return id[2:i], k, err == nil
}

func termQ(field, v string) query.Query {
	t := query.NewTermQuery(v)
	t.SetField(field)
	return t
}

func anyOf(field string, vs []string) query.Query {
	qs := make([]query.Query, len(vs))
	for i, v := range vs {
		qs[i] = termQ(field, v)
	}
	return query.NewDisjunctionQuery(qs)
}

// buildQuery turns q into a bleve query. relaxed is the block query: it
// must match every block holding a matching event, so negations and time
// ranges (which a block's union of terms cannot answer) are dropped; the
// time filters are applied to block ranges by the caller.
func buildQuery(q Query, relaxed bool) (query.Query, error) {
	var parts []query.Query
	if strings.TrimSpace(q.Text) != "" {
		qs := query.NewQueryStringQuery(booleanWords(q.Text))
		p, err := qs.Parse()
		if err != nil {
			return nil, fmt.Errorf("query %q: %w", q.Text, err)
		}
		if relaxed {
			p = relax(p)
		} else {
			p = qs
		}
		parts = append(parts, p)
	}
	if !relaxed && (!q.Since.IsZero() || !q.Until.IsZero()) {
		incl, excl := true, false
		parts = append(parts, query.NewDateRangeInclusiveQuery(q.Since, q.Until, &incl, &excl))
		parts[len(parts)-1].(*query.DateRangeQuery).SetField(fTime)
	}
	if len(q.Sources) > 0 {
		parts = append(parts, anyOf(fSource, q.Sources))
	}
	if len(q.Levels) > 0 {
		parts = append(parts, anyOf(fLevel, q.Levels))
	}
	if len(q.Kinds) > 0 {
		parts = append(parts, anyOf(fKind, q.Kinds))
	}
	if len(parts) == 0 {
		return query.NewMatchAllQuery(), nil
	}
	return query.NewConjunctionQuery(parts), nil
}

// relax widens a parsed query so that it matches a block whenever one of
// the block's events matches the original: negations and date ranges
// become "match all".
func relax(q query.Query) query.Query {
	switch t := q.(type) {
	case *query.BooleanQuery:
		var must, should query.Query
		if t.Must != nil {
			must = relax(t.Must)
		}
		if t.Should != nil {
			should = relax(t.Should)
		}
		if must == nil && should == nil {
			return query.NewMatchAllQuery()
		}
		if must == nil {
			return should
		}
		if should == nil {
			return must
		}
		// In query-string mode a Should beside a Must is optional.
		return must
	case *query.ConjunctionQuery:
		qs := make([]query.Query, len(t.Conjuncts))
		for i, c := range t.Conjuncts {
			qs[i] = relax(c)
		}
		return query.NewConjunctionQuery(qs)
	case *query.DisjunctionQuery:
		qs := make([]query.Query, len(t.Disjuncts))
		for i, c := range t.Disjuncts {
			qs[i] = relax(c)
		}
		d := query.NewDisjunctionQuery(qs)
		d.Min = t.Min
		return d
	case *query.DateRangeQuery, *query.MatchNoneQuery:
		return query.NewMatchAllQuery()
	}
	return q
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
