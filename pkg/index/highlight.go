package index

import "strings"

// Highlighter returns a function that finds, in an event's message, the
// words q asked for: those a word, a phrase's word, a wildcard, regexp or
// fuzzy term of the query's text matches, outside any negated part. It
// returns their byte ranges [start, end) in order. Search output marks
// them on a terminal.
func (q Query) Highlighter() (func(msg string) [][2]int, error) {
	var leaves []*node
	if strings.TrimSpace(q.Text) != "" {
		tree, err := compileQuery(Query{Text: q.Text})
		if err != nil {
			return nil, err
		}
		leaves = messageLeaves(tree, leaves)
	}
	return func(msg string) [][2]int {
		if len(leaves) == 0 || msg == "" {
			return nil
		}
		analyzers()
		var out [][2]int
		for _, t := range stdAnalyzer.Analyze([]byte(msg)) {
			term := string(t.Term)
			for _, n := range leaves {
				if n.wordMatches(term) {
					out = append(out, [2]int{t.Start, t.End})
					break
				}
			}
		}
		return out
	}, nil
}

// messageLeaves collects the positive leaves of n that look at message
// words.
func messageLeaves(n *node, out []*node) []*node {
	if n == nil {
		return out
	}
	switch n.kind {
	case nNot:
		return out
	case nAnd, nOr:
		for _, k := range n.kids {
			out = messageLeaves(k, out)
		}
	case nTerm, nRegexp, nPhrase:
		if text(n.field) {
			out = append(out, n)
		}
	}
	return out
}

// wordMatches reports whether one analysed message word satisfies the leaf
// n on its own (for a phrase: is one of its words).
func (n *node) wordMatches(term string) bool {
	switch n.kind {
	case nTerm:
		if n.fuzz > 0 {
			return editDistanceAtMost(term, n.term, n.fuzz)
		}
		return term == n.term
	case nRegexp:
		return n.re.MatchString(term)
	case nPhrase:
		for _, slot := range n.slots {
			for _, a := range slot {
				if a == term {
					return true
				}
			}
		}
	}
	return false
}
