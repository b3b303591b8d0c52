package parse

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"gopkg.in/yaml.v3"
)

// bundleConfigName is the optional file at a bundle's root that says what
// the people who collected the bundle know: the zones of sources whose
// timestamps carry none, and (for analysis) the topology.
const bundleConfigName = "rca.yaml"

// BundleConfig is the content of a bundle's rca.yaml.
type BundleConfig struct {
	// Timezone is the default zone for the bundle's zone-less timestamps.
	Timezone string `yaml:"timezone"`
	// Timezones gives the zone of each source's zone-less timestamps.
	Timezones map[string]string `yaml:"timezones"`
	// Sources maps a source name to globs of the files that belong to it.
	Sources map[string][]string `yaml:"sources"`
	// Formats maps a glob to the format id forced on the files it matches.
	Formats map[string]string `yaml:"formats"`
	// Topology is read by analysis; parse keeps it as given.
	Topology yaml.Node `yaml:"topology"`
	// Path names the file it was read from (for messages).
	Path string `yaml:"-"`
}

// LoadBundleConfig reads root/rca.yaml; a missing file is no error.
func LoadBundleConfig(root string) (*BundleConfig, error) {
	p := filepath.Join(root, bundleConfigName)
	f, err := os.Open(p)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	return parseBundleConfig(data, p)
}

// parseBundleConfig reads the content of rca.yaml file p.
func parseBundleConfig(data []byte, p string) (*BundleConfig, error) {
	c := BundleConfig{Path: p}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && err != io.EOF {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	return &c, nil
}

// apply merges the config (of file p) under the command-line options: a
// flag always wins over the bundle's file.
func (c *BundleConfig) apply(o *Options, p string) error {
	if c == nil {
		return nil
	}
	if c.Timezone != "" && o.Zones.Default == nil {
		loc, err := LoadZone(c.Timezone)
		if err != nil {
			return fmt.Errorf("%s: timezone: %w", p, err)
		}
		o.Zones.Default = loc
	}
	for src, z := range c.Timezones {
		loc, err := LoadZone(z)
		if err != nil {
			return fmt.Errorf("%s: timezones: %s: %w", p, src, err)
		}
		if o.Zones.PerSource == nil {
			o.Zones.PerSource = map[string]*time.Location{}
		}
		if _, set := o.Zones.PerSource[src]; !set {
			o.Zones.PerSource[src] = loc
		}
	}
	for _, name := range sortedKeys(c.Sources) {
		for _, g := range c.Sources[name] {
			o.Sources = append(o.Sources, SourceRule{Name: name, Glob: g})
		}
	}
	for _, glob := range sortedKeys(c.Formats) {
		id := c.Formats[glob]
		if Lookup(id) == nil {
			return fmt.Errorf("%s: formats: %s: unknown format %q", p, glob, id)
		}
		o.Formats = append(o.Formats, FormatRule{Glob: glob, ID: id})
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
