package inflate

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
)

type errAt struct {
	b   []byte
	n   int
	err error
}

func (e *errAt) Read(p []byte) (int, error) {
	if e.n == 0 {
		return 0, e.err
	}
	k := min(len(p), e.n, 7)
	copy(p, e.b[:k])
	e.b, e.n = e.b[k:], e.n-k
	return k, nil
}

type stall struct {
	b []byte
	n int
}

func (s *stall) Read(p []byte) (int, error) {
	if s.n == 0 {
		return 0, nil
	}
	k := min(len(p), s.n)
	copy(p, s.b[:k])
	s.b, s.n = s.b[k:], s.n-k
	return k, nil
}

func TestSources(t *testing.T) {
	data := logText(t)[:200_000]
	gz := stdGzip(data, 6)
	boom := errors.New("boom")
	for _, cut := range []int{0, 1, 5, 10, 11, 100, len(gz) / 2, len(gz) - 9, len(gz) - 1} {
		z, err := NewReader(&errAt{b: gz, n: cut, err: boom})
		var got []byte
		if err == nil {
			got, err = io.ReadAll(z)
		}
		if !errors.Is(err, boom) {
			t.Errorf("cut %d: error %v, want boom", cut, err)
		}
		if !bytes.HasPrefix(data, got) {
			t.Errorf("cut %d: bytes not content", cut)
		}
		z2, err := NewReader(&stall{b: gz, n: cut})
		if err == nil {
			got, err = io.ReadAll(z2)
		}
		if !errors.Is(err, io.ErrNoProgress) {
			t.Errorf("cut %d: stall error %v", cut, err)
		}
	}
	// Raw: the same.
	raw := stdDeflate(data, 6)
	for _, cut := range []int{0, 1, len(raw) / 2, len(raw) - 1} {
		got, err := io.ReadAll(NewRawReader(&errAt{b: raw, n: cut, err: boom}))
		if !errors.Is(err, boom) || !bytes.HasPrefix(data, got) {
			t.Errorf("raw cut %d: %v", cut, err)
		}
	}
}

// TestHugeBlock: one fixed block of 3 MB, points at random offsets.
func TestHugeBlock(t *testing.T) {
	for _, out := range []int{300, 64 << 10} {
		smallOut(t, out)
		rng := rand.New(rand.NewPCG(5, 6))
		var f fixedEnc
		f.header(true)
		var content []byte
		for len(content) < 3<<20 {
			if len(content) > 10 && rng.IntN(3) == 0 {
				d := 1 + rng.IntN(min(len(content), 32768))
				f.match3(d)
				for range 3 {
					content = append(content, content[len(content)-d])
				}
				continue
			}
			b := byte(rng.IntN(256))
			f.lit(b)
			content = append(content, b)
		}
		f.sym(256)
		// then thousands of empty stored blocks and empty fixed blocks, in a second member
		var g fixedEnc
		for range 5000 {
			g.header(false)
			g.sym(256)
		}
		var g2 bitWriter
		g2.b = g.w.flush()
		for range 5000 {
			g2.bits(0, 3)
			g2.flush()
			g2.b = append(g2.b, 0, 0, 0xff, 0xff)
		}
		g2.bits(1, 1)
		g2.bits(1, 2)
		fe := fixedEnc{w: g2}
		fe.lit('z')
		fe.sym(256)
		gz := append(gzMember(f.w.flush(), content), gzMember(fe.w.flush(), []byte("z"))...)
		all := append(bytes.Clone(content), 'z')
		want, werr := readKlauspost(gz)
		if werr != nil || !bytes.Equal(want, all) {
			t.Fatalf("klauspost: %v", werr)
		}
		z, err := NewReader(bytes.NewReader(gz))
		if err != nil {
			t.Fatal(err)
		}
		var ps []taken
		for {
			n := rng.IntN(200_000)
			k, err := io.CopyN(io.Discard, z, int64(n))
			ps = append(ps, takePoint(t, z, all))
			if err == io.EOF || k < int64(n) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		for _, tk := range ps {
			checkResume(t, gz, all, tk, bytes.NewReader(gz[tk.p.Bit/8:]))
		}
		t.Logf("out %d: %d points, outs %v...", out, len(ps), ps[len(ps)-1].p.Out)
	}
}
