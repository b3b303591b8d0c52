package parse

import "testing"

// fractionSimple is fraction without its millisecond path and with the
// scale applied a digit at a time.
func fractionSimple(b []byte, i int) (ns, prec, end int) {
	if i+1 < len(b) && (b[i] == '.' || b[i] == ',') && isDigit(b[i+1]) {
		i++
		for i < len(b) && isDigit(b[i]) {
			if prec < 9 {
				ns = ns*10 + int(b[i]-'0')
				prec++
			}
			i++
		}
		for p := prec; p < 9; p++ {
			ns *= 10
		}
	}
	return ns, prec, i
}

// checkFraction compares fraction with fractionSimple at every index of s.
func checkFraction(t *testing.T, s string) {
	t.Helper()
	b := []byte(s)
	for i := 0; i <= len(b); i++ {
		gn, gp, ge := fraction(b, i)
		wn, wp, we := fractionSimple(b, i)
		if gn != wn || gp != wp || ge != we {
			t.Errorf("fraction(%q, %d) = %d, %d, %d; want %d, %d, %d", s, i, gn, gp, ge, wn, wp, we)
		}
	}
}

var fractionCases = []string{
	"", ".", ",", ".1", ".12", ".123", ".1234", ".123 ", ".123]", ",999]", ".000Z",
	"17,123] INFO", "17.123456+02:00", "17.123456789123Z", ".12x", ".1x3 ", "x.123 ", ".12 ",
	"..123 ", ".a23 ", "17,12", "17,1234]",
}

func TestFraction(t *testing.T) {
	for _, s := range fractionCases {
		checkFraction(t, s)
	}
}

// FuzzFraction holds fraction to fractionSimple.
func FuzzFraction(f *testing.F) {
	for _, s := range fractionCases {
		f.Add(s)
	}
	f.Fuzz(checkFraction)
}
