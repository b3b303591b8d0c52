package correlate

import (
	"math/rand/v2"
	"strings"
	"testing"

	ahocorasick "github.com/BobuSumisu/aho-corasick"
)

// TestLitScannerAgreesWithAhoCorasick compares litScanner with a plain
// Aho-Corasick trie walk over the lower-cased text (how the classifier
// found literals before) on texts stitched from the rule literals, their
// prefixes and suffixes, upper-cased letters, other ASCII and UTF-8 bytes.
func TestLitScannerAgreesWithAhoCorasick(t *testing.T) {
	seen := map[string]bool{}
	var lits []string
	add := func(ls ...string) {
		for _, l := range ls {
			if !seen[l] {
				seen[l] = true
				lits = append(lits, l)
			}
		}
	}
	for _, r := range rules {
		add(r.any...)
		add(r.also...)
		add(r.not...)
	}
	for _, x := range extractors {
		add(x.on...)
	}
	add("a", "ab", "abc", "bc", "c", "aaa", "aa") // nested and overlapping
	ids := make([]int, len(lits))
	for i := range ids {
		ids[i] = (i * 7) % len(lits) // ids need not follow the order
	}
	sc := newLitScanner(lits, ids)
	trie := ahocorasick.NewTrieBuilder().AddStrings(lits).Build()
	want := func(text string) bitset {
		var b bitset
		for _, m := range trie.MatchString(strings.ToLower(text)) {
			b.set(ids[m.Pattern()])
		}
		return b
	}
	rng := rand.New(rand.NewPCG(9, 10))
	pieces := []string{" ", ":", "\n", "é", "\xff", "ERROR", "Connection", "0", "x"}
	for range 20000 {
		var sb strings.Builder
		for range 1 + rng.IntN(8) {
			switch l := lits[rng.IntN(len(lits))]; rng.IntN(4) {
			case 0:
				sb.WriteString(l)
			case 1:
				sb.WriteString(strings.ToUpper(l))
			case 2:
				sb.WriteString(l[:rng.IntN(len(l)+1)])
			default:
				sb.WriteString(l[rng.IntN(len(l)):])
			}
			sb.WriteString(pieces[rng.IntN(len(pieces))])
		}
		text := sb.String()
		var got bitset
		sc.scan(text, &got)
		if w := want(text); got != w {
			t.Fatalf("scan(%q) = %v, want %v", text, got, w)
		}
	}
}
