package inflate

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/klauspost/compress/gzip"
)

// benchGzip is the compressed text the benchmarks read: RCA_INFLATE_BENCH
// (a .gz file) when set, else the demo bundle's logs compressed at gzip's
// default level.
func benchGzip(b *testing.B) []byte {
	if p := os.Getenv("RCA_INFLATE_BENCH"); p != "" {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		return data
	}
	return stdGzip(logText(b), 6)
}

// BenchmarkInflate reads a gzip stream with this package's Reader and,
// as the baseline in the same run, with klauspost/compress's. MB/s are of
// content.
func BenchmarkInflate(b *testing.B) {
	gz := benchGzip(b)
	size, _ := readKlauspost(gz)
	buf := make([]byte, 64<<10)
	b.Run("reader", func(b *testing.B) {
		b.SetBytes(int64(len(size)))
		b.ReportAllocs()
		for b.Loop() {
			z, err := NewReader(bytes.NewReader(gz))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{z}, buf); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("klauspost", func(b *testing.B) {
		b.SetBytes(int64(len(size)))
		b.ReportAllocs()
		for b.Loop() {
			z, err := gzip.NewReader(bytes.NewReader(gz))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{z}, buf); err != nil {
				b.Fatal(err)
			}
		}
	})
}
