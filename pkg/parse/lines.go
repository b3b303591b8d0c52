package parse

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// DefaultMaxLine is the longest line kept whole. Longer lines are cut to it
// (the rest is read and counted, not kept) and flagged, never fatal.
const DefaultMaxLine = 1 << 20

// lineReader splits a stream into physical lines without copying: a line
// returned by next is valid until the following call. It accepts "\n",
// "\r\n" and, in files that use them throughout, lone "\r" terminators.
type lineReader struct {
	r      *bufio.Reader
	ahead  []byte // what r had buffered after the last line it read, less the lines cut from it since
	taken  int    // bytes cut from ahead, to discard from r before reading it again
	long   []byte // a line longer than the buffer, assembled
	off    int64  // offset of the next line
	max    int
	crOnly bool // lone CR terminates lines (old Mac files)
}

func newLineReader(r *bufio.Reader, maxLine int) *lineReader {
	if maxLine <= 0 {
		maxLine = DefaultMaxLine
	}
	return &lineReader{r: r, max: maxLine}
}

// next returns the next line without its terminator, the byte offset where
// it starts, and whether it was cut at the maximum length. It returns io.EOF
// after the last line; a final line without terminator is still returned.
//
// Most lines are cut from the bytes the reader has buffered, without a
// call into it (ReadSlice's own work, around the search for the line's
// end, was 1.5% of an analysis): its buffer does not move until it is
// read again, which only the slow path does, after it has discarded the
// lines cut so far. Lines come out as with a ReadSlice each
// (FuzzLineReader).
func (lr *lineReader) next() (line []byte, off int64, cut bool, err error) {
	delim := byte('\n')
	if lr.crOnly {
		delim = '\r'
	}
	off = lr.off
	if i := bytes.IndexByte(lr.ahead, delim); i >= 0 {
		chunk := lr.ahead[:i+1]
		lr.ahead = lr.ahead[i+1:]
		lr.taken += i + 1
		lr.off += int64(i + 1)
		line = trimEOL(chunk)
		if len(line) > lr.max {
			line, cut = line[:lr.max], true
		}
		return line, off, cut, nil
	}
	if lr.taken > 0 {
		lr.r.Discard(lr.taken) // buffered: no read, no error
		lr.taken = 0
	}
	lr.ahead = nil
	lr.long = lr.long[:0]
	for {
		chunk, rerr := lr.r.ReadSlice(delim)
		lr.off += int64(len(chunk))
		switch {
		case rerr == nil || (rerr == io.EOF && len(chunk) > 0):
			if len(lr.long) > 0 || cut {
				lr.long, cut = appendCapped(lr.long, chunk, lr.max, cut)
				chunk = lr.long
			}
			line = trimEOL(chunk)
			if len(line) > lr.max { // a line shorter than the buffer but over a small maximum
				line, cut = line[:lr.max], true
			}
			if rerr == nil {
				lr.ahead, _ = lr.r.Peek(lr.r.Buffered()) // no more than buffered: does not read
			}
			return line, off, cut, nil
		case errors.Is(rerr, bufio.ErrBufferFull):
			lr.long, cut = appendCapped(lr.long, chunk, lr.max, cut)
		case rerr == io.EOF:
			if len(lr.long) > 0 || cut {
				return trimEOL(lr.long), off, cut, nil
			}
			return nil, off, false, io.EOF
		default:
			return nil, off, cut, rerr
		}
	}
}

func appendCapped(dst, src []byte, max int, cut bool) ([]byte, bool) {
	if room := max - len(dst); room < len(src) {
		if room > 0 {
			dst = append(dst, src[:room]...)
		}
		return dst, true
	}
	return append(dst, src...), cut
}

func trimEOL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return b
}

// isBlank reports whether a line holds nothing but spaces and tabs.
func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}
