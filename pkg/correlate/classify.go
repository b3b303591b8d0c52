package correlate

import (
	"fmt"
	"math/bits"
	"net"
	"regexp"
	"slices"
	"strings"

	"github.com/rca-dev/rca/pkg/event"
)

// The window of a message that is scanned: its first windowHead bytes, and
// past them up to windowExtra "Caused by:" lines and the last line (where
// Java and Python put the root exception), each cut to windowLine bytes.
// Caused-by lines are looked for in the windowTail bytes past the head, the
// last line in the last 2*windowLine bytes. Nothing else of a longer message
// is read: the cost per event is bounded.
// Segments are read in place by a table-driven automaton (litScanner), so
// nothing is allocated.
const (
	windowHead  = 4096
	windowLine  = 512
	windowExtra = 4
	windowTail  = 64 << 10
	maxSegs     = 2 + windowExtra

	hitWords  = 8 // literal bitset: up to 512 distinct literals
	ruleWords = 4 // rule bitset: up to 256 rules
)

type bitset [hitWords]uint64

func (b *bitset) set(i int) { b[i>>6] |= 1 << (uint(i) & 63) }

// or adds o's members to b.
func (b *bitset) or(o *bitset) {
	for i := range b {
		b[i] |= o[i]
	}
}

func (b *bitset) intersects(o *bitset) bool {
	for i := range b {
		if b[i]&o[i] != 0 {
			return true
		}
	}
	return false
}

type compiledRule struct {
	rule
	also, not bitset
	hasAlso   bool
	target    bool // kind is one of targetKinds
	re        *regexp.Regexp
}

// The facts an extractor finds, as indexes of the wants facts keeps.
const (
	wantTarget = iota
	wantHost
	wantStatus
	wantCode
)

type compiledExtractor struct {
	extractor
	want                                  int // wantTarget, ... by key
	re                                    *regexp.Regexp
	prefix                                string // the literal every match of re begins with
	ncap                                  int    // offsets in a match: 2 per group, the whole match's too
	gAddr, gHost, gIP, gPort, gScheme, gV int
}

// subCap is the most offsets a match of an extractor with a sub function
// has (NewClassifier checks): find fills them in the caller's array.
const subCap = 8

// automaton finds literals in a window: lits, an Aho-Corasick automaton
// over lower-case literals (reporting literal ids), with gate, a filter in
// front of it (see gramGate).
type automaton struct {
	lits *litScanner
	gate gramGate
}

// gramGate dismisses a window that cannot contain any literal that makes a
// rule a candidate, at about 1 ns/byte, before it is walked through the
// automaton. It holds pieces of each such literal, hashed
// case-insensitively into a Bloom filter (gramFilter):
// if a literal occurs in the text, so does each of its pieces.
//
// The text is not tested at every offset but at every stride-th one (0,
// stride, 2*stride, ...), 8 bytes (and 4 where needed) loaded at once. So
// that an occurrence at any offset is caught, each literal puts stride
// consecutive pieces in the filter (those at offsets b, b+1, ...,
// b+stride-1 of the literal): whatever the literal's offset in the text,
// one of them starts at a tested offset. A piece is n bytes (8, or as few
// as 6 when that allows a longer stride: the signal gate's shortest
// literals have 9 bytes, and 6-byte pieces every fourth offset test half
// as often as 8-byte ones every other), or 4 for a literal too short for
// stride n-byte pieces. The run kept is the least
// common-looking one, which favours pieces that span two words ("d to
// rebal" rather than "preparin"), because most log lines contain the
// common words of the rule literals but not their combinations. The stride
// is chosen per gate (gramStride) from its literals' lengths.
type gramGate struct {
	b4, b8 gramFilter
	stride int
	n      int    // bytes of a long piece (b8): 8, or fewer for a longer stride
	mul    uint64 // gramMul<<(64-8*n): gramHash's factor for a long piece
	has4   bool
	open   bool // a literal is too short for any piece: always pass
}

// Hashes fold ASCII case by setting bit 5 of every byte (the same on both
// sides, so folding other bytes together only adds false positives). The
// hash of the low n bytes of a word x is one multiplication,
// (x|gramFold) * (gramMul<<(64-8*n)), which is ((x|gramFold)<<(64-8*n)) *
// gramMul: the bytes above the piece drop out without a mask, and the top
// bits of the product depend on every bit of the piece.
const (
	gramFold = 0x2020202020202020
	gramMul  = 0x9e3779b97f4a7c15
	gramMul4 = gramMul << 32 & (1<<64 - 1) // the factor of a 4-byte piece
)

// gramHash is the hash of the low bytes of x that mul keeps (see gramFold).
func gramHash(x, mul uint64) uint64 { return (x | gramFold) * mul }

// gramFilter is a Bloom filter of piece hashes. Its first test is a byte
// per value of a hash's top 13 bits (a shift and a load, where a bit would
// take two shifts), which stops all but a few percent of the pieces of
// ordinary text; then gramBits-1 bits of a 65,536-bit set, picked by the
// top 16 bits of the hash times gramMul, and of that times gramMul.
type gramFilter struct {
	first [1 << 13]uint8
	bits  [1 << 10]uint64
}

// gramBits is the number of tests a piece passes: the first byte and two
// bits (with one bit, chance hits let a few percent more Kafka lines
// through).
const gramBits = 3

// set adds a hash.
func (f *gramFilter) set(h uint64) {
	f.first[h>>51] = 1
	for range gramBits - 1 {
		h *= gramMul
		f.bits[h>>54] |= 1 << (h >> 48 & 63)
	}
}

// has reports whether h may have been set.
func (f *gramFilter) has(h uint64) bool {
	return f.first[h>>51] != 0 && f.more(h)
}

// more tests the bits of h, once its first byte is set.
func (f *gramFilter) more(h uint64) bool {
	for range gramBits - 1 {
		h *= gramMul
		if f.bits[h>>54]&(1<<(h>>48&63)) == 0 {
			return false
		}
	}
	return true
}

// gramStride picks the stride and the length of the long pieces (8 bytes,
// or down to gramMinPiece) that test the fewest pieces per byte of text
// for lits: stride s needs literals of n-1+s bytes for n-byte pieces, and
// 3+s for 4-byte ones, which cost a second test at every offset; of equal
// costs, the longer pieces (fewer chance hits) win. It returns 0 when some
// literal is shorter than 4 bytes.
func gramStride(lits []string) (stride, n int) {
	bestCost := 0.0
	for s := 1; s <= 4; s++ {
		for pn := 8; pn >= gramMinPiece; pn-- {
			has4 := false
			for _, l := range lits {
				switch {
				case len(l) < 3+s:
					return stride, n
				case len(l) < pn-1+s:
					has4 = true
				}
			}
			cost := 1.0 / float64(s)
			if has4 {
				cost *= 2
			}
			if stride == 0 || cost < bestCost {
				stride, n, bestCost = s, pn, cost
			}
		}
	}
	return stride, n
}

// gramMinPiece is the shortest long piece: 6 bytes still rarely occur in
// ordinary lines by chance (TestGramGate's quiet lines).
const gramMinPiece = 6

// build fills the gate with the pieces of lits.
func (g *gramGate) build(lits []string) {
	g.stride, g.n = gramStride(lits)
	if g.stride == 0 {
		g.open = true
		return
	}
	g.mul = gramMul << (64 - 8*g.n)
	for _, l := range lits {
		g.add(l)
	}
}

// add puts lit's run of stride pieces in the filter.
func (g *gramGate) add(lit string) {
	s := g.stride
	n := g.n
	if len(lit) < n-1+s {
		n = 4
	}
	// the run at offset b covers lit[b : b+s-1+n]
	best, bestScore := 0, 1<<30
	for b := 0; b+s-1+n <= len(lit); b++ {
		score := 0
		for j := b; j < b+s-1+n; j++ {
			score += gramCommon(lit[j])
		}
		if score < bestScore {
			best, bestScore = b, score
		}
	}
	for b := best; b < best+s; b++ {
		var x uint64
		for j := n - 1; j >= 0; j-- {
			x = x<<8 | uint64(lit[b+j])
		}
		if n == 4 {
			g.b4.set(gramHash(x, gramMul4))
			g.has4 = true
		} else {
			g.b8.set(gramHash(x, g.mul))
		}
	}
}

// pass reports whether s may contain one of the gate's literals. A long
// piece is the low n bytes of the word loaded at an offset. Where fewer
// than 8 bytes are left, r of them, the word is cut from end, s's last 8
// bytes: its top r bytes, shifted down.
func (g *gramGate) pass(s string) bool {
	if g.open {
		return true
	}
	st, mul := g.stride, g.mul
	i := 0
	if !g.has4 {
		for ; i <= len(s)-8; i += st {
			if g.b8.has(gramHash(gramLoad8(s[i:]), mul)) {
				return true
			}
		}
		if r := len(s) - i; r >= g.n {
			end := gramEnd(s)
			for ; r >= g.n; r -= st {
				if g.b8.has(gramHash(end>>(64-8*uint(r)), mul)) {
					return true
				}
			}
		}
		return false
	}
	for ; i <= len(s)-8; i += st {
		x := gramLoad8(s[i:])
		if g.b8.has(gramHash(x, mul)) || g.b4.has(gramHash(x, gramMul4)) {
			return true
		}
	}
	end := gramEnd(s)
	for r := len(s) - i; r >= 4; r -= st {
		x := end >> (64 - 8*uint(r))
		if r >= g.n && g.b8.has(gramHash(x, mul)) || g.b4.has(gramHash(x, gramMul4)) {
			return true
		}
	}
	return false
}

// gramEnd returns the last 8 bytes of s as a little-endian word; when s is
// shorter, its bytes are the word's top ones.
func gramEnd(s string) uint64 {
	if len(s) >= 8 {
		return gramLoad8(s[len(s)-8:])
	}
	var end uint64
	for j := 0; j < len(s); j++ {
		end = end>>8 | uint64(s[j])<<56
	}
	return end
}

// gramLoad8 reads s[:8] as a little-endian word (one load).
func gramLoad8(s string) uint64 {
	s = s[:8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// gramCommon is a rough weight of how common a byte is inside log words
// (about ten times its frequency in percent for English letters, digits
// and word separators kept low so that pieces spanning words win).
func gramCommon(b byte) int {
	switch b {
	case 'e':
		return 127
	case 't':
		return 91
	case 'a':
		return 82
	case 'o':
		return 75
	case 'i':
		return 70
	case 'n':
		return 67
	case 's':
		return 63
	case 'h':
		return 61
	case 'r':
		return 60
	case 'd':
		return 43
	case 'l':
		return 40
	case 'c', 'u':
		return 28
	case 'm', 'w':
		return 24
	case 'f', 'g', 'y', 'p':
		return 20
	case 'b':
		return 15
	case 'v':
		return 10
	case 'k':
		return 8
	case 'j', 'x', 'q', 'z':
		return 2
	}
	if '0' <= b && b <= '9' {
		return 30
	}
	return 10 // space and punctuation
}

// Classifier maps events to kinds of the report vocabulary. It is built
// once by NewClassifier and is safe for concurrent use by any number of
// goroutines; nothing in it that decides a result changes afterwards (its
// hitCache only saves scans).
type Classifier struct {
	all        automaton  // every literal
	signal     gramGate   // the gate of the signal rules' literals, for info/notice events
	ruleLits   bitset     // literals that make some rule a candidate: those of the gate all.gate
	signalLits bitset     // literals that make some signal rule a candidate: those of the gate signal
	litRules   [][]uint16 // literal id -> indexes of the rules it triggers, ascending
	// extractLits are the literals some extractor is tried on; litExtract
	// maps such a literal's id to those extractors (bit i: extract[i]),
	// and extractAlways holds the extractors tried on every event
	extractLits   bitset
	litExtract    []uint64
	extractAlways uint64
	rules         []compiledRule
	extract       []compiledExtractor
	target        map[string]bool
	// cache holds the hits of stack traces that came back verbatim (see
	// split); nil when some literal holds a '\n', which split relies on
	cache *hitCache
}

// NewClassifier compiles the rule table (rules.go). It panics if the table
// is malformed, which the package tests rule out.
func NewClassifier() *Classifier {
	c := &Classifier{target: map[string]bool{}}
	lits := map[string]int{}
	var order []string
	id := func(lit string) int {
		if lit == "" || lit != strings.ToLower(lit) {
			panic(fmt.Sprintf("correlate: literal %q must be non-empty lower case", lit))
		}
		for i := 0; i < len(lit); i++ {
			if lit[i] >= 0x80 {
				panic(fmt.Sprintf("correlate: literal %q must be ASCII", lit))
			}
		}
		if i, ok := lits[lit]; ok {
			return i
		}
		i := len(order)
		if i >= hitWords*64 {
			panic("correlate: too many literals; raise hitWords")
		}
		lits[lit] = i
		order = append(order, lit)
		c.litRules = append(c.litRules, nil)
		c.litExtract = append(c.litExtract, 0)
		return i
	}
	if len(rules) > ruleWords*64 {
		panic("correlate: too many rules; raise ruleWords")
	}
	for ri, r := range rules {
		if !IsKind(r.kind) {
			panic(fmt.Sprintf("correlate: rule %s: unknown kind %q", r.name, r.kind))
		}
		if len(r.any) == 0 {
			panic(fmt.Sprintf("correlate: rule %s has no literal", r.name))
		}
		cr := compiledRule{rule: r, hasAlso: len(r.also) > 0, target: slices.Contains(targetKinds, r.kind)}
		for _, l := range r.any {
			i := id(l)
			c.ruleLits.set(i)
			if r.signal {
				c.signalLits.set(i)
			}
			if n := len(c.litRules[i]); n == 0 || c.litRules[i][n-1] != uint16(ri) {
				c.litRules[i] = append(c.litRules[i], uint16(ri))
			}
		}
		for _, l := range r.also {
			cr.also.set(id(l))
		}
		for _, l := range r.not {
			cr.not.set(id(l))
		}
		if r.re != "" {
			cr.re = regexp.MustCompile(r.re)
		}
		c.rules = append(c.rules, cr)
	}
	if len(extractors) > 64 {
		panic("correlate: too many extractors; widen litExtract")
	}
	for xi, x := range extractors {
		cx := compiledExtractor{extractor: x, re: regexp.MustCompile(x.re)}
		switch x.key {
		case factTarget:
			cx.want = wantTarget
		case factHost:
			cx.want = wantHost
		case factStatus:
			cx.want = wantStatus
		case factErrorCode:
			cx.want = wantCode
		default:
			panic(fmt.Sprintf("correlate: extractor %s: unknown key %q", x.re, x.key))
		}
		if len(x.on) == 0 {
			c.extractAlways |= 1 << xi
		}
		for _, l := range x.on {
			i := id(l)
			c.extractLits.set(i)
			c.litExtract[i] |= 1 << xi
		}
		cx.prefix, _ = cx.re.LiteralPrefix()
		cx.ncap = 2 * (cx.re.NumSubexp() + 1)
		if x.sub != nil && cx.ncap > subCap {
			panic(fmt.Sprintf("correlate: extractor %s: too many groups for a sub function; raise subCap", x.re))
		}
		cx.gAddr = cx.re.SubexpIndex("addr")
		cx.gHost = cx.re.SubexpIndex("host")
		cx.gIP = cx.re.SubexpIndex("ip")
		cx.gPort = cx.re.SubexpIndex("port")
		cx.gScheme = cx.re.SubexpIndex("scheme")
		cx.gV = cx.re.SubexpIndex("v")
		c.extract = append(c.extract, cx)
	}
	for _, k := range targetKinds {
		c.target[k] = true
	}
	allIDs := make([]int, len(order))
	for i := range allIDs {
		allIDs[i] = i
	}
	c.all.lits = newLitScanner(order, allIDs)
	var all, signal []string
	for _, r := range rules {
		for _, l := range r.any {
			all = append(all, l)
			if r.signal {
				signal = append(signal, l)
			}
		}
	}
	c.all.gate.build(all)
	c.signal.build(signal)
	if c.all.lits.class['\n'] == 0 { // no literal holds a '\n' (no rule has one)
		c.cache = newHitCache()
	}
	return c
}

// Classify returns the kind of ev ("" for none), stores it in ev.Kind, and
// adds the facts it found as fields: target (host:port of the failed call),
// target_host (the host name when target is the resolved address), status,
// error_code, and host (the name a DNS lookup failed for). Fields the event
// already has are kept.
func (c *Classifier) Classify(ev *event.Event) string {
	if ev.Unparsed { // a line without structure is kept, not judged
		ev.Kind = ""
		return ""
	}
	kind, _ := c.classify(ev)
	ev.Kind = kind
	return kind
}

// window is the scanned part of a message: segments of the original text,
// and which literals occur in them.
type window struct {
	segs [maxSegs]string
	n    int
	hits bitset
}

// classify returns the kind and the index of the rule that decided it (-1
// when no text rule did).
func (c *Classifier) classify(ev *event.Event) (string, int) {
	f := readFields(ev)
	status, hasStatus := f.status, f.hasStatus
	// an HTTP access record is classified from its fields, never its text
	if hasStatus && (isGateway(ev.Format) || f.hasMethod) {
		kind := c.accessKind(ev, &f)
		if kind != "" && c.target[kind] {
			c.upstreamTarget(ev)
		}
		return kind, -1
	}
	text := ev.Message
	if text == "" {
		text = ev.Raw
	}
	// Structured logs (zap, logrus, slog) keep the failure itself in a
	// field: {"msg":"query failed","error":"dial tcp 10.0.3.7:3306: connect:
	// connection refused"}. It is read as the message's last line.
	if f.hasError {
		for _, k := range errorFieldKeys {
			if v, ok := ev.Get(k); ok && v != "" && !strings.Contains(text, v) {
				text += "\n" + v
				break
			}
		}
	}
	switch ev.Format {
	case formatMySQLSlow:
		return KindSlowQuery, -1
	case formatMySQLBinlog:
		if ev.Level.Rank() < event.LevelError.Rank() && !strings.HasPrefix(text, "ERROR") {
			return "", -1
		}
	}
	if ev.Level != event.LevelTrace && ev.Level != event.LevelDebug {
		var w window
		w.cut(text)
		failure := ev.Level == event.LevelNone || ev.Level.Rank() >= event.LevelWarn.Rank()
		gate, gateLits := &c.all.gate, &c.ruleLits
		if !failure {
			gate, gateLits = &c.signal, &c.signalLits // only signal rules can match
		}
		// every literal is looked for, those of the facts too: match
		// passes over the rules that cannot apply (non-signal ones below
		// warning), and a signal rule's also and not literals are found
		// either way (see split, which a long head goes through)
		if len(w.segs[0]) > splitMin && c.cache != nil {
			c.split(&w, gate, gateLits)
		} else if w.pass(gate) {
			c.scan(&w, &c.all)
		}
		if w.hits.intersects(&c.ruleLits) {
			if ri := c.match(ev, &w, failure); ri >= 0 {
				r := &c.rules[ri]
				c.facts(ev, r, &w)
				return r.kind, ri
			}
		}
	}
	if hasStatus {
		kind := statusKind(status3(status), false, false)
		if kind != "" && c.target[kind] {
			c.upstreamTarget(ev)
		}
		return kind, -1
	}
	return "", -1
}

// isGateway reports an access-log format of a gateway (gatewayFormats):
// a few string compares, cheaper than a map lookup on every access line.
func isGateway(format string) bool {
	for _, f := range gatewayFormats {
		if format == f {
			return true
		}
	}
	return false
}

// accessKind classifies an access record from the status and
// response_flags readFields found.
func (c *Classifier) accessKind(ev *event.Event, f *classifyFields) string {
	if f.hasFlags {
		if k := envoyKind(f.flags); k != "" {
			return k
		}
	}
	if len(f.status) != 3 || f.status[0] != '5' { // statusKind's "" for all but 5xx
		return ""
	}
	return statusKind(status3(f.status), isGateway(ev.Format), ev.Format == formatEnvoyAccess && !f.hasFlags)
}

// statusKind maps an HTTP status to a kind. At a gateway, a 502/503 means the
// upstream did not answer, unless upstreamAnswered (Envoy logs no response
// flag when it passed the upstream's own 503 through).
func statusKind(code int, gateway, upstreamAnswered bool) string {
	switch {
	case code < 500 || code > 599:
		return ""
	case code == 504:
		return KindTimeout
	case (code == 502 || code == 503) && gateway && !upstreamAnswered:
		return KindUpstreamUnavailable
	}
	return KindHTTP5xx
}

// status3 reads a three-digit status; anything else is 0.
func status3(s string) int {
	if len(s) != 3 {
		return 0
	}
	n := 0
	for i := 0; i < 3; i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0
		}
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// envoyKind maps a %RESPONSE_FLAGS% value ("UF,URX") by envoyFlags order.
func envoyKind(flags string) string {
	for _, f := range envoyFlags {
		if f.kind != "" && hasToken(flags, f.flag) {
			return f.kind
		}
	}
	return ""
}

func hasToken(list, tok string) bool {
	for list != "" {
		i := strings.IndexByte(list, ',')
		t := list
		if i >= 0 {
			t, list = list[:i], list[i+1:]
		} else {
			list = ""
		}
		if strings.TrimSpace(t) == tok {
			return true
		}
	}
	return false
}

// upstreamTarget sets target from the parser's upstream field: the last
// address nginx tried ("10.0.2.5:8080, 10.0.2.6:8080 : 10.0.2.7:8080"),
// without a URL scheme or path.
func (c *Classifier) upstreamTarget(ev *event.Event) {
	if _, ok := ev.Get(factTarget); ok {
		return
	}
	up, ok := ev.Get("upstream")
	if !ok {
		// A client's own record of a failed call names the URL it called:
		// a url-like field, else an absolute URL in the message. Access
		// lines are left out: a URL in their text is the referrer.
		if isGateway(ev.Format) {
			return
		}
		for _, k := range []string{"url", "request_url", "endpoint", "uri", "http_url"} {
			if v, ok := ev.Get(k); ok && strings.Contains(v, "://") {
				if t := urlTarget(v); t != "" {
					ev.Set(factTarget, t)
					return
				}
			}
		}
		if i := strings.Index(ev.Message, "://"); i > 0 {
			j := i
			for j > 0 && isSchemeByte(ev.Message[j-1]) {
				j--
			}
			if t := urlTarget(ev.Message[j:]); t != "" {
				ev.Set(factTarget, t)
			}
		}
		return
	}
	if i := strings.LastIndexAny(up, ", "); i >= 0 {
		up = up[i+1:]
	}
	if i := strings.Index(up, "://"); i >= 0 {
		up = up[i+3:]
	}
	if i := strings.IndexByte(up, '/'); i >= 0 {
		up = up[:i]
	}
	if up == "" || strings.HasPrefix(up, "unix:") {
		return
	}
	ev.Set(factTarget, up)
}

func isSchemeByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '+' || b == '.' || b == '-'
}

// urlTarget is the host:port an absolute http(s) URL points at, with the
// scheme's default port when none is written; "" for anything else.
func urlTarget(u string) string {
	scheme, rest, ok := strings.Cut(u, "://")
	port, known := defaultPorts[strings.ToLower(scheme)]
	if !ok || !known {
		return ""
	}
	end := strings.IndexAny(rest, "/?#\"' \t)")
	if end >= 0 {
		rest = rest[:end]
	}
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		rest = rest[i+1:]
	}
	if rest == "" {
		return ""
	}
	if _, _, err := net.SplitHostPort(rest); err == nil {
		return rest // the URL names its port
	}
	return rest + ":" + port
}

// cut fills w.segs with the window of text.
func (w *window) cut(text string) {
	head := text
	if len(head) > windowHead {
		head = head[:windowHead]
	}
	w.segs[0] = head
	w.n = 1
	if len(text) <= windowHead {
		return
	}
	rest := text[windowHead:]
	if len(rest) > windowTail {
		rest = rest[:windowTail]
	}
	for w.n < maxSegs-1 {
		i := strings.Index(rest, "\nCaused by: ")
		if i < 0 {
			break
		}
		line := rest[i+1:]
		if j := strings.IndexByte(line, '\n'); j >= 0 {
			line = line[:j]
		}
		rest = rest[i+1+len(line):]
		w.segs[w.n] = cut(line)
		w.n++
	}
	tail := text[windowHead:]
	if len(tail) > 2*windowLine {
		tail = tail[len(tail)-2*windowLine:]
	}
	last := strings.TrimRight(tail, " \t\r\n")
	if j := strings.LastIndexByte(last, '\n'); j >= 0 {
		last = cut(strings.TrimLeft(last[j+1:], " \t"))
		if last != "" && last != w.segs[w.n-1] {
			w.segs[w.n] = last
			w.n++
		}
	}
}

// split sets w.hits as the gram gate and scan would (see classify), for a
// window whose head is longer than splitMin, using c.cache: the head is
// split at its first '\n' when more than hitCacheMin bytes follow. No
// literal holds a '\n' (NewClassifier keeps no cache otherwise), so the
// literals of the head are those of its first line and those of the rest,
// and the rest, a stack trace more often than not, is looked up in the
// cache before anything else; its hits, when known, tell exactly whether it
// holds one of gateLits, the literals behind gate. The other segments go
// through the gate.
//
// The scan is skipped on a window the gate stops, and w.hits left empty;
// the gate stops only windows without a gate literal, but not every such
// window, so classify's w.hits is either every literal of the window or,
// when it holds no gate literal, possibly none. split may decide
// otherwise than the gate of the whole head would (it tests different
// pieces), which only ever changes w.hits for a window without a gate
// literal, and either answer leads to the same result there: for a failure
// (gate: every rule literal) no rule is a candidate either way; otherwise
// (gate: the signal rules' literals) the only candidates are rules none of
// whose literals is a signal rule's, which holds rejects below warning.
func (c *Classifier) split(w *window, gate *gramGate, gateLits *bitset) {
	head := w.segs[0]
	i := strings.IndexByte(head, '\n')
	if i < 0 || len(head)-i-1 <= hitCacheMin {
		if w.pass(gate) {
			c.scan(w, &c.all)
		}
		return
	}
	first, rest := head[:i], head[i+1:]
	h := c.cache
	rh := h.hash(rest)
	known := h.get(rest, rh)
	pass := known != nil && known.hits.intersects(gateLits) || gate.pass(first) || known == nil && gate.pass(rest)
	for i := 1; !pass && i < w.n; i++ {
		pass = gate.pass(w.segs[i])
	}
	if !pass {
		return
	}
	lits := c.all.lits
	lits.scan(first, &w.hits)
	if known != nil {
		w.hits.or(&known.hits)
	} else {
		h.fill(lits, rest, rh, &w.hits)
	}
	for i := 1; i < w.n; i++ {
		lits.scan(w.segs[i], &w.hits)
	}
}

// splitMin is the shortest head split takes: most single-line messages are
// shorter.
const splitMin = 256

// pass reports whether one of w's segments passes g.
func (w *window) pass(g *gramGate) bool {
	for i := 0; i < w.n; i++ {
		if g.pass(w.segs[i]) {
			return true
		}
	}
	return false
}

// scan adds to w.hits the literals of a that occur in w's segments,
// ASCII case-insensitively.
func (c *Classifier) scan(w *window, a *automaton) {
	for i := 0; i < w.n; i++ {
		a.lits.scan(w.segs[i], &w.hits)
	}
}

func cut(s string) string {
	if len(s) > windowLine {
		return s[:windowLine]
	}
	return s
}

// match returns the index of the first rule, in table order, that holds
// for ev, or -1.
func (c *Classifier) match(ev *event.Event, w *window, failure bool) int {
	var cand [ruleWords]uint64
	for k := range w.hits {
		x := w.hits[k] & c.ruleLits[k]
		for x != 0 {
			lit := k*64 + bits.TrailingZeros64(x)
			x &= x - 1
			for _, ri := range c.litRules[lit] {
				cand[ri>>6] |= 1 << (ri & 63)
			}
		}
	}
	for k := range cand {
		x := cand[k]
		for x != 0 {
			ri := k*64 + bits.TrailingZeros64(x)
			x &= x - 1
			if c.holds(&c.rules[ri], ev, w, failure) {
				return ri
			}
		}
	}
	return -1
}

func (c *Classifier) holds(r *compiledRule, ev *event.Event, w *window, failure bool) bool {
	if !failure && !r.signal {
		return false
	}
	if len(r.formats) > 0 {
		ok := false
		for _, f := range r.formats {
			ok = ok || f == ev.Format
		}
		if !ok {
			return false
		}
	}
	if r.hasAlso && !w.hits.intersects(&r.also) {
		return false
	}
	if w.hits.intersects(&r.not) {
		return false
	}
	if r.re != nil {
		for i := 0; i < w.n; i++ {
			if r.re.MatchString(w.segs[i]) {
				return true
			}
		}
		return false
	}
	return true
}

// facts extracts target, status, error_code and host for an event that
// rule r classified. The extractors are tried in table order, those whose
// trigger literals occur in w and those tried always, each until one finds
// its fact.
func (c *Classifier) facts(ev *event.Event, r *compiledRule, w *window) {
	var want [4]bool
	_, has := ev.Get(factTarget)
	want[wantTarget] = r.target && !has
	want[wantHost] = r.kind == KindDNSFailure
	_, has = ev.Get(factStatus)
	want[wantStatus] = !has
	_, has = ev.Get(factErrorCode)
	want[wantCode] = !has
	cand, buf := c.extractAlways, [subCap]int{} // buf: the offsets of a match that a sub function finds
	for k := range w.hits {
		x := w.hits[k] & c.extractLits[k]
		for x != 0 {
			cand |= c.litExtract[k*64+bits.TrailingZeros64(x)]
			x &= x - 1
		}
	}
	for cand != 0 {
		x := &c.extract[bits.TrailingZeros64(cand)]
		cand &= cand - 1
		if !want[x.want] {
			continue
		}
		for s := 0; s < w.n; s++ {
			seg := w.segs[s]
			m := x.find(seg, &buf)
			if m == nil {
				continue
			}
			val, name := x.build(seg, m)
			if val == "" {
				continue
			}
			switch x.want {
			case wantTarget:
				setIfAbsent(ev, factTarget, val)
				if name != "" {
					setIfAbsent(ev, "target_host", name)
				}
			case wantHost:
				setIfAbsent(ev, factHost, name)
				setIfAbsent(ev, factTarget, val)
			default:
				ev.Set(x.key, val)
			}
			want[x.want] = false
			break
		}
	}
	if want[wantTarget] {
		c.upstreamTarget(ev)
	}
}

func setIfAbsent(ev *event.Event, key, val string) {
	if _, ok := ev.Get(key); !ok {
		ev.Set(key, val)
	}
}

// errorFieldKeys are the fields structured loggers put an error in.
var errorFieldKeys = []string{"error", "err", "exception", "error_message", "error.message", "exc_info"}

// classifyFields is what classify reads of an event's fields, in one pass
// over them: status and response_flags (the first of each, as Get finds),
// whether a method is set (an access record) and whether a field named in
// errorFieldKeys is (most events have none).
type classifyFields struct {
	status, flags        string
	hasStatus, hasMethod bool
	hasError, hasFlags   bool
}

func readFields(ev *event.Event) (f classifyFields) {
	fs := ev.Fields // a local slice: the loop keeps it in registers
	for i := range fs {
		switch fs[i].Key {
		case factStatus:
			if !f.hasStatus {
				f.status, f.hasStatus = fs[i].Value, true
			}
		case "method":
			f.hasMethod = true
		case "response_flags":
			if !f.hasFlags {
				f.flags, f.hasFlags = fs[i].Value, true
			}
		case "error", "err", "exception", "error_message", "error.message", "exc_info":
			f.hasError = true
		}
	}
	return f
}

// find is x.re.FindStringSubmatchIndex(seg), reading less of seg: from
// the first occurrence of the literal every match begins with (the regexp
// package clears a bitmap as long as the text it is given, match or not),
// or from where x.from says a match can begin; or without the regexp, by
// x.sub, whose offsets go in buf.
func (x *compiledExtractor) find(seg string, buf *[subCap]int) []int {
	from := 0
	switch {
	case x.sub != nil:
		var ok bool
		if *buf, ok = x.sub(seg); !ok {
			return nil
		}
		return buf[:x.ncap]
	case x.from != nil:
		if from = x.from(seg); from < 0 {
			return nil
		}
	case x.prefix != "":
		k := strings.Index(seg, x.prefix)
		if k < 0 {
			return nil
		}
		from = k
	}
	m := x.re.FindStringSubmatchIndex(seg[from:])
	for i := range m {
		if m[i] >= 0 {
			m[i] += from
		}
	}
	return m
}

// errnoSub is the sub function of `\((?P<v>\d{1,3}): [A-Z][a-z]`: the
// first '(' that 1 to 3 digits, ": ", an upper-case and a lower-case
// letter follow. A stack trace's head holds a '(' on every frame, and the
// regexp would clear a bitmap of the whole head for each segment it reads.
func errnoSub(s string) (m [subCap]int, ok bool) {
	for i := 0; i < len(s); i++ {
		j := strings.IndexByte(s[i:], '(')
		if j < 0 {
			break
		}
		i += j
		d := i + 1
		for d < len(s) && d-i <= 4 && s[d] >= '0' && s[d] <= '9' {
			d++
		}
		if n := d - i - 1; n >= 1 && n <= 3 && d+3 < len(s) && s[d] == ':' && s[d+1] == ' ' &&
			s[d+2] >= 'A' && s[d+2] <= 'Z' && s[d+3] >= 'a' && s[d+3] <= 'z' {
			m[0], m[1], m[2], m[3] = i, d+4, i+1, d
			return m, true
		}
	}
	return m, false
}

// upstreamSub is the sub function of
// `upstream: "(?:[a-z]+://)?(?P<host>[^/":]+)(?::(?P<port>\d+))?`, nginx's
// upstream on every line of a failed proxied request. After the literal,
// the scheme is taken when a run of a-z and "://" are there and a host
// byte follows them, else the host starts right after the literal (where
// the run is then part of the host); the host is every byte up to a '/',
// '"' or ':' (bytes of a multi-byte rune, or of invalid UTF-8, are none of
// those), at least one; the port, when a ':' and a digit follow the host,
// is the run of digits.
func upstreamSub(s string) (m [subCap]int, ok bool) {
	const lit = `upstream: "`
	for i := 0; ; {
		j := strings.Index(s[i:], lit)
		if j < 0 {
			return m, false
		}
		p := i + j
		q := p + len(lit)
		h := q
		e := q
		for e < len(s) && 'a' <= s[e] && s[e] <= 'z' {
			e++
		}
		if e > q && strings.HasPrefix(s[e:], "://") && upstreamHostEnd(s, e+3) > e+3 {
			h = e + 3
		}
		if he := upstreamHostEnd(s, h); he > h {
			m[0], m[1], m[2], m[3], m[4], m[5] = p, he, h, he, -1, -1
			if he+1 < len(s) && s[he] == ':' && s[he+1] >= '0' && s[he+1] <= '9' {
				d := he + 2
				for d < len(s) && s[d] >= '0' && s[d] <= '9' {
					d++
				}
				m[1], m[4], m[5] = d, he+1, d
			}
			return m, true
		}
		i = p + 1
	}
}

// upstreamHostEnd returns the end of the run of bytes other than '/', '"'
// and ':' from h.
func upstreamHostEnd(s string, h int) int {
	for h < len(s) && s[h] != '/' && s[h] != '"' && s[h] != ':' {
		h++
	}
	return h
}

// slashIPv4From returns the first '/' that a digit or '<' follows, where
// `/(\d{1,3}(?:\.\d{1,3}){3}|<unresolved>):` can begin, or -1. Stack
// traces hold many a '/' ("java.base/java.lang.Thread"), few of them that.
func slashIPv4From(s string) int {
	for i := 0; ; i++ {
		j := strings.IndexByte(s[i:], '/')
		if j < 0 {
			return -1
		}
		if i += j; i+1 < len(s) && (s[i+1] >= '0' && s[i+1] <= '9' || s[i+1] == '<') {
			return i
		}
	}
}

// slashIPv6From returns the first '/' that hex digits and a ':' follow,
// where `/([0-9A-Fa-f]*:[0-9A-Fa-f:]*:[0-9A-Fa-f]*):` can begin, or -1.
func slashIPv6From(s string) int {
	for i := 0; ; i++ {
		j := strings.IndexByte(s[i:], '/')
		if j < 0 {
			return -1
		}
		i += j
		k := i + 1
		for k < len(s) && tmplIs(s[k], tmplCHex) {
			k++
		}
		if k < len(s) && s[k] == ':' {
			return i
		}
	}
}

// httpStatusSub is the sub function of
// `HTTP(?:/\d(?:\.\d)?)?"?\s+(?P<v>[1-5]\d\d)\b`: an "HTTP", then "/"
// and a digit (and "." and a digit) when they are there, a '"' when it is
// there, white space, three digits of a status and no ASCII word byte
// after them. None of the optional parts can be left out for a match
// where it is there (the next part cannot begin with its first byte), so
// there is nothing to try again at an "HTTP".
func httpStatusSub(s string) (m [subCap]int, ok bool) {
	for i := 0; ; i++ {
		j := strings.Index(s[i:], "HTTP")
		if j < 0 {
			return m, false
		}
		i += j
		k := i + 4
		if k+1 < len(s) && s[k] == '/' && isDigit(s[k+1]) {
			k += 2
			if k+1 < len(s) && s[k] == '.' && isDigit(s[k+1]) {
				k += 2
			}
		}
		if k < len(s) && s[k] == '"' {
			k++
		}
		v := k
		for v < len(s) && isSpace(s[v]) {
			v++
		}
		if v > k && v+2 < len(s) && s[v] >= '1' && s[v] <= '5' && isDigit(s[v+1]) && isDigit(s[v+2]) &&
			(v+3 == len(s) || !isWordByte(s[v+3])) {
			m[0], m[1], m[2], m[3] = i, v+3, v, v+3
			return m, true
		}
	}
}

// requestForSub is the sub function of
// `request for "(?P<scheme>https?)://(?P<host>[^/\s":?#]+)(?::(?P<port>\d+))?`,
// Spring's "I/O error on POST request for "http://...": the regexp would
// clear a bitmap of the stack trace after it.
func requestForSub(s string) (m [subCap]int, ok bool) {
	const lit = `request for "http`
	for i := 0; ; i++ {
		j := strings.Index(s[i:], lit)
		if j < 0 {
			return m, false
		}
		i += j
		if httpURLAt(s, i+len(lit)-4, &m) {
			m[0] = i
			return m, true
		}
	}
}

// verbURLSub is the sub function of `(?:Get|Post|Put|Delete|Patch|Head|GET|POST|PUT|DELETE|PATCH|HEAD) "(?P<scheme>https?)://...`
// (the rest as in requestForSub), Go's `Post "http://...": ...`: the
// regexp, with no literal to start from, tries every offset. A match is a
// verb right before an occurrence of ` "http`; no verb ends another, and
// the occurrences are six bytes apart at least, so the first occurrence
// with a verb before it and a URL after it holds the leftmost match.
func verbURLSub(s string) (m [subCap]int, ok bool) {
	const lit = ` "http`
	for i := 0; ; i++ {
		j := strings.Index(s[i:], lit)
		if j < 0 {
			return m, false
		}
		i += j
		v := httpVerbBefore(s[:i])
		if v > 0 && httpURLAt(s, i+2, &m) {
			m[0] = i - v
			return m, true
		}
	}
}

// httpVerbBefore returns the length of the verb of verbURLSub that s ends
// with, or 0.
func httpVerbBefore(s string) int {
	for _, v := range [...]string{"Get", "Post", "Put", "Delete", "Patch", "Head", "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"} {
		if strings.HasSuffix(s, v) {
			return len(v)
		}
	}
	return 0
}

// httpURLAt matches `(?P<scheme>https?)://(?P<host>[^/\s":?#]+)(?::(?P<port>\d+))?`
// at q, setting m[1] (the end) and the three groups' offsets after m[:2].
// The 's' and the port are taken where they are there: leaving either out
// cannot make a match.
func httpURLAt(s string, q int, m *[subCap]int) bool {
	e := q + 4
	if e > len(s) || s[q:e] != "http" {
		return false
	}
	if e < len(s) && s[e] == 's' {
		e++
	}
	if !strings.HasPrefix(s[e:], "://") {
		return false
	}
	h := e + 3
	he := h
	for he < len(s) && !isSpace(s[he]) && s[he] != '/' && s[he] != '"' && s[he] != ':' && s[he] != '?' && s[he] != '#' {
		he++
	}
	if he == h {
		return false
	}
	m[1], m[2], m[3], m[4], m[5], m[6], m[7] = he, q, e, h, he, -1, -1
	if he+1 < len(s) && s[he] == ':' && isDigit(s[he+1]) {
		d := he + 2
		for d < len(s) && isDigit(s[d]) {
			d++
		}
		m[1], m[6], m[7] = d, he+1, d
	}
	return true
}

// isDigit reports whether b is an ASCII digit.
func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// isSpace reports a byte of regexp's \s: '\t', '\n', '\f', '\r' or ' '.
func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\f' || b == '\r' }

// isWordByte reports a byte of regexp's \w: an ASCII letter, digit or '_'.
func isWordByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '_'
}

// digitAfter returns a from function for a regexp that begins with lit and
// then a digit: the first occurrence of lit that a digit follows, or -1.
func digitAfter(lit string) func(string) int {
	return func(s string) int {
		for i := 0; ; i++ {
			j := strings.Index(s[i:], lit)
			if j < 0 {
				return -1
			}
			if i += j; i+len(lit) < len(s) && s[i+len(lit)] >= '0' && s[i+len(lit)] <= '9' {
				return i
			}
		}
	}
}

// build assembles an extractor's value from its named groups. For target
// it returns the host:port and, when the address was the resolved IP, the
// host name beside it; for host it returns name[:port] and the name.
func (x *compiledExtractor) build(seg string, m []int) (val, name string) {
	get := func(g int) string {
		if g < 0 || m[2*g] < 0 {
			return ""
		}
		return seg[m[2*g]:m[2*g+1]]
	}
	if x.gV >= 0 {
		return get(x.gV), ""
	}
	if a := get(x.gAddr); a != "" {
		return a, ""
	}
	host, ip, port := get(x.gHost), get(x.gIP), get(x.gPort)
	if port == "" {
		port = x.defPort
		if p, ok := defaultPorts[strings.ToLower(get(x.gScheme))]; ok {
			port = p
		}
	}
	if x.hostBefore && host == "" {
		j := m[0]
		for j > 0 && hostByte(seg[j-1]) {
			j--
		}
		if j < m[0] && (j == 0 || strings.IndexByte(" ([,=:", seg[j-1]) >= 0) {
			host = seg[j:m[0]]
		}
	}
	h := host
	if x.key == factTarget {
		name = ""
		if ip != "" && ip != "<unresolved>" {
			h = ip
			if host != "" && host != ip {
				name = host
			}
		}
	} else {
		name = host
	}
	if h == "" || h == "unix" { // "unix:/run/php-fpm.sock" is a socket, not a host
		return "", ""
	}
	if strings.IndexByte(h, ':') >= 0 {
		h = "[" + h + "]"
	}
	if port != "" {
		h += ":" + port
	}
	return h, name
}

func hostByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '.' || b == '-' || b == '_'
}
