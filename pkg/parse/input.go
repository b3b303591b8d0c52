package parse

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/bzip2"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rca-dev/rca/pkg/parse/internal/inflate"
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
	// PackedSize is, for a decompressed stream (.gz, .bz2), the size of
	// the compressed bytes it is read from (0: not one, or unknown).
	// Progress counts such an input by the compressed bytes consumed.
	PackedSize int64
	// Skipped is why the input cannot be read (permission denied, a FIFO,
	// a corrupt archive); it is reported, never silently dropped.
	Skipped string
	// Ignored marks a file that is part of a bundle but not a log (its
	// rca.yaml, notes): listed with the reason in Skipped, not warned about.
	Ignored bool
	// Root is the bundle root this input was found under (for the bundle's
	// rca.yaml).
	Root string
	// config is, for the rca.yaml at an archive's root (an ignored input),
	// its content.
	config []byte
	// diskPath is the file on disk when the input is one (not a member of
	// an archive nor a decompressed stream): its size is checked again
	// after reading, to report a file that grew or shrank meanwhile.
	diskPath string
	open     func() (io.ReadCloser, error)
}

// Config is, for the rca.yaml at an archive's root (listed as ignored),
// its content as read while listing the archive; nil for other inputs.
func (in *Input) Config() []byte { return in.config }

// Open opens the input's (decompressed) byte stream.
func (in *Input) Open() (io.ReadCloser, error) {
	if in.open == nil {
		return nil, fmt.Errorf("open %s: %s", in.Path, in.Skipped)
	}
	return in.open()
}

// Archive limits. Nesting beyond maxDepth is reported, not followed; a
// stream that expands past Limits.BombBytes at more than Limits.BombRatio
// times its compressed size is stopped and reported as a decompression
// bomb. Archive members of at most cacheMemberMax bytes are read into
// memory while the archive's index is read (one pass), up to
// cacheTotalMax bytes in all; larger members of a tar file on disk are
// read at their offset, and those of a compressed or nested archive
// decompressed again from the archive's start when they are read.
const (
	maxDepth         = 4
	defaultBombBytes = 1 << 30
	defaultBombRatio = 200
	nestedZipMaxSize = 256 << 20
	cacheMemberMax   = 1 << 20
	cacheTotalMax    = 128 << 20
	pointTotalMax    = 64 << 20
	pointCost        = 32 << 10 // a point's window, at most
	headBytes        = 512
)

// Limits bound the expansion of compressed inputs. The zero value means
// the defaults (1 GiB at a ratio over 200).
type Limits struct {
	// BombBytes is how many bytes a decompressing stream may produce
	// before its ratio is checked.
	BombBytes int64
	// BombRatio is the largest ratio of expanded to compressed bytes
	// allowed past BombBytes.
	BombRatio int64
}

func (l Limits) orDefault() Limits {
	if l.BombBytes <= 0 {
		l.BombBytes = defaultBombBytes
	}
	if l.BombRatio <= 0 {
		l.BombRatio = defaultBombRatio
	}
	return l
}

// ErrBomb is returned by a decompressing reader that exceeded the limits.
var ErrBomb = errors.New("decompression bomb: expanded size over limit")

// expander lists the inputs of one run: its limits and what is left of the
// budget for archive members held in memory.
type expander struct {
	lim Limits
	mu  sync.Mutex // guards the budgets: archives are listed in parallel
	// cacheLeft is what is left of cacheTotalMax for members held in
	// memory, pointLeft of pointTotalMax for resume points.
	cacheLeft int64
	pointLeft int64
}

// reserve takes n bytes from budget *left (guarded by mu) if it has them.
func (x *expander) reserve(left *int64, n int64) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	if n < 0 || n > *left {
		return false
	}
	*left -= n
	return true
}

// refund gives n bytes back to budget *left (n may be negative: more was
// used than reserved).
func (x *expander) refund(left *int64, n int64) {
	x.mu.Lock()
	*left += n
	x.mu.Unlock()
}

// Expand lists the inputs of the given paths: files, folders (recursive,
// in name order) and archives (.gz, .bz2, .tar, .tar.gz/.tgz, .zip, nested).
// Paths that cannot be read at all are an error; unreadable or unsupported
// entries inside them are returned with Skipped set.
func Expand(paths []string) ([]Input, error) { return expand(paths, Limits{}) }

func expand(paths []string, lim Limits) ([]Input, error) {
	x := &expander{lim: lim.orDefault(), cacheLeft: cacheTotalMax, pointLeft: pointTotalMax}
	var slots []slot
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", p, unwrapPathErr(err))
		}
		if fi.IsDir() {
			ss, err := x.expandDir(p)
			if err != nil {
				return nil, err
			}
			slots = append(slots, ss...)
			continue
		}
		if !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("open %s: not a regular file or folder", p)
		}
		base := filepath.Base(p)
		n := x.diskNode(p, base, base, fi, filepath.Dir(p))
		n.top = true
		slots = append(slots, slot{node: &n})
	}
	return x.expandSlots(slots), nil
}

// slot is a place in the list of inputs: an input listed already, or a
// file whose node is yet to be expanded (read to tell a log from an
// archive, and an archive listed).
type slot struct {
	in   Input
	node *node
}

// expandSlots expands the slots' nodes, several at once (listing a
// compressed archive decompresses it: one core each), and returns the
// inputs in the slots' order.
func (x *expander) expandSlots(slots []slot) []Input {
	got := make([][]Input, len(slots))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, s := range slots {
		if s.node == nil {
			got[i] = []Input{s.in}
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			got[i] = x.expandNode(*s.node, 0)
		}()
	}
	wg.Wait()
	var out []Input
	for _, ins := range got {
		out = append(out, ins...)
	}
	return out
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

func (x *expander) expandDir(root string) ([]slot, error) {
	var out []slot
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if err != nil {
			if p == root {
				return fmt.Errorf("open %s: %w", root, unwrapPathErr(err))
			}
			out = append(out, slot{in: Input{Path: rel, Root: root, Size: -1, Skipped: fmt.Sprintf("unreadable: %v", unwrapPathErr(err))}})
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
			out = append(out, slot{in: Input{Path: rel, Root: root, Size: -1, Skipped: why, Ignored: true}})
			return nil
		}
		fi, err := os.Stat(p) // follows a symlink to its file
		switch {
		case err != nil:
			out = append(out, slot{in: Input{Path: rel, Root: root, Size: -1, Skipped: fmt.Sprintf("unreadable: %v", unwrapPathErr(err))}})
		case fi.IsDir():
			out = append(out, slot{in: Input{Path: rel, Root: root, Size: -1, Skipped: "symbolic link to a folder, not followed"}})
		case !fi.Mode().IsRegular():
			out = append(out, slot{in: Input{Path: rel, Root: root, Size: -1, Skipped: fmt.Sprintf("not a regular file (%s)", fileKind(fi.Mode()))}})
		default:
			n := x.diskNode(p, rel, rel, fi, root)
			out = append(out, slot{node: &n})
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
	case m&fs.ModeSymlink != 0:
		return "symbolic link"
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
	head     []byte // the stream's first bytes when already read; nil to read them
	lim      Limits
	packed   int64 // a decompressed stream: the compressed bytes it comes from (0: unknown)
	// span is where the node's bytes lie in a file on disk (a file, or a
	// member of a tar file on disk); nil when they do not.
	span *diskSpan
	// top marks the bundle itself: a path given to rca (or its
	// decompressed content), not a file found in a folder or an archive.
	top bool
	// gzSpan, for a gzip stream's content, is where the compressed stream
	// lies on disk (nil: not on disk): a tar in it is listed once and its
	// members resumed at points (see expandTar).
	gzSpan *diskSpan
}

// diskSpan is size bytes at off in the file path.
type diskSpan struct {
	path      string
	off, size int64
}

// open opens the span's bytes.
func (d *diskSpan) open() (*io.SectionReader, io.Closer, error) {
	f, err := os.Open(d.path)
	if err != nil {
		return nil, nil, err
	}
	return io.NewSectionReader(f, d.off, d.size), f, nil
}

// diskNode is a file on disk. It is read up to the size it had when it was
// listed, so that a log appended to while rca reads it (a live system)
// cannot keep a run going; what was appended is reported.
func (x *expander) diskNode(p, display, rel string, fi fs.FileInfo, root string) node {
	size := fi.Size()
	var span *diskSpan
	if size > 0 {
		span = &diskSpan{path: p, size: size}
	}
	return node{display: display, rel: rel, root: root, modTime: fi.ModTime(), size: size, diskPath: p, lim: x.lim, span: span,
		open: func() (io.ReadCloser, error) {
			f, err := os.Open(p)
			if err != nil || size <= 0 { // size 0: /proc-like files that do not know theirs
				return f, err
			}
			return readCloser{io.LimitReader(f, size), f}, nil
		}}
}

type readCloser struct {
	io.Reader
	io.Closer
}

func (n node) input() Input {
	return Input{Path: n.display, rel: n.rel, Root: n.root, ModTime: n.modTime, Size: n.size, PackedSize: n.packed, diskPath: n.diskPath, open: n.open}
}

func (n node) skipped(why string) Input {
	in := n.input()
	in.open, in.Skipped = nil, why
	return in
}

// readHead reads the first bytes of a node's stream to tell its kind. A
// read error after some bytes is left for the reading proper to report
// (with the lines before it): a damaged stream is still a log.
func (n node) readHead() ([]byte, error) {
	if n.head != nil {
		return n.head, nil
	}
	rc, err := n.open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	buf := make([]byte, headBytes)
	k, err := io.ReadFull(rc, buf)
	if err != nil && k == 0 && err != io.EOF {
		return nil, err
	}
	return buf[:k], nil
}

func isTar(h []byte) bool {
	return len(h) >= 262 && bytes.Equal(h[257:262], []byte("ustar"))
}

func (x *expander) expandNode(n node, depth int) []Input {
	h, err := n.readHead()
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
		return x.expandNode(decompressed(n, kind), depth+1)
	case "tar":
		return x.expandTar(n, depth)
	default:
		return x.expandZip(n, depth)
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
	c.rel, c.diskPath, c.size, c.head, c.span, c.gzSpan = rel, "", -1, nil, nil, nil
	if kind == "gzip" {
		c.gzSpan = n.span
	}
	c.packed = max(n.size, 0)
	c.open = func() (io.ReadCloser, error) {
		rc, err := parent()
		if err != nil {
			return nil, err
		}
		if kind == "gzip" {
			g, _, err := gunzip(rc, n.display, n.lim)
			return g, err
		}
		in := &countingReader{r: rc}
		return &guardedReader{r: bzip2.NewReader(in), in: in, c: rc, lim: n.lim}, nil
	}
	return c
}

// gunzip reads the gzip stream rc, guarded against bombs; z is its
// inflater (for resume points). rc is closed with the reader, or here when
// the stream is not gzip.
func gunzip(rc io.ReadCloser, display string, lim Limits) (g *guardedReader, z *inflate.Reader, err error) {
	in := &countingReader{r: rc}
	if z, err = inflate.NewReader(in); err != nil {
		rc.Close()
		return nil, nil, fmt.Errorf("gzip %s: %w", display, err)
	}
	return &guardedReader{r: z, in: in, c: rc, lim: lim}, z, nil
}

// guardedReader stops a decompressing stream that looks like a bomb.
type guardedReader struct {
	r   io.Reader
	in  *countingReader
	c   io.Closer
	out int64
	lim Limits
}

func (g *guardedReader) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	g.out += int64(n)
	if lim := g.lim.orDefault(); g.out > lim.BombBytes && g.out > lim.BombRatio*max(g.in.n, 1) {
		return n, fmt.Errorf("%w (%d bytes from %d compressed, over %d at a ratio over %d)", ErrBomb, g.out, g.in.n, lim.BombBytes, lim.BombRatio)
	}
	return n, err
}

func (g *guardedReader) Close() error { return g.c.Close() }

// Packed is how many compressed bytes the stream has consumed so far.
func (g *guardedReader) Packed() int64 { return g.in.n }

// memberPath cleans an archive member name for display and naming: no
// leading "/", no "..". Member names are never used to write files.
func memberPath(name string) string {
	return strings.TrimPrefix(path.Clean("/"+strings.ReplaceAll(name, "\\", "/")), "/")
}

// wrapperDir returns the one folder every member sits in, or "", for
// member names to be shown without it. It is kept (""), so that it names
// the members' source, when the archive is one file of a bundle rather
// than the bundle (n.top) and the folder holds only files: a bundle of
// per-service archives (gateway.tar.gz holding gateway/access.log and
// gateway/error.log) names its sources as a bundle of folders would.
func wrapperDir(n node, names []string) string {
	w, sub := "", false
	for i, nm := range names {
		d, rest, ok := strings.Cut(nm, "/")
		if !ok {
			return ""
		}
		if i == 0 {
			w = d
		} else if d != w {
			return ""
		}
		sub = sub || strings.Contains(rest, "/")
	}
	if !n.top && !sub {
		return ""
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

// member is a regular file inside an archive, listed in one pass over the
// archive: small members are read into memory there (data, with the read
// error that ended them, if any), larger ones keep their first bytes.
type member struct {
	index   int
	name    string
	modTime time.Time
	size    int64
	off     int64 // a tar member's data in a tar file on disk; -1: not known
	// point, for a member of a tar in a gzip stream on disk, is where
	// decompression can resume before the member's data, which starts at
	// content offset at.
	point  *inflate.Point
	at     int64
	cached bool
	data   []byte
	rerr   error
}

// exactReader reads left bytes of r: ending short of them is
// io.ErrUnexpectedEOF, as a tar reader says of a member cut short.
type exactReader struct {
	r    io.Reader
	left int64
}

func (e *exactReader) Read(p []byte) (int, error) {
	if e.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > e.left {
		p = p[:e.left]
	}
	n, err := e.r.Read(p)
	e.left -= int64(n)
	if err == io.EOF && e.left > 0 {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

// tarSparse reports a tar member stored sparse (GNU sparse formats in PAX
// records): its data in the archive is not its content byte for byte.
func tarSparse(h *tar.Header) bool {
	for k := range h.PAXRecords {
		if strings.HasPrefix(k, "GNU.sparse.") {
			return true
		}
	}
	return h.Typeflag == tar.TypeGNUSparse
}

// reserveCache reserves the memory budget for a member of the given size
// that take is to read into memory; false when it is not to (too large,
// or the budget is spent).
func (x *expander) reserveCache(size int64) bool {
	return size >= 0 && size <= cacheMemberMax && x.reserve(&x.cacheLeft, size)
}

// take reads a member's content during the listing pass: all of it when
// reserved (reserveCache), else its head.
func (x *expander) take(m *member, r io.Reader, reserved bool) {
	if reserved {
		data, err := io.ReadAll(io.LimitReader(r, cacheMemberMax+1))
		if len(data) <= cacheMemberMax {
			m.cached, m.data, m.rerr = true, data, err
			x.refund(&x.cacheLeft, m.size-int64(len(data)))
			return
		}
		x.refund(&x.cacheLeft, m.size)
		m.data = data[:headBytes]
		return
	}
	buf := make([]byte, headBytes)
	k, _ := io.ReadFull(r, buf)
	m.data = buf[:k]
}

// memberNode is the node of an archive member; open reads it from memory
// when it was cached, else with reopen.
func (x *expander) memberNode(n node, m *member, wrapper string, reopen func() (io.ReadCloser, error)) node {
	child := node{
		display: n.display + "!/" + m.name,
		rel:     childRel(n.rel, m.name, wrapper),
		root:    n.root,
		modTime: m.modTime,
		size:    m.size,
		lim:     n.lim,
		open:    reopen,
	}
	if m.cached {
		data, rerr := m.data, m.rerr
		child.open = func() (io.ReadCloser, error) {
			return io.NopCloser(&errAfter{r: bytes.NewReader(data), err: rerr}), nil
		}
		child.head = data[:min(len(data), headBytes)]
	} else if len(m.data) > 0 {
		child.head = m.data
	}
	return child
}

// expandMember expands an archive member's node, or lists it as ignored
// when it is not a log; the bundle's rca.yaml at the archive's root keeps
// its content (when it was read into memory) for NewPlan.
func (x *expander) expandMember(child node, m *member, depth int) []Input {
	why := ignoredName(child.rel)
	if why == "" {
		return x.expandNode(child, depth+1)
	}
	in := child.skipped(why)
	in.Ignored = true
	if child.rel == bundleConfigName && m.cached && m.rerr == nil {
		in.config = m.data
	}
	return []Input{in}
}

// errAfter reads r, then returns err instead of io.EOF (a member whose
// read failed keeps what was read before the failure).
type errAfter struct {
	r   io.Reader
	err error
}

func (e *errAfter) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err == io.EOF && e.err != nil {
		err = e.err
	}
	return n, err
}

// archiveEntryKind names an archive entry that is not a regular file, for
// the skip reason; "" for folders and metadata, which are not reported.
func archiveEntryKind(typ byte, link string) string {
	switch typ {
	case tar.TypeDir, tar.TypeXGlobalHeader, tar.TypeXHeader, tar.TypeGNULongName, tar.TypeGNULongLink:
		return ""
	case tar.TypeSymlink:
		return fmt.Sprintf("symbolic link in an archive (to %s), not followed", link)
	case tar.TypeLink:
		return fmt.Sprintf("hard link in an archive (to %s), not followed", link)
	case tar.TypeChar, tar.TypeBlock:
		return "device in an archive, not a log"
	case tar.TypeFifo:
		return "named pipe in an archive, not a log"
	}
	return fmt.Sprintf("archive entry of type %q, not a regular file", typ)
}

func (x *expander) expandTar(n node, depth int) []Input {
	// A tar file on disk (not compressed, or a member of a tar file on
	// disk) is listed by seeking past the members' data, and each member
	// is read at its offset. A tar in a gzip stream on disk is listed by
	// decompressing it once, noting for each large member a point before
	// its data where decompression can resume. Otherwise a member is
	// reached by reading the archive again from its start, past the
	// members before it (a compressed stream cannot be entered in the
	// middle).
	var at *io.SectionReader // the tar on disk: it seeks
	var gz *inflate.Reader   // the tar's gzip stream on disk
	var src io.Reader
	var closer io.Closer
	var err error
	switch {
	case n.span != nil:
		at, closer, err = n.span.open()
		src = at
	case n.gzSpan != nil:
		var sr *io.SectionReader
		var f io.Closer
		if sr, f, err = n.gzSpan.open(); err == nil {
			var g *guardedReader
			if g, gz, err = gunzip(readCloser{sr, f}, n.display, n.lim); err == nil {
				src, closer = g, g
			}
		}
	default:
		var rc io.ReadCloser
		rc, err = n.open()
		src, closer = rc, rc
	}
	if err != nil {
		return []Input{n.skipped(fmt.Sprintf("unreadable: %v", err))}
	}
	defer closer.Close()
	var members []*member
	var out, odd []Input
	var last *inflate.Point
	tr := tar.NewReader(src)
	for i := 0; ; i++ {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil && !(errors.Is(err, tar.ErrInsecurePath) && hdr != nil) { // names are cleaned below, never used to write
			out = append(out, n.skipped(fmt.Sprintf("corrupt tar after %d entries: %v", i, err)))
			break
		}
		name := memberPath(hdr.Name)
		if hdr.Typeflag != tar.TypeReg && hdr.Typeflag != tar.TypeRegA {
			if why := archiveEntryKind(hdr.Typeflag, hdr.Linkname); why != "" {
				c := node{display: n.display + "!/" + name, rel: childRel(n.rel, name, ""), root: n.root, modTime: hdr.ModTime, size: -1}
				odd = append(odd, c.skipped(why))
			}
			continue
		}
		m := &member{index: i, name: name, modTime: hdr.ModTime, size: hdr.Size, off: -1}
		sparse := tarSparse(hdr) // its data is not its content: the tar reader reads it
		if at != nil && !sparse {
			m.off, _ = at.Seek(0, io.SeekCurrent) // Next has read the member's headers, none of its data
		}
		reserved := x.reserveCache(hdr.Size)
		if gz != nil && !sparse && !reserved {
			m.at = gz.Offset()
			if x.reserve(&x.pointLeft, pointCost) {
				p := gz.Point()
				last = &p
			}
			m.point = last // past the budget: the last point taken, further back (nil: none)
		}
		x.take(m, tr, reserved)
		members = append(members, m)
	}
	names := make([]string, len(members))
	for i, m := range members {
		names[i] = m.name
	}
	wrapper := wrapperDir(n, names)
	for _, m := range members {
		var reopen func() (io.ReadCloser, error)
		var span *diskSpan
		switch {
		case m.off >= 0:
			// a member cut short by the tar's end (its header lies) ends
			// there, not in the bytes after it (an outer archive's)
			span = &diskSpan{path: n.span.path, off: n.span.off + m.off, size: max(0, min(m.size, n.span.size-m.off))}
			reopen = tarMemberAt(span, m.size)
		case m.point != nil:
			reopen = gzMemberAt(n.gzSpan, m.point, m.at, m.size, n.lim)
		default:
			reopen = tarMemberAfter(n, m.index)
		}
		child := x.memberNode(n, m, wrapper, reopen)
		child.span = span
		out = append(out, x.expandMember(child, m, depth)...)
	}
	return append(out, odd...)
}

// tarMemberAt opens the member of a tar file on disk whose bytes are span.
func tarMemberAt(span *diskSpan, size int64) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) {
		sr, f, err := span.open()
		if err != nil {
			return nil, err
		}
		return readCloser{&exactReader{r: sr, left: size}, f}, nil
	}
}

// gzMemberAt opens the member of a tar in the gzip stream on disk gz whose
// size bytes start at content offset at: it decompresses from point p,
// before at, and skips to at.
func gzMemberAt(gz *diskSpan, p *inflate.Point, at, size int64, lim Limits) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) {
		f, err := os.Open(gz.path)
		if err != nil {
			return nil, err
		}
		skip := p.Bit / 8
		in := &countingReader{r: io.NewSectionReader(f, gz.off+skip, gz.size-skip)}
		g := &guardedReader{r: inflate.Resume(in, *p), in: in, c: f, lim: lim}
		if _, err := io.CopyN(io.Discard, g, at-p.Out); err != nil {
			f.Close()
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, fmt.Errorf("gzip %s: %w", gz.path, err)
		}
		return readCloser{&exactReader{r: g, left: size}, f}, nil
	}
}

// tarMemberAfter opens the member after the first index entries of tar
// node n, reading n again from its start.
func tarMemberAfter(n node, index int) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) {
		rc, err := n.open()
		if err != nil {
			return nil, err
		}
		tr := tar.NewReader(rc)
		for i := 0; i <= index; i++ {
			if _, err := tr.Next(); err != nil && !errors.Is(err, tar.ErrInsecurePath) {
				rc.Close()
				return nil, fmt.Errorf("tar %s: %w", n.display, err)
			}
		}
		return readCloser{tr, rc}, nil
	}
}

// openZip opens a zip node: from disk, or (nested in another archive) read
// into memory, capped. A zip whose names are insecure ("../x", "/x") is
// read all the same: names are cleaned and never used to write.
func openZip(n node) (*zip.Reader, io.Closer, error) {
	if n.diskPath != "" {
		r, err := zip.OpenReader(n.diskPath)
		if err != nil && !(errors.Is(err, zip.ErrInsecurePath) && r != nil) {
			return nil, nil, fmt.Errorf("corrupt zip: %w", err)
		}
		r.RegisterDecompressor(zip.Deflate, zipInflate)
		return &r.Reader, r, nil
	}
	// A zip needs random access: a nested one is held in memory, capped.
	rc, err := n.open()
	if err != nil {
		return nil, nil, fmt.Errorf("unreadable: %w", err)
	}
	data, err := io.ReadAll(io.LimitReader(rc, nestedZipMaxSize+1))
	rc.Close()
	if err != nil {
		return nil, nil, fmt.Errorf("unreadable: %w", err)
	}
	if len(data) > nestedZipMaxSize {
		return nil, nil, fmt.Errorf("zip nested in another archive is over %d MiB; extract it first", nestedZipMaxSize>>20)
	}
	r, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !(errors.Is(err, zip.ErrInsecurePath) && r != nil) {
		return nil, nil, fmt.Errorf("corrupt zip: %w", err)
	}
	r.RegisterDecompressor(zip.Deflate, zipInflate)
	return r, io.NopCloser(nil), nil
}

// zipInflate reads a zip member's deflate data with the inflater .gz
// inputs are read with (archive/zip checks the member's CRC-32).
func zipInflate(r io.Reader) io.ReadCloser { return io.NopCloser(inflate.NewRawReader(r)) }

func (x *expander) expandZip(n node, depth int) []Input {
	zr, closer, err := openZip(n)
	if err != nil {
		return []Input{n.skipped(err.Error())}
	}
	defer closer.Close()
	var members []*member
	var names []string
	var odd []Input
	for i, f := range zr.File {
		name := memberPath(f.Name)
		mode := f.FileInfo().Mode()
		if mode.IsDir() {
			continue
		}
		if !mode.IsRegular() {
			c := node{display: n.display + "!/" + name, rel: childRel(n.rel, name, ""), root: n.root, modTime: f.Modified, size: -1}
			odd = append(odd, c.skipped(fmt.Sprintf("%s in an archive, not read", fileKind(mode))))
			continue
		}
		m := &member{index: i, name: name, modTime: f.Modified, size: int64(min(f.UncompressedSize64, 1<<62)), off: -1}
		if rc, err := openZipFile(zr, i, n.lim); err != nil {
			m.cached, m.rerr = true, err
		} else {
			x.take(m, rc, x.reserveCache(m.size))
			rc.Close()
		}
		members = append(members, m)
		names = append(names, name)
	}
	wrapper := wrapperDir(n, names)
	idx := make([]int, len(members))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return names[idx[a]] < names[idx[b]] })
	var out []Input
	for _, i := range idx {
		m := members[i]
		parent, index := n, m.index
		child := x.memberNode(n, m, wrapper, func() (io.ReadCloser, error) { return openZipMember(parent, index) })
		out = append(out, x.expandMember(child, m, depth)...)
	}
	return append(out, odd...)
}

// openZipFile opens the index-th member of an open zip, guarded against
// bombs. Members are opened by index: names may repeat.
func openZipFile(zr *zip.Reader, index int, lim Limits) (io.ReadCloser, error) {
	f := zr.File[index]
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	return &guardedReader{r: rc, in: &countingReader{n: int64(min(f.CompressedSize64, 1<<62))}, c: rc, lim: lim}, nil
}

// openZipMember opens a member of a zip node by index; the zip is reopened
// so that every member stream is independent.
func openZipMember(n node, index int) (io.ReadCloser, error) {
	zr, closer, err := openZip(n)
	if err != nil {
		return nil, fmt.Errorf("zip %s: %w", n.display, err)
	}
	if index >= len(zr.File) {
		closer.Close()
		return nil, fmt.Errorf("zip %s: member %d vanished", n.display, index)
	}
	rc, err := openZipFile(zr, index, n.lim)
	if err != nil {
		closer.Close()
		return nil, fmt.Errorf("zip %s!/%s: %w", n.display, memberPath(zr.File[index].Name), err)
	}
	return readCloser{rc, multiCloser{rc, closer}}, nil
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
