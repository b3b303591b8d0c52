package index

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// bleveTokens is the standard analyzer's output, the reference.
func bleveTokens(s string) string {
	analyzers()
	var b strings.Builder
	for _, t := range stdAnalyzer.Analyze([]byte(s)) {
		fmt.Fprintf(&b, "%s@%d ", t.Term, t.Position)
	}
	return b.String()
}

func ourTokens(s string) string {
	var b strings.Builder
	tokens(s, func(t []byte, p int) { fmt.Fprintf(&b, "%s@%d ", t, p) })
	return b.String()
}

func TestTokensMatchBleve(t *testing.T) {
	for _, s := range []string{
		"", "a", "Lock wait timeout exceeded; try restarting transaction",
		"GET /api/v2/invoices?id=42 HTTP/1.1", "10.0.0.1:3306", "db-1.prod:3306",
		"a.b.c", "a..b", "1.2.3", "1,000,000", "a,b", "x_1 _a a_ ___", "can't won't",
		"user@example.com", "key=value;k2=v2", "java.lang.NullPointerException: boom",
		"at com.example.Foo.bar(Foo.java:42)", "2023-08-15T06:19:42.000Z", "0x1F 1e9 3.14e-2",
		"The quick brown fox and the lazy dog", "a:1 1:a a:b 1:2 a.1 1.a a'1 1'2 1;2 a;b",
		"über café", "日本語のテキスト", "mixed ascii and ünïcödé words",
	} {
		if got, want := ourTokens(s), bleveTokens(s); got != want {
			t.Errorf("tokens(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestTokensRandomASCII compares the ASCII path with bleve's analyzer on
// random text over the characters that matter to word breaks.
func TestTokensRandomASCII(t *testing.T) {
	const alpha = "aZb09_:.,;'\" -/@=\t\n\rxY1"
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		n := r.IntN(24)
		b := make([]byte, n)
		for j := range b {
			b[j] = alpha[r.IntN(len(alpha))]
		}
		s := string(b)
		if got, want := ourTokens(s), bleveTokens(s); got != want {
			t.Fatalf("tokens(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzTokensMatchBleve(f *testing.F) {
	for _, s := range []string{"a.b", "1,2", "x_1", "can't", "a:b:c", "The end."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := ourTokens(s), bleveTokens(s); got != want {
			t.Fatalf("tokens(%q) = %q, want %q", s, got, want)
		}
	})
}

// TestSketchTermsAreASCIIWords checks that sketchTerms adds the keys of
// the words asciiWords finds (and tokens' terms for other text): a sketch
// built from each holds the same bits, per text and over many texts (the
// addWordKeys adds to sk the keys of s's words as the query side finds
// them (asciiWords, or tokens for other text): what sketchTerms must add.
func addWordKeys(s string, sk *sketch) {
	if isASCII(s) {
		asciiWords(s, func(w string, _ int) { sk.add(termKey(w)) })
	} else {
		tokens(s, func(term []byte, _ int) { sk.add(termKey(term)) })
	}
}

// short words sketchTerms has added are skipped).
func TestSketchTermsAreASCIIWords(t *testing.T) {
	texts := []string{
		"", "a", "_", ".", "a.b", "1,2", "a:", ":a", "x_1 _a a_ ___", "can't won't",
		"Lock wait timeout exceeded; try restarting transaction",
		"GET /api/v2/invoices?id=42 HTTP/1.1 503", "10.0.0.1:3306 db-1.prod:3306",
		strings.Repeat("abcdefgh", 9), strings.Repeat("a", 64) + " " + strings.Repeat("b", 65),
		strings.Repeat("1.2.", 40) + "x", "über café", "mixed ascii and ünïcödé words",
		// texts that start like the one before (sketchText skips the
		// words they share)
		"Accepted invoice request for order 7708363 from client erp-sap-01",
		"Accepted invoice request for order 7708364 from client erp-sap-02",
		"Accepted invoice request for order 7708364 from client erp-sap-02",
		"Accepted invoice request for order 77083641 from client",
		"Accepted invoice request for order 7708",
		"Accepted invoice request for order 7708.5",
		"Accepted invoice request for order", "Accepted invoice request for order",
		"Accepted invoice request for orders", "Accepted über", "Accepted invoice",
		"GET /api/invoice?taxNum=1&page=4 HTTP/1.1 200", "GET /api/invoice?taxNum=1&page=4.5 HTTP/1.1 200",
		"GET /api/invoice?taxNum=1&page=4:x", "GET /api/invoice?taxNum=1&page=4",
		"a.b c", "a.bc", "a.b", "a:b", "a:", "a", "", "a", "x y", "x y_z", "x y",
		strings.Repeat("word ", 60) + "end", strings.Repeat("word ", 60) + "end",
		strings.Repeat("word ", 60) + "ends", strings.Repeat("word ", 52) + "wordy",
		strings.Repeat("w", 300), strings.Repeat("w", 300) + " v", strings.Repeat("w", 256),
	}
	const alpha = "aZb09_:.,;'\" -/@=\t\n\rxY1"
	r := rand.New(rand.NewPCG(11, 12))
	for i := 0; i < 5000; i++ {
		b := make([]byte, r.IntN(200))
		for j := range b {
			b[j] = alpha[r.IntN(len(alpha))]
		}
		texts = append(texts, string(b))
	}
	for _, ev := range demoEvents(t) {
		texts = append(texts, indexedText(ev.Message))
	}
	got, want := newSketch(), newSketch()
	for _, s := range texts {
		got.reset()
		want.reset()
		sketchTerms(s, got)
		addWordKeys(s, want)
		if got.ones != want.ones || !slices.Equal(got.bits, want.bits) {
			t.Fatalf("sketchTerms(%q) set %d bits, its words %d (or others)", s, got.ones, want.ones)
		}
	}
	// and into one sketch, the words of earlier texts skipped (reset
	// every 1000 texts, as a block ends)
	for i, s := range texts {
		if i%1000 == 0 {
			got.reset()
			want.reset()
		}
		sketchTerms(s, got)
		addWordKeys(s, want)
		if got.ones != want.ones || !slices.Equal(got.bits, want.bits) {
			t.Fatalf("text %d: sketchTerms(%q) set %d bits, its words %d (or others)", i, s, got.ones, want.ones)
		}
	}
}

// sharedStartSimple is sharedStart the simple way, for texts: the whole
// text when s is prev (and the sketch kept all of prev), else the last
// byte of class cOther before the first byte where s and the part of prev
// that is kept differ, else 0.
func sharedStartSimple(prev, s string) int {
	if s == prev && len(s) <= prevMax {
		return len(s)
	}
	p := prev[:min(len(prev), prevMax)]
	k := 0
	for k < len(p) && k < len(s) && p[k] == s[k] {
		k++
	}
	for j := k - 1; j >= 0; j-- {
		if asciiClass[s[j]] == cOther {
			return j
		}
	}
	return 0
}

// TestSharedStart checks sharedStart against sharedStartSimple: a table,
// then texts that differ from each other at every position up to 40
// (sharedStart compares 8 bytes at a time) and texts longer than what a
// sketch keeps of its last.
func TestSharedStart(t *testing.T) {
	tests := []struct {
		prev, s string
		want    int
	}{
		{"", "", 0},
		{"", "abc", 0},
		{"abc", "", 0},
		{"abc def", "abc def", 7},
		{"abc def", "abc deg", 3},
		{"abc def", "abc", 0},
		{"abc def", "abc ", 3},
		{"abc def", "abc def ghi", 3},
		{"a.b c", "a.b d", 3},
		{"a.b c", "a.c", 0},
		{"x=1&y=2", "x=1&y=3", 5},
		{"GET /api/invoice/INV-1 HTTP/1.1 200", "GET /api/invoice/INV-2 HTTP/1.1 200", 20},
		{strings.Repeat("w ", 200), strings.Repeat("w ", 200), prevMax - 1},
		{strings.Repeat("w ", 128), strings.Repeat("w ", 128), prevMax},
	}
	for _, tt := range tests {
		p := []byte(tt.prev[:min(len(tt.prev), prevMax)])
		got := sharedStart(p, len(tt.prev), tt.s)
		if got != tt.want || got != sharedStartSimple(tt.prev, tt.s) {
			t.Errorf("sharedStart(%q, %q) = %d, want %d (simple: %d)", tt.prev, tt.s, got, tt.want, sharedStartSimple(tt.prev, tt.s))
		}
	}
	const alpha = "ab .:=/_1"
	r := rand.New(rand.NewPCG(21, 22))
	for i := 0; i < 20000; i++ {
		b := make([]byte, r.IntN(300))
		for j := range b {
			b[j] = alpha[r.IntN(len(alpha))]
		}
		prev := string(b)
		if len(b) > 0 && i%4 != 0 {
			b[r.IntN(len(b))] = alpha[r.IntN(len(alpha))]
		}
		s := string(b[:r.IntN(len(b)+1)])
		if i%3 == 0 {
			s = string(b)
		}
		p := []byte(prev[:min(len(prev), prevMax)])
		if got, want := sharedStart(p, len(prev), s), sharedStartSimple(prev, s); got != want {
			t.Fatalf("sharedStart(%q, %q) = %d, want %d", prev, s, got, want)
		}
	}
}

// FuzzSharedStart compares sharedStart with sharedStartSimple.
func FuzzSharedStart(f *testing.F) {
	f.Add("abc def", "abc deg")
	f.Add("GET /a/b?c=1 HTTP/1.1", "GET /a/b?c=2 HTTP/1.1")
	f.Add("a.b c", "a.b c")
	f.Add(strings.Repeat("w ", 200), strings.Repeat("w ", 200))
	f.Fuzz(func(t *testing.T, prev, s string) {
		p := []byte(prev[:min(len(prev), prevMax)])
		if got, want := sharedStart(p, len(prev), s), sharedStartSimple(prev, s); got != want {
			t.Fatalf("sharedStart(%q, %q) = %d, want %d", prev, s, got, want)
		}
	})
}

// FuzzSketchTerms compares sketchTerms with the words asciiWords (or
// tokens) finds, each text alone and after the text before it (the short
// words of the first are then skipped in the second).
func FuzzSketchTerms(f *testing.F) {
	for _, s := range []string{"a.b", "1,2", "x_1 a:", "can't won't", "GET /a/b?c=1 HTTP/1.1", "a.b.c.d.e.f.g.h.i", "über"} {
		f.Add(s, "a b")
	}
	// texts that start like the one before
	f.Add("GET /a/b?c=1 HTTP/1.1", "GET /a/b?c=2 HTTP/1.1")
	f.Add("order 7708 from a", "order 7708.5 from a")
	f.Add("a.b c", "a.b c")
	f.Add("a b", "a bc")
	got, want := newSketch(), newSketch()
	f.Fuzz(func(t *testing.T, s, prev string) {
		got.reset()
		want.reset()
		sketchTerms(prev, got)
		addWordKeys(prev, want)
		sketchTerms(s, got)
		addWordKeys(s, want)
		if got.ones != want.ones || !slices.Equal(got.bits, want.bits) {
			t.Fatalf("sketchTerms(%q) after %q set %d bits, its words %d (or others)", s, prev, got.ones, want.ones)
		}
	})
}
