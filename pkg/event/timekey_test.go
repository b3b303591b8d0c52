package event

import (
	"testing"
	"time"
)

func TestTimeKey(t *testing.T) {
	base := time.Date(2023, 8, 15, 6, 22, 17, 500, time.UTC)
	tests := []struct {
		name string
		a, b time.Time
	}{
		{"equal", base, base},
		{"a nanosecond apart", base, base.Add(time.Nanosecond)},
		{"a second apart, fewer nanoseconds", base.Add(time.Second - 400), base},
		{"the zero time", time.Time{}, base},
		{"before 1970", time.Date(1960, 1, 1, 0, 0, 0, 999999999, time.UTC), time.Date(1960, 1, 1, 0, 0, 1, 0, time.UTC)},
		{"before the zero time", time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), time.Time{}},
		{"another location", base.In(time.FixedZone("x", 3600)), base},
		{"far future", time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), base},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkTimeKey(t, tt.a, tt.b)
			checkTimeKey(t, tt.b, tt.a)
		})
	}
}

func checkTimeKey(t *testing.T, a, b time.Time) {
	t.Helper()
	ka, kb := KeyOf(a), KeyOf(b)
	if got, want := ka.Before(kb), a.Before(b); got != want {
		t.Errorf("KeyOf(%v).Before(KeyOf(%v)) = %v, want %v", a, b, got, want)
	}
	if got, want := ka == kb, a.Equal(b); got != want {
		t.Errorf("KeyOf(%v) == KeyOf(%v): %v, want %v", a, b, got, want)
	}
}

// FuzzTimeKey compares keys with the times' Before and Equal, for times
// within some ten thousand years of 1970 (far beyond, time's internal
// seconds overflow).
func FuzzTimeKey(f *testing.F) {
	f.Add(int64(1692080537), int64(0), int64(1692080537), int64(1))
	f.Add(int64(-62135596800), int64(0), int64(0), int64(999999999))
	f.Fuzz(func(t *testing.T, s1, n1, s2, n2 int64) {
		const span = 400e9 // seconds, about 12,700 years
		checkTimeKey(t, time.Unix(s1%span, n1).UTC(), time.Unix(s2%span, n2).UTC())
	})
}
