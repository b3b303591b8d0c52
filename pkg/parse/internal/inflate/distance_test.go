package inflate

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"io"
	"testing"
)

type fixedEnc struct{ w bitWriter }

func (f *fixedEnc) header(final bool) {
	v := uint64(0)
	if final {
		v = 1
	}
	f.w.bits(v, 1)
	f.w.bits(1, 2)
}

func (f *fixedEnc) sym(s int) {
	switch {
	case s < 144:
		f.w.code(uint64(0x30+s), 8)
	case s < 256:
		f.w.code(uint64(0x190+s-144), 9)
	case s < 280:
		f.w.code(uint64(s-256), 7)
	default:
		f.w.code(uint64(0xc0+s-280), 8)
	}
}

func (f *fixedEnc) lit(b byte) { f.sym(int(b)) }

// match writes a length-3 match (symbol 257) at distance d.
func (f *fixedEnc) match3(d int) {
	f.sym(257)
	for c := 29; c >= 0; c-- {
		if uint32(d) >= distBase[c] {
			f.w.code(uint64(c), 5)
			f.w.bits(uint64(uint32(d)-distBase[c]), uint(distExtra[c]))
			return
		}
	}
}

func gzMember(deflate, content []byte) []byte {
	h := []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255}
	h = append(h, deflate...)
	h = binary.LittleEndian.AppendUint32(h, crc32.ChecksumIEEE(content))
	return binary.LittleEndian.AppendUint32(h, uint32(len(content)))
}

// memberWithDist: k literals 'x'..., then a match of distance d.
func memberWithDist(k, d int) ([]byte, []byte) {
	var f fixedEnc
	f.header(true)
	var content []byte
	for i := range k {
		b := byte('a' + i%26)
		f.lit(b)
		content = append(content, b)
	}
	f.match3(d)
	for range 3 {
		if d > len(content) {
			content = append(content, '?')
			continue
		}
		content = append(content, content[len(content)-d])
	}
	f.sym(256)
	return gzMember(f.w.flush(), content), content
}

func TestDistances(t *testing.T) {
	for _, out := range []int{300, 64 << 10} {
		smallOut(t, out)
		for _, k := range []int{1, 2, 5, 100, 40000} {
			for _, d := range []int{k, k + 1} {
				if d > 32768 {
					d = 32768
				}
				m2, c2 := memberWithDist(k, d)
				for _, prefix := range [][]byte{nil, func() []byte { m, _ := memberWithDist(50000, 7); return m }()} {
					gz := append(append([]byte(nil), prefix...), m2...)
					want, werr := readKlauspost(gz)
					z, err := NewReader(bytes.NewReader(gz))
					var got []byte
					if err == nil {
						got, err = io.ReadAll(z)
					}
					if (err == nil) != (werr == nil) || (err == nil && !bytes.Equal(got, want)) {
						t.Errorf("out %d k %d d %d prefix %d: ours %d bytes %v; klauspost %d %v", out, k, d, len(prefix), len(got), err, len(want), werr)
					}
					_ = c2
				}
			}
		}
	}
}
