package correlate

import (
	"hash/maphash"
	"strings"
	"sync/atomic"
)

// hitCache remembers which literals occur in texts the classifier scanned,
// for texts that come back verbatim: the stack trace below an exception's
// message (a service logs the same few traces thousands of times; see
// Classifier.split). A text found in the cache costs a hash and one compare
// instead of the gram gate and a walk through the automaton. (Whole lines
// that repeat, such as a broker's "Connection to node 2 ... could not be
// established", were cached too at first: most lines that pass the gate do
// not repeat, and their hashes cost more than the repeats saved.)
//
// It is a fixed table of hitCacheSlots entries, each holding a copy of
// its text (at most windowHead bytes) and the text's hits; an entry is
// replaced by the next text whose hash picks its slot. A text is stored
// only the second time it is offered with its hash in the seen table, so
// texts that never repeat cost no allocation. Entries are immutable once
// stored and reached through atomic pointers: the cache is shared, without
// locks, by every goroutine using the Classifier, and what it returns is
// always what a scan of the text would find (the stored text is compared in
// full), so it changes the cost of classifying, never the result.
type hitCache struct {
	seed  maphash.Seed
	slots [hitCacheSlots]atomic.Pointer[hitEntry]
	seen  [hitSeenSlots]atomic.Uint64 // hashes of texts offered lately
}

// hitEntry is a text and the literals that occur in it.
type hitEntry struct {
	text string
	hits bitset
}

const (
	hitCacheSlots = 256
	hitSeenSlots  = 1024
	// hitCacheMin is the shortest rest of a head that split looks up: a
	// shorter one is scanned for little more than the hash costs.
	hitCacheMin = 64
)

func newHitCache() *hitCache { return &hitCache{seed: maphash.MakeSeed()} }

// hash is the hash of s that get and put take.
func (h *hitCache) hash(s string) uint64 { return maphash.String(h.seed, s) }

// get returns the entry of s, whose hash is hs, or nil.
func (h *hitCache) get(s string, hs uint64) *hitEntry {
	if e := h.slots[hs%hitCacheSlots].Load(); e != nil && e.text == s {
		return e
	}
	return nil
}

// put offers the hits of s, whose hash is hs: they are stored when hs was
// offered last in its seen slot, else hs is noted there.
func (h *hitCache) put(s string, hs uint64, hits *bitset) {
	seen := &h.seen[(hs>>32)%hitSeenSlots]
	if seen.Load() != hs {
		seen.Store(hs)
		return
	}
	h.slots[hs%hitCacheSlots].Store(&hitEntry{text: strings.Clone(s), hits: *hits})
}

// fill adds to hits the literals of lits that occur in s, whose hash is
// hs and which the cache did not have (get), and offers them to the cache.
func (h *hitCache) fill(lits *litScanner, s string, hs uint64, hits *bitset) {
	var own bitset
	lits.scan(s, &own)
	hits.or(&own)
	h.put(s, hs, &own)
}
