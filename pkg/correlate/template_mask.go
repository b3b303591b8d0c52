package correlate

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"strings"
	"unsafe"
)

// Masking: the first step of template mining. A message's first line is split
// into words at whitespace, and inside each word the spans that are values
// rather than wording are replaced by the wildcard "<*>":
//
//   - numbers: integers, decimals, signed, hex (0x1f), and anything that starts
//     with a digit (versions 2.6.9-42, sizes 4096kB, durations 30s 1.5ms 3m,
//     percentages, ratios 3/4, dates 2017-05-16), with a comparison sign
//     glued to them (<1, >=3);
//   - ids: after "_" a digit starts the id's variable part, which runs to the
//     end of the segment (blk_-1608 -> blk_<*>, attempt_1445_0020_m_04 ->
//     attempt_<*>); after other punctuation only the number goes (CPU#0 ->
//     CPU#<*>, part-00012 -> part-<*>, Reaper-1-Fetch -> Reaper-<*>-Fetch);
//     a zero-padded number that ends a
//     name numbers it (node01 -> node<*>), other digits after letters stay
//     (ssh2, tty2, amd64, e820); v1.2 -> v<*>; hex strings of 8+ characters
//     holding a digit; UUIDs;
//   - IPv4 with optional :port or /prefix, IPv6 (also [::1]:80, %zone) and MAC
//     addresses, host:port, host names ending in a known top-level domain
//     (not java.io.File or mapred.job.id), URLs, e-mail addresses, paths
//     (/var/lib/x, ./x, ../x, ~/x, C:\x), clock times (04:47:44.123) and ISO
//     date-times with zones;
//   - values of key=value and key:value pairs when the value is one of the
//     above (uid=0 -> uid=<*>; tty=ssh stays a word);
//   - quoted strings as a whole, only when MinerConfig.MaskQuoted is set.
//
// Words are split for masking (the separators stay in the text) at
// = , ; : ( ) [ ] { } < > | " ' so that "(uid=0)" becomes "(uid=<*>)".
// Then a unit word right after a masked number joins it (64172 MB, 18.4 KB,
// 3 seconds), a month or weekday name before a value joins it (Fri Jun 17
// 07:07:00 2005), an empty "()" or "[]" counts as a value, and a run of words
// that hold nothing but values and punctuation collapses into one token
// ("18846 bytes (18.4 KB)" and "0 bytes" are both "<*>"; "10.0.0.1: 11:" is
// "<*>:"); a repeated id collapses too ("blk_<*> blk_<*> blk_<*>" is
// "blk_<*>"). This keeps variable-length values from changing the number of
// tokens, which templates are keyed on.

// tmplWild is the wildcard that stands for a variable part of a message.
const tmplWild = "<*>"

var tmplWildB = []byte(tmplWild)

// Character classes for the byte scanner.
const (
	tmplCSpace = 1 << iota // ASCII whitespace: token boundary
	tmplCSep               // splits a word into segments for masking
	tmplCDigit
	tmplCHex   // 0-9 a-f A-F
	tmplCLower // a-z
	tmplCUpper // A-Z
	tmplCHost  // a-z 0-9 - .
)

var tmplClass = func() (t [256]uint8) {
	for _, c := range " \t\r\n\v\f" {
		t[c] |= tmplCSpace
	}
	for _, c := range "=,;:()[]{}<>|\"'" {
		t[c] |= tmplCSep
	}
	for c := '0'; c <= '9'; c++ {
		t[c] |= tmplCDigit | tmplCHex | tmplCHost
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] |= tmplCLower | tmplCHost
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] |= tmplCUpper
	}
	for _, c := range "abcdefABCDEF" {
		t[c] |= tmplCHex
	}
	t['-'] |= tmplCHost
	t['.'] |= tmplCHost
	return t
}()

func tmplIs(c byte, class uint8) bool { return tmplClass[c]&class != 0 }

func tmplIsDigit(c byte) bool  { return c >= '0' && c <= '9' }
func tmplIsLetter(c byte) bool { return tmplClass[c]&(tmplCLower|tmplCUpper) != 0 }
func tmplIsAlnum(c byte) bool  { return tmplClass[c]&(tmplCLower|tmplCUpper|tmplCDigit) != 0 }

// tmplLine is the masked form of one message: the tokens' text in buf, each
// followed by a space (so that buf is the line's cache key), token i being
// buf[end[i-1]+1:end[i]].
type tmplLine struct {
	buf   []byte
	end   []int32
	value []uint8 // tmplFVar: the token is a masked value, wildcards and punctuation

	// the words before collapsing, as buf, end and value; when no words
	// collapse, they are the tokens and trade places with those
	raw    []byte
	rawEnd []int32
	flag   []uint8
	strip  []byte
	msgEnd []int32 // where each word ends in the message (the word's raw ends at rawEnd)

	recent *tmplRecentWords
	prev   *tmplPrevLines
}

func (l *tmplLine) reset() {
	l.buf = l.buf[:0]
	l.end = l.end[:0]
	l.value = l.value[:0]
}

func (l *tmplLine) isValue(i int) bool { return l.value[i]&tmplFVar != 0 }

func (l *tmplLine) n() int { return len(l.end) }

func (l *tmplLine) start(i int) int32 {
	if i == 0 {
		return 0
	}
	return l.end[i-1] + 1
}

func (l *tmplLine) tok(i int) []byte { return l.buf[l.start(i):l.end[i]] }

// tmplFirstLine returns the first line of msg without its line break, cut to
// at most max bytes (at a UTF-8 boundary).
func tmplFirstLine(msg string, max int) string {
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	if len(msg) > max {
		cut := max
		for cut > 0 && msg[cut]&0xC0 == 0x80 {
			cut--
		}
		msg = msg[:cut]
	}
	return msg
}

// Token flags of the first masking pass.
const (
	tmplFVar  = 1 << iota // only wildcards and punctuation (or an empty "()")
	tmplFOpen             // ends with "<*>": a unit word may follow
	tmplFDate             // a month or weekday name taken as part of a date
)

// tmplMask masks msg (already cut to its first line) into l, keeping at most
// maxTok tokens: when there are more, the last kept token becomes "<*>" and
// stands for the rest.
func tmplMask(l *tmplLine, msg string, maxTok int, quoted bool) {
	if l.words(msg, maxTok, quoted) || len(l.rawEnd) > maxTok {
		l.collapse(maxTok)
	} else {
		l.takeWords()
	}
}

// words is the first pass of masking: it masks each word of msg into l.raw,
// flags in l.flag, and reports whether a word joins the one before it in
// collapse.
//
// A word that masking leaves as it is, followed by one space, reads in msg as
// it will in raw: such words are not copied one by one, but as a run, up to
// the next word that is masked or other whitespace (raw holds what is copied,
// msg[pend:cur] follows), and plainRun takes runs of them in a loop of its
// own, which keeps its few values in registers (in Go's calling convention a
// call costs a loop like this one a reload of all it holds).
//
// The words msg begins and ends with as a line kept in l.prev does are not
// masked again but taken from it; see tmplPrevLines.
func (l *tmplLine) words(msg string, maxTok int, quoted bool) (joins bool) {
	raw := l.raw[:0]
	l.rawEnd, l.flag, l.msgEnd = l.rawEnd[:0], l.flag[:0], l.msgEnd[:0]
	mb := unsafe.Slice(unsafe.StringData(msg), len(msg)) // msg's bytes, read only
	var prevW []byte                                     // the last word as masked (in mb or raw)
	var pf uint8                                         // and its flags
	far := 2*maxTok + 8                                  // far beyond the cap
	pend, cur := 0, 0                                    // the run of msg not yet copied to raw
	joinAt := -1                                         // the word that first joins the one before it
	var prev *tmplPrevLine                               // the line msg's first bytes pick, see tmplPrevLines
	full := msg                                          // msg, when cut before the words it shares with prev
	sfx := 0                                             // the first of those words in prev, or 0
	taken := 0                                           // the bytes of msg whose words prev gave
	if !quoted && len(msg) >= 8 {
		if l.prev == nil {
			l.prev = new(tmplPrevLines)
		}
		prev = &l.prev[tmplPrevSlot(msg)]
		if t := prev.shared(mb, far); t >= 0 {
			// the words up to t read as in the line before: take
			// them as masked then
			raw = append(raw, prev.raw[:prev.rawEnd[t]+1]...)
			l.rawEnd = append(l.rawEnd, prev.rawEnd[:t+1]...)
			l.flag = append(l.flag, prev.flag[:t+1]...)
			l.msgEnd = append(l.msgEnd, prev.msgEnd[:t+1]...)
			prevW, pf = prev.word(t), prev.flag[t] // as in raw, just copied
			if prev.joinAt >= 0 && prev.joinAt <= t {
				joinAt, joins = prev.joinAt, true
			}
			pend, cur = int(prev.msgEnd[t])+1, int(prev.msgEnd[t])+1
		}
		// and the words from sfx on as the line ends: words masks
		// msg up to them (cut), then takes them as masked then
		if k, cut := prev.suffix(mb, pend); k > 0 {
			sfx, msg, mb = k, msg[:cut], mb[:cut]
		}
		taken = pend
	}
again:
	for {
		var i, j int
		var feat uint16
		if pf&tmplFOpen == 0 {
			last, next := -1, 0
			i, j, feat, last, next = l.plainRun(msg, cur, len(raw)-pend, far, quoted)
			if last >= 0 {
				prevW, pf, cur = mb[last:next-1], 0, next
			}
		} else {
			i, j, feat = tmplNextWord(msg, cur)
		}
		if i >= len(msg) {
			break
		}
		if i != cur {
			raw = append(raw, msg[pend:cur]...)
			pend, cur = i, i
		}
		if len(l.rawEnd) > far {
			// far beyond the cap: the rest is one value
			raw = append(raw, msg[pend:cur]...)
			raw = append(raw, tmplWild...)
			l.rawEnd = append(l.rawEnd, int32(len(raw)))
			raw = append(raw, ' ')
			l.flag = append(l.flag, tmplFVar|tmplFOpen)
			l.msgEnd = append(l.msgEnd, int32(len(msg)))
			pend, cur, sfx = 0, 0, 0
			break
		}
		var f uint8
		var w []byte // the word as masked
		wild := true // the word may hold a wildcard
		if quoted && (msg[i] == '"' || msg[i] == '\'') {
			if k := tmplQuoteEnd(msg, i); k > 0 {
				raw = append(raw, msg[pend:cur]...)
				start := len(raw)
				raw = append(raw, msg[i])
				raw = append(raw, tmplWild...)
				raw = append(raw, msg[i])
				for j = k; j < len(msg) && !tmplIs(msg[j], tmplCSpace); j++ {
					raw = append(raw, msg[j])
				}
				w = raw[start:]
				f = tmplWordFlags(w)
				pend, cur = j, j
			}
		}
		if w == nil {
			if feat&^tmplHasAngle == 0 || tmplPlainWord(msg[i:j], feat) {
				w = mb[i:j]
				cur = j
				wild = feat&tmplHasAngle != 0
				// "<*>" as it was written, or an empty "()"
				if wild || len(w) == 2 {
					f = tmplWordFlags(w)
				}
			} else {
				raw = append(raw, msg[pend:cur]...)
				start := len(raw)
				raw, f = l.maskWord(raw, msg[i:j], feat)
				w = raw[start:]
				pend, cur = j, j
			}
		}
		if prevW != nil && !joins {
			// only values, words after open values, and ids as long
			// as the last word can join it
			if f|pf&tmplFOpen != 0 || wild && len(prevW) == len(w) {
				if joins = tmplJoins(prevW, pf, w, f); joins {
					joinAt = len(l.rawEnd)
				}
			}
		}
		prevW, pf = w, f
		l.rawEnd = append(l.rawEnd, int32(len(raw)+cur-pend))
		l.flag = append(l.flag, f)
		l.msgEnd = append(l.msgEnd, int32(j))
		if j < len(msg) && msg[j] == ' ' {
			cur = j + 1 // the space after the word is the one in raw
		} else {
			raw = append(raw, msg[pend:cur]...)
			raw = append(raw, ' ')
			pend, cur = j, j
		}
	}
	if sfx > 0 {
		if !prev.suffixFits(sfx, len(l.rawEnd), far, joins) {
			// the words of full after msg go one by one after all
			msg, sfx = full, 0
			mb = unsafe.Slice(unsafe.StringData(msg), len(msg))
			goto again
		}
		raw = append(raw, msg[pend:cur]...)
		pend, cur = 0, 0
		if !joins {
			if w := prev.word(sfx); prevW != nil && tmplJoins(prevW, pf, w, prev.flag[sfx]) {
				joins, joinAt = true, len(l.rawEnd)
			} else if prev.joinAt > sfx {
				joins, joinAt = true, len(l.rawEnd)+prev.joinAt-sfx
			}
		}
		raw = prev.appendWords(l, raw, sfx, len(full)-len(prev.msg))
		taken += len(full) - len(msg)
	}
	l.raw = append(raw, msg[pend:cur]...)
	if prev != nil && 2*taken < len(full) {
		// a line that took less than half its words from the
		// kept one is kept instead (one that took more is no better)
		prev.keep(l, full, far, joinAt)
	}
	return joins
}

// plainRun takes the words at msg[i:] that masking leaves as they are and
// that have no flags (no "<", not an empty "()"), each followed by one space,
// for words: it appends their ends (msg[i] being at raw[i+off]) and flags,
// at most as many as make far+1 words. It returns the next word's start, end
// and features (see tmplNextWord), and the start of the last word it took and
// where the next one starts (last is -1 when it took none).
//
//go:noinline
func (l *tmplLine) plainRun(msg string, i, off, far int, quoted bool) (start, end int, feat uint16, last, next int) {
	ends, flags, mends := l.rawEnd, l.flag, l.msgEnd
	last = -1
	for {
		start, end, feat = tmplNextWord(msg, i)
		if start != i || end >= len(msg) || msg[end] != ' ' || len(ends) > far ||
			feat&tmplHasAngle != 0 || feat != 0 && !tmplPlainWord(msg[start:end], feat) ||
			end-start == 2 && tmplIs(msg[start], tmplCSep) ||
			quoted && (msg[start] == '"' || msg[start] == '\'') {
			break
		}
		ends = append(ends, int32(end+off))
		flags = append(flags, 0)
		mends = append(mends, int32(end))
		last, i = start, end+1
	}
	l.rawEnd, l.flag, l.msgEnd = ends, flags, mends
	return start, end, feat, last, i
}

// maskWord appends the masked form of word w, of features feat, to dst and
// returns it with the form's flags: a number or IPv4 address without
// looking further (tmplNumberWord), else from l.recent when w was masked
// lately.
func (l *tmplLine) maskWord(dst []byte, w string, feat uint16) ([]byte, uint8) {
	if w[0]-'0' <= 9 { // a digit: maybe a number
		if ok, comma := tmplNumberWord(w); ok {
			if comma {
				return append(dst, tmplWildComma...), tmplFVar
			}
			return append(dst, tmplWild...), tmplFVar | tmplFOpen
		}
	}
	if len(w) > tmplRecentMaxLen {
		start := len(dst)
		dst = tmplMaskWord(dst, w, feat)
		return dst, tmplWordFlags(dst[start:])
	}
	if l.recent == nil {
		l.recent = new(tmplRecentWords)
	}
	e := &l.recent[tmplWordHash(w)%tmplRecentSize]
	if int(e.n) == len(w) && string(e.kv[:e.n]) == w {
		return append(dst, e.kv[e.n:]...), e.flag
	}
	start := len(dst)
	dst = tmplMaskWord(dst, w, feat)
	e.flag = tmplWordFlags(dst[start:])
	e.kv = append(append(e.kv[:0], w...), dst[start:]...)
	e.n = int32(len(w))
	return dst, e.flag
}

// tmplWildComma is how a number followed by a comma masks.
const tmplWildComma = tmplWild + ","

// tmplNumberWord reports whether masking makes the whitespace-free word w a
// lone wildcard, followed by a comma when comma: w is digits, or an IPv4
// address with an optional :port or /prefix of at most five digits, and at
// most one comma after that. These are the most common words that masking
// changes (counts, sizes, ids, addresses), and the most varied: tmplMaskWord
// and tmplRecentWords would see them one by one.
func tmplNumberWord(w string) (ok, comma bool) {
	if n := len(w); n > 0 && w[n-1] == ',' {
		w, comma = w[:n-1], true
	}
	i := 0
	for i < len(w) && w[i]-'0' <= 9 {
		i++
	}
	if i == len(w) {
		return i > 0, comma
	}
	if i == 0 || i > 3 {
		return false, false
	}
	// an IPv4 address: three more groups after dots, then a port or prefix
	for g := 1; g < 5; g++ {
		if c := w[i]; i+1 >= len(w) || g < 4 && c != '.' || g == 4 && c != ':' && c != '/' {
			return false, false
		}
		i++
		s := i
		for i < len(w) && w[i]-'0' <= 9 {
			i++
		}
		if i == s || i-s > 3 && (g < 4 || i-s > 5) {
			return false, false
		}
		if i == len(w) {
			return g >= 3, comma
		}
	}
	return false, false
}

// tmplRecentWords remembers the masked forms of words that needed masking,
// as host names, URLs, paths and ids repeat from line to line: a table of
// tmplRecentSize entries, a word in the one its hash picks.
type tmplRecentWords [tmplRecentSize]tmplRecentWord

// tmplRecentWord is a word (kv[:n]) and its masked form (kv[n:], of flags
// flag); kv is a copy, as the message may be a view of a reused buffer.
type tmplRecentWord struct {
	kv   []byte
	n    int32
	flag uint8
}

// The words tmplRecentWords remembers: at most tmplRecentSize, of at most
// tmplRecentMaxLen bytes.
const (
	tmplRecentSize   = 256
	tmplRecentMaxLen = 128
)

// tmplWordHash hashes a word's length and its last 8 bytes, where the words
// that need masking differ most (10.0.0.1, 10.0.0.2): read as one number and
// multiplied by an odd constant, whose top byte mixes all of them (and goes
// to the bottom, which picks the entry), or, in a shorter word, byte by byte
// (FNV-1a).
func tmplWordHash(w string) uint32 {
	if len(w) >= 8 {
		x := gramLoad8(w[len(w)-8:])
		h := (x + uint64(len(w))) * 0x9e3779b97f4a7c15 >> 32
		return uint32(h ^ h>>24)
	}
	h := uint32(2166136261) ^ uint32(len(w))
	for i := 0; i < len(w); i++ {
		h = (h ^ uint32(w[i])) * 16777619
	}
	return h
}

// tmplPrevLines remembers lately masked lines, so that masking a line that
// begins with the same words as one of them starts after those words: log
// lines of one kind share their first words ("an upstream response is
// buffered to a temporary file", "open() \"/usr/share/nginx/html/favicon.ico\"
// failed (2: No such file or directory), client:") and differ later. A line
// is kept in the entry its first eight bytes pick (tmplPrevSlot), replacing
// the one there.
//
// Masking a word depends only on the word, and whether a word joins the one
// before it only on the two: the words of a line up to a whitespace byte
// that the two lines share are masked alike, with the same flags, and the
// state of words (the last word and its flags, and whether a word joined its
// neighbour so far) after them is the same. Quoted masking looks ahead for
// the closing quote and does not take part.
type tmplPrevLines [tmplPrevSize]tmplPrevLine

// tmplPrevLine is one masked line kept by tmplPrevLines: its text (a copy),
// and words' results for it (raw, rawEnd, flag, msgEnd).
type tmplPrevLine struct {
	msg    []byte
	raw    []byte
	rawEnd []int32
	flag   []uint8
	msgEnd []int32
	words  int // words masked one by one, not the rest as one value
	joinAt int // the first word that joins the one before it, or -1
}

// tmplPrevSize is the number of lines tmplPrevLines keeps.
const tmplPrevSize = 16

// tmplPrevSlot picks msg's entry in tmplPrevLines from its first eight bytes
// (msg has eight at least).
func tmplPrevSlot(msg string) int {
	x := gramLoad8(msg)
	return int(x * 0x9e3779b97f4a7c15 >> (64 - 4))
}

// shared returns the last word of the kept line that msg repeats, followed by
// the same whitespace byte, or -1: the words words may take as they are, at
// most far+1 (the words masked one by one when far is the cap).
func (p *tmplPrevLine) shared(msg []byte, far int) int {
	n := tmplCommonPrefix(msg, p.msg)
	// the last word whose end (a whitespace byte) is before n
	lo, hi := 0, min(p.words, far+1)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if int(p.msgEnd[m]) < n {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo - 1
}

// suffix returns the first word k of the kept line of the words that msg
// ends with too, following the same whitespace byte, and where that byte is
// in msg (cut); k is 0 when there is none. The words shared with the line's
// beginning (up to from) do not count again. A kept line whose rest was one
// value has none.
func (p *tmplPrevLine) suffix(msg []byte, from int) (k, cut int) {
	if p.words < len(p.rawEnd) {
		return 0, 0
	}
	s := min(tmplCommonSuffix(msg, p.msg), min(len(msg), len(p.msg))-from)
	// the first word whose end is in the common suffix
	at := int32(len(p.msg) - s)
	lo, hi := 0, len(p.msgEnd)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if p.msgEnd[m] < at {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo+1 >= len(p.msgEnd) {
		return 0, 0
	}
	return lo + 1, int(p.msgEnd[lo]) + len(msg) - len(p.msg)
}

// suffixFits reports whether words, having masked n words of a line (joins:
// one joined its neighbour), may take the kept line's words from k on as
// they are: they stay within the cap far, and whether one of them joins the
// one before it is known (the kept line's first join, if any, is among
// them, or the line joins already).
func (p *tmplPrevLine) suffixFits(k, n, far int, joins bool) bool {
	return n+len(p.rawEnd)-k-1 <= far && (joins || p.joinAt < 0 || p.joinAt > k)
}

// word returns the kept line's word k as masked.
func (p *tmplPrevLine) word(k int) []byte {
	s := int32(0)
	if k > 0 {
		s = p.rawEnd[k-1] + 1
	}
	return p.raw[s:p.rawEnd[k]]
}

// appendWords appends the kept line's words from k (k > 0) on, as masked, to
// raw and their ends and flags to l's, for a line that is shift bytes longer
// than the kept one.
func (p *tmplPrevLine) appendWords(l *tmplLine, raw []byte, k, shift int) []byte {
	from := p.rawEnd[k-1] + 1
	d := int32(len(raw)) - from
	raw = append(raw, p.raw[from:]...)
	for _, e := range p.rawEnd[k:] {
		l.rawEnd = append(l.rawEnd, e+d)
	}
	l.flag = append(l.flag, p.flag[k:]...)
	for _, e := range p.msgEnd[k:] {
		l.msgEnd = append(l.msgEnd, e+int32(shift))
	}
	return raw
}

// keep makes msg, which l.words just masked (with cap far; joinAt as in
// words), the kept line.
func (p *tmplPrevLine) keep(l *tmplLine, msg string, far, joinAt int) {
	p.msg = append(p.msg[:0], msg...)
	p.raw = append(p.raw[:0], l.raw...)
	p.rawEnd = append(p.rawEnd[:0], l.rawEnd...)
	p.flag = append(p.flag[:0], l.flag...)
	p.msgEnd = append(p.msgEnd[:0], l.msgEnd...)
	p.words = min(len(l.rawEnd), far+1)
	p.joinAt = joinAt
}

// tmplCommonPrefix returns the length of the common prefix of a and b, eight
// bytes a turn.
func tmplCommonPrefix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for ; i+8 <= n; i += 8 {
		if x := binary.LittleEndian.Uint64(a[i:i+8]) ^ binary.LittleEndian.Uint64(b[i:i+8]); x != 0 {
			return i + bits.TrailingZeros64(x)/8
		}
	}
	for ; i < n && a[i] == b[i]; i++ {
	}
	return i
}

// tmplCommonSuffix returns the length of the common suffix of a and b, eight
// bytes a turn.
func tmplCommonSuffix(a, b []byte) int {
	i, j := len(a), len(b) // a[i:] == b[j:]
	for ; i >= 8 && j >= 8; i, j = i-8, j-8 {
		if x := binary.LittleEndian.Uint64(a[i-8:i]) ^ binary.LittleEndian.Uint64(b[j-8:j]); x != 0 {
			return len(a) - i + bits.LeadingZeros64(x)/8
		}
	}
	for ; i > 0 && j > 0 && a[i-1] == b[j-1]; i, j = i-1, j-1 {
	}
	return len(a) - i
}

// tmplNextWord returns where the first word at or after msg[i] starts and
// ends, and its features (the union of tmplFeat over its bytes); start is
// len(msg) when only whitespace is left.
//
// It is not inlined: on its own, the loops keep their values in registers;
// inlined into words or plainRun, they went to the stack, a third more
// instructions. The word is read eight bytes a turn (a quarter fewer
// instructions than one).
//
//go:noinline
func tmplNextWord(msg string, i int) (start, end int, feat uint16) {
	for ; i < len(msg); i++ {
		if tmplFeat[msg[i]]&tmplHasSpace == 0 {
			break
		}
	}
	var f uint16
	j := i
	for ; j+8 <= len(msg); j += 8 {
		b := msg[j : j+8]
		c0 := tmplFeat[b[0]]
		if c0&tmplHasSpace != 0 {
			return i, j, f
		}
		c1 := tmplFeat[b[1]]
		if c1&tmplHasSpace != 0 {
			return i, j + 1, f | c0
		}
		c2 := tmplFeat[b[2]]
		if c2&tmplHasSpace != 0 {
			return i, j + 2, f | c0 | c1
		}
		c3 := tmplFeat[b[3]]
		if c3&tmplHasSpace != 0 {
			return i, j + 3, f | c0 | c1 | c2
		}
		f |= c0 | c1 | c2 | c3
		c0 = tmplFeat[b[4]]
		if c0&tmplHasSpace != 0 {
			return i, j + 4, f
		}
		c1 = tmplFeat[b[5]]
		if c1&tmplHasSpace != 0 {
			return i, j + 5, f | c0
		}
		c2 = tmplFeat[b[6]]
		if c2&tmplHasSpace != 0 {
			return i, j + 6, f | c0 | c1
		}
		c3 = tmplFeat[b[7]]
		if c3&tmplHasSpace != 0 {
			return i, j + 7, f | c0 | c1 | c2
		}
		f |= c0 | c1 | c2 | c3
	}
	for ; j < len(msg); j++ {
		c := tmplFeat[msg[j]]
		if c&tmplHasSpace != 0 {
			return i, j, f
		}
		f |= c
	}
	return i, len(msg), f
}

// takeWords makes the masked words the tokens: what collapse leaves them
// when no word joins the one before it and they are at most maxTok.
func (l *tmplLine) takeWords() {
	l.buf, l.raw = l.raw, l.buf
	l.end, l.rawEnd = l.rawEnd, l.end
	l.value, l.flag = l.flag, l.value
}

// collapse makes the tokens from the masked words: it joins dates, units and
// runs of values, drops repeated ids, and keeps at most maxTok tokens.
func (l *tmplLine) collapse(maxTok int) {
	l.reset()
	// pass 2: a month or weekday name next to a value is part of a date
	for k := len(l.flag) - 2; k >= 0; k-- {
		if l.flag[k]&tmplFVar == 0 && l.flag[k+1]&tmplFVar != 0 {
			if w := l.rawTok(k); tmplIs(w[0], tmplCUpper) && tmplPlain(w) && tmplDateWords[string(tmplCore(w))] {
				l.flag[k] |= tmplFVar | tmplFOpen | tmplFDate
			}
		}
	}
	// pass 3: collapse runs of values into one token
	prevVar, prevOpen := false, false
	var runOpen [3]int // brackets opened in the dropped middle of the run
	for k := range l.rawEnd {
		word := l.rawTok(k)
		f := l.flag[k]
		isVar, open := f&tmplFVar != 0, f&tmplFOpen != 0
		if !isVar && prevOpen && tmplPlain(word) && tmplUnits[string(tmplCore(word))] {
			isVar, open = true, false // "64172 MB", "18.4 KB)"
			f |= tmplFDate
		}
		if f&tmplFDate != 0 {
			// the word itself is the value: keep its punctuation only
			l.strip = append(append(l.strip[:0], tmplWild...), word[len(tmplCore(word)):]...)
			word = l.strip
		}
		if isVar && prevVar {
			// rewrite the run as lead(first) + "<*>" + trail(last),
			// dropping brackets whose partner is in what goes away
			var lb, tb [16]byte
			runStart := l.start(len(l.end) - 1)
			first := l.tok(len(l.end) - 1)
			lead := tmplLead(lb[:0], first)
			trail := tmplTrail(tb[:0], word)
			lead, trail = tmplBalance(&runOpen, lead, trail, first[len(lead):], word[:len(word)-len(trail)])
			l.buf = append(l.buf[:runStart], lead...)
			l.buf = append(l.buf, tmplWild...)
			l.buf = append(l.buf, trail...)
			l.end[len(l.end)-1] = int32(len(l.buf))
			l.buf = append(l.buf, ' ')
			prevOpen = open
			continue
		}
		if len(l.end) > 0 && string(word) == string(l.tok(len(l.end)-1)) && bytes.Contains(word, tmplWildB) {
			// a list of ids: blk_<*> blk_<*> blk_<*>
			continue
		}
		if len(l.end) == maxTok {
			// too many tokens: the last one stands for the rest
			if !prevVar {
				last := len(l.end) - 1
				l.buf = append(l.buf[:l.start(last)], tmplWild...)
				l.end[last] = int32(len(l.buf))
				l.buf = append(l.buf, ' ')
				l.value[last] = tmplFVar
			}
			return
		}
		l.buf = append(l.buf, word...)
		l.end = append(l.end, int32(len(l.buf)))
		l.buf = append(l.buf, ' ')
		l.value = append(l.value, tmplFlagIf(isVar, tmplFVar))
		runOpen = [3]int{}
		prevVar, prevOpen = isVar, open
	}
}

// tmplFlagIf is f when b holds, else 0.
func tmplFlagIf(b bool, f uint8) uint8 {
	if b {
		return f
	}
	return 0
}

// tmplJoins reports whether the masked word w, of flags f, joins the masked
// word p before it, of flags pf, in collapse: it is a value after a value, a
// unit word after an open value, a value after a month or weekday name, or
// the same id again.
func tmplJoins(p []byte, pf uint8, w []byte, f uint8) bool {
	if f&tmplFVar != 0 {
		if pf&tmplFVar != 0 {
			return true
		}
		if tmplIs(p[0], tmplCUpper) && tmplPlain(p) && tmplDateWords[string(tmplCore(p))] {
			return true
		}
	} else if pf&tmplFOpen != 0 && tmplPlain(w) && tmplUnits[string(tmplCore(w))] {
		return true
	}
	return string(w) == string(p) && bytes.Contains(w, tmplWildB)
}

// tmplWordFlags classifies a masked word: tmplFVar, tmplFOpen or neither.
func tmplWordFlags(w []byte) uint8 {
	isVar, open := tmplVarToken(w)
	if isVar {
		if open {
			return tmplFVar | tmplFOpen
		}
		return tmplFVar
	}
	// an empty pair of brackets or quotes is an empty value
	if len(w) == 2 {
		switch string(w) {
		case "()", "[]", "{}", "\"\"", "''", "<>":
			return tmplFVar
		}
	}
	return 0
}

// tmplPlain reports whether a masked word that is not a value is a word and
// trailing punctuation, as a unit or date word is: 1 to 12 letters and
// digits, then neither letters, digits nor a wildcard.
func tmplPlain(w []byte) bool {
	k := len(tmplCore(w))
	if k == 0 || k > 12 {
		return false
	}
	for _, c := range w[k:] {
		if tmplIsAlnum(c) || c == '<' || c == '*' {
			return false
		}
	}
	return true
}

// tmplCore returns the leading letters and digits of a word (and %, µ).
func tmplCore(w []byte) []byte {
	k := 0
	for k < len(w) && (tmplIsAlnum(w[k]) || w[k] >= 0x80 || w[k] == '%') {
		k++
	}
	return w[:k]
}

func (l *tmplLine) rawTok(k int) []byte {
	s := int32(0)
	if k > 0 {
		s = l.rawEnd[k-1] + 1
	}
	return l.raw[s:l.rawEnd[k]]
}

// tmplDateWords are month and weekday names (English, as logs print them).
var tmplDateWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields("Jan Feb Mar Apr May Jun Jul Aug Sep Sept Oct Nov Dec " +
		"January February March April June July August September October November December " +
		"Mon Tue Wed Thu Fri Sat Sun Monday Tuesday Wednesday Thursday Friday Saturday Sunday") {
		m[w] = true
		m[strings.ToUpper(w)] = true
	}
	return m
}()

// tmplQuoteEnd returns the index after the quote closing the one at msg[i],
// or 0 when it does not close on the line.
func tmplQuoteEnd(msg string, i int) int {
	q := msg[i]
	for k := i + 1; k < len(msg); k++ {
		if msg[k] == '\\' {
			k++
			continue
		}
		if msg[k] == q {
			return k + 1
		}
	}
	return 0
}

// tmplVarToken reports whether a masked token holds only wildcards and
// punctuation (no letters or digits outside "<*>"), and whether it ends with a
// wildcard (so that a unit word may follow it).
func tmplVarToken(w []byte) (isVar, open bool) {
	wild := false
	for k := 0; k < len(w); k++ {
		c := w[k]
		if c == '<' && k+2 < len(w) && w[k+1] == '*' && w[k+2] == '>' {
			wild = true
			k += 2
			continue
		}
		if tmplIsAlnum(c) || c >= 0x80 {
			return false, false
		}
	}
	if !wild {
		return false, false
	}
	n := len(w)
	return true, n >= 3 && w[n-1] == '>' && w[n-2] == '*' && w[n-3] == '<'
}

// tmplUnits are words that, right after a number, are part of its value.
var tmplUnits = map[string]bool{
	"b": true, "B": true, "byte": true, "bytes": true, "Bytes": true,
	"kb": true, "kB": true, "KB": true, "KiB": true, "k": true, "K": true,
	"mb": true, "MB": true, "MiB": true, "M": true,
	"gb": true, "GB": true, "GiB": true, "G": true,
	"tb": true, "TB": true, "TiB": true,
	"ns": true, "us": true, "µs": true, "ms": true, "s": true, "sec": true, "secs": true,
	"second": true, "seconds": true, "min": true, "mins": true, "minute": true, "minutes": true,
	"h": true, "hr": true, "hrs": true, "hour": true, "hours": true,
	"day": true, "days": true, "%": true,
}

// tmplLead appends the punctuation before the first wildcard of w.
func tmplLead(dst, w []byte) []byte {
	k := bytes.Index(w, tmplWildB)
	if k < 0 {
		return dst // an empty "()" has nothing to keep
	}
	return append(dst, w[:k]...)
}

// tmplTrail appends the punctuation after the last wildcard of w.
func tmplTrail(dst, w []byte) []byte {
	for k := len(w) - 1; k >= 2; k-- {
		if w[k] == '>' && w[k-1] == '*' && w[k-2] == '<' {
			return append(dst, w[k+1:]...)
		}
	}
	return dst // an empty "()" has nothing to keep
}

// tmplBalance fixes the brackets of a collapsed run lead + "<*>" + trail
// whose middle parts mid1 and mid2 are dropped: a closing bracket of trail
// whose opening one was dropped goes (open counts those of the run so far),
// and so does an opening bracket of lead whose closing one is dropped.
func tmplBalance(open *[3]int, lead, trail, mid1, mid2 []byte) ([]byte, []byte) {
	pairs := [...][2]byte{{'(', ')'}, {'[', ']'}, {'{', '}'}}
	for k, p := range pairs {
		close := 0 // closing brackets in the middle opened in lead
		for _, mid := range [2][]byte{mid1, mid2} {
			for _, b := range mid {
				switch b {
				case p[0]:
					open[k]++
				case p[1]:
					if open[k] > 0 {
						open[k]--
					} else {
						close++
					}
				}
			}
		}
		for ; open[k] > 0 && bytes.IndexByte(trail, p[1]) >= 0; open[k]-- {
			trail = tmplDropFirst(trail, p[1])
		}
		for ; close > 0 && bytes.IndexByte(lead, p[0]) >= 0; close-- {
			lead = tmplDropLast(lead, p[0])
		}
	}
	return lead, trail
}

func tmplDropLast(b []byte, c byte) []byte {
	for k := len(b) - 1; k >= 0; k-- {
		if b[k] == c {
			return append(b[:k], b[k+1:]...)
		}
	}
	return b
}

func tmplDropFirst(b []byte, c byte) []byte {
	for k := 0; k < len(b); k++ {
		if b[k] == c {
			return append(b[:k], b[k+1:]...)
		}
	}
	return b
}

// tmplMaskWord appends the masked form of one whitespace-free word, of
// features f.
func tmplMaskWord(dst []byte, w string, f uint16) []byte {
	i := 0
	for i < len(w) {
		c := w[i]
		if tmplIs(c, tmplCSep) {
			// a comparison sign glued to a number is part of the value:
			// <1, >=3, <=0.5
			if (c == '<' || c == '>') && i+1 < len(w) {
				k := i + 1
				if w[k] == '=' {
					k++
				}
				if k < len(w) && tmplIsDigit(w[k]) {
					i = k
					continue
				}
			}
			// IPv6 that starts with "::"
			if c == ':' && i+1 < len(w) && w[i+1] == ':' {
				if n := tmplMatchIPv6(w, i); n > 0 {
					dst = append(dst, tmplWild...)
					i += n
					continue
				}
			}
			dst = append(dst, c)
			i++
			continue
		}
		if n := tmplMatchValue(w, i, f); n > 0 {
			dst = append(dst, tmplWild...)
			i += n
			continue
		}
		j := i
		for j < len(w) && !tmplIs(w[j], tmplCSep) {
			j++
		}
		dst = tmplMaskSegment(dst, w[i:j], f)
		i = j
	}
	return dst
}

// tmplBoundary reports whether a value that ends at w[k] ends the segment:
// end of word, a separator, or trailing sentence punctuation.
func tmplBoundary(w string, k int) bool {
	if k >= len(w) {
		return true
	}
	if tmplIs(w[k], tmplCSep) {
		return true
	}
	// trailing dots/marks: "1.2.3.4." ends a sentence
	for ; k < len(w); k++ {
		switch w[k] {
		case '.', '!', '?':
		default:
			return tmplIs(w[k], tmplCSep)
		}
	}
	return true
}

// tmplMatchValue returns the length of a structured value (URL, path, e-mail,
// UUID, IP, MAC, host:port, host name, clock time, date-time) starting at
// w[i], or 0.
func tmplMatchValue(w string, i int, f uint16) int {
	c := w[i]
	switch {
	case c == '/' || c == '~' || c == '.':
		return tmplMatchPath(w, i)
	case tmplIsDigit(c):
		if f&(tmplHasColon|tmplHasDash|tmplHasSlash) != 0 {
			if n := tmplMatchDateTime(w, i); n > 0 {
				return n
			}
		}
		if f&tmplHasDot != 0 {
			if n := tmplMatchIPv4(w, i); n > 0 {
				return n
			}
		}
		if f&tmplHasDash != 0 {
			if n := tmplMatchUUID(w, i); n > 0 {
				return n
			}
		}
		if f&tmplHasColon != 0 {
			if n := tmplMatchIPv6(w, i); n > 0 {
				return n
			}
		}
	case tmplIsLetter(c):
		if f&(tmplHasColon|tmplHasSlash) == tmplHasColon|tmplHasSlash {
			if n := tmplMatchURL(w, i); n > 0 {
				return n
			}
		}
		if f&tmplHasColon != 0 && c <= 'Z' && i+2 < len(w) && w[i+1] == ':' && w[i+2] == '\\' {
			return tmplPathEnd(w, i)
		}
		if f&tmplHasAt != 0 {
			if n := tmplMatchEmail(w, i); n > 0 {
				return n
			}
		}
		if tmplIs(c, tmplCHex) {
			if f&tmplHasDash != 0 {
				if n := tmplMatchUUID(w, i); n > 0 {
					return n
				}
			}
			if f&tmplHasColon != 0 {
				if n := tmplMatchIPv6(w, i); n > 0 {
					return n
				}
			}
		}
	default:
		return 0
	}
	if f&(tmplHasDot|tmplHasColon) != 0 {
		return tmplMatchHost(w, i)
	}
	return 0
}

// Features of a word, the union of tmplFeat over its bytes: they gate the
// value recognizers (tmplMatchValue) and tell the words masking leaves as
// they are (tmplPlainWord). tmplHasSpace is not a feature: it ends a word.
const (
	tmplHasAt = 1 << iota
	tmplHasColon
	tmplHasSlash
	tmplHasDot
	tmplHasDash
	tmplHasDigit
	tmplHasPathMark // ~ or \, as in ~/x and C:\x
	tmplHasAngle    // <, as in a wildcard
	tmplHasSpace
)

var tmplFeat = func() (t [256]uint16) {
	t['@'] = tmplHasAt
	t[':'] = tmplHasColon
	t['/'] = tmplHasSlash
	t['.'] = tmplHasDot
	t['-'] = tmplHasDash
	for c := '0'; c <= '9'; c++ {
		t[c] = tmplHasDigit
	}
	t['~'] = tmplHasPathMark
	t['\\'] = tmplHasPathMark
	t['<'] = tmplHasAngle
	for _, c := range " \t\r\n\v\f" {
		t[c] = tmplHasSpace
	}
	return t
}()

// tmplPlainWord reports whether masking leaves word w, of features f, as it
// is: it holds no digit and nothing a path, URL or e-mail address needs, not
// the 36 bytes of hex and dashes of a UUID, not the two colons an IPv6
// address needs ("::", or five and more), and no dot before a letter, as a
// host name has; one colon, as in "client:", starts a value only after a
// digit or a host name, and a dot before anything else ends a sentence.
//
// The colons and dots are looked at in one loop, without calls, and the
// function fits the inliner's budget: plainRun calls it for words like
// "client:" and "refused.", which are common.
func tmplPlainWord(w string, f uint16) bool {
	if f&(tmplHasDigit|tmplHasSlash|tmplHasAt|tmplHasPathMark) != 0 || f&tmplHasDash != 0 && len(w) >= 36 {
		return false
	}
	colons := 0
	for k := 0; k < len(w); k++ {
		if w[k] == ':' {
			colons++
		} else if w[k] == '.' && k+1 < len(w) && tmplClass[w[k+1]]&(tmplCLower|tmplCUpper) != 0 {
			return false
		}
	}
	return colons < 2
}

// tmplPathEnd returns the length of the path-like run at w[i]: up to a closing
// bracket, quote, comma or semicolon, without trailing dots or colons.
func tmplPathEnd(w string, i int) int {
	k := i
	for k < len(w) {
		switch w[k] {
		case ')', ']', '}', '>', '"', '\'', ',', ';', '|':
			goto done
		}
		k++
	}
done:
	for k > i && (w[k-1] == '.' || w[k-1] == ':') {
		k--
	}
	return k - i
}

func tmplMatchPath(w string, i int) int {
	k := i
	switch w[i] {
	case '~':
		if k+1 >= len(w) || w[k+1] != '/' {
			return 0
		}
		k++
	case '.':
		// ./x and ../x
		if k+1 < len(w) && w[k+1] == '/' {
			k++
		} else if k+2 < len(w) && w[k+1] == '.' && w[k+2] == '/' {
			k += 2
		} else {
			return 0
		}
	}
	// w[k] == '/': need something path-like after it
	if k+1 >= len(w) {
		return 0
	}
	d := w[k+1]
	if !(tmplIsAlnum(d) || d == '_' || d == '.' || d == '-' || d == '~' || d == '$' || d == '%' || d == '@' || d == '*' || d >= 0x80) {
		return 0
	}
	return tmplPathEnd(w, i)
}

func tmplMatchURL(w string, i int) int {
	k := i
	for k < len(w) && (tmplIsAlnum(w[k]) || w[k] == '+' || w[k] == '.' || w[k] == '-') {
		k++
	}
	if k-i < 2 || k+3 > len(w) || w[k] != ':' || w[k+1] != '/' || w[k+2] != '/' {
		return 0
	}
	return tmplPathEnd(w, i)
}

func tmplMatchEmail(w string, i int) int {
	k := i
	for k < len(w) && (tmplIsAlnum(w[k]) || w[k] == '.' || w[k] == '_' || w[k] == '%' || w[k] == '+' || w[k] == '-') {
		k++
	}
	if k == i || k >= len(w) || w[k] != '@' {
		return 0
	}
	k++
	s := k
	dots := 0
	for k < len(w) && tmplIs(w[k], tmplCHost|tmplCUpper) {
		if w[k] == '.' {
			dots++
		}
		k++
	}
	for k > s && w[k-1] == '.' {
		k--
		dots--
	}
	if dots < 1 || !tmplBoundary(w, k) {
		return 0
	}
	return k - i
}

// tmplHexRun returns the number of hex digits at w[k:].
func tmplHexRun(w string, k int) int {
	n := 0
	for k+n < len(w) && tmplIs(w[k+n], tmplCHex) {
		n++
	}
	return n
}

func tmplDigitRun(w string, k int) int {
	n := 0
	for k+n < len(w) && tmplIsDigit(w[k+n]) {
		n++
	}
	return n
}

func tmplMatchUUID(w string, i int) int {
	if len(w)-i < 36 {
		return 0
	}
	k := i
	for g, want := range [5]int{8, 4, 4, 4, 12} {
		if tmplHexRun(w, k) != want {
			if !(g == 4 && tmplHexRun(w, k) > want) {
				return 0
			}
		}
		k += want
		if g < 4 {
			if w[k] != '-' {
				return 0
			}
			k++
		}
	}
	if k < len(w) && tmplIs(w[k], tmplCHex) {
		return 0
	}
	return k - i
}

// tmplMatchIPv4 matches d.d.d.d with an optional :port or /prefix.
func tmplMatchIPv4(w string, i int) int {
	k := i
	for g := 0; g < 4; g++ {
		n := tmplDigitRun(w, k)
		if n == 0 || n > 3 {
			return 0
		}
		k += n
		if g < 3 {
			if k >= len(w) || w[k] != '.' {
				return 0
			}
			k++
		}
	}
	if k < len(w) && (w[k] == ':' || w[k] == '/') {
		if n := tmplDigitRun(w, k+1); n > 0 && n <= 5 && tmplBoundary(w, k+1+n) {
			k += 1 + n
		}
	}
	if !tmplBoundary(w, k) {
		return 0
	}
	return k - i
}

// tmplMatchIPv6 matches IPv6 addresses (with "::" or 8 groups, optionally an
// embedded IPv4 and a %zone) and MAC addresses (6 groups of 2 hex digits).
func tmplMatchIPv6(w string, i int) int {
	k := i
	groups, double, colons := 0, false, 0
	for k < len(w) {
		n := tmplHexRun(w, k)
		if n > 4 {
			return 0
		}
		if n > 0 {
			// embedded IPv4 at the end: ::ffff:10.0.0.1
			if k+n < len(w) && w[k+n] == '.' && colons >= 2 {
				if m := tmplMatchIPv4(w, k); m > 0 {
					k += m
					groups += 2
					break
				}
				return 0
			}
			groups++
			k += n
		}
		if k+1 < len(w) && w[k] == ':' && w[k+1] == ':' {
			if double {
				return 0
			}
			double = true
			colons += 2
			k += 2
			continue
		}
		if k+1 < len(w) && w[k] == ':' && tmplIs(w[k+1], tmplCHex) {
			colons++
			k++
			continue
		}
		break
	}
	if k < len(w) && w[k] == '%' {
		k++
		for k < len(w) && tmplIsAlnum(w[k]) {
			k++
		}
	}
	if groups == 0 && !(k < len(w) && w[k] == ']') {
		return 0 // a bare "::" only inside brackets: [::]:8080
	}
	if !(double && colons >= 2 || groups >= 6 && colons >= 5) || groups > 8 {
		return 0
	}
	if !tmplBoundary(w, k) {
		return 0
	}
	return k - i
}

// tmplTLDs are the top-level domains that make a dotted name a host name: the
// generic ones with one dot or more, the country codes (a few that read like
// words or file types, as in mapred.job.id or x.sh, left out) with two or more.
var tmplTLDs = func() map[string]int {
	m := map[string]int{}
	for _, t := range strings.Fields("com net org edu gov mil int info biz io local " +
		"internal lan corp cloud dev app localdomain arpa") {
		m[t] = 1
	}
	for _, t := range strings.Fields("ae ar au be bg br ca ch cl cn co cz de dk ee es eu fi " +
		"fr gr hk hr hu ie il in jp kr kz lt lv mx my nl nz om ph pk pl pt ro rs ru sa se " +
		"sg si sk th tr tw ua uk us uz vn za") {
		m[t] = 2
	}
	return m
}()

// tmplMatchHost matches host:port (the host dotted, holding a digit or a
// hyphen, or "localhost") and host names whose last label is a top-level
// domain.
func tmplMatchHost(w string, i int) int {
	k := i
	dots, digits, hyph, lastDot := 0, false, false, -1
	for k < len(w) && tmplIs(w[k], tmplCHost|tmplCUpper) {
		switch {
		case w[k] == '.':
			if k == i || w[k-1] == '.' {
				return 0
			}
			dots++
			lastDot = k
		case w[k] == '-':
			hyph = true
		case tmplIsDigit(w[k]):
			digits = true
		}
		k++
	}
	end := k
	for end > i && w[end-1] == '.' {
		end--
		dots--
	}
	if end == i {
		return 0
	}
	if lastDot >= end {
		lastDot = -1
		for p := end - 1; p > i; p-- {
			if w[p] == '.' {
				lastDot = p
				break
			}
		}
	}
	// host:port
	if k == end && k < len(w) && w[k] == ':' {
		if n := tmplDigitRun(w, k+1); n > 0 && n <= 5 && tmplBoundary(w, k+1+n) {
			if dots > 0 || digits || hyph || w[i:k] == "localhost" {
				return k + 1 + n - i
			}
		}
	}
	if dots == 0 || lastDot < 0 {
		return 0
	}
	need, ok := tmplTLDs[w[lastDot+1:end]]
	if !ok || dots < need || !tmplBoundary(w, end) {
		return 0
	}
	return end - i
}

// tmplMatchDateTime matches clock times (h:mm, hh:mm:ss[.frac]) and ISO dates
// with an optional time part (2017-05-16, 2017-05-16T05:00:00.123Z,
// 2017/05/16 05:00), with an optional zone.
func tmplMatchDateTime(w string, i int) int {
	k := i
	n := tmplDigitRun(w, k)
	if n == 4 && k+n < len(w) && (w[k+n] == '-' || w[k+n] == '/') {
		sep := w[k+n]
		k += n + 1
		if tmplDigitRun(w, k) != 2 || k+2 >= len(w) || w[k+2] != sep {
			return 0
		}
		k += 3
		if tmplDigitRun(w, k) != 2 {
			return 0
		}
		k += 2
		if k < len(w) && (w[k] == 'T' || w[k] == '_') {
			if m := tmplMatchClock(w, k+1); m > 0 {
				k += 1 + m
			}
		}
		if tmplBoundary(w, k) {
			return k - i
		}
		return 0
	}
	if m := tmplMatchClock(w, i); m > 0 && tmplBoundary(w, i+m) {
		return m
	}
	return 0
}

// tmplMatchClock matches h:mm or hh:mm:ss with optional fraction and zone.
func tmplMatchClock(w string, i int) int {
	k := i
	n := tmplDigitRun(w, k)
	if n < 1 || n > 2 || k+n >= len(w) || w[k+n] != ':' {
		return 0
	}
	k += n + 1
	if tmplDigitRun(w, k) != 2 {
		return 0
	}
	k += 2
	if k+2 < len(w) && w[k] == ':' && tmplDigitRun(w, k+1) == 2 {
		k += 3
		if k+1 < len(w) && (w[k] == '.' || w[k] == ',') && tmplIsDigit(w[k+1]) {
			k++
			k += tmplDigitRun(w, k)
		}
	}
	if k < len(w) && w[k] == 'Z' {
		k++
	} else if k+2 < len(w) && (w[k] == '+' || w[k] == '-') && tmplDigitRun(w, k+1) >= 2 {
		m := tmplDigitRun(w, k+1)
		if m == 2 && k+5 < len(w)+0 && k+3 < len(w) && w[k+3] == ':' && tmplDigitRun(w, k+4) == 2 {
			k += 6
		} else if m == 2 || m == 4 {
			k += 1 + m
		}
	}
	return k - i
}

// tmplMaskSegment appends the masked form of a separator-free segment: a
// segment that starts with a digit (or a sign and a digit) is one value, a
// hex id is one value, a 'v' followed by a number is a version, and otherwise
// digit runs not preceded by a letter are values. f are the features of the
// word the segment is part of.
func tmplMaskSegment(dst []byte, s string, f uint16) []byte {
	// Java's default toString, Class@hashcode ("ConnectionImpl@bb70e692"):
	// the identity hash is a value whether it starts with a digit or not.
	if f&tmplHasAt != 0 {
		if at := strings.LastIndexByte(s, '@'); at > 0 && len(s)-at-1 >= 6 && tmplAllHex(s[at+1:]) {
			dst = append(dst, s[:at+1]...)
			return append(dst, tmplWild...)
		}
	}
	if s == "" {
		return dst
	}
	// trailing sentence punctuation stays text
	e := len(s)
	for e > 0 && (s[e-1] == '.' || s[e-1] == '!' || s[e-1] == '?') {
		e--
	}
	core, tail := s[:e], s[e:]
	if core == "" {
		return append(dst, s...)
	}
	c := core[0]
	if tmplIsDigit(c) ||
		(c == '-' || c == '+' || c == '.' || c == '#') && len(core) > 1 && tmplIsDigit(core[1]) {
		dst = append(dst, tmplWild...)
		return append(dst, tail...)
	}
	if (c == 'v' || c == 'V') && len(core) > 1 && tmplIsDigit(core[1]) {
		k := 1
		for k < len(core) && (tmplIsDigit(core[k]) || core[k] == '.') {
			k++
		}
		if k == len(core) || !tmplIsAlnum(core[k]) {
			dst = append(dst, c)
			dst = append(dst, tmplWild...)
			dst = append(dst, core[k:]...)
			return append(dst, tail...)
		}
	}
	hex, digit := true, false
	for k := 0; k < len(core); k++ {
		if !tmplIs(core[k], tmplCHex) {
			hex = false
		}
		if tmplIsDigit(core[k]) {
			digit = true
		}
	}
	if !digit {
		return append(dst, s...)
	}
	if hex && len(core) >= 8 {
		dst = append(dst, tmplWild...)
		return append(dst, tail...)
	}
	// digit runs after a non-letter: blk_-123, CPU#0, part-00012; after
	// "_" the rest is the id (attempt_1445_0020_m_000004_0)
	k := 0
	for k < len(core) {
		// what is not a digit stays
		d := k
		for d < len(core) && !tmplIsDigit(core[d]) {
			d++
		}
		dst = append(dst, core[k:d]...)
		if k = d; k == len(core) {
			break
		}
		b := core[k]
		if k > 0 && tmplIsLetter(core[k-1]) {
			// a zero-padded number ends a name: node01, web003 (not
			// amd64, e820, sha256)
			if n := tmplDigitRun(core, k); n >= 2 && core[k] == '0' && k+n == len(core) {
				dst = append(dst, tmplWild...)
				break
			}
		}
		if k > 0 && !tmplIsLetter(core[k-1]) && !tmplIsDigit(core[k-1]) {
			p := core[k-1]
			// absorb a sign: blk_-123
			if p == '-' && (k < 2 || !tmplIsAlnum(core[k-2])) {
				dst = dst[:len(dst)-1]
				if k >= 2 {
					p = core[k-2]
				}
			}
			dst = append(dst, tmplWild...)
			if p == '_' {
				k = len(core)
				break
			}
			// take the run and what follows it up to the next
			// non-alphanumeric (1f2e -> <*>, 1.5 -> <*>)
			for k < len(core) && (tmplIsAlnum(core[k]) || core[k] == '.' && k+1 < len(core) && tmplIsDigit(core[k+1])) {
				k++
			}
			continue
		}
		dst = append(dst, b)
		k++
	}
	return append(dst, tail...)
}

// tmplAllHex reports a string made only of hex digits.
func tmplAllHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !tmplIs(s[i], tmplCHex) {
			return false
		}
	}
	return s != ""
}
