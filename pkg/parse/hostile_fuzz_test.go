package parse

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// hostileSeeds are the committed hostile inputs, as fuzz seeds.
func hostileSeeds(f *testing.F, exts ...string) {
	root := filepath.Join("..", "..", "testdata", "hostile")
	filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() || fi.Size() > 64<<10 {
			return nil
		}
		for _, e := range exts {
			if strings.HasSuffix(p, e) {
				if b, err := os.ReadFile(p); err == nil {
					f.Add(b)
				}
			}
		}
		return nil
	})
}

// FuzzReadInput feeds arbitrary bytes (any encoding, NULs, CRs, binary)
// to ReadInput with detection and a small line limit, and checks that the
// accounting adds up and no event or line escapes it.
func FuzzReadInput(f *testing.F) {
	hostileSeeds(f, ".log")
	f.Add([]byte("\xff\xfe2\x000\x002\x003\x00\n\x00"))
	f.Add([]byte("2023-08-15T06:22:17Z INFO a\r2023-08-15T06:22:18Z INFO b\r"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var evs []event.Event
		spec := Spec{Path: "fuzz.log", Source: "fuzz", ModTime: testModTime, MaxLine: 256}
		st, err := ReadInput(bytes.NewReader(data), spec, func(e *event.Event) { evs = append(evs, *e) })
		if err != nil {
			t.Fatalf("ReadInput: %v", err)
		}
		if st.Skipped != "" {
			if len(evs) != 0 || st.Lines != 0 {
				t.Fatalf("skipped (%s) but %d events, %d lines", st.Skipped, len(evs), st.Lines)
			}
			return
		}
		checkAccounting(t, st, evs)
		if st.Encoding == "" && st.Bytes != int64(len(data)) {
			t.Fatalf("read %d of %d bytes", st.Bytes, len(data))
		}
		for _, e := range evs {
			if c, _ := e.Get("cut"); c != "true" && len(e.Raw) > 256*(e.Lines+1) && e.Lines < maxEventLines {
				t.Fatalf("line %d: %d raw bytes over %d lines with a 256-byte limit", e.Line, len(e.Raw), e.Lines)
			}
		}
	})
}

// FuzzArchive expands arbitrary bytes as a file that may be a .gz, .bz2,
// tar or zip (nested too), reads every input it lists, and checks that
// nothing panics, member names are clean (no "..", no leading "/"), each
// input is read or skipped with a reason, and the accounts add up.
func FuzzArchive(f *testing.F) {
	hostileSeeds(f, ".gz", ".zip", ".tar")
	f.Add(tarOf(f, map[string][]byte{"a/../../x.log": []byte("2023-08-15T06:22:17Z INFO x\n"), "/abs.log": []byte("y\n")}))
	f.Add(gz(f, string(tarOf(f, map[string][]byte{"n.log.gz": gz(f, "2023-08-15T06:22:17Z INFO nested\n")}))))
	f.Add(zipOf(f, map[string]string{"z/a.log": "2023-08-15T06:22:17Z INFO z\n", "z/b.log": "b\n"}))
	f.Fuzz(func(t *testing.T, data []byte) {
		x := &expander{lim: Limits{BombBytes: 1 << 20, BombRatio: 50}, cacheLeft: 4 << 20}
		n := node{display: "fuzz.tar.gz", rel: "fuzz.tar.gz", size: int64(len(data)), lim: x.lim, modTime: time.Unix(0, 0),
			open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
		for _, in := range x.expandNode(n, 0) {
			if strings.Contains("/"+in.Path+"/", "/../") || strings.Contains(in.Path, "!//") {
				t.Fatalf("member path %q is not clean", in.Path)
			}
			if in.Skipped != "" {
				continue
			}
			rc, err := in.Open()
			if err != nil {
				continue // reported as unreadable by the pipeline
			}
			var evs []event.Event
			st, _ := ReadInput(io.LimitReader(rc, 8<<20), Spec{Path: in.Path, MaxLine: 1024}, func(e *event.Event) { evs = append(evs, *e) })
			rc.Close()
			if st.Skipped == "" || st.Lines > 0 {
				checkAccounting(t, st, evs)
			}
		}
	})
}
