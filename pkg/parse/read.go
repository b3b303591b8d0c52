package parse

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"
	"unicode/utf8"

	"github.com/rca-dev/rca/pkg/event"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Spec says how to read one input.
type Spec struct {
	Path    string         // display path, relative to the bundle root
	Source  string         // source name for its events
	ModTime time.Time      // for year-less timestamps; zero when unknown
	Loc     *time.Location // zone for zone-less timestamps; nil means UTC
	Format  *Format        // forced format; nil to detect
	MaxLine int            // 0 means DefaultMaxLine
	Lean    bool           // see Options.Lean
}

// ReadInput reads one input stream to its end, calling emit for each event
// in file order (unparsed lines included, right after their predecessor).
// emit owns the event it is given. The returned Stats account for every
// line. An error is returned only for a read failure; what was read up to
// it is emitted and counted, and Stats.Skipped says why reading stopped.
func ReadInput(r io.Reader, spec Spec, emit func(*event.Event)) (Stats, error) {
	return readInput(r, spec, emit, nil, nil)
}

// readInput is ReadInput with the events handed out first taken from pool
// (nil: none), where the caller puts back those it is done with. With seg,
// r holds a segment of the file after its first (planSegments): its lines
// are decoded in the file's format and numbered and placed as in the file.
func readInput(r io.Reader, spec Spec, emit func(*event.Event), pool *eventPool, seg *segRead) (Stats, error) {
	st := Stats{Path: spec.Path, Source: spec.Source}
	loc := spec.Loc
	if loc == nil {
		loc = time.UTC
	}
	if seg != nil {
		return readSegment(r, spec, emit, pool, seg, st, loc)
	}
	ts, err := openText(r)
	st.Encoding = ts.encoding
	if err != nil {
		st.Skipped = fmt.Sprintf("read: %v", err)
		st.Timezone = zoneName(loc)
		return st, fmt.Errorf("read %s: %w", spec.Path, err)
	}
	cr, br, head := ts.counter, ts.br, ts.head
	if why := binaryReason(head); why != "" {
		// Not read further: a binary file can be gigabytes (a core dump,
		// a systemd journal) and nothing in it is a line.
		st.Bytes = cr.n
		st.Skipped = why
		st.Timezone = zoneName(loc)
		return st, nil
	}
	ctx := &Context{Loc: loc, ModTime: spec.ModTime}
	f := spec.Format
	if f == nil {
		d := Detect(sampleLinesOf(head, ts.atEOF), ctx)
		f = d.Format
		st.Confidence = d.Confidence
		if d.RunnerUp != nil {
			st.RunnerUp, st.RunnerUpConfidence = d.RunnerUp.ID, d.RunnerUpConfidence
		}
	} else {
		st.Confidence = 1
	}
	st.Format = f.ID
	lr := newLineReader(br, spec.MaxLine)
	lr.crOnly = isCROnly(head)
	dctx := *ctx // detection saw every field; the decoder may be lean
	dctx.Lean = spec.Lean
	return readLines(lr, f, &dctx, spec, emit, pool, &st, cr, 0)
}

// segRead is a segment after a file's first, as readInput reads it.
type segRead struct {
	format *Format
	start  int64                 // its offset in the file
	base   func() (int64, error) // the number of lines before it
}

// readSegment reads a segment after a file's first: no detection, no
// byte-order mark; offsets and line numbers continue the file's.
func readSegment(r io.Reader, spec Spec, emit func(*event.Event), pool *eventPool, seg *segRead, st Stats, loc *time.Location) (Stats, error) {
	st.Format = seg.format.ID
	base, err := seg.base()
	if err != nil {
		st.Skipped = fmt.Sprintf("read: %v", err)
		st.Timezone = zoneName(loc)
		return st, fmt.Errorf("read %s: %w", spec.Path, err)
	}
	cr := &countingReader{r: r}
	lr := newLineReader(bufio.NewReaderSize(cr, sampleBytes), spec.MaxLine)
	lr.off = seg.start
	ctx := &Context{Loc: loc, ModTime: spec.ModTime, Lean: spec.Lean}
	return readLines(lr, seg.format, ctx, spec, emit, pool, &st, cr, base)
}

// readLines decodes the lines of lr, numbered from lineNo+1, into events.
func readLines(lr *lineReader, f *Format, ctx *Context, spec Spec, emit func(*event.Event), pool *eventPool, st *Stats, cr *countingReader, lineNo int64) (Stats, error) {
	dec := newDecoder(f, ctx, spec.Source, spec.Path, st, emit)
	dec.slab.pool = pool
	if pool != nil && pool.skim != nil { // set when the input has a taker that skims (produce)
		// a skimmed record is not finished (Finisher): a decoder that
		// finishes its records does not skim
		if sk, ok := dec.primary.(skimmer); ok && dec.finisher == nil && (ctx.Lean || sk.whole()) {
			dec.skimmer, dec.hooks, dec.skimAll = sk, pool.skim, !ctx.Lean
		}
	}
	var rerr error
	for {
		line, off, cut, err := lr.next()
		if err != nil {
			if err != io.EOF {
				rerr = fmt.Errorf("read %s: %w", spec.Path, err)
				st.Skipped = fmt.Sprintf("stopped after line %d: %v", lineNo, err)
			}
			break
		}
		lineNo++
		dec.line(line, off, lineNo, cut)
	}
	dec.finish()
	st.Bytes = cr.n
	return *st, rerr
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// textStream is an input opened for reading text: decoded from UTF-16 when
// it has a byte-order mark, without a UTF-8 BOM, with its head peeked for
// detection (the head is not consumed).
type textStream struct {
	counter  *countingReader // counts raw bytes read
	br       *bufio.Reader
	head     []byte
	atEOF    bool // the head is the whole input
	encoding string
}

func openText(r io.Reader) (textStream, error) {
	ts := textStream{counter: &countingReader{r: r}}
	ts.br = bufio.NewReaderSize(ts.counter, sampleBytes)
	head, err := peekHead(&ts.br)
	if err != nil {
		return ts, err
	}
	ts.atEOF = len(head) < sampleBytes
	if enc, dec := textEncoding(head); dec != nil {
		ts.encoding = enc
		ts.br = bufio.NewReaderSize(transform.NewReader(ts.br, dec), sampleBytes)
		if head, err = peekHead(&ts.br); err != nil {
			return ts, err
		}
		ts.atEOF = len(head) < sampleBytes
	} else if bytes.HasPrefix(head, utf8BOM) {
		ts.br.Discard(len(utf8BOM))
		head = head[len(utf8BOM):]
	}
	ts.head = head
	return ts, nil
}

// peekHead peeks the first sampleBytes of *br. A stream that fails after
// some bytes (a truncated .gz, a zip member with a bad checksum) keeps
// them: *br is replaced by a reader that gives the head, then the error,
// so the lines before the damage are read and the damage is reported.
// Only a stream that fails before its first byte is an error here.
func peekHead(br **bufio.Reader) ([]byte, error) {
	head, err := (*br).Peek(sampleBytes)
	if err == nil || err == io.EOF || errors.Is(err, bufio.ErrBufferFull) {
		return head, nil
	}
	if len(head) == 0 {
		return nil, err
	}
	kept := append([]byte(nil), head...)
	*br = bufio.NewReaderSize(&errAfter{r: bytes.NewReader(kept), err: err}, sampleBytes)
	head, _ = (*br).Peek(sampleBytes)
	return head, nil
}

// InputDetection is what `rca formats detect` shows for one input.
type InputDetection struct {
	Path, Source, Zone string
	Format             string
	Confidence         float64
	Forced             bool
	RunnerUp           string
	RunnerUpConfidence float64
	Skipped            string
}

// Detect reports the format of every input of the plan from its head,
// without reading the rest.
func (p *Plan) Detect(ctx context.Context) []InputDetection {
	out := make([]InputDetection, len(p.Inputs))
	for i := range p.Inputs {
		in, spec := &p.Inputs[i], p.specs[i]
		d := &out[i]
		d.Path, d.Source, d.Zone, d.Skipped = in.Path, in.Source, zoneName(spec.Loc), in.Skipped
		if d.Skipped != "" || ctx.Err() != nil {
			continue
		}
		if spec.Format != nil {
			d.Format, d.Confidence, d.Forced = spec.Format.ID, 1, true
			continue
		}
		rc, err := in.Open()
		if err != nil {
			d.Skipped = fmt.Sprintf("unreadable: %v", err)
			continue
		}
		ts, err := openText(rc)
		switch {
		case err != nil:
			d.Skipped = fmt.Sprintf("read: %v", err)
		case binaryReason(ts.head) != "":
			d.Skipped = binaryReason(ts.head)
		default:
			det := Detect(sampleLinesOf(ts.head, ts.atEOF), &Context{Loc: spec.Loc, ModTime: spec.ModTime})
			d.Format, d.Confidence = det.Format.ID, det.Confidence
			if det.RunnerUp != nil {
				d.RunnerUp, d.RunnerUpConfidence = det.RunnerUp.ID, det.RunnerUpConfidence
			}
		}
		rc.Close()
	}
	return out
}

// textEncoding recognizes UTF-16 by its byte-order mark, or by the NUL
// pattern of ASCII text in UTF-16 without one, and returns a decoder.
func textEncoding(head []byte) (string, transform.Transformer) {
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return "utf-16le", unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return "utf-16be", unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()
	}
	switch utf16Guess(head) {
	case 'l':
		return "utf-16le", unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder()
	case 'b':
		return "utf-16be", unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder()
	}
	return "", nil
}

// utf16Guess recognizes UTF-16 text without a byte-order mark by the NULs
// of its ASCII characters: 'l' when (nearly) every odd byte is NUL and the
// even ones are not, 'b' the other way round, 0 otherwise.
func utf16Guess(head []byte) byte {
	n := min(len(head), 1024) &^ 1
	if n < 8 {
		return 0
	}
	var evenNUL, oddNUL int
	for i := 0; i < n; i += 2 {
		if head[i] == 0 {
			evenNUL++
		}
		if head[i+1] == 0 {
			oddNUL++
		}
	}
	pairs := n / 2
	switch {
	case oddNUL*10 >= pairs*9 && evenNUL*10 <= pairs:
		return 'l'
	case evenNUL*10 >= pairs*9 && oddNUL*10 <= pairs:
		return 'b'
	}
	return 0
}

// binaryReason says why a file is not text, or "" when it is: a known
// binary magic number, a head of nothing but NUL bytes, or a head where
// control bytes other than NUL are common (over 10%), or control bytes and
// invalid UTF-8 together (over 25%: random or compressed data; a Latin-1
// log has a few invalid bytes, not a quarter). NULs alone do not make a
// log binary: a crash leaves runs of them in a log file (space allocated,
// never written), and the lines around them are still text.
func binaryReason(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("\x7fELF")):
		return "binary file (ELF executable)"
	case bytes.HasPrefix(head, []byte("\x89PNG")):
		return "binary file (PNG image)"
	case bytes.HasPrefix(head, []byte("%PDF")):
		return "binary file (PDF)"
	case bytes.HasPrefix(head, []byte("LPKSHHRH")):
		return "binary file (systemd journal: export it with journalctl --file FILE -o short-iso)"
	}
	if len(head) == 0 {
		return ""
	}
	ctl, nul, invalid := 0, 0, 0
	for i := 0; i < len(head); {
		c := head[i]
		switch {
		case c == 0:
			nul++
		case c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != 0x1b && c != '\f' && c != '\b':
			ctl++
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(head[i:])
			if r == utf8.RuneError && size == 1 && len(head)-i >= utf8.UTFMax {
				invalid++
			}
			i += size
			continue
		}
		i++
	}
	text := len(head) - nul
	switch {
	case text == 0:
		return fmt.Sprintf("binary data (the first %d bytes are all NUL)", len(head))
	case ctl*10 > text:
		return fmt.Sprintf("binary data (%d of the first %d bytes are control bytes)", ctl+nul, len(head))
	case (ctl+invalid)*4 > text:
		return fmt.Sprintf("binary data (%d of the first %d bytes are control bytes or invalid UTF-8)", ctl+invalid+nul, len(head))
	}
	return ""
}

// isCROnly reports a head that ends lines with lone CRs and has no LF.
func isCROnly(head []byte) bool {
	return bytes.IndexByte(head, '\n') < 0 && bytes.Count(head, []byte{'\r'}) > 1
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
