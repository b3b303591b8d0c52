package index

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"time"
	"unsafe"

	"github.com/golang/snappy"
	"github.com/rca-dev/rca/pkg/event"
)

// A data file holds, for one input, the sketch of each block and the
// events of each notable block (snappy-compressed), appended as blocks are
// finished. Offsets into it are in the state. Notable events are kept
// because search shows them: the message (its first maxIndexedText bytes,
// like search covers), the raw lines (as much), the time, level, kind,
// source, format, fields and position; nothing that search does not show.

type dataWriter struct {
	f   *os.File
	w   *bufio.Writer
	off int64
}

// openData opens a data file for appending from its current end.
func openData(path string) (*dataWriter, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("index data: %w", err)
	}
	off, err := f.Seek(0, 2)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("index data: %w", err)
	}
	return &dataWriter{f: f, w: bufio.NewWriterSize(f, 256<<10), off: off}, nil
}

func (d *dataWriter) write(b []byte) (int64, error) {
	off := d.off
	n, err := d.w.Write(b)
	d.off += int64(n)
	return off, err
}

// close flushes and syncs the file.
func (d *dataWriter) close() error {
	err := d.w.Flush()
	if serr := d.f.Sync(); err == nil {
		err = serr
	}
	if cerr := d.f.Close(); err == nil {
		err = cerr
	}
	return err
}

func readAt(f *os.File, off int64, n int) ([]byte, error) {
	b := make([]byte, n)
	if _, err := f.ReadAt(b, off); err != nil {
		return nil, fmt.Errorf("index data %s: %w (rebuild it with rca index --rebuild)", f.Name(), err)
	}
	return b, nil
}

// appendEvent encodes a notable event (its file is the data file's). Its
// message and field values that are part of its raw text (most decoders
// cut them from the line, and a trace's lines join the message where they
// lie) are stored as their place in the raw text (appendText).
func appendEvent(b []byte, ev *event.Event) []byte {
	var flags byte
	if ev.Zoned {
		flags |= 1
	}
	if ev.Unparsed {
		flags |= 2
	}
	raw := indexedText(ev.Raw)
	b = append(b, flags, byte(ev.Precision))
	var ns int64
	if !ev.Time.IsZero() {
		ns = ev.Time.UnixNano()
	}
	b = binary.AppendVarint(b, ns)
	b = binary.AppendVarint(b, ev.Line)
	b = binary.AppendVarint(b, ev.Offset)
	b = binary.AppendUvarint(b, uint64(ev.Lines))
	for _, s := range [...]string{string(ev.Level), ev.Kind, ev.Source, ev.Format, raw} {
		b = appendString(b, s)
	}
	b = appendText(b, indexedText(ev.Message), raw)
	b = binary.AppendUvarint(b, uint64(len(ev.Fields)))
	for _, f := range ev.Fields {
		b = appendString(b, f.Key)
		b = appendText(b, f.Value, raw)
	}
	return b
}

// appendText appends s, which the event whose raw text is raw holds: its
// length times two, plus one when its bytes are some of raw's; then the
// place in raw where they start, or else its bytes.
func appendText(b []byte, s, raw string) []byte {
	if at, ok := within(s, raw); ok {
		b = binary.AppendUvarint(b, uint64(len(s))<<1|1)
		return binary.AppendUvarint(b, uint64(at))
	}
	return append(binary.AppendUvarint(b, uint64(len(s))<<1), s...)
}

// within reports where s lies in in, when its bytes are some of in's.
func within(s, in string) (int, bool) {
	if len(s) == 0 {
		return 0, false
	}
	p, q := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(in)))
	if p < q || p+uintptr(len(s)) > q+uintptr(len(in)) {
		return 0, false
	}
	return int(p - q), true
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

var errEvents = errors.New("index: damaged event chunk")

type decoder struct {
	b   []byte
	err bool
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err, d.b = true, nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err, d.b = true, nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) byte() byte {
	if len(d.b) == 0 {
		d.err = true
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) string() string { return d.bytes(d.uvarint()) }

// bytes reads n bytes as a string.
func (d *decoder) bytes(n uint64) string {
	if n > uint64(len(d.b)) {
		d.err, d.b = true, nil
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

// text reads what appendText wrote for an event whose raw text is raw.
func (d *decoder) text(raw string) string {
	n := d.uvarint()
	if n&1 == 0 {
		return d.bytes(n >> 1)
	}
	at := d.uvarint()
	if n >>= 1; at > uint64(len(raw)) || n > uint64(len(raw))-at {
		d.err, d.b = true, nil
		return ""
	}
	return raw[at : at+n]
}

// encodeChunk compresses the encoded events of a notable block, into dst
// when it is large enough.
func encodeChunk(dst, raw []byte) []byte { return snappy.Encode(dst[:cap(dst)], raw) }

// decodeChunk returns the events of a notable block of file.
func decodeChunk(data []byte, file string) ([]*event.Event, error) {
	raw, err := snappy.Decode(nil, data)
	if err != nil {
		return nil, errEvents
	}
	d := &decoder{b: raw}
	var evs []*event.Event
	for len(d.b) > 0 && !d.err {
		ev := &event.Event{File: file}
		flags := d.byte()
		ev.Zoned, ev.Unparsed = flags&1 != 0, flags&2 != 0
		ev.Precision = int(d.byte())
		if ns := d.varint(); ns != 0 {
			ev.Time = time.Unix(0, ns).UTC()
		}
		ev.Line = d.varint()
		ev.Offset = d.varint()
		ev.Lines = int(d.uvarint())
		ev.Level = event.Level(d.string())
		ev.Kind = d.string()
		ev.Source = d.string()
		ev.Format = d.string()
		ev.Raw = d.string()
		ev.Message = d.text(ev.Raw)
		n := d.uvarint()
		if n > uint64(len(d.b)) {
			return nil, errEvents
		}
		if n > 0 {
			ev.Fields = make([]event.Field, n)
			for i := range ev.Fields {
				ev.Fields[i].Key = d.string()
				ev.Fields[i].Value = d.text(ev.Raw)
			}
		}
		evs = append(evs, ev)
	}
	if d.err {
		return nil, errEvents
	}
	return evs, nil
}

// digest identifies an event as read: a re-read that yields the same
// digests over a block read the same events (the same lines, times and
// what was made of them; the raw text is not hashed again). Blocks sum their events'
// digests.
func digest(ev *event.Event) uint64 {
	h, _ := digestHead(ev)
	for _, f := range ev.Fields { // values only: a decoder names its fields the same way
		h = valueHash(h, f.Value)
	}
	return digestEnd(h, ev)
}

// digestHead is digest before the fields' values (its line, time and
// physical lines, level, kind, source, format and message): each value
// then goes in as h = valueHash(h, value), in field order, and digestEnd
// finishes. ascii reports whether the message has no byte of 0x80 or
// more (isASCII), seen as it is hashed.
func digestHead(ev *event.Event) (h uint64, ascii bool) {
	return digestFrom(ev, coreHash(ev))
}

// coreHash is the part of an event's digest that its level, kind, source
// and format make: the same for most events of a block, so that a block
// builder makes it when they change (blockBuilder.core).
func coreHash(ev *event.Event) uint64 {
	h := uint64(0x452821E638D01377)
	for _, s := range [...]string{string(ev.Level), ev.Kind, ev.Source, ev.Format} {
		h = valueHash(h, s)
	}
	return h
}

// digestFrom is digestHead given the event's coreHash.
func digestFrom(ev *event.Event, core uint64) (h uint64, ascii bool) {
	h = mix(uint64(ev.Line)*0x9E3779B97F4A7C15 ^ uint64(ev.Time.UnixNano()))
	h = mix(h ^ uint64(ev.Lines))
	return valueHashASCII(h^core, ev.Message)
}

// digestEnd is digest given h, digestHead with the fields' values added.
func digestEnd(h uint64, ev *event.Event) uint64 {
	if ev.Unparsed {
		h = mix(h ^ 1)
	}
	return h
}
