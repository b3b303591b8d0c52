package parse

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestTarMembersAtOffsets checks that the members of a tar file on disk
// read, at their offsets, exactly what a tar reader reads: large members
// (not held in memory), with long names (PAX and GNU headers before the
// data), PAX records, a small member held in memory, and the same
// members in a .tar.gz (resumed at points in the gzip stream).
func TestTarMembersAtOffsets(t *testing.T) {
	big := func(seed int) []byte {
		var b bytes.Buffer
		for i := 0; b.Len() < cacheMemberMax+3000+seed*777; i++ {
			fmt.Fprintf(&b, "2023-08-15T06:22:%02d.%03dZ ERROR seed %d line %d upstream timed out\n", i%60, i%1000, seed, i)
		}
		return b.Bytes()
	}
	type entry struct {
		hdr  tar.Header
		data []byte
	}
	long := strings.Repeat("very-long-folder-name/", 8) + "app.log"
	entries := []entry{
		{tar.Header{Name: "logs/a.log", Format: tar.FormatUSTAR}, big(1)},
		{tar.Header{Name: "logs/" + long, Format: tar.FormatPAX}, big(2)},
		{tar.Header{Name: "logs/gnu-" + long, Format: tar.FormatGNU}, big(3)},
		{tar.Header{Name: "logs/small.log"}, []byte("2023-08-15T06:22:17Z INFO small\n")},
		{tar.Header{Name: "logs/pax.log", PAXRecords: map[string]string{"comment": "kept out of the data"}, Format: tar.FormatPAX}, big(4)},
		{tar.Header{Name: "logs/empty.log"}, nil},
		{tar.Header{Name: "logs/last.log"}, big(5)},
	}
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	want := map[string][]byte{}
	for _, e := range entries {
		h := e.hdr
		h.Mode, h.Size, h.ModTime, h.Typeflag = 0o644, int64(len(e.data)), testModTime, tar.TypeReg
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		tw.Write(e.data)
		want[h.Name] = e.data
	}
	tw.Close()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "bundle.tar"), b.Bytes())
	writeFile(t, filepath.Join(dir, "nested.tar.gz"), []byte(gz(t, b.String())))

	ins, err := Expand([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, in := range ins {
		if in.Skipped != "" {
			if len(want[memberOf(in.Path)]) > 0 {
				t.Errorf("%s skipped: %s", in.Path, in.Skipped)
			}
			continue
		}
		name := memberOf(in.Path)
		w, ok := want[name]
		if !ok {
			t.Errorf("unexpected input %s", in.Path)
			continue
		}
		for k := 0; k < 2; k++ { // opened twice: each open reads it whole
			rc, err := in.Open()
			if err != nil {
				t.Fatalf("open %s: %v", in.Path, err)
			}
			got, err := io.ReadAll(rc)
			rc.Close()
			if err != nil || !bytes.Equal(got, w) {
				t.Fatalf("%s: read %d bytes (err %v), want the member's %d", in.Path, len(got), err, len(w))
			}
		}
		seen++
	}
	if n := 2 * len(entries); seen != n {
		t.Errorf("read %d members, want %d", seen, n)
	}

	// The members of the tar file on disk are read at their offsets, not
	// by reading the archive again from its start: with its first header
	// blanked, a later member still reads (the stream would end there).
	f, err := os.OpenFile(filepath.Join(dir, "bundle.tar"), os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(make([]byte, 512), 0); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, in := range ins {
		if strings.HasPrefix(in.Path, "bundle.tar!/") && memberOf(in.Path) == "logs/last.log" {
			rc, err := in.Open()
			if err != nil {
				t.Fatalf("open %s: %v", in.Path, err)
			}
			got, err := io.ReadAll(rc)
			rc.Close()
			if err != nil || !bytes.Equal(got, want["logs/last.log"]) {
				t.Fatalf("%s after the first header was blanked: %d bytes (err %v), want %d", in.Path, len(got), err, len(want["logs/last.log"]))
			}
			return
		}
	}
	t.Fatal("no input bundle.tar!/logs/last.log")
}

// memberOf is an input path's member name: what follows the last "!/".
func memberOf(p string) string {
	if i := strings.LastIndex(p, "!/"); i >= 0 {
		return p[i+2:]
	}
	return p
}

// TestTarSparse: members stored sparse are reached through the tar reader.
func TestTarSparse(t *testing.T) {
	for _, tt := range []struct {
		h    tar.Header
		want bool
	}{
		{tar.Header{Typeflag: tar.TypeReg}, false},
		{tar.Header{Typeflag: tar.TypeReg, PAXRecords: map[string]string{"comment": "x"}}, false},
		{tar.Header{Typeflag: tar.TypeReg, PAXRecords: map[string]string{"GNU.sparse.major": "1", "GNU.sparse.minor": "0"}}, true},
		{tar.Header{Typeflag: tar.TypeGNUSparse}, true},
	} {
		if got := tarSparse(&tt.h); got != tt.want {
			t.Errorf("tarSparse(%+v) = %v, want %v", tt.h, got, tt.want)
		}
	}
}

// FuzzTarOnDisk expands arbitrary bytes written as a .tar file on disk
// (members read at their offsets), gzipped as a .tar.gz on disk (members
// resumed at points in the gzip stream) and as the same bytes in memory
// (members read by a tar reader from the start), and holds all three to
// the same inputs with the same bytes: names, skip reasons, and content
// up to 4 MiB each.
func FuzzTarOnDisk(f *testing.F) {
	hostileSeeds(f, ".tar")
	f.Add(tarOf(f, map[string][]byte{"a.log": []byte("2023-08-15T06:22:17Z INFO a\n"), "b/c.log": bytes.Repeat([]byte("x"), 3000)}))
	f.Add(tarOf(f, map[string][]byte{"big.log": bytes.Repeat([]byte("2023-08-15T06:22:17Z INFO big\n"), 200), "z.log": []byte("z\n")}))
	cut := tarOf(f, map[string][]byte{"cut.log": bytes.Repeat([]byte("2023-08-15T06:22:17Z INFO cut\n"), 300)})
	f.Add(cut[:4096]) // a member cut short: both say so
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "fuzz.tar")
		writeFile(t, p, data)
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		pgz := filepath.Join(dir, "fuzz.tar.gz")
		writeFile(t, pgz, gz(t, string(data)))
		figz, err := os.Stat(pgz)
		if err != nil {
			t.Fatal(err)
		}
		lim := Limits{}.orDefault() // fuzz inputs stay far below it: the gzip stream is no bomb
		// a small memory budget, so that most members are read again
		expand := func(n node) []Input {
			return (&expander{lim: lim, cacheLeft: 4096, pointLeft: pointTotalMax}).expandNode(n, 0)
		}
		mem := expand(node{display: "fuzz.tar", rel: "fuzz.tar", size: int64(len(data)), lim: lim, modTime: fi.ModTime(),
			open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }})
		x := &expander{lim: lim}
		for _, disk := range [][]Input{
			expand(x.diskNode(p, "fuzz.tar", "fuzz.tar", fi, dir)),
			expand(x.diskNode(pgz, "fuzz.tar.gz", "fuzz.tar.gz", figz, dir)),
		} {
			if len(disk) != len(mem) {
				t.Fatalf("%d inputs on disk, %d in memory", len(disk), len(mem))
			}
			for i := range disk {
				a, b := disk[i], mem[i]
				apath := strings.Replace(a.Path, "fuzz.tar.gz", "fuzz.tar", 1)
				askip := strings.Replace(a.Skipped, "fuzz.tar.gz", "fuzz.tar", 1)
				member := strings.Contains(a.Path, "!/") // else the archive itself (a stream: no size)
				if apath != b.Path || askip != b.Skipped || (member && a.Size != b.Size) {
					t.Fatalf("input %d: %q (%d, %q) on disk, %q (%d, %q) in memory", i, a.Path, a.Size, a.Skipped, b.Path, b.Size, b.Skipped)
				}
				if a.Skipped != "" {
					continue
				}
				ga, ea := readUpTo(&a, 4<<20)
				gb, eb := readUpTo(&b, 4<<20)
				if !bytes.Equal(ga, gb) || (ea == nil) != (eb == nil) {
					t.Fatalf("%s: %d bytes (err %v) on disk, %d (err %v) in memory", a.Path, len(ga), ea, len(gb), eb)
				}
			}
		}
	})
}

func readUpTo(in *Input, n int64) ([]byte, error) {
	rc, err := in.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, n))
}

// TestTarGzPoints: the large members of a .tar.gz on disk are read from
// points taken while listing it, one point each while the budget lasts;
// past it, members share the last point taken and skip further, or, with
// no point taken, read the archive from its start. Every
// member reads its own bytes either way, also when a later one is read
// first.
func TestTarGzPoints(t *testing.T) {
	files := map[string][]byte{}
	for i := range 6 {
		var b bytes.Buffer
		for j := 0; b.Len() < 40_000+i*9_000; j++ {
			fmt.Fprintf(&b, "2023-08-15T06:22:%02dZ INFO member %d line %d id=%x\n", j%60, i, j, j*7919+i)
		}
		files[fmt.Sprintf("logs/m%d.log", i)] = b.Bytes()
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "bundle.tar.gz")
	writeFile(t, p, gz(t, string(tarOf(t, files))))
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, budget := range []int64{pointTotalMax, 2 * pointCost, 0} {
		t.Run(fmt.Sprint(budget), func(t *testing.T) {
			// nothing held in memory: every member is read from a point
			x := &expander{lim: Limits{}.orDefault(), pointLeft: budget}
			ins := x.expandNode(x.diskNode(p, "bundle.tar.gz", "bundle.tar.gz", fi, dir), 0)
			if len(ins) != len(files) {
				t.Fatalf("%d inputs, want %d", len(ins), len(files))
			}
			if want := max(0, budget-int64(len(files))*pointCost); budget < pointTotalMax && x.pointLeft != want {
				t.Errorf("points budget left %d, want %d", x.pointLeft, want)
			}
			for k := len(ins) - 1; k >= 0; k-- { // the last member first
				in := ins[k]
				got, err := readUpTo(&in, 1<<20)
				if want := files[memberOf(in.Path)]; err != nil || !bytes.Equal(got, want) {
					t.Fatalf("%s: %d bytes (err %v), want %d", in.Path, len(got), err, len(want))
				}
			}
		})
	}
}

// TestExpandInParallel: a folder of archives is listed several at a time
// (with the budgets for members held in memory and for resume points
// shared), and gives the inputs, in the order and with the bytes, that
// listing them one at a time gives.
func TestExpandInParallel(t *testing.T) {
	dir := t.TempDir()
	for a := range 6 {
		files := map[string][]byte{}
		for i := range 4 {
			var b bytes.Buffer
			for j := 0; b.Len() < 2_000+a*i*3_000; j++ {
				fmt.Fprintf(&b, "2023-08-15T06:22:%02dZ INFO archive %d member %d line %d\n", j%60, a, i, j)
			}
			files[fmt.Sprintf("svc%d/m%d.log", a, i)] = b.Bytes()
		}
		tarData := tarOf(t, files)
		switch a % 3 {
		case 0:
			writeFile(t, filepath.Join(dir, fmt.Sprintf("a%d.tar.gz", a)), gz(t, string(tarData)))
		case 1:
			writeFile(t, filepath.Join(dir, fmt.Sprintf("a%d.tar", a)), tarData)
		default:
			m := map[string]string{}
			for k, v := range files {
				m[k] = string(v)
			}
			writeFile(t, filepath.Join(dir, fmt.Sprintf("a%d.zip", a)), zipOf(t, m))
		}
		writeFile(t, filepath.Join(dir, fmt.Sprintf("plain%d.log", a)), []byte("2023-08-15T06:22:17Z INFO plain\n"))
	}
	list := func(procs int) []Input {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		// small budgets, so that some members are held and some not
		x := &expander{lim: Limits{}.orDefault(), cacheLeft: 40_000, pointLeft: 2 * pointCost}
		slots, err := x.expandDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		return x.expandSlots(slots)
	}
	one, four := list(1), list(4)
	if len(one) != len(four) || len(one) != 6*4+6 {
		t.Fatalf("%d inputs one at a time, %d in parallel, want %d", len(one), len(four), 6*4+6)
	}
	for i := range one {
		a, b := one[i], four[i]
		if a.Path != b.Path || a.Skipped != b.Skipped || a.Size != b.Size {
			t.Fatalf("input %d: %q (%d, %q) one at a time, %q (%d, %q) in parallel", i, a.Path, a.Size, a.Skipped, b.Path, b.Size, b.Skipped)
		}
		ga, ea := readUpTo(&a, 1<<20)
		gb, eb := readUpTo(&b, 1<<20)
		if ea != nil || eb != nil || !bytes.Equal(ga, gb) {
			t.Fatalf("%s: %d bytes (err %v) one at a time, %d (err %v) in parallel", a.Path, len(ga), ea, len(gb), eb)
		}
	}
}
