package parse

import "unsafe"

// rawTextChunk is the usual size of a rawText chunk: a few dozen lines.
// Events that go on to the merge pin their chunk until the analysis is done
// with them; with 32 KiB chunks that held enough memory at 4 GB to keep the
// collector running near the memory limit (fresh index 64.5 s instead of
// 54.1 s; 8 KiB: 52.7 s). It is one of Go's size classes, 9472 bytes, six
// to a 56 KiB span: an 8 KiB chunk is the only object of its span, and
// each new one took a span from the runtime's central lists (about 4% of
// a fresh index's CPU profile at 1 GB; 9472 against 8192: 1.5% less CPU,
// nine interleaved runs each).
const rawTextChunk = 9472

// rawText holds the text of an input's lines (events' Raw, and the
// messages and field values decoders cut from it) in chunks rather than
// one allocation per line. A record's lines are placed one after another,
// joined by '\n', so that a multi-line record's Raw (and a message that
// runs to its end) is a run of the chunk rather than a copy of its lines.
//
// Bytes once handed out are never written again: strings cut from a chunk
// are as immutable as any, and a decoder may keep substrings of a line
// past the line (a binlog's "# at N" position names the next record).
// When a chunk is full, a record still open is copied to the next one;
// what was cut from its old place stays valid. As with the events' slab
// (slab.go), consumers copy what they keep: an event kept whole pins its
// chunk. A rawText belongs to one decoder (one goroutine).
type rawText struct {
	buf   []byte
	chunk int // chunk size; 0: rawTextChunk
}

// put copies line into the arena and returns it as a string with its
// offset in buf. With grow, the line continues the record at
// buf[*start:*end]: it is placed after a '\n' that follows the record,
// which moves (with *start and *end) to a new chunk when this one has no
// room. The caller sets *end when the line joins the record.
func (t *rawText) put(line []byte, grow bool, start, end *int) (string, int) {
	need := len(line)
	if grow {
		need++
	}
	if cap(t.buf)-len(t.buf) < need || grow && *end != len(t.buf) {
		keep := 0
		if grow {
			keep = *end - *start
		}
		size := t.chunk
		if size == 0 {
			size = rawTextChunk
		}
		size = max(size, 2*(keep+need))
		buf := make([]byte, 0, size)
		if grow {
			buf = append(buf, t.buf[*start:*end]...)
			*start, *end = 0, keep
		}
		t.buf = buf
	}
	if grow {
		t.buf = append(t.buf, '\n')
	}
	at := len(t.buf)
	t.buf = append(t.buf, line...)
	return t.str(at, len(t.buf)), at
}

// str returns buf[i:j] (i < j, bytes already handed out) as a string.
func (t *rawText) str(i, j int) string {
	return unsafe.String(&t.buf[i], j-i)
}

// endsAt reports whether s (not empty) ends right before buf[at]: then
// s lies in the chunk, and s and the bytes from at on are one run.
func (t *rawText) endsAt(s string, at int) bool {
	return at > 0 && at < len(t.buf) &&
		uintptr(unsafe.Pointer(unsafe.StringData(s)))+uintptr(len(s)) == uintptr(unsafe.Pointer(&t.buf[at]))
}
