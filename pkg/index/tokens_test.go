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

// FuzzSketchTerms compares sketchTerms with the words asciiWords (or
// tokens) finds, each text alone and after the text before it (the short
// words of the first are then skipped in the second).
func FuzzSketchTerms(f *testing.F) {
	for _, s := range []string{"a.b", "1,2", "x_1 a:", "can't won't", "GET /a/b?c=1 HTTP/1.1", "a.b.c.d.e.f.g.h.i", "über"} {
		f.Add(s, "a b")
	}
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
