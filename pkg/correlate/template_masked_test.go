package correlate

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestMinerMaskedCacheChangesNothing feeds the same messages, many of them
// repeated, to two miners, one of which forgets its remembered masked
// lines before every Add: every Add must return the same template, and the
// miners must end with the same templates and counts, including when the
// caches overflow and are cleared; what is remembered must be each
// message's masked line.
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
			_, seen := with.masked[m]
			a := with.Add(m)
			without.masked = nil
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
		// the remembered lines, kept in shared chunks, are still each
		// message's own masked line
		fresh := NewMiner(MinerConfig{})
		for m, k := range with.masked {
			fresh.mask(m)
			if string(fresh.key) != k {
				t.Errorf("cap %d: %q remembered as %q, masks to %q", cap, m, k, fresh.key)
			}
		}
		if hits < len(seq)/3 {
			t.Errorf("cap %d: %d of %d messages found their masked line; want most repeats", cap, hits, len(seq))
		}
	}
}
