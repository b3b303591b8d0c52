package parse

import "unsafe"

// textArenaChunk is the size of a textArena's chunks: a few hundred access
// lines' messages.
const textArenaChunk = 8 << 10

// textArena builds short strings (an access line's message: request line,
// space, status) in chunks rather than one allocation each. Bytes once
// handed out are never written again, so the strings are as immutable as
// any; a chunk is freed when no string cut from it is referenced. As with
// the events' slab (slab.go), consumers copy what they keep: an event kept
// whole would pin its chunk. An arena belongs to one decoder (one
// goroutine).
type textArena struct {
	buf []byte
}

// join returns a + " " + b.
func (t *textArena) join(a, b string) string {
	n := len(a) + 1 + len(b)
	if n > textArenaChunk/8 { // a long one is allocated alone
		return a + " " + b
	}
	if cap(t.buf)-len(t.buf) < n {
		t.buf = make([]byte, 0, textArenaChunk)
	}
	start := len(t.buf)
	t.buf = append(t.buf, a...)
	t.buf = append(t.buf, ' ')
	t.buf = append(t.buf, b...)
	return unsafe.String(&t.buf[start], n)
}
