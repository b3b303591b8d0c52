package index

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/mapping"
)

// MappingVersion changes whenever the mapping or the document layout
// changes; an index built with another version is rebuilt.
const MappingVersion = 2

// Document field names.
const (
	fType    = "_t" // "e" for an event, "b" for a block
	fMessage = "message"
	fSource  = "source"
	fLevel   = "level"
	fKind    = "kind"
	fFormat  = "format"
	fFile    = "file"
	fTime    = "time"
	fLine    = "line"
)

// numericFields are extracted fields indexed as numbers.
var numericFields = map[string]bool{"status": true, "latency_ms": true, "bytes": true, "upstream_status": true}

// coreFields cannot be overwritten by an extracted field of the same name.
var coreFields = map[string]bool{fType: true, fMessage: true, fSource: true, fLevel: true, fKind: true, fFormat: true, fFile: true, fTime: true, fLine: true} // line: reserved, the id carries it

// newMapping is the explicit mapping. Stored: only what search results show
// for a notable event (message, source, level, kind, file, time; the line
// is in the document id).
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
	msg.Store, msg.IncludeInAll, msg.DocValues = true, false, false
	msg.IncludeTermVectors = true // phrase queries need positions
	tm := bleve.NewDateTimeFieldMapping()
	tm.Store, tm.IncludeInAll, tm.DocValues = true, false, false

	dm := bleve.NewDocumentMapping()
	dm.Dynamic = true                                                    // extracted fields: keywords, not stored
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping()) // no _all composite
	dm.AddFieldMappingsAt(fType, kw(false))
	dm.AddFieldMappingsAt(fMessage, msg)
	dm.AddFieldMappingsAt(fSource, kw(true))
	dm.AddFieldMappingsAt(fLevel, kw(true))
	dm.AddFieldMappingsAt(fKind, kw(true))
	dm.AddFieldMappingsAt(fFormat, kw(false))
	dm.AddFieldMappingsAt(fFile, kw(true))
	dm.AddFieldMappingsAt(fTime, tm)
	// No line field: a numeric field costs about half the indexing rate
	// (MEASUREMENTS.md) and the document id already says file:line.
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
