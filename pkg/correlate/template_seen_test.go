package correlate

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestTmplSeenModel drives a tmplSeen with random puts and finds, with hashes
// from a tiny range so that probes collide and wrap, and checks it against a
// map: every message put since the last clear is found with its latest
// template, no other is, a clear comes exactly when a new message would make
// it hold more than tmplCacheSize, and a reset forgets everything.
func TestTmplSeenModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	type entry struct{ t *Template }
	var s tmplSeen
	s.hash("") // sets s up
	model := map[string]entry{}
	hashOf := func(msg string) uint64 { return uint64(len(msg)%5) * (tmplSeenSlots/2 - 1) }
	tmpls := []*Template{{Text: "a"}, {Text: "b"}, {Text: "c"}}
	clears := 0
	for i := range 30000 {
		msg := fmt.Sprintf("m%d", rng.IntN(6000))
		if rng.IntN(50) == 0 {
			msg = "" // the empty message is a message too
		}
		h := hashOf(msg)
		if i == 25000 { // once, after the clears of a full table
			s.reset()
			clear(model)
		}
		if rng.IntN(2) == 0 {
			e := entry{tmpls[rng.IntN(len(tmpls))]}
			if _, ok := model[msg]; !ok && len(model) >= tmplCacheSize {
				clear(model)
				clears++
			}
			model[msg] = e
			s.put(h, msg, e.t)
		}
		got := s.find(h, msg)
		want, ok := model[msg]
		if (got.t != nil) != ok || ok && (got.t != want.t || got.msg != msg) {
			t.Fatalf("op %d: find(%q) = %q %v, want %v %v", i, msg, got.msg, got.t, ok, want.t)
		}
		if s.n != len(model) {
			t.Fatalf("op %d: %d entries, want %d", i, s.n, len(model))
		}
	}
	if clears == 0 {
		t.Errorf("no clear in the run; want the full table cleared")
	}
}
