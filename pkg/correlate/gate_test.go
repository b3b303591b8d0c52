package correlate

import (
	"strings"
	"sync"
	"testing"

	"github.com/rca-dev/rca/pkg/event"
)

// gramPassRef is gramGate.pass the plain way: at every stride-th offset
// of s, the long piece read byte by byte when n bytes are left and the
// 4-byte piece when the gate has any and 4 bytes are left.
func gramPassRef(g *gramGate, s string) bool {
	if g.open {
		return true
	}
	piece := func(i, n int) uint64 {
		var x uint64
		for j := n - 1; j >= 0; j-- {
			x = x<<8 | uint64(s[i+j])
		}
		return x
	}
	for i := 0; i+4 <= len(s); i += g.stride {
		if i+g.n <= len(s) && g.b8.has(gramHash(piece(i, g.n), g.mul)) {
			return true
		}
		if g.has4 && g.b4.has(gramHash(piece(i, 4), gramMul4)) {
			return true
		}
	}
	return false
}

// gateLits are the literals behind the classifier's two gates: all rule
// literals, and those of the signal rules.
var gateLits = sync.OnceValues(func() (all, signal []string) {
	for _, r := range rules {
		all = append(all, r.any...)
		if r.signal {
			signal = append(signal, r.any...)
		}
	}
	return all, signal
})

// asciiLower folds ASCII upper case only, as the literal scanner matches.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// openGateClassifier classifies with both gates open: every window is
// walked through the automaton, as if no gate were there.
var openGateClassifier = sync.OnceValue(func() *Classifier {
	c := NewClassifier()
	c.all.gate.open = true
	c.signal.open = true
	return c
})

// checkGramGate fails t when a gate's pass differs from gramPassRef on s or
// stops s although s holds one of the gate's literals, or when classifying
// s at some level differs from classifying it with the gates open.
func checkGramGate(t *testing.T, s string) {
	t.Helper()
	c := testClassifier()
	all, signal := gateLits()
	low := asciiLower(s)
	for _, gt := range []struct {
		name string
		g    *gramGate
		lits []string
	}{{"all", &c.all.gate, all}, {"signal", &c.signal, signal}} {
		got := gt.g.pass(s)
		if want := gramPassRef(gt.g, s); got != want {
			t.Fatalf("%s gate on %q: pass %v, plain way %v", gt.name, s, got, want)
		}
		if got {
			continue
		}
		for _, l := range gt.lits {
			if strings.Contains(low, l) {
				t.Fatalf("%s gate stops %q, which holds %q", gt.name, s, l)
			}
		}
	}
	ref := openGateClassifier()
	for _, lv := range []event.Level{lvNone, lvInfo, lvWarn, lvError} {
		for _, format := range []string{"", "mysql-error"} {
			got := &event.Event{Format: format, Level: lv, Message: s}
			want := &event.Event{Format: format, Level: lv, Message: s}
			gk, gr := c.classify(got)
			wk, wr := ref.classify(want)
			if gk != wk || gr != wr || len(got.Fields) != len(want.Fields) {
				t.Fatalf("%q (%s): kind %q rule %d facts %v, gates open %q rule %d facts %v", s, lv, gk, gr, got.Fields, wk, wr, want.Fields)
			}
			for i := range got.Fields {
				if got.Fields[i] != want.Fields[i] {
					t.Fatalf("%q (%s): facts %v, gates open %v", s, lv, got.Fields, want.Fields)
				}
			}
		}
	}
}

// gateTexts are texts for the gate: each literal at the start, the end,
// alone and inside ordinary words, in several cases, cut to every length
// around the word boundaries of the gate's loops.
func gateTexts() []string {
	all, _ := gateLits()
	texts := []string{"", "a", "abcdefg", "abcdefgh", "abcdefghi"}
	for _, ev := range benchInfo {
		texts = append(texts, ev.Message)
	}
	for _, ev := range benchErrors {
		texts = append(texts, ev.Message)
	}
	for i, l := range all {
		v := l
		switch i % 3 {
		case 1:
			v = strings.ToUpper(l)
		case 2:
			v = strings.ToUpper(l[:1]) + l[1:]
		}
		pre := "lorem ipsum dolor sit amet "[:i%13]
		texts = append(texts, v, pre+v, v+" consectetur", pre+v+" x")
	}
	return texts
}

// TestGramGatePass: pass tests the offsets and pieces the plain way does,
// at every length of a text (the word loop, the tail cut from the last
// word, texts shorter than a word), stops no text holding a literal of its
// gate, and the gates change no classification.
func TestGramGatePass(t *testing.T) {
	for _, s := range gateTexts() {
		for n := 0; n <= len(s) && n <= 40; n++ {
			checkGramGate(t, s[:n])
			checkGramGate(t, s[len(s)-n:])
		}
		checkGramGate(t, s)
	}
}

// FuzzGramGate: as TestGramGatePass, on any text.
func FuzzGramGate(f *testing.F) {
	for _, s := range gateTexts() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkGramGate(t, s)
	})
}
