package index

import (
	"encoding/binary"
	"math/bits"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/registry"
)

// Message text is analysed like bleve's standard analyzer does it: Unicode
// word segmentation (UAX #29), lower case, English stop words removed,
// positions counted before stop words are removed. The analyzer is exact but
// slow (about 10 MB/s here), so ASCII text, nearly all of a log, takes a
// byte-level path that applies the same word-break rules to ASCII's word
// classes; FuzzTokensMatchBleve checks that both agree. Text with any byte
// of 0x80 or more goes through bleve's analyzer.

var (
	analyzersOnce sync.Once
	stdAnalyzer   analysis.Analyzer
	stopWords     analysis.TokenMap
)

func analyzers() {
	analyzersOnce.Do(func() {
		cache := registry.NewCache()
		a, err := cache.AnalyzerNamed(standard.Name)
		if err != nil {
			panic(err) // registered by bleve's init; cannot fail
		}
		sw, err := cache.TokenMapNamed(en.StopName)
		if err != nil {
			panic(err)
		}
		stdAnalyzer, stopWords = a, sw
	})
}

// isStop reports whether the standard analyzer drops a (lower-case) term.
func isStop(term []byte) bool {
	analyzers()
	return stopWords[string(term)]
}

// ASCII word-break classes (UAX #29 Word_Break property values). The
// three that may join two words come last, in this order (sketchTerms
// compares them).
const (
	cOther  = iota
	cLetter // ALetter: A-Z a-z
	cDigit  // Numeric: 0-9
	cExtend // ExtendNumLet: _
	cMidL   // MidLetter: :
	cMidNL  // MidNumLet and Single_Quote: . '
	cMidN   // MidNum: , ;
)

var asciiClass = func() (t [256]uint8) { // bytes of 0x80 or more: cOther
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = cLetter, cLetter
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = cDigit
	}
	t['_'] = cExtend
	t[':'] = cMidL
	t['.'], t['\''] = cMidNL, cMidNL
	t[','], t[';'] = cMidN, cMidN
	return t
}()

// isASCII reports whether s has no byte of 0x80 or more, 8 bytes at a
// time.
func isASCII(s string) bool {
	for len(s) >= 8 {
		if le64(s)&0x8080808080808080 != 0 {
			return false
		}
		s = s[8:]
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// asciiWords calls f with each word of ASCII text s (as a substring of s)
// and its 1-based position: the segments UAX #29 makes that hold a letter,
// digit or underscore. Two word bytes (letter, digit, underscore) always
// stay together (WB5, WB8-WB10, WB13a-b); a MidLetter or MidNumLet between
// letters (WB6-7), or a MidNum or MidNumLet between digits (WB11-12), joins
// too; everything else breaks.
func asciiWords(s string, f func(w string, pos int)) {
	pos, i, n := 0, 0, len(s)
	for i < n {
		for i < n && !wordByte[s[i]] {
			i++
		}
		if i == n {
			break
		}
		start := i
		for {
			for i < n && wordByte[s[i]] {
				i++
			}
			if i+1 >= n || !asciiJoins(s[i-1], s[i], s[i+1]) {
				break
			}
			i += 2
		}
		pos++
		f(s[start:i], pos)
	}
}

// asciiJoins reports whether c, between a and b, joins them into one word.
// Most words end at a byte that joins nothing: c is looked at first.
func asciiJoins(a, c, b byte) bool {
	k := asciiClass[c]
	if k < cMidL {
		return false
	}
	ka, kb := asciiClass[a], asciiClass[b]
	return (ka == cLetter && kb == cLetter && k <= cMidNL) || // MidLetter, MidNumLet
		(ka == cDigit && kb == cDigit && k >= cMidNL) // MidNumLet, MidNum
}

var wordByte = func() (t [256]bool) {
	for c, k := range asciiClass {
		t[c] = k == cLetter || k == cDigit || k == cExtend
	}
	return t
}()

// lower returns w in lower case, in buf when it fits.
func lower(w string, buf []byte) []byte {
	var b []byte
	if len(w) <= len(buf) {
		b = buf[:len(w)]
	} else {
		b = make([]byte, len(w))
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return b
}

// tokens calls f with the terms the standard analyzer makes of s, with
// their positions, stop words left out. term is only valid during the call
// (it may be a reused buffer).
func tokens(s string, f func(term []byte, pos int)) {
	if !isASCII(s) {
		analyzers()
		for _, t := range stdAnalyzer.Analyze([]byte(s)) {
			f(t.Term, t.Position)
		}
		return
	}
	var buf [64]byte
	asciiWords(s, func(w string, pos int) {
		if b := lower(w, buf[:]); !isStop(b) {
			f(b, pos)
		}
	})
}

// sketchTerms adds to sk the key of each term of s for a block's sketch:
// those of tokens, and for ASCII text also its stop words (a query never
// asks for them; leaving them in is cheaper than looking each word up).
// ASCII words are found (asciiWords' loop and its joins, asciiJoins) and
// hashed (wordKey) without a callback per word, in place, folded to lower case as they are hashed; a
// word of at most 8 bytes that the sketch has had since its reset (its
// table of short words) is not hashed again.
func sketchTerms(s string, sk *sketch) { sketchText(s, isASCII(s), sk) }

// sketchText is sketchTerms for s, given whether s is ASCII (isASCII).
// The words of ASCII text that it shares with the ASCII text the sketch
// had last (its prev) are not looked at again (sharedStart).
func sketchText(s string, ascii bool, sk *sketch) {
	if !ascii {
		sk.prev, sk.prevLen = sk.prev[:0], 0
		tokens(s, func(t []byte, _ int) { sk.add(termKey(t)) })
		return
	}
	var words *[1 << wordsLog]uint64 // nil: the sketch has no table
	if len(sk.words) == 1<<wordsLog {
		words = (*[1 << wordsLog]uint64)(sk.words)
	}
	i, n := 0, len(s)
	if sk.prev != nil {
		i = sharedStart(sk.prev, sk.prevLen, s)
		sk.prev, sk.prevLen = append(sk.prev[:0], s[:min(n, prevMax)]...), n
	}
	for i < n {
		for uint(i) < uint(n) && !wordByte[s[i]] {
			i++
		}
		if i == n {
			break
		}
		start := i
		for {
			for uint(i) < uint(n) && wordByte[s[i]] {
				i++
			}
			// most words end at a byte that joins nothing: its class
			// is looked at before the bytes around it
			if i+1 >= n || asciiClass[s[i]] < cMidL || !asciiJoins(s[i-1], s[i], s[i+1]) {
				break
			}
			i += 2
		}
		end := i
		i++ // s[end], if there is one, is no word byte
		if l := uint(end - start); l <= 8 && words != nil {
			// a short word already added to this sketch is skipped
			var w uint64
			if start+8 <= n {
				w = le64(s[start:start+8]) & lowBytes[l]
			} else {
				for k := end - 1; k >= start; k-- {
					w = w<<8 | uint64(s[k])
				}
			}
			slot := &words[(w*0x9E3779B97F4A7C15)>>(64-wordsLog)]
			if *slot == w {
				continue
			}
			*slot = w
		}
		sk.add(wordKey(s[start:end]))
	}
}

// sharedStart is where the word scan of ASCII text s may start in a
// sketch that has had the words of ASCII text p (the first bytes of a text
// of plen bytes): n, when s is that text; else the last byte before the
// bytes where they differ that joins no word (class cOther: space, '/',
// '=' and the like), as the words before it are the same in both; else 0.
func sharedStart(p []byte, plen int, s string) int {
	n := min(len(p), len(s))
	k := 0
	for ; k+8 <= n; k += 8 {
		if x := binary.LittleEndian.Uint64(p[k:k+8]) ^ le64(s[k:k+8]); x != 0 {
			k += bits.TrailingZeros64(x) / 8
			n = k // the first byte that differs
			break
		}
	}
	for k < n && p[k] == s[k] {
		k++
	}
	if k == len(s) && plen == len(s) {
		return k
	}
	for k--; k >= 0; k-- {
		if asciiClass[s[k]] == cOther {
			return k
		}
	}
	return 0
}

// lowBytes[l] keeps the l low bytes of a word.
var lowBytes = [9]uint64{0, 0xff, 0xffff, 0xffffff, 0xffffffff, 0xffffffffff, 0xffffffffffff, 0xffffffffffffff, ^uint64(0)}

// analyzeText is the standard analyzer's output for a query's text: the
// terms with their positions.
func analyzeText(s string) (terms []string, pos []int) {
	tokens(s, func(t []byte, p int) {
		terms = append(terms, string(t))
		pos = append(pos, p)
	})
	return terms, pos
}
