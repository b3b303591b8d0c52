package correlate

import (
	"bytes"
	"hash/fnv"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Online log template mining, after Drain (He et al., "Drain: An Online Log
// Parsing Approach with Fixed Depth Tree", ICWS 2017), with a cardinality rule
// in the spirit of Brain (Yu et al., 2023) for words that name the event.
//
// A Miner turns messages into templates. Only the first line of a message is
// mined (cut to MaxLineBytes): it is masked (numbers, addresses, ids, paths,
// times become "<*>", see template_mask.go), split into tokens at whitespace,
// and routed down a fixed-depth prefix tree keyed by the number of tokens and
// the first Depth tokens (a token holding a masked value or a digit goes down
// the wildcard branch). The leaf holds the templates of that shape. The message
// joins the template it is an instance of, else the one whose constant tokens
// it repeats at the same positions most (at least a Similarity share of them).
//
// When a message differs from its nearest template in wording, Drain would
// turn the differing words into "<*>". Here, the templates that grew from one
// another form a family that counts, per position, the distinct words seen
// there: while a position has shown at most MaxVariants words, each word names
// its own event ("VM Paused" and "VM Resumed" stay two templates, as do the
// states of "Transitioned from NEW to RUNNING"); once it shows more, the
// position is a variable ("Invalid user <*> from <*>") and the family's
// templates that differ only there are folded into the oldest of them. A word
// in capitals (RUNNING, GET, ERROR) is never made a variable.
//
// Memory is bounded: at most MaxTemplates templates are ever created by a
// miner (folded ones included; a message that would need one more joins the
// overflow template, see OverflowText), at most MaxTokens tokens per message
// (a longer line ends in one "<*>" for the rest), at most MaxLineBytes bytes
// of the first line, at most MaxChildren branches per tree node (further
// tokens share the wildcard branch), at most MaxVariants+1 words per position
// of a family, and a cache of at most 4096 recent masked lines (of at most 512
// bytes) that maps a repeated line straight to its template.

// MinerConfig tunes a Miner. The zero value selects the defaults.
type MinerConfig struct {
	// Similarity is the share (0..1] of a template's constant tokens that a
	// message must repeat at the same positions to be compared with it
	// rather than start a template of its own. Default 0.6.
	Similarity float64
	// MaxVariants is the number of distinct words a position of similar
	// messages may show and still tell events apart; one more makes it a
	// variable. Default 3.
	MaxVariants int
	// Depth is the number of leading tokens the prefix tree routes on.
	// Default 1: messages are compared with the templates of their length
	// and first word.
	Depth int
	// MaxChildren caps the branches of a tree node; further tokens go down
	// the wildcard branch. Default 100.
	MaxChildren int
	// MaxTemplates caps the templates a miner creates. Default 20000.
	MaxTemplates int
	// MaxTokens caps the tokens of a message (after masking): a longer line
	// keeps its first MaxTokens-1 tokens and one "<*>" for the rest.
	// Default 64.
	MaxTokens int
	// MaxLineBytes caps the bytes of the first line that are mined.
	// Default 4096.
	MaxLineBytes int
	// MaskQuoted masks whole quoted strings ("..." and '...') too.
	MaskQuoted bool
}

// Defaults of MinerConfig.
const (
	DefaultSimilarity   = 0.6
	DefaultMaxVariants  = 3
	DefaultDepth        = 1
	DefaultMaxChildren  = 100
	DefaultMaxTemplates = 20000
	DefaultMaxTokens    = 64
	DefaultMaxLineBytes = 4096
)

// OverflowText is the text of the template that collects the messages that
// would need a new template once a miner has created MaxTemplates.
const OverflowText = "<overflow>"

// Template is a cluster of messages: the text they share, with "<*>" in place
// of the parts that vary, and how many messages joined it.
//
// ID is a hash of Text (FNV-1a 64, as 16 hex digits), so the same template
// text gets the same ID in every run and every bundle. While a miner learns, a
// template's text can still generalize (a word that turns out to vary becomes
// "<*>") and its ID changes with it, and a template can be folded into an
// older one of its family: it then shows that template's Text and ID from then
// on, its Count stays what it was (the live template's Count includes it), and
// Add and Match return the live one. The *Template pointer itself stays valid
// for the miner's life. Final IDs are the ones read after the last Add: from
// the pointers Add returned, from Templates(), or from a second pass with
// Match. Two live templates of one miner can end with the same text (rare:
// messages that reached them through different tree branches); they then
// share the ID, which is what callers should group by.
type Template struct {
	ID    string // hash of Text, see above
	Text  string // tokens joined by single spaces, "<*>" for variables
	Count int64  // messages that joined the template (and those folded into it)

	toks   []tmplTok
	runs   []tmplRun // runs of two or more tokens that must be equal
	nConst int       // constant tokens
	need   int       // constant tokens a message must repeat: Similarity of nConst
	seq    int       // creation order: ties go to the older template
	leaf   *tmplNode
	fam    *tmplFamily
	into   *Template   // the live template this one was folded into
	folded []*Template // templates folded into this one, kept in sync
}

// tmplTok is one position of a template.
type tmplTok struct {
	text string // as shown; for a parameter pre+"<*>"+suf
	pre  string // parameter: accepted tokens start with pre...
	suf  string // ... and end with suf
	kind uint8
	// block marks a constant that may not become a variable, see tmplBlocks
	block bool
}

// tmplRun is a run of a template's tokens from..to-1, two or more, none of
// them a parameter: text is their text as in Template.Text (joined by single
// spaces). A message whose tokens from..to-1 read text has each of them as
// the template does (tokens hold no spaces), so score compares them at once.
type tmplRun struct {
	from, to int
	text     string
}

// Kinds of template tokens.
const (
	tmplConst = iota // wording: counts for similarity, must be equal
	tmplValue        // a masked value as masking wrote it ("<*>]", "(<*>)"): must be equal
	tmplParam        // a generalized position: any token with pre and suf fits
)

// tmplFamily links the live templates that grew from one template by
// differing words, with the distinct words seen at each position.
type tmplFamily struct {
	members []*Template
	pos     []tmplPosStat
}

type tmplPosStat struct {
	vals     []string // distinct words seen, at most MaxVariants+1
	variable bool
	pre, suf string // of the variable: what all its words shared
}

// Miner mines templates from one source's messages. It is not safe for
// concurrent use; use one miner per source.
type Miner struct {
	cfg      MinerConfig
	roots    map[int]*tmplNode // by token count
	all      []*Template       // every template created, in order
	live     int
	overflow *Template
	line     tmplLine
	leaves   []*tmplNode // search results, reused
	cache    map[string]*Template
	seen     tmplSeen // message -> the template cache gave it, see Add
}

type tmplNode struct {
	children map[string]*tmplNode
	wild     *tmplNode
	leaf     []*Template // live templates, oldest first
}

// NewMiner returns a miner with cfg's zero fields set to their defaults.
func NewMiner(cfg MinerConfig) *Miner {
	if cfg.Similarity <= 0 || cfg.Similarity > 1 {
		cfg.Similarity = DefaultSimilarity
	}
	if cfg.MaxVariants <= 0 {
		cfg.MaxVariants = DefaultMaxVariants
	}
	if cfg.Depth <= 0 {
		cfg.Depth = DefaultDepth
	}
	if cfg.MaxChildren <= 0 {
		cfg.MaxChildren = DefaultMaxChildren
	}
	if cfg.MaxTemplates <= 0 {
		cfg.MaxTemplates = DefaultMaxTemplates
	}
	if cfg.MaxTokens <= 0 {
		cfg.MaxTokens = DefaultMaxTokens
	}
	if cfg.MaxLineBytes <= 0 {
		cfg.MaxLineBytes = DefaultMaxLineBytes
	}
	return &Miner{cfg: cfg, roots: make(map[int]*tmplNode), cache: make(map[string]*Template)}
}

// mask masks message into m.line: m.line.buf is then its tokens, each followed
// by a space.
func (m *Miner) mask(message string) *tmplLine {
	l := &m.line
	tmplMask(l, tmplFirstLine(message, m.cfg.MaxLineBytes), m.cfg.MaxTokens, m.cfg.MaskQuoted)
	return l
}

// Add mines one message and returns the template it joined. Only the
// message's first line is mined: a stack trace's first line carries the
// event, its frames would make every trace a template of its own. The
// template's Text and ID may still generalize as later messages come; see
// Template.
func (m *Miner) Add(message string) *Template {
	// a message seen before has the masked line it had then (masking is
	// a function of the message): when that line is still cached, its
	// template is the answer masking would lead to, without the masking
	var h uint64
	remember := len(message) <= tmplMaskedMax
	if remember {
		h = m.seen.hash(message)
		if e := m.seen.find(h, message); e.t != nil {
			t := e.t.live()
			t.Count++
			return t
		}
	}
	l := m.mask(message)
	if t := m.cached(); t != nil {
		t.Count++
		if remember {
			m.seen.put(h, message, t)
		}
		return t
	}
	t := m.add(l)
	if t != m.overflow && len(m.line.buf) <= tmplCacheKeyMax {
		if len(m.cache) >= tmplCacheSize {
			clear(m.cache)
			m.seen.reset() // its templates came from the cache
		}
		m.cache[string(m.line.buf)] = t
		if remember {
			m.seen.put(h, message, t)
		}
	}
	return t
}

// The masked lines a miner remembers the template of: at most tmplCacheSize
// lines of at most tmplCacheKeyMax bytes.
const (
	tmplCacheSize   = 4096
	tmplCacheKeyMax = 512
	// tmplMaskedMax: the longest message whose template is remembered
	// (Miner.seen): repeats of one line are common among warnings and
	// errors, and masking is most of what Add costs.
	tmplMaskedMax = 256
	// tmplMaskedChunk: the size of a chunk of tmplSeen.text
	tmplMaskedChunk = 32 << 10
)

// live is the live template t was folded into, or t.
func (t *Template) live() *Template {
	for t.into != nil {
		t = t.into
	}
	return t
}

// cached returns the template the masked line in m.line.buf joined before, if
// remembered: the same line joins the same template again (it still fits:
// templates only generalize, and a folded one leads to the one it joined).
func (m *Miner) cached() *Template { return m.cachedKey(string(m.line.buf)) }

// cachedKey is the live template of the cached masked line k, or nil.
func (m *Miner) cachedKey(k string) *Template {
	t := m.cache[k]
	if t == nil {
		return nil
	}
	return t.live()
}

func (m *Miner) add(l *tmplLine) *Template {
	for {
		c, fits := m.best(m.search(l), l, false)
		switch {
		case c == nil:
			if len(m.all) >= m.cfg.MaxTemplates {
				return m.overflowTemplate(true)
			}
			t := m.newTemplate(l, nil)
			t.Count = 1
			m.insert(t, l)
			return t
		case fits:
			// l is an instance of c: merge would change nothing
			c.Count++
			return c
		}
		enum, flipped := m.observe(c, l)
		switch {
		case flipped:
			// the family changed: look again
			continue
		case !enum:
			// no word differs, only masked values
			c.Count++
			m.merge(c, l)
			return c
		case len(m.all) >= m.cfg.MaxTemplates:
			return m.overflowTemplate(true)
		}
		// a sibling of c: l's tokens, with the family's variables
		t := m.newTemplate(l, c)
		t.Count = 1
		t.fam = c.fam
		c.fam.members = append(c.fam.members, t)
		t.leaf = c.leaf
		c.leaf.leaf = append(c.leaf.leaf, t)
		return t
	}
}

// Match returns the live template that message is an instance of (each
// constant token of the template at its position, each variable one accepting
// the message's token), without learning; nil when there is none, or the
// overflow template when the miner is full. Right after Add(message), Match
// returns the template Add returned; after the last Add, a second pass with
// Match gives every message its final template.
func (m *Miner) Match(message string) *Template {
	l := m.mask(message)
	if t := m.cached(); t != nil {
		return t
	}
	if t, _ := m.best(m.search(l), l, true); t != nil {
		return t
	}
	if len(m.all) >= m.cfg.MaxTemplates {
		return m.overflowTemplate(false)
	}
	return nil
}

// Templates returns the miner's live templates, most frequent first, then by
// text. The overflow template is included once a message joined it.
func (m *Miner) Templates() []*Template {
	out := make([]*Template, 0, m.live+1)
	for _, t := range m.all {
		if t.into == nil {
			out = append(out, t)
		}
	}
	if m.overflow != nil && m.overflow.Count > 0 {
		out = append(out, m.overflow)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Text < b.Text
	})
	return out
}

// Len returns the number of live templates (the overflow template not
// counted).
func (m *Miner) Len() int { return m.live }

func (m *Miner) overflowTemplate(add bool) *Template {
	if m.overflow == nil {
		m.overflow = &Template{Text: OverflowText, ID: tmplID(OverflowText), seq: -1}
	}
	if add {
		m.overflow.Count++
	}
	return m.overflow
}

// tmplID is the FNV-1a 64 hash of text as 16 hex digits.
func tmplID(text string) string {
	h := fnv.New64a()
	h.Write([]byte(text))
	s := strconv.FormatUint(h.Sum64(), 16)
	if len(s) < 16 {
		s = strings.Repeat("0", 16-len(s)) + s
	}
	return s
}

// tmplRouteWild reports whether a token goes down the wildcard branch of the
// tree: it holds a masked value or a digit.
func tmplRouteWild(tok []byte) bool {
	for _, c := range tok {
		if tmplIsDigit(c) || c == '*' {
			return true
		}
	}
	return false
}

// search collects in m.leaves the leaves that may hold l's template: the
// path through the children named by l's tokens, and at each level where
// that path took a named child, also the wildcard branch (a template that
// settled there before the named child existed).
func (m *Miner) search(l *tmplLine) []*tmplNode {
	m.leaves = m.leaves[:0]
	if root := m.roots[l.n()]; root != nil {
		m.walk(root, l, 0)
	}
	return m.leaves
}

func (m *Miner) walk(node *tmplNode, l *tmplLine, d int) {
	if d >= m.cfg.Depth || d >= l.n() {
		if len(node.leaf) > 0 {
			m.leaves = append(m.leaves, node)
		}
		return
	}
	if tok := l.tok(d); !tmplRouteWild(tok) {
		if c := node.children[string(tok)]; c != nil {
			m.walk(c, l, d+1)
		}
	}
	if node.wild != nil {
		m.walk(node.wild, l, d+1)
	}
}

// insert puts a new template into the tree, creating the path: the one
// search takes for the same tokens from then on.
func (m *Miner) insert(t *Template, l *tmplLine) {
	n := l.n()
	node := m.roots[n]
	if node == nil {
		node = &tmplNode{}
		m.roots[n] = node
	}
	for d := 0; d < m.cfg.Depth && d < n; d++ {
		tok := l.tok(d)
		if !tmplRouteWild(tok) {
			if c := node.children[string(tok)]; c != nil {
				node = c
				continue
			}
			if len(node.children) < m.cfg.MaxChildren {
				if node.children == nil {
					node.children = make(map[string]*tmplNode)
				}
				c := &tmplNode{}
				node.children[string(tok)] = c
				node = c
				continue
			}
		}
		if node.wild == nil {
			node.wild = &tmplNode{}
		}
		node = node.wild
	}
	t.leaf = node
	node.leaf = append(node.leaf, t)
}

// score compares template t with the masked message l (same token count): sim
// is the share of t's constant tokens l repeats, fits reports whether l is an
// instance of t, and ok whether t is a candidate at all: l fits it, or (unless
// match) repeats at least t.need of its constants, and no word in capitals
// differs. It stops at the first mismatch that rules t out.
func (m *Miner) score(t *Template, l *tmplLine, match bool) (sim float64, fits, ok bool) {
	miss, maxMiss := 0, t.nConst-t.need
	if match {
		maxMiss = 0
	}
	fits = true
	ri := 0 // the next run
	for i := 0; i < len(t.toks); i++ {
		if ri < len(t.runs) && t.runs[ri].from == i {
			r := &t.runs[ri]
			ri++
			if string(l.buf[l.start(i):l.end[r.to-1]]) == r.text {
				i = r.to - 1
				continue
			}
		}
		tt := &t.toks[i]
		w := l.tok(i)
		switch tt.kind {
		case tmplConst:
			if tt.text == string(w) {
				continue
			}
			fits = false
			if miss++; miss > maxMiss || tt.block || tmplBlocks(w) {
				return 0, false, false
			}
		case tmplValue:
			if fits && tt.text != string(w) {
				if match {
					return 0, false, false
				}
				fits = false
			}
		default:
			if fits && !tmplFitsParam(tt, w) {
				if match {
					return 0, false, false
				}
				fits = false
			}
		}
	}
	if t.nConst == 0 {
		return 1, fits, true
	}
	return float64(t.nConst-miss) / float64(t.nConst), fits, true
}

// tmplBlocks reports whether a constant token may not become a variable
// because it names the event rather than a value: a word in capitals, like a
// state, method or level (RUNNING, "GET, ERROR).
func tmplBlocks(tok []byte) bool {
	letters := 0
	for _, c := range tok {
		switch {
		case c >= 'A' && c <= 'Z':
			letters++
		case c == '_':
		case tmplIsAlnum(c):
			return false
		}
	}
	return letters >= 2
}

func tmplFitsParam(tt *tmplTok, w []byte) bool {
	return len(w) >= len(tt.pre)+len(tt.suf) &&
		string(w[:len(tt.pre)]) == tt.pre && string(w[len(w)-len(tt.suf):]) == tt.suf
}

// best returns the template of leaf that l is nearest to: with match, only
// templates l is an instance of count; without, also those whose similarity
// reaches the threshold. Higher similarity wins, then the older template (an
// instance always has similarity 1). fits reports whether l is an instance of
// the result.
func (m *Miner) best(leaves []*tmplNode, l *tmplLine, match bool) (best *Template, fits bool) {
	bestSim := -1.0
	for _, leaf := range leaves {
		for _, t := range leaf.leaf {
			sim, f, ok := m.score(t, l, match)
			if !ok {
				continue
			}
			if sim > bestSim || sim == bestSim && t.seq < best.seq {
				best, bestSim, fits = t, sim, f
			}
		}
	}
	return best, fits
}

// observe handles a message l that is near template c but differs from it in
// wording: each differing position counts its distinct words in c's family
// (enum reports such a position), and a position beyond MaxVariants becomes a
// variable of the whole family (flipped reports that).
func (m *Miner) observe(c *Template, l *tmplLine) (enum, flipped bool) {
	fam := c.fam
	if fam == nil {
		fam = &tmplFamily{members: []*Template{c}, pos: make([]tmplPosStat, len(c.toks))}
		c.fam = fam
	}
	for i := range c.toks {
		tt := &c.toks[i]
		w := l.tok(i)
		if tt.kind != tmplConst || tt.text == string(w) {
			continue
		}
		st := &fam.pos[i]
		if st.variable {
			continue // merge makes it a parameter
		}
		// a value where the family had a word, or two different ids
		// (rdd_<*>, broadcast_<*>), make a variable at once
		if !st.add(tt.text, w, m.cfg.MaxVariants) || l.isValue(i) ||
			tmplIsID([]byte(tt.text)) && tmplIsID(w) {
			// keep what its words share ("user=<*>")
			st.variable = true
			st.pre, st.suf = tmplCommon(st.vals[0], []byte(st.vals[1]))
			for _, v := range st.vals[2:] {
				st.pre, st.suf = tmplShrink(st.pre, st.suf, []byte(v))
			}
			st.vals = nil
			flipped = true
		} else {
			enum = true
		}
	}
	if flipped {
		m.generalize(fam)
	}
	return enum, flipped
}

// tmplIsID reports whether a token is an id with a masked number: a name
// followed by "<*>" or by "_<*>" or "-<*>" (rdd_<*>, node<*>).
func tmplIsID(tok []byte) bool {
	k := bytes.Index(tok, tmplWildB)
	if k <= 0 {
		return false
	}
	c := tok[k-1]
	return c == '_' || c == '-' || tmplIsLetter(c)
}

// add records words a and b at a family position and reports whether it
// still has at most max distinct words.
func (st *tmplPosStat) add(a string, b []byte, max int) bool {
	hasA, hasB := false, false
	for _, v := range st.vals {
		hasA = hasA || v == a
		hasB = hasB || v == string(b)
	}
	if !hasA {
		st.vals = append(st.vals, a)
	}
	if !hasB {
		st.vals = append(st.vals, string(b))
	}
	return len(st.vals) <= max
}

// generalize turns the family's variable positions into parameters in every
// member and folds members that became the same template into the oldest.
func (m *Miner) generalize(fam *tmplFamily) {
	for _, t := range fam.members {
		changed := false
		for i := range t.toks {
			tt := &t.toks[i]
			st := &fam.pos[i]
			if !st.variable || tt.kind != tmplConst {
				continue
			}
			tt.pre, tt.suf = tmplShrink(st.pre, st.suf, []byte(tt.text))
			tt.kind, tt.block = tmplParam, false
			tt.text = tt.pre + tmplWild + tt.suf
			changed = true
		}
		if changed {
			m.retext(t)
		}
	}
	// fold duplicates into the oldest (members are oldest first)
	seen := make(map[string]*Template, len(fam.members))
	kept := fam.members[:0]
	for _, t := range fam.members {
		if into := seen[t.Text]; into != nil {
			m.fold(t, into)
			continue
		}
		seen[t.Text] = t
		kept = append(kept, t)
	}
	for i := len(kept); i < len(fam.members); i++ {
		fam.members[i] = nil
	}
	fam.members = kept
}

// fold merges live template t into live template into (same text).
func (m *Miner) fold(t, into *Template) {
	// the same text can hide a constant against a parameter: keep the
	// more general token
	changed := false
	for i := range into.toks {
		if t.toks[i].kind == tmplParam && into.toks[i].kind != tmplParam {
			into.toks[i] = t.toks[i]
			changed = true
		}
	}
	if changed {
		m.retext(into)
	}
	into.Count += t.Count
	leaf := t.leaf.leaf
	for i, x := range leaf {
		if x == t {
			copy(leaf[i:], leaf[i+1:])
			leaf[len(leaf)-1] = nil
			t.leaf.leaf = leaf[:len(leaf)-1]
			break
		}
	}
	t.into = into
	into.folded = append(into.folded, t)
	for _, f := range t.folded {
		f.into = into
		into.folded = append(into.folded, f)
	}
	t.folded = nil
	t.toks, t.runs, t.fam, t.leaf = nil, nil, nil, nil
	m.live--
	m.sync(into)
}

// newTemplate builds a template for l, from l's tokens; as a sibling of c,
// it takes c's parameters at the positions that are variables of c's family.
func (m *Miner) newTemplate(l *tmplLine, c *Template) *Template {
	t := &Template{seq: len(m.all), toks: make([]tmplTok, l.n())}
	for i := range t.toks {
		w := l.tok(i)
		switch {
		case c != nil && c.fam != nil && c.fam.pos[i].variable && c.toks[i].kind == tmplParam:
			tt := c.toks[i]
			if !tmplFitsParam(&tt, w) {
				tt.pre, tt.suf = tmplShrink(tt.pre, tt.suf, w)
				tt.text = tt.pre + tmplWild + tt.suf
			}
			t.toks[i] = tt
		case string(w) == tmplWild:
			t.toks[i] = tmplTok{text: tmplWild, kind: tmplParam}
		case l.isValue(i):
			t.toks[i] = tmplTok{text: string(w), kind: tmplValue}
		default:
			t.toks[i] = tmplTok{text: string(w), block: tmplBlocks(w)}
		}
	}
	m.retext(t)
	m.all = append(m.all, t)
	m.live++
	return t
}

// merge generalizes t so that l is an instance of it.
func (m *Miner) merge(t *Template, l *tmplLine) {
	changed := false
	for i := range t.toks {
		tt := &t.toks[i]
		w := l.tok(i)
		if tt.kind != tmplParam {
			if tt.text == string(w) {
				continue
			}
			tt.pre, tt.suf = tmplCommon(tt.text, w)
		} else {
			if tmplFitsParam(tt, w) {
				continue
			}
			tt.pre, tt.suf = tmplShrink(tt.pre, tt.suf, w)
		}
		tt.kind, tt.block = tmplParam, false
		tt.text = tt.pre + tmplWild + tt.suf
		changed = true
	}
	if changed {
		m.retext(t)
	}
}

// tmplCommon returns what two differing tokens keep when they generalize: a
// common "key=" or "key:" prefix and common closing punctuation.
func tmplCommon(a string, b []byte) (pre, suf string) {
	n := len(a)
	if len(b) < n {
		n = len(b)
	}
	p := 0
	for p < n && a[p] == b[p] {
		p++
	}
	for p > 0 && a[p-1] != '=' && a[p-1] != ':' {
		p--
	}
	s := 0
	for s < n-p && a[len(a)-1-s] == b[len(b)-1-s] && strings.IndexByte(",;:.)]}\"'!?", a[len(a)-1-s]) >= 0 {
		s++
	}
	return a[:p], a[len(a)-s:]
}

// tmplShrink narrows a parameter's prefix and suffix until w fits them.
func tmplShrink(pre, suf string, w []byte) (string, string) {
	p := 0
	for p < len(pre) && p < len(w) && pre[p] == w[p] {
		p++
	}
	for p > 0 && pre[p-1] != '=' && pre[p-1] != ':' {
		p--
	}
	s := 0
	for s < len(suf) && s < len(w)-p && suf[len(suf)-1-s] == w[len(w)-1-s] {
		s++
	}
	return pre[:p], suf[len(suf)-s:]
}

// retext recomputes t's Text, ID, runs and constant count after its tokens
// changed.
func (m *Miner) retext(t *Template) {
	var sb strings.Builder
	t.nConst = 0
	at := make([]int, len(t.toks)+1) // where each token starts in Text, and the end
	for i := range t.toks {
		if i > 0 {
			sb.WriteByte(' ')
		}
		at[i] = sb.Len()
		sb.WriteString(t.toks[i].text)
		if t.toks[i].kind == tmplConst {
			t.nConst++
		}
	}
	at[len(t.toks)] = sb.Len() + 1
	t.need = int(math.Ceil(m.cfg.Similarity*float64(t.nConst) - 1e-9))
	t.Text = sb.String()
	t.ID = tmplID(t.Text)
	t.runs = t.runs[:0]
	for i := 0; i < len(t.toks); {
		j := i
		for j < len(t.toks) && t.toks[j].kind != tmplParam {
			j++
		}
		if j-i >= 2 {
			t.runs = append(t.runs, tmplRun{from: i, to: j, text: t.Text[at[i] : at[j]-1]})
		}
		i = j + 1
	}
	m.sync(t)
}

// sync shows t's text on the templates folded into it.
func (m *Miner) sync(t *Template) {
	for _, f := range t.folded {
		f.Text, f.ID = t.Text, t.ID
	}
}
