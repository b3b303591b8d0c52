package correlate

import (
	"testing"

	"github.com/rca-dev/rca/pkg/event"
)

// TestHasErrorFieldFollowsTheList: readFields' switch names exactly
// errorFieldKeys, and reads status, response_flags and method as Get does.
func TestHasErrorFieldFollowsTheList(t *testing.T) {
	for _, k := range append([]string{"errors", "error_code", "msg", "Error", ""}, errorFieldKeys...) {
		want := false
		for _, e := range errorFieldKeys {
			want = want || k == e
		}
		ev := &event.Event{Fields: []event.Field{{Key: "level", Value: "x"}, {Key: k, Value: "v"}}}
		if got := readFields(ev).hasError; got != want {
			t.Errorf("readFields with field %q: hasError = %v, want %v", k, got, want)
		}
	}
	ev := &event.Event{Fields: []event.Field{{Key: "path", Value: "/"}, {Key: "status", Value: "503"}, {Key: "method", Value: "GET"}, {Key: "status", Value: "200"}}}
	if f := readFields(ev); f.status != "503" || !f.hasStatus || !f.hasMethod || f.hasError {
		t.Errorf("readFields(%v) = %+v, want the first status, a method and no error", ev.Fields, f)
	}
	ev = &event.Event{Fields: []event.Field{{Key: "response_flags", Value: "-"}, {Key: "status", Value: "503"}, {Key: "response_flags", Value: "UF"}}}
	if f := readFields(ev); f.flags != "-" || !f.hasFlags || f.hasMethod {
		t.Errorf("readFields(%v) = %+v, want the first response_flags", ev.Fields, f)
	}
	if f := readFields(&event.Event{}); f.hasStatus || f.hasMethod || f.hasError || f.hasFlags {
		t.Errorf("readFields(no fields) = %+v, want nothing", f)
	}
}
