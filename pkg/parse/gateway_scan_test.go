package parse

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"
)

// The byte-at-a-time definitions the faster scanners must agree with.

func refQuoteEnd(b []byte, i int) int {
	last := -1
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			if j+1 == len(b) || b[j+1] == ' ' {
				return j
			}
			last = j
		}
	}
	return last
}

func refListLast(v string) string {
	if i := strings.LastIndexAny(v, " ,"); i >= 0 {
		return v[i+1:]
	}
	return v
}

// checkNginxQuoteEnd fails unless nginxQuoteEnd(b, i) is want, told of
// backslashes or not, and told there are none when there are none.
func checkNginxQuoteEnd(t *testing.T, b []byte, i, want int) {
	t.Helper()
	if got := nginxQuoteEnd(b, i, false); got != want {
		t.Fatalf("nginxQuoteEnd(%q, %d, false) = %d, want %d", b, i, got, want)
	}
	if strings.IndexByte(string(b[i+1:]), '\\') < 0 {
		if got := nginxQuoteEnd(b, i, true); got != want {
			t.Fatalf("nginxQuoteEnd(%q, %d, true) = %d, want %d", b, i, got, want)
		}
	}
}

// FuzzNginxQuoteEnd holds nginxQuoteEnd to the byte-at-a-time definition,
// at every quote of the input.
func FuzzNginxQuoteEnd(f *testing.F) {
	f.Add(`"GET / HTTP/1.1" 200 5 "-" "curl/8.0" 0.1`)
	f.Add(`"a"b" "c\" d" "e`)
	f.Fuzz(func(t *testing.T, l string) {
		b := []byte(l)
		for i := range b {
			if b[i] == '"' {
				checkNginxQuoteEnd(t, b, i, refQuoteEnd(b, i))
			}
		}
	})
}

// TestGatewayScannersAgree compares gatewayQuoteEnd, nginxQuoteEnd, gatewayListLast and
// gatewayIsList with their definitions on random lines over the bytes that
// matter to them (quotes, backslashes, spaces, commas) and on edge cases.
func TestGatewayScannersAgree(t *testing.T) {
	lines := []string{
		`"`, `""`, `"\"`, `"\\"`, `"a\" b" c`, `"a"b" c`, `"a"b"`, `"ab\`, `"a" `, `"\"\"" x`,
		`"Mozilla/5.0 (X11; Linux x86_64) \"quoted\" Gecko" 0.1`, `" x "y" z`, "",
		`"-"`, `"-" "x"`, `"-"x" y`, `""" x`, `"""`,
		"10.0.0.1:80, 10.0.0.2:80", "a : b", ",", " ", "abc",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const alphabet = `"\ ,ab:`
	for range 20000 {
		var sb strings.Builder
		sb.WriteByte('"')
		for range rng.IntN(24) {
			sb.WriteByte(alphabet[rng.IntN(len(alphabet))])
		}
		lines = append(lines, sb.String())
	}
	for _, l := range lines {
		b := []byte(l)
		for i := range b {
			if b[i] != '"' {
				continue
			}
			want := refQuoteEnd(b, i)
			if got := gatewayQuoteEnd(b, i); got != want {
				t.Fatalf("gatewayQuoteEnd(%q, %d) = %d, want %d", l, i, got, want)
			}
			checkNginxQuoteEnd(t, b, i, want)
		}
		if got, want := gatewayListLast(l), refListLast(l); got != want {
			t.Fatalf("gatewayListLast(%q) = %q, want %q", l, got, want)
		}
		if got, want := gatewayIsList(l), strings.IndexAny(l, " ,") >= 0; got != want {
			t.Fatalf("gatewayIsList(%q) = %v, want %v", l, got, want)
		}
	}
}

// TestGatewayParseAddrAgrees: gatewayParseAddr gives net/netip's answer on
// random strings of the bytes addresses are made of.
func TestGatewayParseAddrAgrees(t *testing.T) {
	cases := []string{"", ".", "1.2.3.4", "01.2.3.4", "0.0.0.0", "255.255.255.255", "256.1.1.1", "1.2.3", "1.2.3.4.5",
		"1..2.3", ".1.2.3", "1.2.3.", "::1", "::ffff:1.2.3.4", "fe80::1%eth0", "1.2.3.4%x", "%1.2.3.4", "1.2.3.4:80",
		"10.0.0.1", "172.16.12.247", "8.8.8.8", "224.0.0.1", "169.254.1.1", "127.0.0.1", "0000.1.1.1", "1.2.3.04", "a.b.c.d"}
	rng := rand.New(rand.NewPCG(3, 4))
	const alphabet = "0123456789..::%af"
	for range 50000 {
		b := make([]byte, rng.IntN(18))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		cases = append(cases, string(b))
	}
	for range 20000 { // well-formed dotted quads, with the odd leading zero
		cases = append(cases, fmt.Sprintf("%d.%d.%d.%0*d", rng.IntN(300), rng.IntN(256), rng.IntN(256), 1+rng.IntN(2), rng.IntN(256)))
	}
	for _, s := range cases {
		want, err := netip.ParseAddr(s)
		got, ok := gatewayParseAddr(s)
		if ok != (err == nil) || got != want {
			t.Fatalf("gatewayParseAddr(%q) = %v, %v; netip: %v, %v", s, got, ok, want, err)
		}
	}
}
