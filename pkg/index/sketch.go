package index

import (
	"encoding/binary"
	"errors"
	"math"
	"math/bits"
)

// A sketch summarises the events of one block for choosing candidate
// blocks: a Bloom filter of its keys (message terms and field values, each
// tagged with its field) and the range of each numeric field. It answers
// "may a block event have this key / a value in this range?" with no false
// negatives; the events of a candidate block are then checked exactly.
//
// The filter is built at sketchMaxBits bits and, when the block is done,
// folded in halves (bit i OR bit i+m/2) while it stays under maxFill: a
// probe position taken modulo the full size and then modulo the folded
// size lands on the folded bit, so folding keeps every key.

const (
	sketchMaxLog = 17 // 2^17 bits = 16 KiB while building
	sketchProbes = 4
	// maxFill is the fraction of set bits a finished filter may have:
	// 0.3^4 is a false-positive rate under 1% per key.
	maxFill = 0.3
)

// numeric fields whose per-block range the sketch keeps; ranges on other
// fields take every block as a candidate.
var rangeFields = []string{"status", "upstream_status", "latency_ms", "bytes", fLine}

func rangeField(name string) int {
	for i, f := range rangeFields {
		if f == name {
			return i
		}
	}
	return -1
}

type numRange struct {
	Min, Max float64
	Set      bool
}

type sketch struct {
	log    uint8 // filter size is 2^log bits
	bits   []uint64
	ones   int // set bits
	ranges [8]numRange
	// recent holds keys added since the reset, by their low bits: a block's
	// lines repeat most of their words, and a key found here is skipped
	// (adding it again would change no bit), sparing its probes' cache
	// misses. Only sketches being built have it.
	recent []uint64
	// words holds message words of at most 8 bytes that sketchTerms added
	// since the reset, each as its bytes in a uint64 (a word has no zero
	// byte, so the zero-padded bytes are the word), in a table by their
	// hash: a word found here is skipped before it is even hashed. Only
	// sketches being built have it.
	words []uint64
	// prev holds the first prevMax bytes of the ASCII text sketchText
	// added last since the reset, of prevLen bytes: a block's lines often
	// start alike, and the words they share are not scanned again. Only
	// sketches being built have it (not nil).
	prev    []byte
	prevLen int
}

// prevMax is how much of a sketch's last text it keeps (sketch.prev).
const prevMax = 256

// wordsLog is the size of a sketch's table of short words: 2^wordsLog.
const wordsLog = 10

func newSketch() *sketch {
	return &sketch{log: sketchMaxLog, bits: make([]uint64, (1<<sketchMaxLog)/64), recent: make([]uint64, 1024), words: make([]uint64, 1<<wordsLog), prev: make([]byte, 0, prevMax)}
}

func (s *sketch) reset() {
	clear(s.bits)
	s.ones = 0
	s.ranges = [8]numRange{}
	clear(s.recent)
	clear(s.words)
	s.prev, s.prevLen = s.prev[:0], 0
}

// full reports whether more keys would push the filter past maxFill.
func (s *sketch) full() bool { return float64(s.ones) >= maxFill*float64(len(s.bits)*64) }

// hashOf hashes s, 8 bytes at a time, from seed; with lower it hashes s
// with A-Z folded to lower case (other bytes as they are), so that a
// message's word hashes like its lower-case term without being copied.
func hashOf[T string | []byte](seed uint64, s T, lower bool) uint64 {
	h := seed ^ uint64(len(s))*0x9E3779B97F4A7C15
	for len(s) >= 8 {
		w := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		if lower {
			w = lowerWord(w)
		}
		h = (h ^ w) * 0xbf58476d1ce4e5b9
		h ^= h >> 31
		s = s[8:]
	}
	if n := len(s); n > 0 {
		// the last 1-7 bytes as one word: overlapping loads, as wyhash
		// reads short keys (the length is in the seed)
		var w uint64
		switch {
		case n >= 4:
			lo := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24
			hi := uint64(s[n-4]) | uint64(s[n-3])<<8 | uint64(s[n-2])<<16 | uint64(s[n-1])<<24
			w = lo | hi<<32
		default:
			w = uint64(s[0]) | uint64(s[n/2])<<8 | uint64(s[n-1])<<16
		}
		if lower {
			w = lowerWord(w)
		}
		h = (h ^ w) * 0xbf58476d1ce4e5b9
		h ^= h >> 31
	}
	return mix(h)
}

// le64 is the first 8 bytes of s, little-endian (one load). valueHashASCII
// steps through a message by an index, s[i:i+8], and cuts it once after:
// cutting it at each step costs about as much as the load and the mixing
// (and more than it saves on the short strings the other hashes get).
func le64(s string) uint64 {
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// lowerWord folds the bytes A-Z of w to a-z (SWAR; no byte carries into
// the next).
func lowerWord(w uint64) uint64 {
	const ones = 0x0101010101010101
	x := w & (0x7f * ones)
	ge := x + (0x80-'A')*ones   // high bit: byte >= 'A'
	gt := x + (0x80-'Z'-1)*ones // high bit: byte > 'Z'
	m := (ge &^ gt) & (0x80 * ones) &^ w
	return w | m>>2
}

func mix(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// fieldTag is the seed of a field's keys.
func fieldTag(name string) uint64 { return hashOf(0x243F6A8885A308D3, name, false) }

var tagMessage = fieldTag(fMessage)

// termKey is the key of a message term (of a word, folded to lower case).
func termKey[T string | []byte](t T) uint64 { return hashOf(tagMessage, t, true) }

// wordKey is termKey(w) for a string: hashOf with lower set, written out
// for the words sketchTerms hashes (hashOf's lower is not a constant
// there, and a generic call passes a dictionary). TestWordKeyIsTermKey
// checks that both agree.
func wordKey(s string) uint64 {
	h := tagMessage ^ uint64(len(s))*0x9E3779B97F4A7C15
	for len(s) >= 8 {
		w := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		h = (h ^ lowerWord(w)) * 0xbf58476d1ce4e5b9
		h ^= h >> 31
		s = s[8:]
	}
	if n := len(s); n >= 4 {
		lo := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24
		hi := uint64(s[n-4]) | uint64(s[n-3])<<8 | uint64(s[n-2])<<16 | uint64(s[n-1])<<24
		h = (h ^ lowerWord(lo|hi<<32)) * 0xbf58476d1ce4e5b9
		h ^= h >> 31
	} else if n > 0 {
		h = (h ^ lowerWord(uint64(s[0])|uint64(s[n/2])<<8|uint64(s[n-1])<<16)) * 0xbf58476d1ce4e5b9
		h ^= h >> 31
	}
	return mix(h)
}

// valueHash is hashOf(seed, s, false) written out for strings, as wordKey
// is termKey: field values are hashed for every event (their keys and the
// event's digest), most of them a few bytes long. TestValueHashIsHashOf
// checks that both agree. Its last 1-7 bytes make one word, and
// valueHashASCII and valueHash2 write those few lines out again: as a
// function of their own (inline cost 105, over the inliner's 80) they cost
// a fresh index 1.35% more instructions on slice3 (session 9).
func valueHash(seed uint64, s string) uint64 {
	h := seed ^ uint64(len(s))*0x9E3779B97F4A7C15
	for len(s) >= 8 {
		w := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		h = (h ^ w) * 0xbf58476d1ce4e5b9
		h ^= h >> 31
		s = s[8:]
	}
	if n := len(s); n >= 4 {
		lo := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24
		hi := uint64(s[n-4]) | uint64(s[n-3])<<8 | uint64(s[n-2])<<16 | uint64(s[n-1])<<24
		h = (h ^ (lo | hi<<32)) * 0xbf58476d1ce4e5b9
		h ^= h >> 31
	} else if n > 0 {
		h = (h ^ (uint64(s[0]) | uint64(s[n>>1])<<8 | uint64(s[n-1])<<16)) * 0xbf58476d1ce4e5b9
		h ^= h >> 31
	}
	return mix(h)
}

// valueHashASCII is valueHash(seed, s) and isASCII(s) in one pass over s:
// the bytes it hashes are all of s. TestValueHashASCII and
// FuzzValueHashASCII check it against both.
func valueHashASCII(seed uint64, s string) (uint64, bool) {
	h := seed ^ uint64(len(s))*0x9E3779B97F4A7C15
	var high uint64 // the words hashed, or-ed
	if len(s) >= 8 {
		i := 0
		for ; i <= len(s)-8; i += 8 {
			w := le64(s[i : i+8])
			high |= w
			h = (h ^ w) * 0xbf58476d1ce4e5b9
			h ^= h >> 31
		}
		s = s[i:]
	}
	if n := len(s); n > 0 {
		// the last word covers the bytes left: 4-7 of them by two loads
		// that overlap, 1-3 by their first, middle and last byte
		var w uint64
		if n >= 4 {
			lo := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24
			hi := uint64(s[n-4]) | uint64(s[n-3])<<8 | uint64(s[n-2])<<16 | uint64(s[n-1])<<24
			w = lo | hi<<32
		} else {
			w = uint64(s[0]) | uint64(s[n>>1])<<8 | uint64(s[n-1])<<16
		}
		high |= w
		h = (h ^ w) * 0xbf58476d1ce4e5b9
		h ^= h >> 31
	}
	return mix(h), high&0x8080808080808080 == 0
}

// valueHash2 is valueHash(a, s) and valueHash(b, s) in one pass over s:
// a field value new to its block goes into the event's digest and is the
// block's key. TestValueHash2 checks it against valueHash.
func valueHash2(a, b uint64, s string) (uint64, uint64) {
	n := uint64(len(s)) * 0x9E3779B97F4A7C15
	a, b = a^n, b^n
	for len(s) >= 8 {
		w := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		a = (a ^ w) * 0xbf58476d1ce4e5b9
		a ^= a >> 31
		b = (b ^ w) * 0xbf58476d1ce4e5b9
		b ^= b >> 31
		s = s[8:]
	}
	if n := len(s); n > 0 {
		var w uint64
		if n >= 4 {
			lo := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24
			hi := uint64(s[n-4]) | uint64(s[n-3])<<8 | uint64(s[n-2])<<16 | uint64(s[n-1])<<24
			w = lo | hi<<32
		} else {
			w = uint64(s[0]) | uint64(s[n>>1])<<8 | uint64(s[n-1])<<16
		}
		a = (a ^ w) * 0xbf58476d1ce4e5b9
		a ^= a >> 31
		b = (b ^ w) * 0xbf58476d1ce4e5b9
		b ^= b >> 31
	}
	return mix(a), mix(b)
}

// valueKey is the key of a field's value (case kept).
func valueKey(tag uint64, v string) uint64 { return valueHash(tag, v) }

// fieldKey is the key of a value of the named field: a term of the message
// or a field's value.
func fieldKey(field, v string) uint64 {
	if field == fMessage {
		return termKey(v)
	}
	return valueKey(fieldTag(field), v)
}

// add adds key h to a sketch being built (newSketch).
func (s *sketch) add(h uint64) {
	if n := uint64(len(s.recent)); n > 0 && h != 0 {
		slot := &s.recent[h&(n-1)]
		if *slot == h {
			return
		}
		*slot = h
	}
	// the sketchProbes probes h1 + i*h2, written out (add assumes 4), on
	// the filter at its full size (2^sketchMaxLog bits) as an array: the
	// probes are taken modulo a constant and need no bounds checks
	h1, h2 := uint32(h), uint32(h>>32)|1
	b := (*[fullWords]uint64)(s.bits)
	const mask = 1<<sketchMaxLog - 1
	s.ones += setBit(b, h1&mask) + setBit(b, (h1+h2)&mask) + setBit(b, (h1+2*h2)&mask) + setBit(b, (h1+3*h2)&mask)
}

// fullWords is the size in words of a sketch's filter while it is built.
const fullWords = 1 << (sketchMaxLog - 6)

// setBit sets bit p of a filter being built and returns 1 when it was
// clear.
func setBit(b *[fullWords]uint64, p uint32) int {
	old := b[p>>6]
	b[p>>6] = old | 1<<(p&63)
	return int(^(old >> (p & 63)) & 1)
}

// add writes out sketchProbes' probes: this fails to compile unless
// there are 4.
var _ = [1]struct{}{}[sketchProbes-4]

func (s *sketch) has(h uint64) bool {
	h1, h2 := uint32(h), uint32(h>>32)|1
	mask := uint32(1)<<s.log - 1
	for i := uint32(0); i < sketchProbes; i++ {
		p := (h1 + i*h2) & mask
		if s.bits[p>>6]&(uint64(1)<<(p&63)) == 0 {
			return false
		}
	}
	return true
}

func (s *sketch) addRange(f int, v float64) {
	r := &s.ranges[f]
	if !r.Set {
		*r = numRange{v, v, true}
		return
	}
	r.Min, r.Max = min(r.Min, v), max(r.Max, v)
}

// mayRange reports whether a value of field f in the block may lie in
// [lo, hi] (each bound inclusive or not). Fields without a kept range may.
func (s *sketch) mayRange(f int, lo, hi float64, loIncl, hiIncl bool) bool {
	if f < 0 {
		return true
	}
	r := s.ranges[f]
	if !r.Set {
		return false
	}
	if r.Max < lo || (r.Max == lo && !loIncl) {
		return false
	}
	if r.Min > hi || (r.Min == hi && !hiIncl) {
		return false
	}
	return true
}

// appendFolded appends the finished sketch, its filter folded to the
// smallest size that stays under maxFill (at least 64 bits). It folds the
// filter in place: reset the sketch before adding to it again.
func (s *sketch) appendFolded(b []byte) []byte {
	words := s.bits // folded in place: the sketch is reset after
	log := s.log
	for log > 6 {
		h := len(words) / 2
		ones := 0
		for i := 0; i < h; i++ {
			ones += bits.OnesCount64(words[i] | words[h+i])
		}
		if float64(ones) > maxFill*float64(h*64) {
			break
		}
		for i := 0; i < h; i++ {
			words[i] |= words[h+i]
		}
		words, log = words[:h], log-1
	}
	b = append(b, log)
	var mask uint8
	for i, r := range s.ranges {
		if r.Set {
			mask |= 1 << i
		}
	}
	b = append(b, mask)
	for _, r := range s.ranges {
		if r.Set {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(r.Min))
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(r.Max))
		}
	}
	for _, w := range words {
		b = binary.LittleEndian.AppendUint64(b, w)
	}
	return b
}

var errSketch = errors.New("index: damaged block sketch")

// readSketch decodes a sketch written by appendFolded.
func readSketch(b []byte) (*sketch, error) {
	if len(b) < 2 || b[0] < 6 || b[0] > sketchMaxLog {
		return nil, errSketch
	}
	s := &sketch{log: b[0]}
	mask := b[1]
	b = b[2:]
	for i := range s.ranges {
		if mask&(1<<i) == 0 {
			continue
		}
		if len(b) < 16 {
			return nil, errSketch
		}
		s.ranges[i] = numRange{math.Float64frombits(binary.LittleEndian.Uint64(b)), math.Float64frombits(binary.LittleEndian.Uint64(b[8:])), true}
		b = b[16:]
	}
	n := 1 << (s.log - 6)
	if len(b) != n*8 {
		return nil, errSketch
	}
	s.bits = make([]uint64, n)
	for i := range s.bits {
		s.bits[i] = binary.LittleEndian.Uint64(b[i*8:])
	}
	return s, nil
}
