// Package inflate decompresses a gzip stream (RFC 1952: one or more
// members of DEFLATE data, RFC 1951) and tells, at any read position, where
// decompression could start again without reading the stream from its
// start: the DEFLATE block boundary at or before that position, with the
// 32 KiB of output before the boundary that back-references may reach
// (the idea of zlib's examples/zran.c). Resume opens the stream there.
//
// rca lists a .tar.gz once with a Reader, taking a Point at each large
// member's data, and then reads each member from its point: one pass over
// the archive for the listing and one in all for the reading, instead of
// one from the archive's start for every member. Neither the standard
// library's decompressor nor klauspost/compress exposes its state, and
// the Go modules that index gzip streams are not served here. Reading is
// about 1.5 times as fast as klauspost/compress's gzip reader on log text
// (BenchmarkInflate), which FuzzReader holds it to, content and errors.
package inflate

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

const (
	histSize = 1 << 15 // how far back a DEFLATE distance reaches
	maxMatch = 258
	inSize   = 32 << 10
)

// outSize is the decoded bytes a Reader holds beyond its history before it
// slides them out (a variable for tests, which make slides frequent). A
// run opens all its inputs at once, so each Reader stays small: with
// 1 MiB instead, reading was no faster (BenchmarkInflate).
var outSize = 64 << 10

// ErrHeader is returned for a stream that is not gzip.
var ErrHeader = errors.New("gzip: invalid header")

// ErrChecksum is returned when a gzip member's CRC-32 or size does not
// match its content.
var ErrChecksum = errors.New("gzip: invalid checksum")

// A CorruptError is invalid DEFLATE data at a bit offset of the stream.
type CorruptError struct {
	Bit    int64
	Reason string
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("flate: corrupt input before offset %d: %s", (e.Bit+7)/8, e.Reason)
}

// Reader states.
const (
	stHeader  = iota // a gzip member header (or the end of the stream)
	stBlock          // a block header
	stHuffman        // inside a Huffman-coded block
	stStored         // inside a stored block
	stTrailer        // a member's CRC-32 and size
)

// Reader decompresses a gzip stream; see the package comment.
type Reader struct {
	src    io.Reader
	in     []byte // input not yet taken into bits is in[ip:]
	ip     int
	inOff  int64 // stream offset of in[0]
	srcErr error // how src ended (io.EOF or its error), once it has

	bits uint64 // the next nb bits of the stream, first bit lowest; the
	nb   uint   // top pad of them lie past the stream's end (zeros)
	pad  uint

	out    []byte // history, then output: out[rpos:wpos] is unread
	wpos   int
	rpos   int
	crcPos int   // out[:crcPos] of this member is in crc
	floor  int   // out[floor:] belongs to the current gzip member
	outOff int64 // content offset of out[0]

	state  int
	final  bool // the block being read is the member's last
	stored int  // bytes left of a stored block
	lit    *table
	dist   *table
	dyn    [2]table // the current dynamic block's codes
	cl     table

	raw       bool   // raw DEFLATE data: one member, no header nor trailer
	member    int    // index of the current gzip member
	memberOut int64  // content offset where it starts
	crc       uint32 // of its content so far
	block     Point  // where the block being read out starts (Window unset)
	blockWin  []byte // its window, once slid out of out (saved)
	saved     bool
	err       error
}

// NewReader reads the gzip stream src. It fails when src does not start
// with a gzip header.
func NewReader(src io.Reader) (*Reader, error) {
	z := newReader(src)
	z.readHeader()
	if z.err != nil {
		return nil, z.err
	}
	return z, nil
}

// NewRawReader reads raw DEFLATE data (as a zip member holds it, with no
// gzip header, trailer or checksum): Read returns io.EOF after its last
// block.
func NewRawReader(src io.Reader) *Reader {
	z := newReader(src)
	z.raw, z.member, z.state = true, 0, stBlock
	z.block.Member, z.block.raw = 0, true
	return z
}

func newReader(src io.Reader) *Reader {
	return &Reader{src: src, in: make([]byte, 0, inSize), out: make([]byte, histSize+outSize), member: -1}
}

// Offset is the content offset of the next byte Read returns.
func (z *Reader) Offset() int64 { return z.outOff + int64(z.rpos) }

// A Point is a place in a gzip stream where decompression can start again:
// a DEFLATE block boundary of a member, with the member's last bytes of
// content before it.
type Point struct {
	Out    int64  // the boundary's offset in the content
	Bit    int64  // the block header's offset in the compressed stream, in bits
	Member int    // the gzip member, counted from 0
	Window []byte // up to 32 KiB of the member's content before Out

	memberOut int64  // the content offset where the member starts
	crc       uint32 // the CRC-32 of the member's content before Out
	raw       bool   // of raw DEFLATE data (NewRawReader)
}

// Point returns the last block boundary at or before Offset. The window
// is a copy (32 KiB at most).
func (z *Reader) Point() Point {
	p := z.block
	if z.saved {
		p.Window = append([]byte(nil), z.blockWin...)
		return p
	}
	end := int(p.Out - z.outOff)
	p.Window = append([]byte(nil), z.out[max(z.floor, end-histSize):end]...)
	return p
}

// Read reads decompressed content. It returns io.EOF after the last gzip
// member, once the stream ends.
func (z *Reader) Read(p []byte) (int, error) {
	for z.rpos == z.wpos {
		if z.err != nil {
			return 0, z.err
		}
		z.fill()
	}
	n := copy(p, z.out[z.rpos:z.wpos])
	z.rpos += n
	return n, nil
}

// bitPos is the compressed stream's offset, in bits, of the next bit.
func (z *Reader) bitPos() int64 { return (z.inOff+int64(z.ip))*8 - int64(z.nb-z.pad) }

func (z *Reader) corrupt(reason string) {
	z.err = &CorruptError{Bit: z.bitPos(), Reason: reason}
}

// fill decodes until there is content to read (ending at a block's end or
// when the buffer is full, so that all unread content lies in one block)
// or the stream ends.
func (z *Reader) fill() {
	for z.err == nil {
		if len(z.out)-z.wpos <= maxMatch+8 {
			if z.wpos > z.rpos {
				break
			}
			z.slide()
		}
		switch z.state {
		case stHeader:
			z.readHeader()
		case stBlock:
			if z.wpos > z.rpos {
				z.sum()
				return
			}
			z.readBlockHeader()
		case stStored:
			z.copyStored()
		case stHuffman:
			z.huffman()
		case stTrailer:
			z.readTrailer()
		}
	}
	z.sum()
}

// sum adds the content decoded since the last call to the member's CRC-32.
func (z *Reader) sum() {
	if z.crcPos < z.wpos {
		z.crc = crc32.Update(z.crc, crc32.IEEETable, z.out[z.crcPos:z.wpos])
		z.crcPos = z.wpos
	}
}

// slide drops the content before the history the decoder and Point still
// need. Everything decoded has been read (rpos == wpos).
func (z *Reader) slide() {
	z.sum()
	from := z.wpos - histSize
	if b := int(z.block.Out-z.outOff) - histSize; !z.saved && b < from {
		if z.wpos-b <= len(z.out)/2 {
			from = b // keep the block's window in place
		} else {
			start := int(z.block.Out - z.outOff)
			win := z.out[max(z.floor, start-histSize):start]
			z.blockWin, z.saved = append(z.blockWin[:0], win...), true
		}
	}
	from = max(from, 0)
	copy(z.out, z.out[from:z.wpos])
	z.wpos -= from
	z.rpos -= from
	z.crcPos -= from
	z.floor = max(z.floor-from, 0)
	z.outOff += int64(from)
}

// refill puts at least 56 bits in bits, or all that is left of the stream
// and zero bits past its end (counted in pad).
func (z *Reader) refill() {
	if z.ip+8 > len(z.in) && z.srcErr == nil {
		z.readInput()
	}
	if z.ip+8 <= len(z.in) {
		z.bits |= binary.LittleEndian.Uint64(z.in[z.ip:]) << z.nb
		k := (63 - z.nb) >> 3
		z.ip += int(k)
		z.nb += k << 3
		return
	}
	z.bits &= 1<<z.nb - 1
	for z.nb <= 56 && z.ip < len(z.in) {
		z.bits |= uint64(z.in[z.ip]) << z.nb
		z.ip++
		z.nb += 8
	}
	if z.nb <= 56 {
		k := (63 - z.nb) &^ 7
		z.pad += k
		z.nb += k
	}
}

// readInput moves the unread input to the buffer's start and reads more,
// at least 8 bytes unless src ends.
func (z *Reader) readInput() {
	k := copy(z.in[:cap(z.in)], z.in[z.ip:])
	z.inOff += int64(z.ip)
	z.ip = 0
	z.in = z.in[:k]
	for empty := 0; len(z.in) < 8 && z.srcErr == nil; {
		n, err := z.src.Read(z.in[len(z.in):cap(z.in)])
		z.in = z.in[:len(z.in)+n]
		switch {
		case err != nil:
			z.srcErr = err
		case n > 0:
			empty = 0
		default:
			if empty++; empty == 100 {
				z.srcErr = io.ErrNoProgress
			}
		}
	}
}

// need makes n bits available (n <= 56); false (with z.err set) when the
// stream ends first.
func (z *Reader) need(n uint) bool {
	if z.nb-z.pad < n {
		z.refill()
		if z.nb-z.pad < n {
			z.ended()
			return false
		}
	}
	return true
}

// ended sets the error for a stream that ends in the middle of something.
func (z *Reader) ended() {
	if z.srcErr != nil && z.srcErr != io.EOF {
		z.err = z.srcErr
	} else {
		z.err = io.ErrUnexpectedEOF
	}
}

// take consumes n available bits and returns them.
func (z *Reader) take(n uint) uint32 {
	v := uint32(z.bits & (1<<n - 1))
	z.bits >>= n
	z.nb -= n
	return v
}

// align drops the bits up to the next byte boundary.
func (z *Reader) align() {
	z.take((z.nb - z.pad) & 7)
}

// byte reads a byte at a byte boundary.
func (z *Reader) byte() (byte, bool) {
	if !z.need(8) {
		return 0, false
	}
	return byte(z.take(8)), true
}

func (z *Reader) readHeader() {
	// The stream may end cleanly where a member would begin.
	if z.nb-z.pad == 0 {
		z.refill()
		if z.nb-z.pad == 0 {
			if z.srcErr != nil && z.srcErr != io.EOF {
				z.err = z.srcErr
			} else {
				z.err = io.EOF
			}
			return
		}
	}
	var digest uint32
	next := func() (byte, bool) {
		b, ok := z.byte()
		digest = crc32.Update(digest, crc32.IEEETable, []byte{b})
		return b, ok
	}
	var h [10]byte
	for i := range h {
		b, ok := next()
		if !ok {
			return
		}
		h[i] = b
	}
	if h[0] != 0x1f || h[1] != 0x8b || h[2] != 8 {
		z.err = ErrHeader
		return
	}
	flags := h[3]
	if flags&0x04 != 0 { // FEXTRA: a length, then that many bytes
		lo, ok1 := next()
		hi, ok2 := next()
		if !ok1 || !ok2 {
			return
		}
		for range int(lo) | int(hi)<<8 {
			if _, ok := next(); !ok {
				return
			}
		}
	}
	for _, f := range []byte{0x08, 0x10} { // FNAME, FCOMMENT: zero-terminated
		if flags&f == 0 {
			continue
		}
		for i := 0; ; i++ {
			if i == 512 { // as Go's gzip readers, which read them into 512 bytes
				z.err = ErrHeader
				return
			}
			b, ok := next()
			if !ok {
				return
			}
			if b == 0 {
				break
			}
		}
	}
	if flags&0x02 != 0 { // FHCRC: the low 16 bits of the header's CRC-32
		want := uint16(digest)
		lo, ok1 := z.byte()
		hi, ok2 := z.byte()
		if !ok1 || !ok2 {
			return
		}
		if uint16(lo)|uint16(hi)<<8 != want {
			z.err = ErrHeader
			return
		}
	}
	if flags>>5 != 0 { // reserved flags
		z.err = ErrHeader
		return
	}
	z.member++
	z.memberOut = z.outOff + int64(z.wpos)
	z.floor = z.wpos
	z.crc, z.crcPos = 0, z.wpos
	z.final = false
	z.state = stBlock
	z.block, z.saved = Point{Out: z.memberOut, Bit: z.bitPos(), Member: z.member, memberOut: z.memberOut}, false
}

func (z *Reader) readTrailer() {
	z.sum()
	z.align()
	if !z.need(32) {
		return
	}
	sum := z.take(32)
	if !z.need(32) {
		return
	}
	size := z.take(32)
	if sum != z.crc || size != uint32(z.outOff+int64(z.wpos)-z.memberOut) {
		z.err = ErrChecksum
		return
	}
	z.state = stHeader
}

// readBlockHeader starts a block; it is where a Point may later resume.
func (z *Reader) readBlockHeader() {
	if z.final {
		z.state = stTrailer
		if z.raw {
			z.err = io.EOF
		}
		return
	}
	z.sum()
	z.block = Point{Out: z.outOff + int64(z.wpos), Bit: z.bitPos(), Member: z.member, memberOut: z.memberOut, crc: z.crc, raw: z.raw}
	z.saved = false
	if !z.need(3) {
		return
	}
	z.final = z.take(1) == 1
	switch z.take(2) {
	case 0:
		z.align()
		if !z.need(32) {
			return
		}
		n, nn := z.take(16), z.take(16)
		if n != ^nn&0xffff {
			z.corrupt("stored block length mismatch")
			return
		}
		z.stored = int(n)
		z.state = stStored
	case 1:
		z.lit, z.dist = fixedLit, fixedDist
		z.state = stHuffman
	case 2:
		if z.readCodes() {
			z.lit, z.dist = &z.dyn[0], &z.dyn[1]
			z.state = stHuffman
		}
	default:
		z.corrupt("invalid block type")
	}
}

// codeOrder is the order in which a dynamic block sends the code lengths
// of the code-length code.
var codeOrder = [19]int{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

// readCodes reads a dynamic block's codes (RFC 1951, 3.2.7).
func (z *Reader) readCodes() bool {
	if !z.need(14) {
		return false
	}
	nlit := int(z.take(5)) + 257
	ndist := int(z.take(5)) + 1
	nclen := int(z.take(4)) + 4
	if nlit > 286 || ndist > 30 {
		z.corrupt("too many length or distance codes")
		return false
	}
	var cl [19]uint8
	for i := range nclen {
		if !z.need(3) {
			return false
		}
		cl[codeOrder[i]] = uint8(z.take(3))
	}
	if !z.cl.build(cl[:], codeLen) {
		z.corrupt("invalid code-length code")
		return false
	}
	var lengths [286 + 30]uint8
	for i := 0; i < nlit+ndist; {
		// A code-length code is at most 7 bits and may be the stream's
		// last bits but for a few: read no more than the code takes
		// (bits past the end are zeros, counted in pad).
		if z.nb-z.pad < 7 {
			z.refill()
		}
		e := z.cl.primary[z.bits&primaryMask]
		if uint(e&31) > z.nb-z.pad {
			z.ended()
			return false
		}
		if entryKind(e) != kindLit {
			z.corrupt("invalid code length")
			return false
		}
		z.take(uint(e & 31))
		sym := e >> 16
		if sym < 16 {
			lengths[i] = uint8(sym)
			i++
			continue
		}
		var rep int
		var v uint8
		switch sym {
		case 16:
			if i == 0 {
				z.corrupt("repeat with no previous length")
				return false
			}
			if !z.need(2) {
				return false
			}
			rep, v = 3+int(z.take(2)), lengths[i-1]
		case 17:
			if !z.need(3) {
				return false
			}
			rep = 3 + int(z.take(3))
		default:
			if !z.need(7) {
				return false
			}
			rep = 11 + int(z.take(7))
		}
		if i+rep > nlit+ndist {
			z.corrupt("code lengths overflow")
			return false
		}
		for range rep {
			lengths[i] = v
			i++
		}
	}
	if !z.dyn[0].build(lengths[:nlit], litLen) || !z.dyn[1].build(lengths[nlit:nlit+ndist], distance) {
		z.corrupt("invalid Huffman code")
		return false
	}
	return true
}

// copyStored copies a stored block's bytes, as many as fit.
func (z *Reader) copyStored() {
	for z.stored > 0 && len(z.out)-z.wpos > 0 {
		if z.nb-z.pad >= 8 { // bytes already in the bit buffer (at a byte boundary)
			z.out[z.wpos] = byte(z.take(8))
			z.wpos++
			z.stored--
			continue
		}
		if z.ip == len(z.in) {
			if z.srcErr != nil {
				z.ended()
				return
			}
			z.readInput()
			continue
		}
		z.bits = 0 // it held in[ip:] beyond its nb bits, for refill
		n := copy(z.out[z.wpos:min(len(z.out), z.wpos+z.stored)], z.in[z.ip:])
		z.ip += n
		z.wpos += n
		z.stored -= n
	}
	if z.stored == 0 {
		z.state = stBlock
	}
}

// huffman decodes a Huffman-coded block until its end or until the
// buffer has no room for another match. Near the stream's end the bit
// buffer is topped up with zero bits past the end (pad); a symbol that
// reads any of them is undone and the stream reported cut short.
func (z *Reader) huffman() {
	lit, dist := z.lit, z.dist
	out := z.out
	limit := len(out) - maxMatch - 8
	wpos, floor := z.wpos, z.floor
	bits, nb, pad := z.bits, z.nb, z.pad
	in, ip := z.in, z.ip
	for wpos < limit {
		if nb < 48 {
			if ip+8 <= len(in) {
				bits |= binary.LittleEndian.Uint64(in[ip:]) << nb
				k := (63 - nb) >> 3
				ip += int(k)
				nb += k << 3
			} else {
				z.bits, z.nb, z.ip = bits, nb, ip
				z.refill()
				bits, nb, pad, in, ip = z.bits, z.nb, z.pad, z.in, z.ip
			}
		}
		e := lit.primary[bits&primaryMask]
		if entryKind(e) == kindLink {
			bits >>= primaryBits
			nb -= primaryBits
			e = lit.sub[e>>16+uint32(bits)&(1<<(e>>8&15)-1)]
		}
		n := uint(e & 31)
		bits >>= n
		nb -= n
		switch entryKind(e) {
		case kindLit:
			if nb < pad {
				goto cut
			}
			out[wpos] = byte(e >> 16)
			wpos++
			continue
		case kindBase:
		case kindEnd:
			if nb < pad {
				goto cut
			}
			z.state = stBlock
			goto done
		default:
			if nb < pad {
				goto cut
			}
			z.bits, z.nb, z.ip, z.wpos = bits, nb, ip, wpos
			z.corrupt("invalid literal/length code")
			return
		}
		{
			x := uint(e >> 8 & 15)
			length := int(e>>16) + int(bits&(1<<x-1))
			bits >>= x
			nb -= x
			e = dist.primary[bits&primaryMask]
			if entryKind(e) == kindLink {
				bits >>= primaryBits
				nb -= primaryBits
				e = dist.sub[e>>16+uint32(bits)&(1<<(e>>8&15)-1)]
			}
			n = uint(e & 31)
			bits >>= n
			nb -= n
			x = uint(e >> 8 & 15)
			d := int(e>>16) + int(bits&(1<<x-1))
			bits >>= x
			nb -= x
			if nb < pad {
				goto cut
			}
			if entryKind(e) != kindBase {
				z.bits, z.nb, z.ip, z.wpos = bits, nb, ip, wpos
				z.corrupt("invalid distance code")
				return
			}
			if d > wpos-floor {
				z.bits, z.nb, z.ip, z.wpos = bits, nb, ip, wpos
				z.corrupt("distance too far back")
				return
			}
			src := wpos - d
			if d >= length {
				copy(out[wpos:wpos+length], out[src:src+length])
				wpos += length
				continue
			}
			end := wpos + length
			for wpos < end {
				wpos += copy(out[wpos:end], out[src:wpos])
			}
		}
	}
done:
	z.bits, z.nb, z.ip, z.wpos = bits, nb, ip, wpos
	return
cut:
	z.bits, z.nb, z.ip, z.wpos = bits, nb, ip, wpos
	z.ended()
}
