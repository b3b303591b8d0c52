package index

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/rca-dev/rca/pkg/event"
)

// A search is bleve's query-string syntax, parsed by bleve, then turned into
// a tree of matchers that is evaluated exactly on one event (match) and
// loosely on a block's sketch (may). The meaning follows bleve's: message is
// analysed like the standard analyzer does it (words, lower case, stop words
// out), every other field is a keyword (the whole value); bare words search
// the message; "a b" needs one of them, "+a" must match, "-a" must not; a
// word or phrase that analyses to nothing (a stop word) drops out of the
// query, as in bleve. Where bleve's answer depends on the rest of the index
// (a wildcard, regexp or fuzzy term that matches no term anywhere drops
// out), an event is judged on its own: such a term just does not match.
// Ranges apply to any field whose value is a number.

type nodeKind uint8

const (
	nAll nodeKind = iota
	nAnd
	nOr
	nNot
	nTerm   // field has the term (fuzz > 0: within that edit distance)
	nPhrase // message has the slots' terms at consecutive positions
	nRegexp // field has a term matching re (whole term)
	nRange  // field's value is a number in [lo, hi]
	nTime   // the event time is in [tlo, thi]
)

type node struct {
	kind   nodeKind
	kids   []*node
	min    int // nOr: how many kids must match (at least 1)
	field  string
	term   string
	fuzz   int
	slots  [][]string // nPhrase: the terms allowed at each position ("" slots: any)
	re     *regexp.Regexp
	lo, hi float64
	loIncl bool
	hiIncl bool
	tlo    time.Time
	thi    time.Time
}

// text reports whether field is analysed as text (the message).
func text(field string) bool { return field == fMessage }

func fieldOf(f string) string {
	if f == "" {
		return fMessage
	}
	return f
}

// analyze is the field's analysis of a query's text.
func analyze(field, s string) (terms []string, pos []int) {
	if text(field) {
		return analyzeText(s)
	}
	return []string{s}, []int{1}
}

// wildcardRE turns a wildcard into a regexp the way bleve does.
var wildcardRE = strings.NewReplacer("+", `\+`, "(", `\(`, ")", `\)`, "^", `\^`, "$", `\$`, ".", `\.`,
	"{", `\{`, "}", `\}`, "[", `\[`, "]", `\]`, `|`, `\|`, `\`, `\\`, "*", ".*", "?", ".")

// compile turns a bleve query into a node tree. nil means the query
// dropped out (analysed to nothing).
func compile(q query.Query) (*node, error) {
	switch t := q.(type) {
	case *query.QueryStringQuery:
		p, err := t.Parse()
		if err != nil {
			return nil, err
		}
		return compile(p)
	case *query.BooleanQuery:
		var must, should, not *node
		var err error
		if t.Must != nil {
			if must, err = compile(t.Must); err != nil {
				return nil, err
			}
		}
		if t.Should != nil {
			if should, err = compile(t.Should); err != nil {
				return nil, err
			}
		}
		if t.MustNot != nil {
			if not, err = compile(t.MustNot); err != nil {
				return nil, err
			}
		}
		if t.Filter != nil {
			return nil, fmt.Errorf("boolean filters are not supported")
		}
		shouldMin := 0
		if d, ok := t.Should.(*query.DisjunctionQuery); ok {
			shouldMin = int(d.Min)
		}
		var parts []*node
		switch {
		case must == nil && should == nil && not == nil:
			return nil, nil
		case must != nil:
			parts = append(parts, must)
			if should != nil && shouldMin > 0 {
				parts = append(parts, should)
			}
		case should != nil:
			parts = append(parts, should)
		default:
			parts = append(parts, &node{kind: nAll})
		}
		if not != nil {
			parts = append(parts, &node{kind: nNot, kids: []*node{not}})
		}
		if len(parts) == 1 {
			return parts[0], nil
		}
		return &node{kind: nAnd, kids: parts}, nil
	case *query.ConjunctionQuery:
		kids, err := compileAll(t.Conjuncts)
		if err != nil || len(kids) == 0 {
			return nil, err
		}
		if len(kids) == 1 {
			return kids[0], nil
		}
		return &node{kind: nAnd, kids: kids}, nil
	case *query.DisjunctionQuery:
		kids, err := compileAll(t.Disjuncts)
		if err != nil || len(kids) == 0 {
			return nil, err
		}
		m := max(int(t.Min), 1)
		if len(kids) == 1 && m == 1 {
			return kids[0], nil
		}
		return &node{kind: nOr, kids: kids, min: m}, nil
	case *query.MatchAllQuery:
		return &node{kind: nAll}, nil
	case *query.MatchNoneQuery:
		return nil, nil
	case *query.TermQuery:
		return &node{kind: nTerm, field: fieldOf(t.FieldVal), term: t.Term}, nil
	case *query.MatchQuery:
		field := fieldOf(t.FieldVal)
		terms, _ := analyze(field, t.Match)
		if len(terms) == 0 {
			return nil, nil
		}
		if t.Fuzziness > 2 {
			return nil, fmt.Errorf("fuzziness exceeds max (2)")
		}
		kids := make([]*node, len(terms))
		for i, term := range terms {
			kids[i] = &node{kind: nTerm, field: field, term: term, fuzz: t.Fuzziness}
		}
		if len(kids) == 1 {
			return kids[0], nil
		}
		if t.Operator == query.MatchQueryOperatorAnd {
			return &node{kind: nAnd, kids: kids}, nil
		}
		return &node{kind: nOr, kids: kids, min: 1}, nil
	case *query.MatchPhraseQuery:
		field := fieldOf(t.FieldVal)
		terms, pos := analyze(field, t.MatchPhrase)
		if len(terms) == 0 {
			return nil, nil
		}
		if t.Fuzziness != 0 {
			return nil, fmt.Errorf("fuzzy phrases are not supported")
		}
		first, last := pos[0], pos[0]
		for _, p := range pos {
			first, last = min(first, p), max(last, p)
		}
		slots := make([][]string, last-first+1)
		for i, term := range terms {
			slots[pos[i]-first] = append(slots[pos[i]-first], term)
		}
		if len(slots) == 1 && len(slots[0]) == 1 {
			return &node{kind: nTerm, field: field, term: slots[0][0]}, nil
		}
		return &node{kind: nPhrase, field: field, slots: slots}, nil
	case *query.WildcardQuery:
		return regexpNode(t.FieldVal, wildcardRE.Replace(t.Wildcard))
	case *query.RegexpQuery:
		return regexpNode(t.FieldVal, strings.TrimPrefix(t.Regexp, "^"))
	case *query.PrefixQuery:
		return regexpNode(t.FieldVal, regexp.QuoteMeta(t.Prefix)+".*")
	case *query.FuzzyQuery:
		if t.Fuzziness > 2 {
			return nil, fmt.Errorf("fuzziness exceeds max (2)")
		}
		return &node{kind: nTerm, field: fieldOf(t.FieldVal), term: t.Term, fuzz: t.Fuzziness}, nil
	case *query.NumericRangeQuery:
		n := &node{kind: nRange, field: fieldOf(t.FieldVal), lo: math.Inf(-1), hi: math.Inf(1), loIncl: true}
		if t.Min != nil {
			n.lo = *t.Min
		}
		if t.Max != nil {
			n.hi = *t.Max
		}
		if t.InclusiveMin != nil {
			n.loIncl = *t.InclusiveMin
		}
		if t.InclusiveMax != nil {
			n.hiIncl = *t.InclusiveMax
		}
		return n, nil
	case *query.DateRangeQuery:
		if fieldOf(t.FieldVal) != fTime {
			return &node{kind: nOr, min: 1}, nil // no other field holds times: matches nothing
		}
		n := &node{kind: nTime, tlo: t.Start.Time, thi: t.End.Time, loIncl: true}
		if t.InclusiveStart != nil {
			n.loIncl = *t.InclusiveStart
		}
		if t.InclusiveEnd != nil {
			n.hiIncl = *t.InclusiveEnd
		}
		return n, nil
	}
	return nil, fmt.Errorf("%T queries are not supported", q)
}

func compileAll(qs []query.Query) ([]*node, error) {
	var kids []*node
	for _, q := range qs {
		n, err := compile(q)
		if err != nil {
			return nil, err
		}
		if n != nil {
			kids = append(kids, n)
		}
	}
	return kids, nil
}

func regexpNode(field, expr string) (*node, error) {
	re, err := regexp.Compile(`^(?:` + expr + `)$`)
	if err != nil {
		return nil, fmt.Errorf("regexp %q: %w", expr, err)
	}
	return &node{kind: nRegexp, field: fieldOf(field), re: re}, nil
}

// eventView is one event as the matchers see it: the message's terms are
// analysed once, when a matcher first asks.
type eventView struct {
	ev       *event.Event
	analysed bool
	terms    []string
	pos      []int
}

func (v *eventView) reset(ev *event.Event) {
	v.ev, v.analysed = ev, false
	v.terms, v.pos = v.terms[:0], v.pos[:0]
}

func (v *eventView) messageTerms() ([]string, []int) {
	if v.analysed {
		return v.terms, v.pos
	}
	v.analysed = true
	msg := indexedText(v.ev.Message)
	if !isASCII(msg) {
		tokens(msg, func(t []byte, p int) {
			v.terms = append(v.terms, string(t))
			v.pos = append(v.pos, p)
		})
		return v.terms, v.pos
	}
	// ASCII words in lower case already are terms as they stand: no copy
	analyzers()
	var buf [64]byte
	asciiWords(msg, func(w string, p int) {
		t := w
		for i := 0; i < len(w); i++ {
			if 'A' <= w[i] && w[i] <= 'Z' {
				t = string(lower(w, buf[:]))
				break
			}
		}
		if !stopWords[t] {
			v.terms = append(v.terms, t)
			v.pos = append(v.pos, p)
		}
	})
	return v.terms, v.pos
}

// values calls f with each value of a keyword field until f returns true.
func (v *eventView) values(field string, f func(string) bool) bool {
	ev := v.ev
	switch field {
	case fSource:
		return f(ev.Source)
	case fLevel:
		return ev.Level != "" && f(string(ev.Level))
	case fKind:
		return ev.Kind != "" && f(ev.Kind)
	case fFormat:
		return ev.Format != "" && f(ev.Format)
	case fFile:
		return f(ev.File)
	case fLine:
		return f(strconv.FormatInt(ev.Line, 10))
	case fTime, fMessage:
		return false
	}
	for _, fl := range ev.Fields {
		if fl.Key == field && f(fl.Value) {
			return true
		}
	}
	return false
}

// match reports whether the event matches n exactly.
func (n *node) match(v *eventView) bool {
	switch n.kind {
	case nAll:
		return true
	case nAnd:
		for _, k := range n.kids {
			if !k.match(v) {
				return false
			}
		}
		return true
	case nOr:
		c := 0
		for _, k := range n.kids {
			if k.match(v) {
				if c++; c >= n.min {
					return true
				}
			}
		}
		return false
	case nNot:
		return !n.kids[0].match(v)
	case nTerm:
		eq := func(s string) bool { return s == n.term }
		if n.fuzz > 0 {
			eq = func(s string) bool { return editDistanceAtMost(s, n.term, n.fuzz) }
		}
		if text(n.field) {
			terms, _ := v.messageTerms()
			for _, t := range terms {
				if eq(t) {
					return true
				}
			}
			return false
		}
		return v.values(n.field, eq)
	case nRegexp:
		if text(n.field) {
			terms, _ := v.messageTerms()
			for _, t := range terms {
				if n.re.MatchString(t) {
					return true
				}
			}
			return false
		}
		return v.values(n.field, n.re.MatchString)
	case nPhrase:
		if !text(n.field) {
			return false // a keyword is one term: a longer phrase cannot match
		}
		return v.phrase(n.slots)
	case nRange:
		if n.field == fLine {
			return n.inRange(float64(v.ev.Line))
		}
		return v.values(n.field, func(s string) bool {
			f, err := strconv.ParseFloat(s, 64)
			return err == nil && n.inRange(f)
		})
	case nTime:
		t := v.ev.Time
		if t.IsZero() {
			return false
		}
		if !n.tlo.IsZero() && (t.Before(n.tlo) || (t.Equal(n.tlo) && !n.loIncl)) {
			return false
		}
		if !n.thi.IsZero() && (t.After(n.thi) || (t.Equal(n.thi) && !n.hiIncl)) {
			return false
		}
		return true
	}
	return false
}

func (n *node) inRange(f float64) bool {
	if f < n.lo || (f == n.lo && !n.loIncl) {
		return false
	}
	if f > n.hi || (f == n.hi && !n.hiIncl) {
		return false
	}
	return true
}

func (v *eventView) phrase(slots [][]string) bool {
	terms, pos := v.messageTerms()
	at := func(p int, alts []string) bool {
		for i, q := range pos {
			if q == p {
				for _, a := range alts {
					if terms[i] == a {
						return true
					}
				}
				return false
			}
		}
		return false
	}
	for i, t := range terms {
		ok := false
		for _, a := range slots[0] {
			ok = ok || t == a
		}
		if !ok {
			continue
		}
		all := true
		for k := 1; k < len(slots) && all; k++ {
			if len(slots[k]) > 0 && !at(pos[i]+k, slots[k]) {
				all = false
			}
		}
		if all {
			return true
		}
	}
	return false
}

// editDistanceAtMost reports whether a and b are within d edits (insert,
// delete, substitute, swap of neighbours; on runes), as bleve's fuzzy
// terms are.
func editDistanceAtMost(a, b string, d int) bool {
	ra, rb := []rune(a), []rune(b)
	if abs(len(ra)-len(rb)) > d {
		return false
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			c := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				c = min(c, prev2[j-2]+1)
			}
			cur[j] = c
			best = min(best, c)
		}
		if best > d {
			return false
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)] <= d
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// blockView is what may asks of a block: its sketch and time range.
type blockView struct {
	sk       *sketch
	min, max time.Time // zero when the block's events have no time
}

// may reports whether some event of the block may match n: never false
// when one does.
func (n *node) may(b *blockView) bool {
	switch n.kind {
	case nAll, nNot, nRegexp:
		return true
	case nAnd:
		for _, k := range n.kids {
			if !k.may(b) {
				return false
			}
		}
		return true
	case nOr:
		c := 0
		for _, k := range n.kids {
			if k.may(b) {
				if c++; c >= n.min {
					return true
				}
			}
		}
		return false
	case nTerm:
		if n.fuzz > 0 || n.field == fLine {
			return true
		}
		if n.field == fTime {
			return false
		}
		return b.sk.has(fieldKey(n.field, n.term))
	case nPhrase:
		for _, alts := range n.slots {
			if len(alts) == 0 {
				continue
			}
			any := false
			for _, a := range alts {
				any = any || b.sk.has(fieldKey(n.field, a))
			}
			if !any {
				return false
			}
		}
		return true
	case nRange:
		if n.field == fMessage || n.field == fTime {
			return false // never numbers (a bare number searches the message as a word and as a range)
		}
		return b.sk.mayRange(rangeField(n.field), n.lo, n.hi, n.loIncl, n.hiIncl)
	case nTime:
		if b.min.IsZero() {
			return false
		}
		if !n.tlo.IsZero() && (b.max.Before(n.tlo) || (b.max.Equal(n.tlo) && !n.loIncl)) {
			return false
		}
		if !n.thi.IsZero() && (b.min.After(n.thi) || (b.min.Equal(n.thi) && !n.hiIncl)) {
			return false
		}
		return true
	}
	return true
}

// mayTime answers may from the block's time range alone: false when a
// time condition every match needs excludes the block. It saves reading
// the sketch of blocks outside --since/--until.
func (n *node) mayTime(b *blockView) bool {
	switch n.kind {
	case nTime:
		return n.may(b)
	case nAnd:
		for _, k := range n.kids {
			if !k.mayTime(b) {
				return false
			}
		}
	}
	return true
}
