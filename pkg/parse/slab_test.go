package parse

import (
	"reflect"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// TestReuseSpareClears fills every field of an event and checks that
// reuseSpare leaves it as reuse does, but for the fields (*decoder).line
// sets on every line: a field added to event.Event and not cleared there
// fails here.
func TestReuseSpareClears(t *testing.T) {
	setByLine := map[string]bool{"Source": true, "File": true, "Line": true, "Offset": true, "Format": true, "Raw": true}
	fill := func() *event.Event {
		ev := &event.Event{Fields: make([]event.Field, 0, 4)}
		v := reflect.ValueOf(ev).Elem()
		for i := 0; i < v.NumField(); i++ {
			f := v.Field(i)
			switch f.Kind() {
			case reflect.String:
				f.SetString("x")
			case reflect.Int, reflect.Int64:
				f.SetInt(7)
			case reflect.Bool:
				f.SetBool(true)
			case reflect.Slice:
				f.Set(reflect.Append(f, reflect.ValueOf(event.Field{Key: "k", Value: "v"})))
			case reflect.Struct:
				if f.Type() != reflect.TypeOf(time.Time{}) {
					t.Fatalf("field %s: %s not handled", v.Type().Field(i).Name, f.Type())
				}
				f.Set(reflect.ValueOf(time.Unix(1, 0).UTC()))
			default:
				t.Fatalf("field %s: kind %s not handled", v.Type().Field(i).Name, f.Kind())
			}
		}
		return ev
	}
	tests := []struct {
		name  string
		reset func(*event.Event) *event.Event
	}{
		{"reuse", reuse},
		{"reuseSpare", reuseSpare},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := tt.reset(fill())
			if cap(ev.Fields) != 4 || len(ev.Fields) != 0 || ev.Fields[:1][0] != (event.Field{}) {
				t.Errorf("fields %v (cap %d): want the slice kept, empty and cleared", ev.Fields, cap(ev.Fields))
			}
			v := reflect.ValueOf(ev).Elem()
			for i := 0; i < v.NumField(); i++ {
				name := v.Type().Field(i).Name
				if name == "Fields" || tt.name == "reuseSpare" && setByLine[name] {
					continue
				}
				if !v.Field(i).IsZero() {
					t.Errorf("%s not cleared: %v", name, v.Field(i))
				}
			}
		})
	}
}
