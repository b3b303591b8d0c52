package correlate

import "fmt"

// litScanner finds which of a set of literals (lower-case ASCII) occur in
// a text, ASCII letters matched in either case: an Aho-Corasick automaton
// compiled to a dense table (state × byte class -> state), so a text is
// read in one pass, one table step per byte, with no lower-cased copy and
// no callback. Bytes that occur in no literal share one class, an upper-case
// letter its lower-case letter's.
type litScanner struct {
	class [256]uint8
	k     int      // byte classes
	delta []uint16 // next state: delta[state*k+class]
	out   []uint16 // per state, the index in sets of the literals ending there (0: none)
	sets  []bitset // sets[0] is empty
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
	// the trie: child[state*k+class], -1 for none
	child := make([]int32, k)
	for i := range child {
		child[i] = -1
	}
	own := []bitset{{}}
	for li, l := range lits {
		st := 0
		for i := 0; i < len(l); i++ {
			c := int(s.class[l[i]])
			if child[st*k+c] < 0 {
				child[st*k+c] = int32(len(own))
				own = append(own, bitset{})
				for range k {
					child = append(child, -1)
				}
			}
			st = int(child[st*k+c])
		}
		own[st].set(ids[li])
	}
	n := len(own)
	if n > 1<<16 {
		panic("correlate: too many scanner states")
	}
	// breadth first: a state's failure state is shallower, so its row of
	// the table and its outputs are complete when the state is reached
	s.delta = make([]uint16, n*k)
	fail := make([]int32, n)
	queue := make([]int32, 0, n)
	for c := range k {
		if u := child[c]; u >= 0 {
			s.delta[c] = uint16(u)
			queue = append(queue, u)
		}
	}
	for h := 0; h < len(queue); h++ {
		r := queue[h]
		f := fail[r]
		for c := range k {
			u := child[int(r)*k+c]
			if u < 0 {
				s.delta[int(r)*k+c] = s.delta[int(f)*k+c]
				continue
			}
			fu := int32(s.delta[int(f)*k+c])
			fail[u] = fu
			for w := range own[u] {
				own[u][w] |= own[fu][w]
			}
			s.delta[int(r)*k+c] = uint16(u)
			queue = append(queue, u)
		}
	}
	s.out = make([]uint16, n)
	s.sets = []bitset{{}}
	index := map[bitset]uint16{{}: 0}
	for st := range own {
		i, ok := index[own[st]]
		if !ok {
			i = uint16(len(s.sets))
			s.sets = append(s.sets, own[st])
			index[own[st]] = i
		}
		s.out[st] = i
	}
	return s
}

// scan adds to hits the ids of the literals that occur in text.
func (s *litScanner) scan(text string, hits *bitset) {
	st, k := 0, s.k
	delta, out := s.delta, s.out
	for i := 0; i < len(text); i++ {
		st = int(delta[st*k+int(s.class[text[i]])])
		if o := out[st]; o != 0 {
			set := &s.sets[o]
			for w := range hits {
				hits[w] |= set[w]
			}
		}
	}
}
