package inflate

import (
	"bytes"
	stdflate "compress/flate"
	stdgzip "compress/gzip"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	kgzip "github.com/klauspost/compress/gzip"
)

// member compresses data as one gzip member, flushing at the given cuts.
func member(data []byte, level int, cuts []int, k bool) []byte {
	var b bytes.Buffer
	type fw interface {
		io.WriteCloser
		Flush() error
	}
	var w fw
	if k {
		w, _ = kgzip.NewWriterLevel(&b, level)
	} else {
		w, _ = stdgzip.NewWriterLevel(&b, level)
	}
	prev := 0
	for _, c := range cuts {
		if c < prev || c > len(data) {
			continue
		}
		w.Write(data[prev:c])
		w.Flush()
		prev = c
	}
	w.Write(data[prev:])
	w.Close()
	return b.Bytes()
}

// pointsEverywhere reads gz one byte at a time, takes a Point at every
// offset, and resumes at each.
func pointsEverywhere(t *testing.T, gz, data []byte, every int) {
	t.Helper()
	z, err := NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	var ps []taken
	var one [1]byte
	for i := 0; ; i++ {
		if i%every == 0 {
			ps = append(ps, takePoint(t, z, data))
		}
		_, err := z.Read(one[:])
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, tk := range ps {
		checkResume(t, gz, data, tk, bytes.NewReader(gz[tk.p.Bit/8:]))
		checkResume(t, gz, data, tk, &oneByte{b: gz[tk.p.Bit/8:]})
	}
}

// oneByte returns one byte a read, with (0, nil) between.
type oneByte struct {
	b []byte
	i int
}

func (o *oneByte) Read(p []byte) (int, error) {
	o.i++
	if o.i%3 == 0 {
		return 0, nil
	}
	if len(o.b) == 0 {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	p[0] = o.b[0]
	o.b = o.b[1:]
	return 1, nil
}

func TestPointsEverywhere(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	text := logText(t)
	for _, out := range []int{300, 1000, 5000, 64 << 10} {
		smallOut(t, out)
		for trial := range 12 {
			var data, gz []byte
			members := 1 + trial%3
			for range members {
				n := rng.IntN(6000)
				var d []byte
				switch rng.IntN(3) {
				case 0:
					o := rng.IntN(len(text) - n)
					d = text[o : o+n]
				case 1:
					d = make([]byte, n)
					for i := range d {
						d[i] = byte(rng.IntN(3))
					}
				default:
					d = bytes.Repeat([]byte("abcdefgh"), n/8)
				}
				var cuts []int
				for range rng.IntN(8) {
					cuts = append(cuts, rng.IntN(len(d)+1))
				}
				// sorted
				for i := range cuts {
					for j := i + 1; j < len(cuts); j++ {
						if cuts[j] < cuts[i] {
							cuts[i], cuts[j] = cuts[j], cuts[i]
						}
					}
				}
				level := []int{stdflate.NoCompression, stdflate.HuffmanOnly, 1, 6, 9}[rng.IntN(5)]
				gz = append(gz, member(d, level, cuts, rng.IntN(2) == 0)...)
				data = append(data, d...)
			}
			t.Run(fmt.Sprintf("out%d/%d", out, trial), func(t *testing.T) {
				pointsEverywhere(t, gz, data, 1+len(data)/800)
			})
		}
	}
}
