// Package index keeps a persistent search index of a bundle's events so
// that questions can be asked after the report (rca search).
//
// Design. Every event of an input belongs to one block of events in file
// order: notable events (level warn or above, or a classified kind) to
// notable blocks of up to NotableBlockSize events, the others to plain
// blocks of up to BlockSize. A block has a sketch: a Bloom filter of its
// keys (the message's terms as bleve's standard analyzer makes them, and
// each field's value: source, level, kind, format, file and the extracted
// fields), the range of its numeric fields (status, latency_ms, bytes,
// upstream_status, line) and its time range. Notable blocks also keep their
// events (snappy-compressed) in the index; plain blocks keep their byte
// range in the input and a digest of their events.
//
// A search is bleve's query-string syntax, parsed by bleve. Blocks whose
// sketch may match are candidates; the events of a candidate notable block
// are read from the index, those of a candidate plain block re-read from the
// bundle (only its byte range when the input is a plain file), and every
// one is checked exactly against the query (query.go states the meaning).
// Results are exact: every matching event, no false hits. A range re-read
// whose events do not add up to the block's digest (a decoder that needed
// state from before the range) is read again from the input's start.
//
// Measured on the generated 200 MB bundle (README), one bleve document per
// notable event and per block made rca analyze 27 times as slow; with the
// sketches it takes 1.3 to 1.5 times as long as without an index, and the
// index is a tenth of the bundle's size. bleve is used for what it is good at here: the query
// language, the analyzer, and relevance scoring (Score).
//
// Incremental. An input unchanged since the last update (size, mtime, a
// hash of its head and tail) is not read; one that only grew is indexed
// from its last blocks on, and a tail that does not read as before (its
// digests) is indexed whole; a changed input is indexed again into a new
// data file; a vanished one is dropped.
//
// Safety. One process at a time holds the index (a flock on DIR/lock; a
// second waits a bounded time, then fails). Data files are only appended to
// or replaced by new ones, and state.json (which names them) is replaced by
// temp+rename after they are synced, so an update interrupted at any point,
// kill -9 included, leaves the previous index whole; the next update does
// the work again. A changed MappingVersion means a rebuild. Nothing is
// written outside the index directory.
//
// bleve types do not leave this package.
package index
