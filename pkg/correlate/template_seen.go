package correlate

import (
	"hash/maphash"
	"unsafe"
)

// tmplSeen is a Miner's exact-message cache: for a message of at most
// tmplMaskedMax bytes seen before, the template its masked line got from the
// miner's line cache (Miner.cache); it is reset when that cache is cleared.
// Masking is a function of the message and a cached line keeps its
// template until the cache is cleared, so an entry's template is what
// masking and the line cache would give, without either.
//
// It is an open-addressed table (linear probing) keyed by a hash of the
// message, with the full message compared on a hash match: one probe into
// compact slots instead of two map lookups hashing and comparing the message
// and then its masked line. It holds at most tmplCacheSize messages and is
// cleared when full; the messages' text lives in chunks dropped on clear.
type tmplSeen struct {
	seed  maphash.Seed
	slots []tmplSeenSlot // len tmplSeenSlots; empty: t == nil
	n     int            // used slots
	text  []byte         // the current chunk of message text
}

// tmplSeenSlot is one message's entry in a tmplSeen.
type tmplSeenSlot struct {
	hash uint64
	msg  string    // a view of a chunk of tmplSeen.text
	t    *Template // the template cached for the message's masked line
}

// tmplSeenSlots: the size of a tmplSeen's table, a power of two at least
// twice tmplCacheSize, so probes stay short.
const tmplSeenSlots = 2 * tmplCacheSize

// find returns the slot of message (hash h): its entry, or the empty slot
// where it goes.
func (s *tmplSeen) find(h uint64, message string) *tmplSeenSlot {
	for i := h; ; i++ {
		e := &s.slots[i&(tmplSeenSlots-1)]
		if e.t == nil || e.hash == h && e.msg == message {
			return e
		}
	}
}

// hash returns message's hash, setting s up on first use.
func (s *tmplSeen) hash(message string) uint64 {
	if s.slots == nil {
		s.seed = maphash.MakeSeed()
		s.slots = make([]tmplSeenSlot, tmplSeenSlots)
	}
	return maphash.String(s.seed, message)
}

// put notes that message (hash h) has template t from the line cache.
func (s *tmplSeen) put(h uint64, message string, t *Template) {
	e := s.find(h, message)
	if e.t == nil {
		if s.n >= tmplCacheSize {
			s.reset()
			e = s.find(h, message)
		}
		if cap(s.text)-len(s.text) < len(message) {
			s.text = make([]byte, 0, max(tmplMaskedChunk, len(message)))
		}
		at := len(s.text)
		s.text = append(s.text, message...)
		e.hash, e.msg = h, unsafe.String(unsafe.SliceData(s.text[at:]), len(message))
		s.n++
	}
	e.t = t
}

// reset empties s, as when full or when the line cache is cleared.
func (s *tmplSeen) reset() {
	clear(s.slots)
	s.n, s.text = 0, nil
}
