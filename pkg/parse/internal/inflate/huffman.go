package inflate

// A table decodes one Huffman code (RFC 1951, 3.2.2) by looking up the
// next primaryBits bits of the stream. Codes longer than that go through
// a link entry to a second-level table indexed by the bits that follow.
//
// An entry is a uint32:
//
//	bits 0-4   n: bits the entry's code takes at its level
//	bits 5-7   kind (kindLit, kindBase, kindEnd, kindLink, kindBad)
//	bits 8-11  extra bits after the code (kindBase), or the second
//	           level's index bits (kindLink)
//	bits 16-31 the literal byte, the base length or distance, or the
//	           second-level table's offset in sub (kindLink)
type table struct {
	primary [1 << primaryBits]uint32
	sub     []uint32
}

const (
	primaryBits = 10
	primaryMask = 1<<primaryBits - 1
	maxCodeLen  = 15

	kindLit  = 0
	kindBase = 1
	kindEnd  = 2
	kindLink = 3
	kindBad  = 4
)

func entry(kind, n, extra, value uint32) uint32 {
	return value<<16 | extra<<8 | kind<<5 | n
}

func entryKind(e uint32) uint32 { return e >> 5 & 7 }

// Lengths and distances of symbols 257-285 and 0-29: a base and the count of
// extra bits read after the code (RFC 1951, 3.2.5).
var (
	lengthBase  = [29]uint32{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [29]uint32{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase    = [30]uint32{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra   = [30]uint32{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
)

// alphabet says what a symbol of a code means.
type alphabet int

const (
	litLen   alphabet = iota // 0-255 literals, 256 end of block, 257-285 lengths
	distance                 // 0-29 distances
	codeLen                  // 0-18 code lengths, read by the caller
)

func (a alphabet) entry(sym int, n uint32) uint32 {
	switch a {
	case litLen:
		switch {
		case sym < 256:
			return entry(kindLit, n, 0, uint32(sym))
		case sym == 256:
			return entry(kindEnd, n, 0, 0)
		case sym <= 285:
			return entry(kindBase, n, lengthExtra[sym-257], lengthBase[sym-257])
		}
	case distance:
		if sym < 30 {
			return entry(kindBase, n, distExtra[sym], distBase[sym])
		}
	case codeLen:
		return entry(kindLit, n, 0, uint32(sym))
	}
	return entry(kindBad, n, 0, 0) // symbols 286, 287, 30 and 31 have codes but no meaning
}

// build makes t decode the canonical code of the given code lengths
// (0: symbol unused). It reports false for a code that is over-subscribed
// or incomplete; as zlib and Go's decoders do, it accepts a code of one
// symbol of length 1 (half the bit patterns then decode as kindBad) and an
// empty code (every pattern kindBad).
func (t *table) build(lengths []uint8, a alphabet) bool {
	var count [maxCodeLen + 1]int
	max := 0
	for _, n := range lengths {
		count[n]++
		if int(n) > max {
			max = int(n)
		}
	}
	count[0] = 0
	t.sub = t.sub[:0]
	bad := entry(kindBad, 0, 0, 0)
	if max == 0 {
		for i := range t.primary {
			t.primary[i] = bad
		}
		return true
	}
	left := 1
	for n := 1; n <= maxCodeLen; n++ {
		left = left<<1 - count[n]
		if left < 0 {
			return false
		}
	}
	if left > 0 && max != 1 {
		return false
	}
	var next [maxCodeLen + 2]int
	code := 0
	for n := 1; n <= maxCodeLen; n++ {
		code = (code + count[n-1]) << 1
		next[n] = code
	}
	// Second-level tables: one per primary pattern that begins codes
	// longer than primaryBits, sized for the longest of them.
	var subBits [1 << primaryBits]uint8
	if max > primaryBits {
		c := next
		for _, n := range lengths {
			if int(n) <= primaryBits {
				if n > 0 {
					c[n]++
				}
				continue
			}
			p := reverse(uint32(c[n])>>(n-primaryBits), primaryBits)
			c[n]++
			if b := n - primaryBits; b > subBits[p] {
				subBits[p] = b
			}
		}
	}
	for i := range t.primary {
		t.primary[i] = bad
	}
	for p, b := range subBits {
		if b == 0 {
			continue
		}
		off := len(t.sub)
		for range 1 << b {
			t.sub = append(t.sub, bad)
		}
		t.primary[p] = entry(kindLink, primaryBits, uint32(b), uint32(off))
	}
	for sym, n := range lengths {
		if n == 0 {
			continue
		}
		c := uint32(next[n])
		next[n]++
		r := reverse(c, uint(n)) // the stream sends a code's first bit first
		if int(n) <= primaryBits {
			e := a.entry(sym, uint32(n))
			for i := r; i < 1<<primaryBits; i += 1 << n {
				t.primary[i] = e
			}
			continue
		}
		link := t.primary[r&primaryMask]
		off, b := link>>16, link>>8&15
		e := a.entry(sym, uint32(n)-primaryBits)
		for i := r >> primaryBits; i < 1<<b; i += 1 << (uint32(n) - primaryBits) {
			t.sub[off+i] = e
		}
	}
	return true
}

// reverse returns the low n bits of c in reverse order.
func reverse(c uint32, n uint) uint32 {
	var r uint32
	for range n {
		r = r<<1 | c&1
		c >>= 1
	}
	return r
}

// fixedLit and fixedDist are the codes of a fixed-Huffman block
// (RFC 1951, 3.2.6).
var fixedLit, fixedDist = func() (*table, *table) {
	var l [288]uint8
	for i := range l {
		switch {
		case i < 144:
			l[i] = 8
		case i < 256:
			l[i] = 9
		case i < 280:
			l[i] = 7
		default:
			l[i] = 8
		}
	}
	var d [30]uint8
	for i := range d {
		d[i] = 5
	}
	lt, dt := new(table), new(table)
	if !lt.build(l[:], litLen) || !dt.build(append(d[:], 5, 5), distance) {
		panic("inflate: fixed codes")
	}
	return lt, dt
}()
