package correlate

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestMinerMaskedCacheChangesNothing feeds the same messages, many of them
// repeated, to two miners, one of which forgets its remembered messages
// (Miner.seen) before every Add: every Add must return the same template,
// and the miners must end with the same templates and counts, including
// when the caches overflow and are cleared; what is remembered as current
// must be the template the line cache holds for each message's masked line.
func TestMinerMaskedCacheChangesNothing(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	words := []string{"connect", "failed", "to", "host", "timeout", "after", "retry", "order", "user", "refused", "queue", "full"}
	var msgs []string
	for i := range 6000 { // past tmplCacheSize distinct lines
		n := 3 + rng.IntN(6)
		m := ""
		for j := range n {
			if j > 0 {
				m += " "
			}
			if rng.IntN(4) == 0 {
				m += fmt.Sprintf("id-%d", i%37)
			} else {
				m += words[rng.IntN(len(words))]
			}
		}
		msgs = append(msgs, m)
	}
	var seq []string
	for range 30000 {
		if rng.IntN(3) == 0 {
			seq = append(seq, msgs[rng.IntN(len(msgs))])
		} else {
			seq = append(seq, msgs[rng.IntN(40)]) // hot repeats
		}
	}
	for _, cap := range []int{tmplCacheSize, 0} {
		with, without := NewMiner(MinerConfig{MaxTemplates: cap}), NewMiner(MinerConfig{MaxTemplates: cap})
		hits := 0
		for i, m := range seq {
			seen := false
			if with.seen.slots != nil {
				e := with.seen.find(with.seen.hash(m), m)
				seen = e.t != nil
			}
			a := with.Add(m)
			without.seen = tmplSeen{}
			b := without.Add(m)
			if seen {
				hits++
			}
			if a.ID != b.ID || a.Text != b.Text {
				t.Fatalf("cap %d, message %d %q: template %q, want %q", cap, i, m, a.Text, b.Text)
			}
		}
		ta, tb := with.Templates(), without.Templates()
		if len(ta) != len(tb) {
			t.Fatalf("cap %d: %d templates, want %d", cap, len(ta), len(tb))
		}
		for i := range ta {
			if ta[i].ID != tb[i].ID || ta[i].Count != tb[i].Count {
				t.Errorf("cap %d: template %d %q (%d), want %q (%d)", cap, i, ta[i].Text, ta[i].Count, tb[i].Text, tb[i].Count)
			}
		}
		// the remembered messages, kept in shared chunks, are each still
		// found, and have their masked line's template
		n := 0
		for _, e := range with.seen.slots {
			if e.t == nil {
				continue
			}
			n++
			if f := with.seen.find(with.seen.hash(e.msg), e.msg); f.t != e.t {
				t.Errorf("cap %d: %q not found again", cap, e.msg)
			}
			live := e.t.live()
			with.mask(e.msg)
			if c := with.cachedKey(string(with.line.buf)); c != live {
				t.Errorf("cap %d: %q remembered with template %q, its line has %v", cap, e.msg, e.t.Text, c)
			}
		}
		if n != with.seen.n || n == 0 || n > tmplCacheSize {
			t.Errorf("cap %d: %d remembered messages, count %d", cap, n, with.seen.n)
		}
		if hits < len(seq)/3 {
			t.Errorf("cap %d: %d of %d messages found their masked line; want most repeats", cap, hits, len(seq))
		}
	}
}
