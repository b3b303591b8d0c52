package inflate

import (
	"bytes"
	stdflate "compress/flate"
	stdgzip "compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	kflate "github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
)

// logText is the demo bundle's logs, concatenated: real log text.
func logText(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	root := filepath.Join("..", "..", "..", "..", "testdata", "bundles", "invoice-outage")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		b.Write(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// contents are the texts the tests compress: log text, random bytes (which
// compressors store), runs (long matches at distance 1) and short
// repeats (overlapping matches).
func contents(t testing.TB) map[string][]byte {
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 300_000)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	var runs, reps bytes.Buffer
	for i := range 2000 {
		runs.Write(bytes.Repeat([]byte{byte(i)}, 1+rng.IntN(600)))
		p := make([]byte, 2+rng.IntN(9))
		for j := range p {
			p[j] = 'a' + byte(rng.IntN(3))
		}
		for range 1 + rng.IntN(40) {
			reps.Write(p)
		}
	}
	logs := logText(t)
	return map[string][]byte{
		"logs":   logs,
		"random": random,
		"runs":   runs.Bytes(),
		"reps":   reps.Bytes(),
		"empty":  nil,
		"mixed":  append(append(append([]byte(nil), logs[:200_000]...), random[:70_000]...), runs.Bytes()...),
	}
}

// compressors make gzip streams in the ways real files are made: every
// block type, several levels, and several members.
var compressors = map[string]func(data []byte) []byte{
	"std-default": func(d []byte) []byte { return stdGzip(d, stdflate.DefaultCompression) },
	"std-best":    func(d []byte) []byte { return stdGzip(d, stdflate.BestCompression) },
	"std-speed":   func(d []byte) []byte { return stdGzip(d, stdflate.BestSpeed) },
	"std-huffman": func(d []byte) []byte { return stdGzip(d, stdflate.HuffmanOnly) },
	"std-stored":  func(d []byte) []byte { return stdGzip(d, stdflate.NoCompression) },
	"kp-default": func(d []byte) []byte {
		var b bytes.Buffer
		w, _ := gzip.NewWriterLevel(&b, 6)
		w.Name = "x.log" // FNAME
		w.Write(d)
		w.Close()
		return b.Bytes()
	},
	"members": func(d []byte) []byte { // three members, the middle one empty, with flushes
		var b bytes.Buffer
		cut := len(d) / 3
		for i, part := range [][]byte{d[:cut], nil, d[cut:]} {
			w, _ := stdgzip.NewWriterLevel(&b, 1+i*3)
			w.Comment, w.Extra = "c", []byte{1, 2, 3}
			for len(part) > 0 {
				k := min(len(part), 50_000)
				w.Write(part[:k])
				w.Flush() // sync-flush: an empty stored block
				part = part[k:]
			}
			w.Close()
		}
		return b.Bytes()
	},
}

func stdGzip(d []byte, level int) []byte {
	var b bytes.Buffer
	w, _ := stdgzip.NewWriterLevel(&b, level)
	w.Write(d)
	w.Close()
	return b.Bytes()
}

// smallOut makes the Reader slide often, for the tests of one function.
func smallOut(t testing.TB, n int) {
	old := outSize
	outSize = n
	t.Cleanup(func() { outSize = old })
}

// readAll reads r in reads of the given size.
func readAll(r io.Reader, size int) ([]byte, error) {
	var out []byte
	buf := make([]byte, size)
	for {
		n, err := r.Read(buf)
		out = append(out, buf[:n]...)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
	}
}

func TestReaderMatchesContent(t *testing.T) {
	for _, out := range []int{1 << 20, 5000} {
		smallOut(t, out)
		for cname, data := range contents(t) {
			for zname, compress := range compressors {
				gz := compress(data)
				for _, rsize := range []int{1, 511, 64 << 10} {
					if rsize == 1 && len(data) > 100_000 && out != 5000 {
						continue
					}
					t.Run(fmt.Sprintf("%s/%s/out%d/read%d", cname, zname, out, rsize), func(t *testing.T) {
						z, err := NewReader(iotestHalf(bytes.NewReader(gz)))
						if err != nil {
							t.Fatal(err)
						}
						got, err := readAll(z, rsize)
						if err != nil {
							t.Fatalf("read: %v", err)
						}
						if !bytes.Equal(got, data) {
							t.Fatalf("content differs: %d bytes, want %d (first difference at %d)", len(got), len(data), firstDiff(got, data))
						}
					})
				}
			}
		}
	}
}

// iotestHalf reads at most half of what is asked (at least one byte), to
// exercise the input buffer's refills.
func iotestHalf(r io.Reader) io.Reader { return halfReader{r} }

type halfReader struct{ r io.Reader }

func (h halfReader) Read(p []byte) (int, error) {
	return h.r.Read(p[:max(1, len(p)/2)])
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestPointsResume takes a Point at many read positions, as the tar
// listing does at each member's data, and checks that Resume from it,
// after skipping to the position, reads the rest of the content.
func TestPointsResume(t *testing.T) {
	for _, out := range []int{1 << 20, 3000} {
		smallOut(t, out)
		for cname, data := range contents(t) {
			for zname, compress := range compressors {
				gz := compress(data)
				t.Run(fmt.Sprintf("%s/%s/out%d", cname, zname, out), func(t *testing.T) {
					testPoints(t, gz, data, 20)
				})
			}
		}
	}
}

func testPoints(t *testing.T, gz, data []byte, points int) {
	z, err := NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(uint64(len(gz)), 3))
	var ps []taken
	for i := range points {
		if i > 0 && len(data) > 0 {
			step := rng.IntN(2*len(data)/points + 1)
			if _, err := io.CopyN(io.Discard, z, int64(step)); err != nil && err != io.EOF {
				t.Fatal(err)
			}
		}
		ps = append(ps, takePoint(t, z, data))
	}
	if _, err := io.Copy(io.Discard, z); err != nil {
		t.Fatal(err)
	}
	for _, tk := range ps {
		checkResume(t, gz, data, tk, bytes.NewReader(gz[tk.p.Bit/8:]))
	}
}

// taken is a Point and the read offset it was taken at.
type taken struct {
	at int64
	p  Point
}

// takePoint takes z's Point and checks it against the content: at or
// before the read offset, its window the content before it.
func takePoint(t *testing.T, z *Reader, data []byte) taken {
	t.Helper()
	at := z.Offset()
	p := z.Point()
	if p.Out > at || len(p.Window) > histSize {
		t.Fatalf("Point at %d: Out %d, window %d bytes", at, p.Out, len(p.Window))
	}
	if want := data[max(0, p.Out-histSize):p.Out]; !bytes.HasSuffix(want, p.Window) {
		t.Fatalf("Point at %d: its window is not the content before %d", at, p.Out)
	}
	return taken{at, p}
}

// checkResume resumes at tk's point, reading the compressed stream from
// src (gz from the point's byte on), skips to its offset and checks that
// the rest of the content follows, checksums included.
func checkResume(t *testing.T, gz, data []byte, tk taken, src io.Reader) {
	t.Helper()
	rc := Resume(src, tk.p)
	if _, err := io.CopyN(io.Discard, rc, tk.at-tk.p.Out); err != nil {
		t.Fatalf("resume at %d (point %d, bit %d): skip: %v", tk.at, tk.p.Out, tk.p.Bit, err)
	}
	got, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("resume at %d (point %d, bit %d): %v", tk.at, tk.p.Out, tk.p.Bit, err)
	}
	if !bytes.Equal(got, data[tk.at:]) {
		t.Fatalf("resume at %d (point %d, bit %d): %d bytes, want %d (first difference at %d)", tk.at, tk.p.Out, tk.p.Bit, len(got), len(data[tk.at:]), firstDiff(got, data[tk.at:]))
	}
}

// TestBadStreams: a stream cut short, damaged or not gzip gives an error,
// never content that is not the stream's, as Go's gzip readers do.
func TestBadStreams(t *testing.T) {
	data := logText(t)[:100_000]
	good := stdGzip(data, 6)
	flip := func(i int, mask byte) []byte {
		b := bytes.Clone(good)
		b[i] ^= mask
		return b
	}
	named := func(flags byte, extra ...byte) []byte {
		h := []byte{0x1f, 0x8b, 8, flags, 0, 0, 0, 0, 0, 255}
		h = append(h, extra...)
		return append(h, good[10:]...)
	}
	long := bytes.Repeat([]byte{'n'}, 600)
	cases := []struct {
		name string
		gz   []byte
		want error // nil: any error
	}{
		{"cut in the data", good[:len(good)/2], io.ErrUnexpectedEOF},
		{"cut in the trailer", good[:len(good)-3], io.ErrUnexpectedEOF},
		{"cut in the header", good[:6], io.ErrUnexpectedEOF},
		{"bad magic", flip(0, 1), ErrHeader},
		{"bad method", flip(2, 1), ErrHeader},
		{"reserved flag", named(0x20), ErrHeader},
		{"name too long", named(0x08, append(long, 0)...), ErrHeader},
		{"header CRC wrong", named(0x02, 0, 0), ErrHeader},
		{"CRC wrong", flip(len(good)-8, 1), ErrChecksum},
		{"size wrong", flip(len(good)-1, 1), ErrChecksum},
		{"block type 3", append(bytes.Clone(good[:10]), 0x07, 0, 0), nil},
		{"garbage after", append(bytes.Clone(good), 'x', 'y', 'z', 0, 0, 0, 0, 0, 0, 0, 0), ErrHeader},
		{"short garbage after", append(bytes.Clone(good), 'x'), io.ErrUnexpectedEOF},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []byte
			z, err := NewReader(bytes.NewReader(c.gz))
			if err == nil {
				got, err = readAll(z, 4096)
			}
			_, kerr := readKlauspost(c.gz)
			if err == nil || kerr == nil {
				t.Fatalf("error %v, klauspost's %v: want both to fail", err, kerr)
			}
			if c.want != nil && !errors.Is(err, c.want) {
				t.Errorf("error %v, want %v", err, c.want)
			}
			if !bytes.HasPrefix(data, got) {
				t.Errorf("read %d bytes that are not the content", len(got))
			}
		})
	}
}

func readKlauspost(gz []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// FuzzReader holds the Reader to klauspost's gzip reader on any input: the
// same content when that succeeds, an error when it fails, and then no
// byte that it does not give.
func FuzzReader(f *testing.F) {
	data := logText(f)[:20_000]
	for _, compress := range compressors {
		gz := compress(data[:3000])
		f.Add(gz, uint16(0))
		f.Add(gz[:len(gz)/2], uint16(0))
	}
	f.Add(stdGzip(data, 9), uint16(17))
	f.Add(stdGzip(bytes.Repeat([]byte("ab"), 5000), 1), uint16(3))
	f.Fuzz(func(t *testing.T, gz []byte, rsize uint16) {
		want, werr := readKlauspost(gz)
		var got []byte
		z, err := NewReader(bytes.NewReader(gz))
		if err == nil {
			got, err = readAll(z, int(rsize%4096)+1)
		}
		if (err == nil) != (werr == nil) {
			t.Fatalf("error %v, klauspost's %v", err, werr)
		}
		if err == nil && !bytes.Equal(got, want) {
			t.Fatalf("content differs: %d bytes, want %d", len(got), len(want))
		}
		if err != nil && !bytes.HasPrefix(want, got) && werr == nil {
			t.Fatalf("failed after %d bytes that are not the content", len(got))
		}
	})
}

// FuzzPoints resumes at points taken while reading compressed fuzz
// content.
func FuzzPoints(f *testing.F) {
	f.Add([]byte("hello hello hello world"), uint8(6), uint8(3))
	f.Add(logText(f)[:5000], uint8(1), uint8(9))
	f.Add(bytes.Repeat([]byte{0}, 70_000), uint8(0), uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, level, points uint8) {
		smallOut(t, 1000+len(data)%3000)
		var b bytes.Buffer
		w, err := stdgzip.NewWriterLevel(&b, int(level%12)-2)
		if err != nil {
			t.Skip()
		}
		cut := len(data) / 2
		w.Write(data[:cut])
		w.Flush()
		w.Write(data[cut:])
		w.Close()
		if level%2 == 1 { // a second member with the same content
			w.Reset(&b)
			w.Write(data)
			w.Close()
			data = append(bytes.Clone(data), data...)
		}
		testPoints(t, b.Bytes(), data, int(points%20)+1)
	})
}

// TestRawReader reads raw DEFLATE data, as zip members hold it, at every
// level of the standard library's compressor.
func TestRawReader(t *testing.T) {
	smallOut(t, 5000)
	for cname, data := range contents(t) {
		for level := stdflate.HuffmanOnly; level <= stdflate.BestCompression; level++ {
			t.Run(fmt.Sprintf("%s/level%d", cname, level), func(t *testing.T) {
				raw := stdDeflate(data, level)
				got, err := readAll(NewRawReader(iotestHalf(bytes.NewReader(raw))), 777)
				if err != nil || !bytes.Equal(got, data) {
					t.Fatalf("read %d bytes (err %v), want %d", len(got), err, len(data))
				}
				_, err = readAll(NewRawReader(bytes.NewReader(raw[:len(raw)/2])), 777)
				if err != io.ErrUnexpectedEOF && !(len(raw)/2 > 0 && isCorrupt(err)) {
					t.Fatalf("cut in half: error %v, want %v", err, io.ErrUnexpectedEOF)
				}
			})
		}
	}
}

func isCorrupt(err error) bool {
	var c *CorruptError
	return errors.As(err, &c)
}

func stdDeflate(d []byte, level int) []byte {
	var b bytes.Buffer
	w, _ := stdflate.NewWriter(&b, level)
	w.Write(d)
	w.Close()
	return b.Bytes()
}

// FuzzRawReader holds NewRawReader to klauspost's flate reader, as
// FuzzReader does the gzip reader.
func FuzzRawReader(f *testing.F) {
	data := logText(f)[:20_000]
	for level := stdflate.HuffmanOnly; level <= stdflate.BestCompression; level += 3 {
		raw := stdDeflate(data[:3000], level)
		f.Add(raw, uint16(0))
		f.Add(raw[:len(raw)/2], uint16(5))
	}
	f.Fuzz(func(t *testing.T, raw []byte, rsize uint16) {
		want, werr := io.ReadAll(kflate.NewReader(bytes.NewReader(raw)))
		got, err := readAll(NewRawReader(bytes.NewReader(raw)), int(rsize%4096)+1)
		if (err == nil) != (werr == nil) {
			t.Fatalf("error %v, klauspost's %v", err, werr)
		}
		if err == nil && !bytes.Equal(got, want) {
			t.Fatalf("content differs: %d bytes, want %d", len(got), len(want))
		}
	})
}
