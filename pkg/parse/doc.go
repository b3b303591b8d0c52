// Package parse turns a log bundle — files, folders and archives — into one
// stream of normalized events.
//
// It promises:
//   - every physical line of every input is accounted for: it becomes an
//     event, a continuation folded into an event, an unparsed event (kept,
//     flagged, without a time of its own), or an empty line, and the counts
//     per input add up (Stats);
//   - every event time is UTC; a zone in the line wins, else the zone
//     configured for the source, else the default zone, else UTC;
//   - input is read as a stream with bounded buffers: no file or archive
//     member is loaded whole into memory (nested zip members up to a cap
//     are the one exception, see archive.go);
//   - inputs are read in parallel, one goroutine each, and a large file
//     of a Segmentable format in segments, one goroutine each (segment.go);
//     the events are merged by time, and a file read in segments gives the
//     same events, numbered and ordered as when read whole;
//   - parse knows nothing of incidents or kinds; it only reads and structures.
//
// Formats register themselves (Register) with a Decoder factory; detection
// (Detect) picks a format per file from a sample of its lines.
package parse
