package index

import (
	"encoding/binary"
	"errors"
	"math"
	"math/bits"

	"github.com/cespare/xxhash/v2"
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
}

func newSketch() *sketch {
	return &sketch{log: sketchMaxLog, bits: make([]uint64, (1<<sketchMaxLog)/64)}
}

func (s *sketch) reset() {
	clear(s.bits)
	s.ones = 0
	s.ranges = [8]numRange{}
}

// full reports whether more keys would push the filter past maxFill.
func (s *sketch) full() bool { return float64(s.ones) >= maxFill*float64(len(s.bits)*64) }

// key hashes a value of a field. The field is mixed in after hashing the
// value, so a term costs one pass over its bytes.
func key(field uint64, value []byte) uint64 {
	return mix(xxhash.Sum64(value) ^ field)
}

func keyString(field uint64, value string) uint64 {
	return mix(xxhash.Sum64String(value) ^ field)
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
func fieldTag(name string) uint64 { return xxhash.Sum64String(name) * 0x9E3779B97F4A7C15 }

var tagMessage = fieldTag(fMessage)

func (s *sketch) add(h uint64) {
	h1, h2 := uint32(h), uint32(h>>32)|1
	mask := uint32(1)<<s.log - 1
	for i := uint32(0); i < sketchProbes; i++ {
		p := (h1 + i*h2) & mask
		w, b := p>>6, uint64(1)<<(p&63)
		if s.bits[w]&b == 0 {
			s.bits[w] |= b
			s.ones++
		}
	}
}

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
// smallest size that stays under maxFill (at least 64 bits).
func (s *sketch) appendFolded(b []byte) []byte {
	words := append([]uint64(nil), s.bits...)
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
