package correlate

import (
	"fmt"
	"math"
)

// litScanner finds which of a set of literals (lower-case ASCII) occur in
// a text, ASCII letters matched in either case: an Aho-Corasick automaton
// compiled to a dense table (state × byte class -> state), so a text is
// read in one pass, one table step per byte, with no lower-cased copy and
// no callback. Bytes that occur in no literal share one class, an upper-case
// letter its lower-case letter's. States are numbered breadth first (the
// shallow states, where a text mostly stays, share few rows of the table),
// those where a literal ends last, from first on: which states report
// literals is one compare, not a table read per byte.
//
// A state is held as the offset of its row in delta (its number times the
// row's width, k+1), so a step is an add and a load, not a multiply. A
// row's last entry, past the k classes, is the index in sets of the
// literals that end in the state (for the states from first on).
type litScanner struct {
	class [256]uint8
	k     int      // byte classes
	first uint32   // the row of the first state where a literal ends
	delta []uint32 // next state's row: delta[row+class]; delta[row+k]: see above
	sets  []bitset // distinct sets of literals
	long  int      // the longest literal's length
}

// newLitScanner compiles lits; ids[i] is the literal id reported for
// lits[i] (a bit of the bitset scan fills).
func newLitScanner(lits []string, ids []int) *litScanner {
	s := &litScanner{k: 1}
	for _, l := range lits {
		for i := 0; i < len(l); i++ {
			c := l[i]
			if c >= 0x80 || ('A' <= c && c <= 'Z') {
				panic(fmt.Sprintf("correlate: literal %q must be lower-case ASCII", l))
			}
			if s.class[c] == 0 {
				if s.k == 256 {
					panic("correlate: too many byte classes")
				}
				s.class[c] = uint8(s.k)
				if 'a' <= c && c <= 'z' {
					s.class[c-'a'+'A'] = uint8(s.k)
				}
				s.k++
			}
		}
	}
	k := s.k
	// the trie: child[state*k+class], 0 for none (the root is no child);
	// each state's children are also listed, from kid through sib, with
	// the class of the byte leading to them
	most := 1
	for _, l := range lits {
		most += len(l)
		s.long = max(s.long, len(l))
	}
	child := make([]int32, most*k)
	kid := make([]int32, most)
	sib := make([]int32, most)
	via := make([]uint8, most)
	own := make([]bitset, 1, most)
	for li, l := range lits {
		st := 0
		for i := 0; i < len(l); i++ {
			c := int(s.class[l[i]])
			if child[st*k+c] == 0 {
				u := int32(len(own))
				own = append(own, bitset{})
				child[st*k+c] = u
				sib[u], kid[st], via[u] = kid[st], u, uint8(c)
			}
			st = int(child[st*k+c])
		}
		own[st].set(ids[li])
	}
	n := len(own)
	w := k + 1               // a row: the k classes, then the state's index in sets
	if n > math.MaxInt32/w { // offsets are uint32, and n*w must not overflow an int on 32-bit platforms
		panic("correlate: too many scanner states")
	}
	// breadth first: a state's failure state is shallower, so its outputs
	// are complete when the state is reached
	fail := make([]int32, n)
	queue := make([]int32, 0, n)
	for u := kid[0]; u != 0; u = sib[u] {
		queue = append(queue, u)
	}
	for h := 0; h < len(queue); h++ {
		r := queue[h]
		for u := kid[r]; u != 0; u = sib[u] {
			c := int(via[u])
			f := fail[r]
			for f != 0 && child[int(f)*k+c] == 0 {
				f = fail[f]
			}
			fail[u] = child[int(f)*k+c]
			for w := range own[u] {
				own[u][w] |= own[fail[u]][w]
			}
			queue = append(queue, u)
		}
	}
	// number the states: the root, then the states that report nothing,
	// then those that do, each group breadth first; a state is held as
	// its row's offset
	renum := make([]uint32, n)
	next := 1
	for _, u := range queue {
		if own[u] == (bitset{}) {
			renum[u] = uint32(next * w)
			next++
		}
	}
	s.first = uint32(next * w)
	s.delta = make([]uint32, n*w)
	index := map[bitset]uint32{}
	for _, u := range queue {
		if own[u] != (bitset{}) {
			renum[u] = uint32(next * w)
			next++
			i, ok := index[own[u]]
			if !ok {
				i = uint32(len(s.sets))
				s.sets = append(s.sets, own[u])
				index[own[u]] = i
			}
			s.delta[renum[u]+uint32(k)] = i
		}
	}
	// a state's row is its failure state's, but for its children
	for u := kid[0]; u != 0; u = sib[u] {
		s.delta[via[u]] = renum[u]
	}
	for _, u := range queue {
		row := s.delta[renum[u]:][:k]
		copy(row, s.delta[renum[fail[u]]:][:k])
		for v := kid[u]; v != 0; v = sib[v] {
			row[via[v]] = renum[v]
		}
	}
	return s
}

// scanHalves is the shortest text scan reads as two halves at once (and
// it is at least three times the longest literal): on a 286-byte nginx
// error line halves took 273 ns against 394 for one walk, and it is
// ahead from about 150 bytes (with the 51-byte longest literal of the
// rules).
const scanHalves = 128

// scan adds to hits the ids of the literals that occur in text. It takes
// four bytes a round, so that the loop's own test is made once per four
// steps. A long text is read as two halves at once (halves): each step
// waits for the table load of the step before, and two walks that do not
// wait for each other overlap.
func (s *litScanner) scan(text string, hits *bitset) {
	if s.long > 0 && len(text) >= max(scanHalves, 3*s.long) {
		s.halves(text, hits)
		return
	}
	s.walk(0, text, hits)
}

// halves is scan of text in two walks, in one loop: one from the start
// to the middle, one from s.long-1 bytes before the middle to the end,
// so that every occurrence lies whole in one of them (one that crosses
// the middle starts less than s.long bytes before it). Hits are a set:
// an occurrence both find counts once.
func (s *litScanner) halves(text string, hits *bitset) {
	mid := len(text) / 2
	a, b := text[:mid], text[mid-(s.long-1):]
	first, delta, class := s.first, s.delta, &s.class
	var sa, sb uint32
	i := 0
	for ; i <= len(a)-2; i += 2 {
		_, _ = a[i+1], b[i+1]
		sa = delta[sa+uint32(class[a[i]])]
		sb = delta[sb+uint32(class[b[i]])]
		if sa >= first {
			s.report(sa, hits)
		}
		if sb >= first {
			s.report(sb, hits)
		}
		sa = delta[sa+uint32(class[a[i+1]])]
		sb = delta[sb+uint32(class[b[i+1]])]
		if sa >= first {
			s.report(sa, hits)
		}
		if sb >= first {
			s.report(sb, hits)
		}
	}
	s.walk(sa, a[i:], hits)
	s.walk(sb, b[i:], hits)
}

// walk steps the automaton from state st through text, adding to hits.
func (s *litScanner) walk(st uint32, text string, hits *bitset) {
	first, delta, class := s.first, s.delta, &s.class
	i := 0
	for ; i <= len(text)-4; i += 4 {
		_ = text[i+3]
		st = delta[st+uint32(class[text[i]])]
		if st >= first {
			s.report(st, hits)
		}
		st = delta[st+uint32(class[text[i+1]])]
		if st >= first {
			s.report(st, hits)
		}
		st = delta[st+uint32(class[text[i+2]])]
		if st >= first {
			s.report(st, hits)
		}
		st = delta[st+uint32(class[text[i+3]])]
		if st >= first {
			s.report(st, hits)
		}
	}
	for ; i < len(text); i++ {
		st = delta[st+uint32(class[text[i]])]
		if st >= first {
			s.report(st, hits)
		}
	}
}

// report adds to hits the literals that end in state st.
func (s *litScanner) report(st uint32, hits *bitset) {
	hits.or(&s.sets[s.delta[st+uint32(s.k)]])
}
