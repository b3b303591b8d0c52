package index

import (
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

// ASCII word-break classes (UAX #29 Word_Break property values).
const (
	cOther  = iota
	cLetter // ALetter: A-Z a-z
	cDigit  // Numeric: 0-9
	cExtend // ExtendNumLet: _
	cMidL   // MidLetter: :
	cMidNL  // MidNumLet and Single_Quote: . '
	cMidN   // MidNum: , ;
)

var asciiClass = func() (t [128]uint8) {
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

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// joins reports whether UAX #29 keeps s[i-1] and s[i] in one word (s is
// ASCII, i >= 1): WB5-WB13b restricted to ASCII's classes.
func joins(s string, i int) bool {
	a, b := asciiClass[s[i-1]], asciiClass[s[i]]
	next := uint8(cOther)
	if i+1 < len(s) {
		next = asciiClass[s[i+1]]
	}
	prev := uint8(cOther)
	if i >= 2 {
		prev = asciiClass[s[i-2]]
	}
	switch {
	case a == cLetter && b == cLetter: // WB5
		return true
	case a == cLetter && (b == cMidL || b == cMidNL) && next == cLetter: // WB6
		return true
	case (a == cMidL || a == cMidNL) && prev == cLetter && b == cLetter: // WB7
		return true
	case (a == cDigit || a == cLetter) && b == cDigit, a == cDigit && b == cLetter: // WB8, WB9, WB10
		return true
	case (a == cMidN || a == cMidNL) && prev == cDigit && b == cDigit: // WB11
		return true
	case a == cDigit && (b == cMidN || b == cMidNL) && next == cDigit: // WB12
		return true
	case (a == cLetter || a == cDigit || a == cExtend) && b == cExtend: // WB13a
		return true
	case a == cExtend && (b == cLetter || b == cDigit): // WB13b
		return true
	}
	return false
}

// asciiWords calls f with each word of ASCII text s (as a substring of s)
// and its 1-based position: the segments UAX #29 makes that hold a letter,
// digit or underscore.
func asciiWords(s string, f func(w string, pos int)) {
	pos := 0
	start := -1
	for i := 0; i < len(s); i++ {
		c := asciiClass[s[i]]
		if start >= 0 && joins(s, i) {
			continue
		}
		if start >= 0 {
			pos++
			f(s[start:i], pos)
			start = -1
		}
		if c == cLetter || c == cDigit || c == cExtend {
			start = i
		}
	}
	if start >= 0 {
		pos++
		f(s[start:], pos)
	}
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
		if !isStop(b) {
			f(b, pos)
		}
	})
}

// analyzeText is the standard analyzer's output for a query's text: the
// terms with their positions.
func analyzeText(s string) (terms []string, pos []int) {
	tokens(s, func(t []byte, p int) {
		terms = append(terms, string(t))
		pos = append(pos, p)
	})
	return terms, pos
}
