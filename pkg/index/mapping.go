package index

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/mapping"
)

// MappingVersion changes whenever what the index stores or how it analyses
// text changes; an index built with another version is rebuilt.
// Version 3: blocks with sketches for every event, notable events kept in
// data files (no bleve segments on disk). Version 4: a notable event's
// message and field values stored as their place in its raw text when
// they are part of it; a digest hashes level, kind, source and format
// apart (coreHash).
const MappingVersion = 4

// Document field names.
const (
	fMessage = "message"
	fSource  = "source"
	fLevel   = "level"
	fKind    = "kind"
	fFormat  = "format"
	fFile    = "file"
	fTime    = "time"
	fLine    = "line"
)

// numericFields are extracted fields indexed as numbers (for scoring).
var numericFields = map[string]bool{"status": true, "latency_ms": true, "bytes": true, "upstream_status": true}

// newMapping is the mapping of the in-memory index that scores hits for
// --sort score (bleve's relevance scoring): message as text, the other
// fields as keywords, the numeric fields as numbers, nothing stored.
func newMapping() mapping.IndexMapping {
	kw := func(store bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Store, f.IncludeInAll, f.DocValues, f.IncludeTermVectors = store, false, false, false
		return f
	}
	num := func(store bool) *mapping.FieldMapping {
		f := bleve.NewNumericFieldMapping()
		f.Store, f.IncludeInAll, f.DocValues = store, false, false
		return f
	}
	msg := bleve.NewTextFieldMapping()
	msg.Analyzer = standard.Name
	msg.Store, msg.IncludeInAll, msg.DocValues = false, false, false
	msg.IncludeTermVectors = true // phrase queries need positions
	tm := bleve.NewDateTimeFieldMapping()
	tm.Store, tm.IncludeInAll, tm.DocValues = false, false, false

	dm := bleve.NewDocumentMapping()
	dm.Dynamic = true                                                    // extracted fields: keywords, not stored
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping()) // no _all composite
	dm.AddFieldMappingsAt(fMessage, msg)
	dm.AddFieldMappingsAt(fSource, kw(false))
	dm.AddFieldMappingsAt(fLevel, kw(false))
	dm.AddFieldMappingsAt(fKind, kw(false))
	dm.AddFieldMappingsAt(fFormat, kw(false))
	dm.AddFieldMappingsAt(fFile, kw(false))
	dm.AddFieldMappingsAt(fTime, tm)
	for k := range numericFields {
		dm.AddFieldMappingsAt(k, num(false))
	}

	im := bleve.NewIndexMapping()
	im.DefaultMapping = dm
	im.DefaultAnalyzer = keyword.Name
	im.DefaultField = fMessage // no _all: bare words search the message
	im.IndexDynamic, im.StoreDynamic, im.DocValuesDynamic = true, false, false
	return im
}
