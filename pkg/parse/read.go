package parse

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"

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
}

// ReadInput reads one input stream to its end, calling emit for each event
// in file order (unparsed lines included, right after their predecessor).
// emit owns the event it is given. The returned Stats account for every
// line. An error is returned only for a read failure; what was read up to
// it is emitted and counted, and Stats.Skipped says why reading stopped.
func ReadInput(r io.Reader, spec Spec, emit func(*event.Event)) (Stats, error) {
	st := Stats{Path: spec.Path, Source: spec.Source}
	loc := spec.Loc
	if loc == nil {
		loc = time.UTC
	}
	cr := &countingReader{r: r}
	br := bufio.NewReaderSize(cr, sampleBytes)
	head, herr := br.Peek(sampleBytes)
	if herr != nil && herr != io.EOF && !errors.Is(herr, bufio.ErrBufferFull) {
		st.Skipped = fmt.Sprintf("read: %v", herr)
		st.Timezone = zoneName(loc)
		return st, fmt.Errorf("read %s: %w", spec.Path, herr)
	}
	if enc, dec := textEncoding(head); dec != nil {
		st.Encoding = enc
		br = bufio.NewReaderSize(transform.NewReader(br, dec), sampleBytes)
		head, _ = br.Peek(sampleBytes)
	} else if bytes.HasPrefix(head, utf8BOM) {
		br.Discard(len(utf8BOM))
		head = head[len(utf8BOM):]
	}
	if why := binaryReason(head); why != "" {
		n, _ := io.Copy(io.Discard, br)
		st.Bytes = cr.n
		st.Skipped = why
		st.Timezone = zoneName(loc)
		_ = n
		return st, nil
	}
	ctx := &Context{Loc: loc, ModTime: spec.ModTime}
	f := spec.Format
	if f == nil {
		d := Detect(sampleLinesOf(head, herr == io.EOF), ctx)
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
	dec := newDecoder(f, ctx, spec.Source, spec.Path, &st, emit)
	var lineNo int64
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
	return st, rerr
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// textEncoding recognizes UTF-16 by its byte-order mark, or by the NUL
// pattern of ASCII text in UTF-16 without one, and returns a decoder.
func textEncoding(head []byte) (string, transform.Transformer) {
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return "utf-16le", unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return "utf-16be", unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()
	}
	return "", nil
}

// binaryReason says why a file is not text, or "" when it is: a known
// binary magic number, or a head where NUL and other control bytes are
// common. A few NULs inside lines do not make a log binary.
func binaryReason(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("\x7fELF")):
		return "binary file (ELF executable)"
	case bytes.HasPrefix(head, []byte("\x89PNG")):
		return "binary file (PNG image)"
	case bytes.HasPrefix(head, []byte("%PDF")):
		return "binary file (PDF)"
	}
	if len(head) == 0 {
		return ""
	}
	ctl := 0
	for _, c := range head {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != 0x1b && c != '\f' && c != '\b' {
			ctl++
		}
	}
	if ctl*10 > len(head) { // more than 10% control bytes
		return fmt.Sprintf("binary data (%d of the first %d bytes are control bytes)", ctl, len(head))
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
