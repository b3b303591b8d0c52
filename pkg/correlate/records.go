package correlate

// records holds the notable events' records in fixed chunks rather than
// one slice: a slice doubling to take the millionth record holds twice the
// records' memory while it copies them, and its capacity overshoots by up
// to half. Chunks grow by one at a time and never move.
type records struct {
	chunks [][]record
	n      int
}

const (
	recShift = 14 // 16384 records per chunk (about 2 MB)
	recChunk = 1 << recShift
	recMask  = recChunk - 1
)

func (rs *records) len() int { return rs.n }

// at returns record i (0 <= i < len); the pointer stays valid.
func (rs *records) at(i int) *record { return &rs.chunks[i>>recShift][i&recMask] }

func (rs *records) add(r record) {
	if rs.n&recMask == 0 {
		rs.chunks = append(rs.chunks, make([]record, recChunk))
	}
	rs.chunks[rs.n>>recShift][rs.n&recMask] = r
	rs.n++
}

// Len, Less and Swap order the records by time (sort.Stable keeps the
// order of equal times).
func (rs *records) Len() int           { return rs.n }
func (rs *records) Less(i, j int) bool { return rs.at(i).before(rs.at(j)) }
func (rs *records) Swap(i, j int)      { a, b := rs.at(i), rs.at(j); *a, *b = *b, *a }
