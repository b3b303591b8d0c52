package parse

import (
	"fmt"
	"path"
	"regexp"
	"strings"
)

// rotationSuffix matches what log rotation appends to a name: ".1", ".2.gz",
// "-20230815", ".2023-08-15", "_2023-08-15T14", ".old" — repeated.
var rotationSuffix = regexp.MustCompile(`(?i)([._-](\d{1,4}|\d{8}(\d{2,6})?|\d{4}-\d{2}-\d{2}([T_-]\d{2}([-:]?\d{2}){0,2})?|old|bak|gz|bz2|xz|zst|log|txt|json|jsonl|out|err))+$`)

// SourceOf names the source of a file given its path relative to the
// bundle root: the first folder under the root, else the file's stem
// without extensions and rotation suffixes ("server.log.1" -> "server").
func SourceOf(rel string) string {
	rel = strings.TrimPrefix(path.Clean("/"+rel), "/")
	if i := strings.IndexByte(rel, '/'); i > 0 {
		return rel[:i]
	}
	return Stem(rel)
}

// Stem is a file name without extensions and rotation suffixes; rotated
// files of one log share it ("x.log", "x.log.1", "x.log.2.gz" -> "x").
func Stem(name string) string {
	base := path.Base(name)
	stem := rotationSuffix.ReplaceAllString(base, "")
	if stem == "" || stem == "." {
		return base
	}
	return stem
}

// SourceRule assigns a source name to the files a glob matches
// (--source NAME=GLOB).
type SourceRule struct {
	Name string
	Glob string
}

// FormatRule forces a format on the files a glob matches (--format GLOB=ID;
// an empty Glob matches every file).
type FormatRule struct {
	Glob string
	ID   string
}

// ParseSourceFlags reads --source NAME=GLOB values.
func ParseSourceFlags(vals []string) ([]SourceRule, error) {
	var out []SourceRule
	for _, v := range vals {
		name, glob, ok := strings.Cut(v, "=")
		if !ok || strings.TrimSpace(name) == "" || glob == "" {
			return nil, fmt.Errorf("--source %q: want NAME=GLOB, e.g. --source gateway='edge/*.log'", v)
		}
		if _, err := path.Match(glob, ""); err != nil {
			return nil, fmt.Errorf("--source %q: bad glob: %w", v, err)
		}
		out = append(out, SourceRule{Name: strings.TrimSpace(name), Glob: glob})
	}
	return out, nil
}

// ParseFormatFlags reads --format ID and --format GLOB=ID values and checks
// that every id is a known format.
func ParseFormatFlags(vals []string) ([]FormatRule, error) {
	var out []FormatRule
	for _, v := range vals {
		glob, id, ok := strings.Cut(v, "=")
		if !ok {
			glob, id = "", v
		}
		if Lookup(id) == nil {
			return nil, fmt.Errorf("format %q: unknown format %q (see `rca formats`)", v, id)
		}
		if _, err := path.Match(glob, ""); err != nil {
			return nil, fmt.Errorf("format %q: bad glob: %w", v, err)
		}
		out = append(out, FormatRule{Glob: glob, ID: id})
	}
	return out, nil
}

// globMatch matches a glob against a relative path, its base name, and (for
// archive members) the part after "!/". "**/" is not special; "*" does not
// cross "/", so "gateway/*" names the files in gateway.
func globMatch(glob, rel string) bool {
	if glob == "" {
		return true
	}
	cands := []string{rel, path.Base(rel)}
	if i := strings.LastIndex(rel, "!/"); i >= 0 {
		cands = append(cands, rel[i+2:])
	}
	for _, c := range cands {
		if ok, _ := path.Match(glob, c); ok {
			return true
		}
	}
	return false
}
