package parse

// Eight bytes at a time: a word read little-endian from a line, tested for
// bytes of given values without a loop over them.
const (
	swarOnes  = 0x0101010101010101
	swarHighs = 0x8080808080808080
)

// swarZeros marks the zero bytes of w: the high bit of each. The lowest set
// bit is the first zero byte's; bits above it may be wrong (a borrow), those
// below it are not. A byte of w equals c where w^(swarOnes*c) has a zero.
func swarZeros(w uint64) uint64 { return (w - swarOnes) &^ w & swarHighs }
