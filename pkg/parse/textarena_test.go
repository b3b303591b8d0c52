package parse

import (
	"strings"
	"testing"
)

// TestTextArena: strings joined in an arena keep their text while more are
// joined after them, across chunks, and long ones are built alone.
func TestTextArena(t *testing.T) {
	var a textArena
	type pair struct{ got, want string }
	var all []pair
	for i := 0; i < 3*textArenaChunk/20; i++ {
		x := strings.Repeat(string(rune('a'+i%26)), i%17)
		y := strings.Repeat("9", i%4)
		all = append(all, pair{a.join(x, y), x + " " + y})
	}
	long := strings.Repeat("L", textArenaChunk)
	all = append(all, pair{a.join(long, "503"), long + " 503"})
	all = append(all, pair{a.join("GET / HTTP/1.1", "200"), "GET / HTTP/1.1 200"})
	for i, p := range all {
		if p.got != p.want {
			t.Fatalf("join #%d = %q, want %q", i, p.got, p.want)
		}
	}
}
