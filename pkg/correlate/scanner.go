package correlate

import "fmt"

// litScanner finds which of a set of literals (lower-case ASCII) occur in
// a text, ASCII letters matched in either case: an Aho-Corasick automaton
// compiled to a dense table (state × byte class -> state), so a text is
// read in one pass, one table step per byte, with no lower-cased copy and
// no callback. Bytes that occur in no literal share one class, an upper-case
// letter its lower-case letter's. States are numbered breadth first (the
// shallow states, where a text mostly stays, share few rows of the table),
// those where a literal ends last, from first on: which states report
// literals is one compare, not a table read per byte.
type litScanner struct {
	class [256]uint8
	k     int      // byte classes
	first int      // the first state where a literal ends
	delta []uint16 // next state: delta[state*k+class]
	out   []uint16 // per state from first on, its index in sets of the literals ending there
	sets  []bitset // distinct sets of literals
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
	if n > 1<<16 {
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
	// then those that do, each group breadth first
	renum := make([]uint16, n)
	next := 1
	for _, u := range queue {
		if own[u] == (bitset{}) {
			renum[u] = uint16(next)
			next++
		}
	}
	s.first = next
	index := map[bitset]uint16{}
	for _, u := range queue {
		if own[u] != (bitset{}) {
			renum[u] = uint16(next)
			next++
			i, ok := index[own[u]]
			if !ok {
				i = uint16(len(s.sets))
				s.sets = append(s.sets, own[u])
				index[own[u]] = i
			}
			s.out = append(s.out, i)
		}
	}
	// a state's row is its failure state's, but for its children
	s.delta = make([]uint16, n*k)
	for u := kid[0]; u != 0; u = sib[u] {
		s.delta[via[u]] = renum[u]
	}
	for _, u := range queue {
		row := s.delta[int(renum[u])*k:][:k]
		copy(row, s.delta[int(renum[fail[u]])*k:][:k])
		for v := kid[u]; v != 0; v = sib[v] {
			row[via[v]] = renum[v]
		}
	}
	return s
}

// scan adds to hits the ids of the literals that occur in text.
func (s *litScanner) scan(text string, hits *bitset) {
	st, k, first := 0, s.k, s.first
	delta := s.delta
	for i := 0; i < len(text); i++ {
		st = int(delta[st*k+int(s.class[text[i]])])
		if st >= first {
			set := &s.sets[s.out[st-first]]
			for w := range hits {
				hits[w] |= set[w]
			}
		}
	}
}
