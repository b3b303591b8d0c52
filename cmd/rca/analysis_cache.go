package main

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/rca-dev/rca/pkg/correlate"
	"github.com/rca-dev/rca/pkg/event"
	"github.com/rca-dev/rca/pkg/parse"
)

// A re-run of rca analyze on a bundle that has not changed reuses the
// analysis the index keeps (pkg/index: StoredAnalysis) instead of reading
// the bundle again. The key names all that the report is made of, so a
// stored analysis is only found when a fresh one would be the same:
//   - this program (its Go build ID, whose content ID is a hash of the
//     executable, or else a hash of the executable itself: executableHash;
//     any rebuild misses);
//   - the settings that shape the report: --since, --until, --bucket,
//     --no-skew, the topology (--topology or the bundle's rca.yaml, as
//     loaded), the ingest flags, and the content of every formats file;
//   - every input as planned (path, size, mtime, why skipped) and the
//     content of the bundle's rca.yaml files;
//   - what the index update found of each input (size, mtime, hashes of its
//     head and tail: index.Update.Fingerprint).
// Flags that only choose how the report is shown (--format, --output,
// --top, --fail-on, --color, --width, --rows) are not part of it. --baseline
// runs are not cached: their bundles are not fingerprinted.

// analysisSchema versions the stored payload.
const analysisSchema = "rca.analysis/1"

// storedAnalysis is what the index keeps of one analysis: the report
// before --top, and the warnings the run wrote about its inputs.
type storedAnalysis struct {
	Schema   string        `json:"schema"`
	Report   *event.Report `json:"report"`
	Warnings string        `json:"warnings"`
}

// executableHash identifies this program. The go command writes a build
// ID into every executable it links, whose last part is a hash of the
// executable's content (cmd/go: the content ID), so the ID changes with
// any rebuild that changes a byte; reading it costs a few KiB of the file
// where hashing the executable whole costs reading and hashing 30 MB on
// every run. An executable without such an ID (linked with -buildid= or
// by another tool) is hashed whole.
var executableHash = sync.OnceValue(func() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	f, err := os.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	if id := goBuildID(f); id != "" {
		return "go-build-id:" + id
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return ""
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
})

// goBuildID returns the Go build ID of an executable, or "" when it has
// none the go command made: four parts separated by slashes, the last the
// content ID. ELF keeps it in the note section .note.go.buildid; other
// formats in a string near the start of the text ("\xff Go build ID:
// \"...\"\n \xff"), looked for in the first 32 KiB as cmd/go does.
func goBuildID(f io.ReaderAt) string {
	head := make([]byte, 32<<10)
	n, err := f.ReadAt(head, 0)
	if n == 0 && err != nil {
		return ""
	}
	head = head[:n]
	var id string
	if bytes.HasPrefix(head, []byte(elf.ELFMAG)) {
		ef, err := elf.NewFile(f)
		if err != nil {
			return ""
		}
		sec := ef.Section(".note.go.buildid")
		if sec == nil || sec.Size > 4096 {
			return ""
		}
		note, err := sec.Data()
		if err != nil {
			return ""
		}
		id = elfGoNote(note, ef.ByteOrder)
	} else {
		const prefix = "\xff Go build ID: \""
		i := bytes.Index(head, []byte(prefix))
		if i < 0 {
			return ""
		}
		rest := head[i+len(prefix):]
		j := bytes.IndexByte(rest, '"')
		if j < 0 {
			return ""
		}
		id = string(rest[:j])
	}
	parts := strings.Split(id, "/")
	if len(parts) != 4 {
		return ""
	}
	for _, p := range parts {
		if p == "" {
			return ""
		}
	}
	return id
}

// elfGoNote returns the description of an ELF note named "Go" of type 4
// (the Go build ID), or "".
func elfGoNote(note []byte, order binary.ByteOrder) string {
	if len(note) < 16 {
		return ""
	}
	namesz, descsz, typ := order.Uint32(note), order.Uint32(note[4:]), order.Uint32(note[8:])
	if namesz != 4 || typ != 4 || string(note[12:16]) != "Go\x00\x00" || uint64(descsz) > uint64(len(note)-16) {
		return ""
	}
	return string(note[16 : 16+descsz])
}

// analysisKey names the analysis of plan under opts and cfg; "" means the
// run cannot be cached (no executable to hash, a settings file unreadable).
func analysisKey(opts *analyzeOptions, cfg correlate.Config, plan *parse.Plan, fingerprint string) string {
	exe := executableHash()
	if exe == "" || len(opts.baseline) > 0 {
		return ""
	}
	h := sha256.New()
	ok := true // a part that cannot be encoded makes the run uncacheable
	put := func(v any) {
		b, err := json.Marshal(v)
		ok = ok && err == nil
		h.Write(b)
		h.Write([]byte{'\n'})
	}
	settings := struct {
		Schema, Version, Exe, Since, Until, Bucket, Ingest string
		NoSkew                                             bool
		Topology                                           *correlate.Topology
	}{analysisSchema, version, exe, opts.since, opts.until, opts.bucket.String(), opts.ingest.config(), opts.noSkew, cfg.Topology}
	put(settings)
	for _, p := range opts.formatFiles {
		data, err := os.ReadFile(p)
		if err != nil {
			return ""
		}
		put(struct{ Path, Sum string }{p, sum(data)})
	}
	for _, in := range plan.Inputs {
		rec := struct {
			Path, Root, Skipped string
			Ignored             bool
			Size, MTime         int64
			Config              string `json:",omitempty"`
		}{in.Path, in.Root, in.Skipped, in.Ignored, in.Size, in.ModTime.UnixNano(), ""}
		if in.Ignored && path.Base(in.Path) == "rca.yaml" {
			data := in.Config() // an archive's, read while listing it
			if data == nil {
				var err error
				if data, err = os.ReadFile(filepath.Join(in.Root, filepath.FromSlash(in.Path))); err != nil {
					return ""
				}
			}
			rec.Config = sum(data)
		}
		put(rec)
	}
	put(fingerprint)
	if !ok {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// encodeAnalysis is the payload the index stores.
func encodeAnalysis(rep *event.Report, warnings string) ([]byte, error) {
	return json.Marshal(storedAnalysis{Schema: analysisSchema, Report: rep, Warnings: warnings})
}

// decodeAnalysis reads a stored payload; ok is false when it is not one
// this program wrote.
func decodeAnalysis(data []byte) (rep *event.Report, warnings string, ok bool) {
	var s storedAnalysis
	if err := json.Unmarshal(data, &s); err != nil || s.Schema != analysisSchema || s.Report == nil {
		return nil, "", false
	}
	return s.Report, s.Warnings, true
}

// reusedNote tells the user where the report came from.
func reusedNote(w io.Writer, dir string) {
	fmt.Fprintf(w, "rca: the bundle is unchanged since its last analysis: report reused from the index %s (--reanalyze reads it again)\n", dir)
}
