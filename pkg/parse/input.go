package parse

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Input is one log stream of a bundle: a file, or a member of an archive
// (possibly nested: a .gz inside a .tar.gz). Inputs are read as streams;
// nothing is extracted to disk.
type Input struct {
	// Path is what reports show: relative to the bundle root, with "!/"
	// between an archive and its member ("logs.tar.gz!/gateway/access.log").
	Path string
	// rel names the source: the path relative to the bundle root with the
	// archive hops removed and an archive's single wrapper folder stripped.
	rel     string
	Source  string
	ModTime time.Time
	Size    int64 // bytes on disk or in the archive header; -1 when unknown
	// Skipped is why the input cannot be read (permission denied, a FIFO,
	// a corrupt archive); it is reported, never silently dropped.
	Skipped string
	// Ignored marks a file that is part of a bundle but not a log (its
	// rca.yaml, notes): listed with the reason in Skipped, not warned about.
	Ignored bool
	// Root is the bundle root this input was found under (for the bundle's
	// rca.yaml).
	Root string
	open func() (io.ReadCloser, error)
}

// Open opens the input's (decompressed) byte stream.
func (in *Input) Open() (io.ReadCloser, error) {
	if in.open == nil {
		return nil, fmt.Errorf("open %s: %s", in.Path, in.Skipped)
	}
	return in.open()
}

// Archive limits. Nesting beyond maxDepth is reported, not followed; a
// stream that expands past bombMinBytes at more than bombRatio times its
// compressed size is stopped and reported as a decompression bomb.
const (
	maxDepth         = 4
	bombMinBytes     = 1 << 30
	bombRatio        = 200
	nestedZipMaxSize = 256 << 20
)

// ErrBomb is returned by a decompressing reader that exceeded the limits.
var ErrBomb = errors.New("decompression bomb: expanded size over limit")

// Expand lists the inputs of the given paths: files, folders (recursive,
// in name order) and archives (.gz, .bz2, .tar, .tar.gz/.tgz, .zip, nested).
// Paths that cannot be read at all are an error; unreadable or unsupported
// entries inside them are returned with Skipped set.
func Expand(paths []string) ([]Input, error) {
	var out []Input
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", p, unwrapPathErr(err))
		}
		if fi.IsDir() {
			ins, err := expandDir(p)
			if err != nil {
				return nil, err
			}
			out = append(out, ins...)
			continue
		}
		if !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("open %s: not a regular file or folder", p)
		}
		base := filepath.Base(p)
		out = append(out, expandNode(diskNode(p, base, base, fi, filepath.Dir(p)), 0)...)
	}
	return out, nil
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ignoredName reports bundle files that are not logs: rca's own bundle
// config and documentation. They are listed as skipped.
func ignoredName(rel string) string {
	base := path.Base(rel)
	switch {
	case rel == bundleConfigName:
		return "bundle config (rca.yaml), not a log"
	case strings.HasSuffix(strings.ToLower(base), ".md"):
		return "documentation (.md), not a log"
	}
	return ""
}

func expandDir(root string) ([]Input, error) {
	var out []Input
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if err != nil {
			if p == root {
				return fmt.Errorf("open %s: %w", root, unwrapPathErr(err))
			}
			out = append(out, Input{Path: rel, Root: root, Size: -1, Skipped: fmt.Sprintf("unreadable: %v", unwrapPathErr(err))})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p != root && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir // .git, .cache: not part of a bundle
			}
			return nil
		}
		if why := ignoredName(rel); why != "" {
			out = append(out, Input{Path: rel, Root: root, Size: -1, Skipped: why, Ignored: true})
			return nil
		}
		fi, err := os.Stat(p) // follows a symlink to its file
		switch {
		case err != nil:
			out = append(out, Input{Path: rel, Root: root, Size: -1, Skipped: fmt.Sprintf("unreadable: %v", unwrapPathErr(err))})
		case fi.IsDir():
			out = append(out, Input{Path: rel, Root: root, Size: -1, Skipped: "symbolic link to a folder, not followed"})
		case !fi.Mode().IsRegular():
			out = append(out, Input{Path: rel, Root: root, Size: -1, Skipped: fmt.Sprintf("not a regular file (%s)", fileKind(fi.Mode()))})
		default:
			out = append(out, expandNode(diskNode(p, rel, rel, fi, root), 0)...)
		}
		return nil
	})
	return out, err
}

func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0:
		return "device"
	}
	return m.Type().String()
}

// node is a byte stream that may be a log or an archive.
type node struct {
	display  string
	rel      string
	root     string
	modTime  time.Time
	size     int64
	diskPath string // set when the node is a file on disk
	open     func() (io.ReadCloser, error)
}

func diskNode(p, display, rel string, fi fs.FileInfo, root string) node {
	return node{display: display, rel: rel, root: root, modTime: fi.ModTime(), size: fi.Size(), diskPath: p,
		open: func() (io.ReadCloser, error) { return os.Open(p) }}
}

func (n node) input() Input {
	return Input{Path: n.display, rel: n.rel, Root: n.root, ModTime: n.modTime, Size: n.size, open: n.open}
}

func (n node) skipped(why string) Input {
	in := n.input()
	in.open, in.Skipped = nil, why
	return in
}

// head reads the first bytes of a node's stream to tell its kind.
func (n node) head() ([]byte, error) {
	rc, err := n.open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	buf := make([]byte, 512)
	k, err := io.ReadFull(rc, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && err != io.EOF {
		return buf[:k], err
	}
	return buf[:k], nil
}

func isTar(h []byte) bool {
	return len(h) >= 262 && bytes.Equal(h[257:262], []byte("ustar"))
}

func expandNode(n node, depth int) []Input {
	h, err := n.head()
	if err != nil {
		return []Input{n.skipped(fmt.Sprintf("unreadable: %v", unwrapPathErr(err)))}
	}
	kind := ""
	switch {
	case bytes.HasPrefix(h, []byte{0x1f, 0x8b}):
		kind = "gzip"
	case bytes.HasPrefix(h, []byte("BZh")) && strings.HasSuffix(n.display, ".bz2"):
		kind = "bzip2"
	case bytes.HasPrefix(h, []byte("PK\x03\x04")) || bytes.HasPrefix(h, []byte("PK\x05\x06")):
		kind = "zip"
	case isTar(h):
		kind = "tar"
	case bytes.HasPrefix(h, []byte{0xfd, '7', 'z', 'X', 'Z', 0}):
		return []Input{n.skipped("xz-compressed: not supported, decompress it first")}
	case bytes.HasPrefix(h, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		return []Input{n.skipped("zstd-compressed: not supported, decompress it first")}
	}
	if kind == "" {
		return []Input{n.input()}
	}
	if depth >= maxDepth {
		return []Input{n.skipped(fmt.Sprintf("archive nested deeper than %d levels, not followed", maxDepth))}
	}
	switch kind {
	case "gzip", "bzip2":
		return expandNode(decompressed(n, kind), depth+1)
	case "tar":
		return expandTar(n, depth)
	default:
		return expandZip(n, depth)
	}
}

// decompressed is the node of a .gz/.bz2 stream's content. Its display
// path stays the file's real name (a user must find it); its naming path
// loses the compression suffix.
func decompressed(n node, kind string) node {
	rel := n.rel
	for _, suf := range []string{".gz", ".bz2", ".tgz"} {
		if strings.HasSuffix(rel, suf) {
			repl := ""
			if suf == ".tgz" {
				repl = ".tar"
			}
			rel = strings.TrimSuffix(rel, suf) + repl
			break
		}
	}
	parent := n.open
	c := n
	c.rel, c.diskPath, c.size = rel, "", -1
	c.open = func() (io.ReadCloser, error) {
		rc, err := parent()
		if err != nil {
			return nil, err
		}
		in := &countingReader{r: rc}
		var dr io.Reader
		if kind == "gzip" {
			zr, err := gzip.NewReader(in)
			if err != nil {
				rc.Close()
				return nil, fmt.Errorf("gzip %s: %w", n.display, err)
			}
			dr = zr
		} else {
			dr = bzip2.NewReader(in)
		}
		return &guardedReader{r: dr, in: in, c: rc}, nil
	}
	return c
}

// guardedReader stops a decompressing stream that looks like a bomb.
type guardedReader struct {
	r   io.Reader
	in  *countingReader
	c   io.Closer
	out int64
}

func (g *guardedReader) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	g.out += int64(n)
	if g.out > bombMinBytes && g.out > bombRatio*max(g.in.n, 1) {
		return n, fmt.Errorf("%w (%d bytes from %d compressed)", ErrBomb, g.out, g.in.n)
	}
	return n, err
}

func (g *guardedReader) Close() error { return g.c.Close() }

// memberPath cleans an archive member name for display and naming: no
// leading "/", no "..". Member names are never used to write files.
func memberPath(name string) string {
	return strings.TrimPrefix(path.Clean("/"+strings.ReplaceAll(name, "\\", "/")), "/")
}

// wrapperDir returns the one folder every member sits in, or "".
func wrapperDir(names []string) string {
	w := ""
	for i, nm := range names {
		d, _, ok := strings.Cut(nm, "/")
		if !ok {
			return ""
		}
		if i == 0 {
			w = d
		} else if d != w {
			return ""
		}
	}
	return w
}

// childRel is the naming path of an archive member: the archive's folder
// inside the bundle joined with the member path.
func childRel(archiveRel, member, wrapper string) string {
	if wrapper != "" {
		member = strings.TrimPrefix(member, wrapper+"/")
	}
	dir := path.Dir(archiveRel)
	if dir == "." {
		return member
	}
	return dir + "/" + member
}

func expandTar(n node, depth int) []Input {
	rc, err := n.open()
	if err != nil {
		return []Input{n.skipped(fmt.Sprintf("unreadable: %v", err))}
	}
	defer rc.Close()
	type member struct {
		index int
		name  string
		hdr   *tar.Header
	}
	var members []member
	var out []Input
	tr := tar.NewReader(rc)
	for i := 0; ; i++ {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			out = append(out, n.skipped(fmt.Sprintf("corrupt tar after %d entries: %v", i, err)))
			break
		}
		if hdr.Typeflag != tar.TypeReg && hdr.Typeflag != tar.TypeRegA {
			continue // folders, links and devices inside archives are not logs
		}
		members = append(members, member{index: i, name: memberPath(hdr.Name), hdr: hdr})
	}
	names := make([]string, len(members))
	for i, m := range members {
		names[i] = m.name
	}
	wrapper := wrapperDir(names)
	for _, m := range members {
		m := m
		parent := n.open
		child := node{
			display: n.display + "!/" + m.name,
			rel:     childRel(n.rel, m.name, wrapper),
			root:    n.root,
			modTime: m.hdr.ModTime,
			size:    m.hdr.Size,
			open: func() (io.ReadCloser, error) {
				rc, err := parent()
				if err != nil {
					return nil, err
				}
				tr := tar.NewReader(rc)
				for i := 0; i <= m.index; i++ {
					if _, err := tr.Next(); err != nil {
						rc.Close()
						return nil, fmt.Errorf("tar %s: %w", n.display, err)
					}
				}
				return struct {
					io.Reader
					io.Closer
				}{tr, rc}, nil
			},
		}
		if why := ignoredName(child.rel); why != "" {
			in := child.skipped(why)
			in.Ignored = true
			out = append(out, in)
			continue
		}
		out = append(out, expandNode(child, depth+1)...)
	}
	return out
}

func expandZip(n node, depth int) []Input {
	var zr *zip.Reader
	var closer io.Closer
	if n.diskPath != "" {
		r, err := zip.OpenReader(n.diskPath)
		if err != nil {
			return []Input{n.skipped(fmt.Sprintf("corrupt zip: %v", err))}
		}
		zr, closer = &r.Reader, r
	} else {
		// A zip needs random access: a nested one is held in memory, capped.
		rc, err := n.open()
		if err != nil {
			return []Input{n.skipped(fmt.Sprintf("unreadable: %v", err))}
		}
		data, err := io.ReadAll(io.LimitReader(rc, nestedZipMaxSize+1))
		rc.Close()
		if err != nil {
			return []Input{n.skipped(fmt.Sprintf("unreadable: %v", err))}
		}
		if len(data) > nestedZipMaxSize {
			return []Input{n.skipped(fmt.Sprintf("zip nested in another archive is over %d MiB; extract it first", nestedZipMaxSize>>20))}
		}
		r, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return []Input{n.skipped(fmt.Sprintf("corrupt zip: %v", err))}
		}
		zr, closer = r, io.NopCloser(nil)
	}
	defer closer.Close()
	var files []*zip.File
	var names []string
	for _, f := range zr.File {
		if f.FileInfo().Mode().IsRegular() {
			files = append(files, f)
			names = append(names, memberPath(f.Name))
		}
	}
	wrapper := wrapperDir(names)
	var out []Input
	idx := make([]int, len(files))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return names[idx[a]] < names[idx[b]] })
	for _, i := range idx {
		f, name := files[i], names[i]
		parent := n
		child := node{
			display: n.display + "!/" + name,
			rel:     childRel(n.rel, name, wrapper),
			root:    n.root,
			modTime: f.Modified,
			size:    int64(f.UncompressedSize64),
			open:    func() (io.ReadCloser, error) { return openZipMember(parent, f.Name) },
		}
		if why := ignoredName(child.rel); why != "" {
			in := child.skipped(why)
			in.Ignored = true
			out = append(out, in)
			continue
		}
		out = append(out, expandNode(child, depth+1)...)
	}
	return out
}

// openZipMember opens a member of a zip node by name; the zip is reopened
// so that every member stream is independent.
func openZipMember(n node, name string) (io.ReadCloser, error) {
	var zr *zip.Reader
	var closer io.Closer
	if n.diskPath != "" {
		r, err := zip.OpenReader(n.diskPath)
		if err != nil {
			return nil, fmt.Errorf("zip %s: %w", n.display, err)
		}
		zr, closer = &r.Reader, r
	} else {
		rc, err := n.open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(io.LimitReader(rc, nestedZipMaxSize+1))
		rc.Close()
		if err != nil {
			return nil, err
		}
		if zr, err = zip.NewReader(bytes.NewReader(data), int64(len(data))); err != nil {
			return nil, fmt.Errorf("zip %s: %w", n.display, err)
		}
		closer = io.NopCloser(nil)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				closer.Close()
				return nil, fmt.Errorf("zip %s!/%s: %w", n.display, name, err)
			}
			in := &countingReader{r: rc}
			return &guardedReader{r: in, in: &countingReader{n: int64(f.CompressedSize64)}, c: multiCloser{rc, closer}}, nil
		}
	}
	closer.Close()
	return nil, fmt.Errorf("zip %s: member %s vanished", n.display, name)
}

type multiCloser []io.Closer

func (m multiCloser) Close() error {
	var first error
	for _, c := range m {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
