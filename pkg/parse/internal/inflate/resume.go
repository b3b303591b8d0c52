package inflate

import "io"

// Resume reads a gzip stream's content from point p on, to the stream's
// end: src reads the compressed stream from byte p.Bit/8 on, and p comes
// from a Reader of the same stream (NewReader's or NewRawReader's). The
// checksums of p's member and of the members after it are checked as a
// Reader checks them.
func Resume(src io.Reader, p Point) *Reader {
	z := newReader(src)
	z.inOff = p.Bit / 8
	n := copy(z.out, p.Window)
	z.wpos, z.rpos, z.crcPos = n, n, n
	z.outOff = p.Out - int64(n)
	z.member, z.memberOut, z.crc, z.raw = p.Member, p.memberOut, p.crc, p.raw
	z.state = stBlock
	p.Window = nil
	z.block = p
	if k := uint(p.Bit % 8); k > 0 && z.need(k) {
		z.take(k)
	}
	return z
}
