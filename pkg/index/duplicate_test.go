package index_test

import (
	"archive/zip"
	"os"
	"path/filepath"
	"testing"

	"github.com/rca-dev/rca/pkg/index"
)

// TestDuplicateMemberNames: an archive can hold two members of one name,
// so two inputs share a display path and their events share path and
// line. Every event of both must be found, notable ones (documents of
// their own) and block ones (re-read) alike, also after a no-op update.
func TestDuplicateMemberNames(t *testing.T) {
	bundle := t.TempDir()
	f, err := os.Create(filepath.Join(bundle, "two.zip"))
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, body := range []string{
		"2023-08-15T06:00:00Z ERROR first member failed\n2023-08-15T06:00:02Z INFO first member fine\n",
		"2023-08-15T06:00:01Z ERROR second member failed\n2023-08-15T06:00:03Z INFO second member fine\n",
	} {
		w, err := zw.Create("app/x.log")
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	const x = "two.zip!/app/x.log"
	dir := t.TempDir()
	for _, pass := range []string{"build", "no-op update"} {
		ix, s := build(t, dir, bundle)
		if pass == "build" && (s.Events != 4 || s.Notable != 2) {
			t.Errorf("%s: summary %+v, want 4 events, 2 notable", pass, s)
		}
		for _, tc := range []struct {
			q    string
			want []string
		}{
			{"failed", []string{x + ":1", x + ":1"}},
			{"fine", []string{x + ":2", x + ":2"}},
			{"second", []string{x + ":1", x + ":2"}},
			{"member", []string{x + ":1", x + ":1", x + ":2", x + ":2"}},
		} {
			sameSet(t, pass+" "+tc.q, search(t, ix, index.Query{Text: tc.q}), tc.want)
		}
		ix.Close()
	}
}
