package parse

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNestedTruncatedTar: a tar on disk holds inner.tar, a tar cut
// short (its member's header claims 5000 bytes, 100 follow), then another
// member. Read from disk, the inner member must not take the outer
// archive's next bytes as its content: the tar reader over inner.tar gives
// 100 bytes (in fact up to inner.tar's end) and io.ErrUnexpectedEOF.
func TestNestedTruncatedTar(t *testing.T) {
	var ib bytes.Buffer
	itw := tar.NewWriter(&ib)
	itw.WriteHeader(&tar.Header{Name: "cut.log", Mode: 0o644, Size: 5000, ModTime: testModTime, Typeflag: tar.TypeReg})
	itw.Write(bytes.Repeat([]byte("2023-08-15T06:22:17Z INFO inner\n"), 4)[:100])
	inner := ib.Bytes()[:512+512] // header + one data block, no more
	var ob bytes.Buffer
	otw := tar.NewWriter(&ob)
	otw.WriteHeader(&tar.Header{Name: "inner.tar", Mode: 0o644, Size: int64(len(inner)), ModTime: testModTime, Typeflag: tar.TypeReg})
	otw.Write(inner)
	secret := []byte(strings.Repeat("2023-08-15T06:22:17Z INFO OUTER-SECRET\n", 200))
	otw.WriteHeader(&tar.Header{Name: "next.log", Mode: 0o644, Size: int64(len(secret)), ModTime: testModTime, Typeflag: tar.TypeReg})
	otw.Write(secret)
	otw.Close()
	dir := t.TempDir()
	p := filepath.Join(dir, "outer.tar")
	writeFile(t, p, ob.Bytes())
	fi, _ := os.Stat(p)
	data := ob.Bytes()
	for _, where := range []string{"disk", "memory"} {
		x := &expander{lim: Limits{}.orDefault()} // cacheLeft 0: members read again
		var n node
		if where == "disk" {
			n = x.diskNode(p, "outer.tar", "outer.tar", fi, dir)
		} else {
			n = node{display: "outer.tar", rel: "outer.tar", size: int64(len(data)), lim: x.lim, modTime: fi.ModTime(),
				open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
		}
		read := 0
		for _, in := range x.expandNode(n, 0) {
			if !strings.Contains(in.Path, "cut.log") {
				continue
			}
			read++
			t.Logf("%s: %s skipped=%q", where, in.Path, in.Skipped)
			if in.Skipped != "" {
				continue
			}
			got, err := readUpTo(&in, 1<<20)
			outer := bytes.Contains(got, []byte("OUTER-SECRET")) || bytes.Contains(got, []byte("next.log"))
			t.Logf("%s: read %d bytes, err %v, holds outer bytes: %v", where, len(got), err, outer)
			if outer || err == nil {
				t.Errorf("%s: the cut member read the outer archive's bytes as its content (err %v)", where, err)
			}
		}
		if read != 1 {
			t.Errorf("%s: %d inputs inner.tar!/cut.log, want 1", where, read)
		}
	}
}
