package parse

import (
	"archive/tar"
	"bytes"
	stdflate "compress/flate"
	stdgzip "compress/gzip"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTarGzMixed: a tar with USTAR/PAX/GNU headers, long names and
// links, global PAX headers, written as several concatenated gzip members
// at random cuts, random levels (stored included) and flushes; every
// member resumed at its point must read what the tar reader reads.
func TestTarGzMixed(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for trial := range 6 {
		var b bytes.Buffer
		tw := tar.NewWriter(&b)
		want := map[string][]byte{}
		for i := range 40 {
			var data []byte
			n := rng.IntN(200_000)
			for len(data) < n {
				data = fmt.Appendf(data, "2023-08-15T06:22:%02dZ INFO m%d %x\n", len(data)%60, i, rng.Uint64())
			}
			name := fmt.Sprintf("logs/f%d.log", i)
			format := tar.FormatUnknown
			switch i % 5 {
			case 1:
				name = "logs/" + strings.Repeat("long-dir/", 20+i) + name[5:]
				format = tar.FormatPAX
			case 2:
				name = "logs/" + strings.Repeat("gnu-dir/", 20+i) + name[5:]
				format = tar.FormatGNU
			case 3:
				tw.WriteHeader(&tar.Header{Typeflag: tar.TypeXGlobalHeader, Name: "g", PAXRecords: map[string]string{"comment": strings.Repeat("c", rng.IntN(3000))}})
			case 4:
				tw.WriteHeader(&tar.Header{Typeflag: tar.TypeSymlink, Name: fmt.Sprintf("logs/link%d", i), Linkname: strings.Repeat("t/", 100), Format: tar.FormatPAX, Mode: 0o777, ModTime: testModTime})
			}
			h := &tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), ModTime: testModTime, Typeflag: tar.TypeReg, Format: format}
			if i%7 == 0 {
				h.PAXRecords = map[string]string{"comment": strings.Repeat("x", rng.IntN(5000))}
				h.Format = tar.FormatPAX
			}
			if err := tw.WriteHeader(h); err != nil {
				t.Fatal(err)
			}
			tw.Write(data)
			want[memberPath(name)] = data
		}
		tw.Close()
		raw := b.Bytes()
		// split into gzip members
		var gzb bytes.Buffer
		for off := 0; off < len(raw); {
			end := min(len(raw), off+1+rng.IntN(len(raw)/3))
			level := []int{stdflate.NoCompression, stdflate.HuffmanOnly, 1, 6, 9}[rng.IntN(5)]
			w, _ := stdgzip.NewWriterLevel(&gzb, level)
			for off < end {
				k := min(end, off+1+rng.IntN(300_000))
				w.Write(raw[off:k])
				if rng.IntN(2) == 0 {
					w.Flush()
				}
				off = k
			}
			w.Close()
		}
		dir := t.TempDir()
		p := filepath.Join(dir, "b.tar.gz")
		writeFile(t, p, gzb.Bytes())
		fi, _ := os.Stat(p)
		x := &expander{lim: Limits{}.orDefault(), pointLeft: pointTotalMax}
		ins := x.expandNode(x.diskNode(p, "b.tar.gz", "b.tar.gz", fi, dir), 0)
		seen := 0
		for k := len(ins) - 1; k >= 0; k-- {
			in := ins[k]
			if in.Skipped != "" {
				continue
			}
			seen++
			got, err := readUpTo(&in, 1<<30)
			w := want[memberOf(in.Path)]
			if err != nil || !bytes.Equal(got, w) {
				t.Fatalf("trial %d %s: %d bytes (err %v), want %d", trial, in.Path, len(got), err, len(w))
			}
		}
		if seen != len(want) {
			t.Fatalf("trial %d: %d members read, want %d", trial, seen, len(want))
		}
		t.Logf("trial %d: %d members, %d bytes gz, points left %d", trial, seen, gzb.Len(), x.pointLeft)
	}
	_ = io.EOF
}
