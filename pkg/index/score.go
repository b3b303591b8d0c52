package index

import (
	"fmt"
	"strconv"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/rca-dev/rca/pkg/event"
)

// MaxScored is the most hits Score ranks: scoring indexes the hits in
// memory (bleve), at some tens of thousands of events per second.
var MaxScored = 100_000

// Score gives each hit of q its relevance: bleve's TF-IDF score of the
// event for the query's text, computed over the hits (so a term that few
// hits hold counts more). Hits the scorer does not find get 0.
func Score(q Query, hits []*event.Event) ([]float64, error) {
	scores := make([]float64, len(hits))
	if len(hits) == 0 || q.Text == "" {
		return scores, nil
	}
	if len(hits) > MaxScored {
		return nil, fmt.Errorf("%d hits are too many to rank by score (at most %d): narrow the query", len(hits), MaxScored)
	}
	mem, err := bleve.NewUsing("", newMapping(), scorch.Name, scorch.Name, nil) // in memory
	if err != nil {
		return nil, err
	}
	defer mem.Close()
	b := mem.NewBatch()
	for i, ev := range hits {
		if err := b.Index(strconv.Itoa(i), scoreDoc(ev)); err != nil {
			return nil, fmt.Errorf("score: %w", err)
		}
	}
	if err := mem.Batch(b); err != nil {
		return nil, fmt.Errorf("score: %w", err)
	}
	req := bleve.NewSearchRequestOptions(query.NewQueryStringQuery(booleanWords(q.Text)), len(hits), 0, false)
	res, err := mem.Search(req)
	if err != nil {
		return nil, fmt.Errorf("score: %w", err)
	}
	for _, h := range res.Hits {
		if i, err := strconv.Atoi(h.ID); err == nil && i < len(scores) {
			scores[i] = h.Score
		}
	}
	return scores, nil
}

// scoreDoc is an event as a bleve document of the scoring mapping.
func scoreDoc(ev *event.Event) map[string]any {
	d := map[string]any{fMessage: indexedText(ev.Message), fSource: ev.Source, fFile: ev.File}
	if ev.Level != "" {
		d[fLevel] = string(ev.Level)
	}
	if ev.Kind != "" {
		d[fKind] = ev.Kind
	}
	if ev.Format != "" {
		d[fFormat] = ev.Format
	}
	if !ev.Time.IsZero() {
		d[fTime] = ev.Time
	}
	for _, f := range ev.Fields {
		if _, core := d[f.Key]; core || f.Key == "" || f.Key == fTime || f.Key == fLine {
			continue
		}
		if numericFields[f.Key] {
			if v, err := strconv.ParseFloat(f.Value, 64); err == nil {
				d[f.Key] = v
			}
			continue
		}
		d[f.Key] = f.Value
	}
	return d
}
