package correlate

import (
	"testing"

	"github.com/rca-dev/rca/pkg/event"
)

// TestHasErrorFieldFollowsTheList: hasErrorField's switch names exactly
// errorFieldKeys.
func TestHasErrorFieldFollowsTheList(t *testing.T) {
	for _, k := range append([]string{"errors", "error_code", "msg", "Error", ""}, errorFieldKeys...) {
		want := false
		for _, e := range errorFieldKeys {
			want = want || k == e
		}
		ev := &event.Event{Fields: []event.Field{{Key: "level", Value: "x"}, {Key: k, Value: "v"}}}
		if got := hasErrorField(ev); got != want {
			t.Errorf("hasErrorField with field %q = %v, want %v", k, got, want)
		}
	}
}
