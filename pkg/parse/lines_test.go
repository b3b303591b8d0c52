package parse

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// readSliceNext is lineReader.next as it was before its fast path: one
// ReadSlice per line. The tests compare the reader with it.
func readSliceNext(lr *lineReader) (line []byte, off int64, cut bool, err error) {
	delim := byte('\n')
	if lr.crOnly {
		delim = '\r'
	}
	off = lr.off
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
			if len(line) > lr.max {
				line, cut = line[:lr.max], true
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

// readAllLines reads r to its end with next, one string per line:
// "offset|cut|text", and the error that ended it when not io.EOF.
func readAllLines(r io.Reader, bufSize, maxLine int, crOnly bool, next func(*lineReader) ([]byte, int64, bool, error)) []string {
	lr := newLineReader(bufio.NewReaderSize(r, bufSize), maxLine)
	lr.crOnly = crOnly
	var out []string
	for {
		line, off, cut, err := next(lr)
		if err != nil {
			if err != io.EOF {
				out = append(out, "error: "+err.Error())
			}
			return out
		}
		out = append(out, fmt.Sprintf("%d|%v|%s", off, cut, line))
	}
}

func TestLineReader(t *testing.T) {
	long := strings.Repeat("x", 40)
	tests := []struct {
		name    string
		data    string
		bufSize int // 16 is bufio's least
		max     int
		crOnly  bool
		want    []string
	}{
		{"lines", "a\nbb\nccc\n", 16, 100, false, []string{"0|false|a", "2|false|bb", "5|false|ccc"}},
		{"last line unterminated", "a\nbb", 16, 100, false, []string{"0|false|a", "2|false|bb"}},
		{"crlf and empty lines", "a\r\n\r\n\nb\r\r\n", 16, 100, false, []string{"0|false|a", "3|false|", "5|false|", "6|false|b\r"}},
		{"lone cr", "a\rbb\rc", 16, 100, true, []string{"0|false|a", "2|false|bb", "5|false|c"}},
		{"lines across refills", "aaaaaaa\nbbbbbbb\nccccccc\nddddddd\n", 16, 100, false, []string{"0|false|aaaaaaa", "8|false|bbbbbbb", "16|false|ccccccc", "24|false|ddddddd"}},
		{"longer than the buffer", "a\n" + long + "\nb\n", 16, 100, false, []string{"0|false|a", "2|false|" + long, "43|false|b"}},
		{"longer than the buffer and the maximum", "a\n" + long + "\nb\n", 16, 20, false, []string{"0|false|a", "2|true|" + long[:20], "43|false|b"}},
		{"over the maximum in the buffer", "abcdefgh\nab\n", 64, 4, false, []string{"0|true|abcd", "9|false|ab"}},
		{"long last line unterminated", "a\n" + long, 16, 100, false, []string{"0|false|a", "2|false|" + long}},
		{"empty", "", 16, 100, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readAllLines(strings.NewReader(tt.data), tt.bufSize, tt.max, tt.crOnly, (*lineReader).next)
			if !slices.Equal(got, tt.want) {
				t.Errorf("lines %q, want %q", got, tt.want)
			}
			// a reader that returns a byte at a time fills the buffer in small steps
			old := readAllLines(iotest.OneByteReader(strings.NewReader(tt.data)), tt.bufSize, tt.max, tt.crOnly, readSliceNext)
			if !slices.Equal(old, tt.want) {
				t.Errorf("ReadSlice per line: %q, want %q", old, tt.want)
			}
		})
	}
}

// A read error ends the lines after those read before it, as with
// ReadSlice per line.
func TestLineReaderError(t *testing.T) {
	data := "a\nbb\nccc\ndd"
	r := func() io.Reader { return iotest.TimeoutReader(iotest.HalfReader(strings.NewReader(data))) }
	got := readAllLines(r(), 16, 100, false, (*lineReader).next)
	want := readAllLines(r(), 16, 100, false, readSliceNext)
	if !slices.Equal(got, want) || !strings.HasPrefix(got[len(got)-1], "error: ") {
		t.Errorf("lines %q, want %q ending in the error", got, want)
	}
}

// FuzzLineReader compares the reader with ReadSlice per line on any
// input, buffer size, maximum and terminator, read whole or a byte at a
// time.
func FuzzLineReader(f *testing.F) {
	f.Add([]byte("a\nbb\r\n\nccc"), uint8(0), uint8(100), false, false)
	f.Add([]byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\nb\n"), uint8(0), uint8(10), false, true)
	f.Add([]byte("a\rb\r\rc"), uint8(3), uint8(2), true, false)
	f.Fuzz(func(t *testing.T, data []byte, buf, max uint8, crOnly, oneByte bool) {
		bufSize, maxLine := 16+int(buf), 1+int(max)
		r := func() io.Reader {
			if oneByte {
				return iotest.OneByteReader(bytes.NewReader(data))
			}
			return bytes.NewReader(data)
		}
		got := readAllLines(r(), bufSize, maxLine, crOnly, (*lineReader).next)
		want := readAllLines(r(), bufSize, maxLine, crOnly, readSliceNext)
		if !slices.Equal(got, want) {
			t.Errorf("lines %q, want %q", got, want)
		}
	})
}
