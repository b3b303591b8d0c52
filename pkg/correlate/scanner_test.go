package correlate

import (
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	ahocorasick "github.com/BobuSumisu/aho-corasick"
)

// litScannerCase is a scanner over the rule literals and a few nested and
// overlapping ones, with ids out of order, and want, which finds the same
// literals with a plain Aho-Corasick trie walk over the lower-cased text
// (how the classifier found literals before).
type litScannerCase struct {
	lits []string
	sc   *litScanner
	want func(text string) bitset
}

var litScannerRef = sync.OnceValue(func() *litScannerCase {
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
	trie := ahocorasick.NewTrieBuilder().AddStrings(lits).Build()
	return &litScannerCase{
		lits: lits,
		sc:   newLitScanner(lits, ids),
		want: func(text string) bitset {
			var b bitset
			for _, m := range trie.MatchString(strings.ToLower(text)) {
				b.set(ids[m.Pattern()])
			}
			return b
		},
	}
})

// checkLitScanner fails t when scan finds other literals in text than the
// reference walk.
func checkLitScanner(t *testing.T, text string) {
	t.Helper()
	ref := litScannerRef()
	var got bitset
	ref.sc.scan(text, &got)
	if w := ref.want(text); got != w {
		t.Fatalf("scan(%q) = %v, want %v", text, got, w)
	}
}

// TestLitScannerAgreesWithAhoCorasick compares litScanner with the
// reference walk (checkLitScanner) on texts stitched from the literals,
// their prefixes and suffixes, upper-cased letters, other ASCII and UTF-8
// bytes.
func TestLitScannerAgreesWithAhoCorasick(t *testing.T) {
	lits := litScannerRef().lits
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
		checkLitScanner(t, sb.String())
	}
}

// FuzzLitScanner holds scan to the reference walk on any text.
func FuzzLitScanner(f *testing.F) {
	for _, s := range []string{
		"", "a", "aaaa", "xabcx", "Connection refused", "CONNECTION RESET BY PEER",
		"upstream timed out (110: Connection timed out) while reading response header from upstream",
		"org.apache.kafka.common.errors.TimeoutException: Failed to update metadata after 60000 ms.",
		"Caused by: java.net.SocketTimeoutException: Read timed out\n\tat java.base/java.net.SocketInputStream.read",
	} {
		f.Add(s)
	}
	f.Fuzz(checkLitScanner)
}

// TestLitScannerHalves compares litScanner with the reference walk on
// texts long enough to be read in halves (scanHalves), literals placed
// across the middle, at the ends and at random.
func TestLitScannerHalves(t *testing.T) {
	ref := litScannerRef()
	lits := ref.lits
	if ref.sc.long < 2 {
		t.Fatalf("the reference literals are too short to test halves (%d)", ref.sc.long)
	}
	rng := rand.New(rand.NewPCG(11, 12))
	filler := "the quick brown fox, 10.0.3.7:3306 "
	for range 20000 {
		n := max(scanHalves, 3*ref.sc.long) + rng.IntN(600) // read in halves
		b := []byte(strings.Repeat(filler, n/len(filler)+1)[:n])
		for range 1 + rng.IntN(3) {
			l := lits[rng.IntN(len(lits))]
			if rng.IntN(2) == 0 {
				l = strings.ToUpper(l)
			}
			var at int
			switch rng.IntN(4) {
			case 0: // across the middle, at every offset
				at = n/2 - rng.IntN(len(l)+1)
			case 1:
				at = 0
			case 2:
				at = n - len(l)
			default:
				at = rng.IntN(n)
			}
			at = max(0, min(at, n-len(l)))
			copy(b[at:], l)
		}
		checkLitScanner(t, string(b))
	}
}

// TestLitScannerNoLiterals checks that a scanner without literals (or
// with only empty ones) finds nothing in long texts instead of reading
// them in halves around a zero-length overlap.
func TestLitScannerNoLiterals(t *testing.T) {
	long := strings.Repeat("Connection refused ", 20)
	for _, lits := range [][]string{nil, {""}} {
		ids := make([]int, len(lits))
		s := newLitScanner(lits, ids)
		for n := 0; n <= len(long); n++ {
			var hits bitset
			s.scan(long[:n], &hits)
			if hits != (bitset{}) && len(lits) == 0 {
				t.Fatalf("scan with no literals found %v", hits)
			}
		}
	}
}
