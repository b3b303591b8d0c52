package index

import (
	"math/bits"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestTermKeyFoldsCase checks that a word hashes like its lower-case form
// and that case folding leaves every other byte alone.
func TestTermKeyFoldsCase(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 20000; i++ {
		b := make([]byte, r.IntN(30))
		for j := range b {
			b[j] = byte(r.IntN(256))
		}
		s := string(b)
		low := []byte(s)
		for j, c := range low {
			if 'A' <= c && c <= 'Z' {
				low[j] = c + 'a' - 'A'
			}
		}
		if termKey(s) != termKey(string(low)) || termKey(s) != termKey(low) {
			t.Fatalf("termKey(%q) differs from its lower-case form", s)
		}
		if s != string(low) && valueKey(1, s) == valueKey(1, string(low)) {
			t.Fatalf("valueKey(%q) folds case", s)
		}
	}
}

// TestWordKeyIsTermKey checks wordKey, sketchTerms' copy of termKey,
// against termKey: random bytes of every length up to 40, and words.
func TestWordKeyIsTermKey(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 20000; i++ {
		if s := randomBytes(r, i%41); wordKey(s) != termKey(s) {
			t.Fatalf("wordKey(%q) = %x, termKey %x", s, wordKey(s), termKey(s))
		}
	}
	for _, s := range []string{"", "a", "Ab", "ABC", "Lock", "TIMEOUT", "Connection", "refused_By_PEER", "10.0.0.1"} {
		if wordKey(s) != termKey(s) {
			t.Errorf("wordKey(%q) = %x, termKey %x", s, wordKey(s), termKey(s))
		}
	}
}

// randomBytes is n random bytes, as a string.
func randomBytes(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for j := range b {
		b[j] = byte(r.IntN(256))
	}
	return string(b)
}

// TestValueHashIsHashOf checks valueHash, the string copy of hashOf
// without case folding, against hashOf.
func TestValueHashIsHashOf(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for i := 0; i < 20000; i++ {
		s := randomBytes(r, i%41)
		seed := r.Uint64()
		if valueHash(seed, s) != hashOf(seed, s, false) {
			t.Fatalf("valueHash(%x, %q) = %x, hashOf %x", seed, s, valueHash(seed, s), hashOf(seed, s, false))
		}
	}
}

// TestSketchHasEveryTerm builds a sketch per block of demo events and asks
// it for every term and value the matcher could ask for: never a "no".
func TestSketchHasEveryTerm(t *testing.T) {
	all := demoEvents(t)
	for start := 0; start < len(all); start += 512 {
		evs := all[start:min(start+512, len(all))]
		sk := newSketch()
		for _, ev := range evs {
			sketchTerms(indexedText(ev.Message), sk)
			for _, f := range ev.Fields {
				sk.add(valueKey(fieldTag(f.Key), f.Value))
			}
			sk.add(valueKey(fieldTag(fSource), ev.Source))
		}
		back, err := readSketch(sk.appendFolded(nil))
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range evs {
			tokens(indexedText(ev.Message), func(term []byte, _ int) {
				if !back.has(fieldKey(fMessage, string(term))) {
					t.Fatalf("sketch lost term %q of %q", term, ev.Message)
				}
			})
			for _, f := range ev.Fields {
				if !back.has(fieldKey(f.Key, f.Value)) {
					t.Fatalf("sketch lost %s=%q", f.Key, f.Value)
				}
			}
			if !back.has(fieldKey(fSource, ev.Source)) {
				t.Fatalf("sketch lost source %q", ev.Source)
			}
		}
		// and says no to most of what is not there
		miss := 0
		for i := 0; i < 1000; i++ {
			if back.has(fieldKey(fMessage, "absent"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+string(rune('a'+i/26%26)))) {
				miss++
			}
		}
		if miss > 50 {
			t.Errorf("block at %d: %d of 1000 absent terms pass the sketch", start, miss)
		}
	}
}

// BenchmarkSketchTerms adds the message terms of the demo events to a
// sketch, a block at a time. MB/s is of the messages' bytes.
func BenchmarkSketchTerms(b *testing.B) {
	all := demoEvents(b)
	var n int64
	for _, ev := range all {
		n += int64(len(indexedText(ev.Message)))
	}
	sk := newSketch()
	b.SetBytes(n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, ev := range all {
			if j%BlockSize == 0 {
				sk.reset()
			}
			sketchTerms(indexedText(ev.Message), sk)
		}
	}
}

// TestValueHash2 checks valueHash2 against valueHash with each seed:
// random bytes of every length up to 40.
func TestValueHash2(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	for i := 0; i < 20000; i++ {
		s := randomBytes(r, i%41)
		a, b := r.Uint64(), r.Uint64()
		if ga, gb := valueHash2(a, b, s); ga != valueHash(a, s) || gb != valueHash(b, s) {
			t.Fatalf("valueHash2(%x, %x, %q) = %x, %x, want %x, %x", a, b, s, ga, gb, valueHash(a, s), valueHash(b, s))
		}
	}
}

// TestValueHashASCII checks valueHashASCII against valueHash and isASCII:
// a table of ASCII and non-ASCII texts, a byte of 0x80 or more at each
// position of texts of every length up to 40 (the 8-byte words and the
// overlapping loads of the last bytes), and random bytes.
func TestValueHashASCII(t *testing.T) {
	tests := []struct {
		s     string
		ascii bool
	}{
		{"", true}, {"a", true}, {"ab", true}, {"abc", true}, {"abcd", true},
		{"GET /api HTTP/1.1", true}, {"\x7f\x00\x01~", true},
		{"\x80", false}, {"a\xff", false}, {"ab\x80", false}, {"über", false},
		{"café", false}, {"abcdefgh\x80", false}, {"abcdefg\x80", false},
		{"Lock wait timeout exceeded; try restarting transaction", true},
	}
	for _, tt := range tests {
		h, ascii := valueHashASCII(42, tt.s)
		if h != valueHash(42, tt.s) || ascii != tt.ascii || ascii != isASCII(tt.s) {
			t.Errorf("valueHashASCII(%q) = %x, %v, want %x, %v", tt.s, h, ascii, valueHash(42, tt.s), tt.ascii)
		}
	}
	for n := 1; n <= 40; n++ {
		for at := 0; at < n; at++ {
			b := []byte(strings.Repeat("x", n))
			b[at] = 0x80 | byte(at)
			if h, ascii := valueHashASCII(7, string(b)); ascii || h != valueHash(7, string(b)) {
				t.Fatalf("valueHashASCII(%q) = %x, %v: byte %d missed", b, h, ascii, at)
			}
		}
	}
	r := rand.New(rand.NewPCG(19, 20))
	for i := 0; i < 20000; i++ {
		s := randomBytes(r, i%41)
		if i%2 == 0 {
			s = strings.Map(func(c rune) rune { return c & 0x7f }, strings.ToValidUTF8(s, ""))
		}
		seed := r.Uint64()
		if h, ascii := valueHashASCII(seed, s); h != valueHash(seed, s) || ascii != isASCII(s) {
			t.Fatalf("valueHashASCII(%x, %q) = %x, %v, want %x, %v", seed, s, h, ascii, valueHash(seed, s), isASCII(s))
		}
	}
}

// FuzzValueHashASCII compares valueHashASCII with valueHash and isASCII.
func FuzzValueHashASCII(f *testing.F) {
	for _, s := range []string{"", "a", "abcd", "abcdefgh", "abcdefghi", "über", "abcdefg\x80", "\x80bcdefgh"} {
		f.Add(uint64(1), s)
	}
	f.Fuzz(func(t *testing.T, seed uint64, s string) {
		if h, ascii := valueHashASCII(seed, s); h != valueHash(seed, s) || ascii != isASCII(s) {
			t.Fatalf("valueHashASCII(%x, %q) = %x, %v, want %x, %v", seed, s, h, ascii, valueHash(seed, s), isASCII(s))
		}
	})
}

// TestSketchAddProbes checks add's written-out probes against the probe
// sequence h1 + i*h2 (i < sketchProbes) that has also reads: the same bits
// set and counted, for random keys and repeated ones.
func TestSketchAddProbes(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	sk := newSketch()
	want := make([]uint64, len(sk.bits))
	mask := uint32(1)<<sk.log - 1
	keys := make([]uint64, 0, 30000)
	for i := 0; i < cap(keys); i++ {
		h := r.Uint64()
		if i%3 == 0 && i > 0 {
			h = keys[r.IntN(len(keys))] // a key added before
		}
		keys = append(keys, h)
		sk.add(h)
		h1, h2 := uint32(h), uint32(h>>32)|1
		for k := uint32(0); k < sketchProbes; k++ {
			p := (h1 + k*h2) & mask
			want[p>>6] |= 1 << (p & 63)
		}
		if !sk.has(h) {
			t.Fatalf("key %x added but not had", h)
		}
	}
	ones := countOnes(want)
	if !slices.Equal(sk.bits, want) || sk.ones != ones {
		t.Errorf("add set %d bits (counted %d), the probe sequence %d", countOnes(sk.bits), sk.ones, ones)
	}
}

// countOnes is the number of set bits of ws.
func countOnes(ws []uint64) (n int) {
	for _, w := range ws {
		n += bits.OnesCount64(w)
	}
	return n
}
