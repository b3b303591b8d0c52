package index

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/rca-dev/rca/pkg/correlate"
	"github.com/rca-dev/rca/pkg/event"
	"github.com/rca-dev/rca/pkg/parse"
)

// demoEvents parses and classifies the demo bundle.
func demoEvents(t testing.TB) []*event.Event {
	t.Helper()
	plan, err := parse.NewPlan([]string{"../../testdata/bundles/invoice-outage"}, parse.Options{MaxLine: parse.DefaultMaxLine})
	if err != nil {
		t.Fatal(err)
	}
	cls := correlate.NewClassifier()
	var all []*event.Event
	po := parse.Options{MaxLine: parse.DefaultMaxLine, Transform: func(ev *event.Event) { cls.Classify(ev) }}
	if _, err := plan.Run(context.Background(), po, func(ev *event.Event) error { all = append(all, ev); return nil }); err != nil {
		t.Fatal(err)
	}
	return all
}

// TestMatchAgreesWithBleve checks the per-event matcher against bleve
// itself: every demo event in a bleve index, each query run by both. (A
// phrase on a keyword field, file:"a/b.log", is one deliberate difference:
// bleve finds nothing without term vectors, the matcher compares the value;
// TestSearchExact covers it.)
func TestMatchAgreesWithBleve(t *testing.T) {
	all := demoEvents(t)
	mem, err := bleve.NewUsing("", newMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	b := mem.NewBatch()
	for i, ev := range all {
		if err := b.Index(fmt.Sprint(i), scoreDoc(ev)); err != nil {
			t.Fatal(err)
		}
	}
	if err := mem.Batch(b); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{
		`timeout`, `Timeout`, `"Lock wait timeout"`, `connection refused`, `+connection +refused`,
		`connection -refused`, `-level:info`, `level:error`, `source:gateway AND status:>=500`,
		`status:503`, `status:>=400 status:<500`, `+status:>=400 +status:<500`, `kind:timeout OR kind:connection_refused`,
		`NOT source:kafka`, `upstream*`, `/time.*/`, `source:/k.*a/`, `tiemout~1`, `tmieout~1`, `"the request"`,
		`"connection to the"`, `method:POST`, `latency_ms:>1000`, `time:>"2023-08-15T06:20:00Z"`,
		`+time:>="2023-08-15T06:00:00Z" +time:<"2023-08-15T06:30:00Z" level:warn`,
		`"upstream timed out" -source:gateway`, `+level:warn retry`, `invoice* -level:info`,
		`"api.tax.example.gov"`, `HashMap`, `500`, `source:mysql 1205`, `"broker may not be available"`,
		`format:nginx-access +status:>=500`, `the`, `+the +timeout`,
	} {
		req := bleve.NewSearchRequestOptions(query.NewQueryStringQuery(booleanWords(text)), len(all), 0, false)
		res, err := mem.Search(req)
		if err != nil {
			t.Fatalf("bleve %q: %v", text, err)
		}
		var want []string
		for _, h := range res.Hits {
			want = append(want, h.ID)
		}
		n, err := compileQuery(Query{Text: text})
		if err != nil {
			t.Fatalf("compile %q: %v", text, err)
		}
		var got []string
		var v eventView
		for i, ev := range all {
			v.reset(ev)
			if n != nil && n.match(&v) {
				got = append(got, fmt.Sprint(i))
			}
		}
		sort.Strings(got)
		sort.Strings(want)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%q: %d matches, bleve %d", text, len(got), len(want))
		}
	}
}
