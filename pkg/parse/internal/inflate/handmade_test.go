package inflate

import (
	"bytes"
	"io"
	"testing"

	kflate "github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
)

// bitWriter writes DEFLATE bits, first bit lowest.
type bitWriter struct {
	b   []byte
	acc uint64
	n   uint
}

func (w *bitWriter) bits(v uint64, n uint) {
	w.acc |= v << w.n
	w.n += n
	for w.n >= 8 {
		w.b = append(w.b, byte(w.acc))
		w.acc >>= 8
		w.n -= 8
	}
}

// code writes a Huffman code of n bits, most significant bit first.
func (w *bitWriter) code(c uint64, n uint) {
	for i := int(n) - 1; i >= 0; i-- {
		w.bits(c>>uint(i)&1, 1)
	}
}

func (w *bitWriter) flush() []byte {
	if w.n > 0 {
		w.b = append(w.b, byte(w.acc))
		w.acc, w.n = 0, 0
	}
	return w.b
}

// tinyDynamic is a final dynamic block whose codes are: literal 'a' = 0,
// end of block = 1 (1 bit each), no distance code; its data is "a".
func tinyDynamic() []byte {
	var w bitWriter
	w.bits(1, 1)  // BFINAL
	w.bits(2, 2)  // dynamic
	w.bits(0, 5)  // HLIT 257
	w.bits(0, 5)  // HDIST 1
	w.bits(14, 4) // HCLEN 18
	// code-length code: 18 -> 1 bit, 1 -> 2 bits, 0 -> 2 bits.
	order := []int{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}
	cl := map[int]uint64{18: 1, 1: 2, 0: 2}
	for _, s := range order[:18] {
		w.bits(cl[s], 3)
	}
	// canonical: 18 -> "0", 0 -> "10", 1 -> "11"
	sym18 := func(n int) { w.code(0, 1); w.bits(uint64(n-11), 7) }
	sym0 := func() { w.code(2, 2) }
	sym1 := func() { w.code(3, 2) }
	sym18(97)    // 0..96 zero
	sym1()       // 'a' = 1
	sym18(138)   // 98..235
	sym18(20)    // 236..255
	sym1()       // 256 = 1
	sym0()       // distance code 0: unused
	w.code(0, 1) // 'a'
	w.code(1, 1) // end of block
	return w.flush()
}

// TestTinyDynamicRaw: a raw stream may end a few bits after its last
// dynamic block's code lengths (a zip member is cut at its compressed
// size); the reader takes no more bits than a code needs, as klauspost's.
func TestTinyDynamicRaw(t *testing.T) {
	raw := tinyDynamic()
	want, werr := io.ReadAll(kflate.NewReader(bytes.NewReader(raw)))
	got, err := io.ReadAll(NewRawReader(bytes.NewReader(raw)))
	t.Logf("raw % x", raw)
	t.Logf("klauspost: %q %v; ours: %q %v", want, werr, got, err)
	if (err == nil) != (werr == nil) || !bytes.Equal(got, want) {
		t.Errorf("differs")
	}
	// The same block in a gzip member: the trailer follows, so 22 bits are there.
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Close()
	hdr := b.Bytes()[:10]
	gz := append(append([]byte(nil), hdr...), raw...)
	gz = append(gz, 0x43, 0xbe, 0xb7, 0xe8, 1, 0, 0, 0) // crc32("a"), size 1
	z, err := NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	got, err = io.ReadAll(z)
	if err != nil || string(got) != "a" {
		t.Errorf("in a gzip member: %q, %v; want \"a\"", got, err)
	}
}
