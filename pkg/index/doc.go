// Package index keeps a persistent full-text index of a bundle's events so
// that questions can be asked after the report (rca search).
//
// Design. Indexing every event as a bleve document costs ~15k docs/s on two
// cores, far more than reading the bundle, so the index holds two kinds of
// document:
//
//   - notable events (level warn or above, or a classified kind) as full
//     documents: message (text, with positions for phrases), source, level,
//     kind, format and file (keywords), time (datetime), status, latency_ms,
//     bytes and line (numbers), and the other extracted fields (keywords);
//   - blocks: every other event of a file is grouped in blocks of BlockSize
//     events, and one document per block holds the union of the block's
//     terms under the same field names (message text, the distinct levels,
//     field values, status codes).
//
// A search runs the query on notable events directly. For blocks it runs a
// relaxed query (negations and time ranges removed, so it can only widen the
// match) to find candidate blocks, re-reads the candidates' events from the
// bundle and runs the exact query on them in a small in-memory index. The
// results are therefore exact: every matching event, no false hits. The line
// and byte ranges and time ranges of blocks live in the index's state file,
// not in bleve.
//
// Safety. One process at a time holds the index (a flock on DIR/lock; a
// second waits a bounded time, then fails). The state file (DIR/state.json)
// is written with temp+rename; an update first marks it incomplete and marks
// it complete last, so an index interrupted mid-build is rebuilt on the next
// run. A changed MappingVersion also means a rebuild. Nothing is written
// outside the index directory.
//
// bleve types do not leave this package.
package index
