// Command gen writes synthetic log bundles for rca's tests and benchmarks.
//
//	go run ./scripts/gen demo DIR                      # the invoice-outage demo bundle
//	go run ./scripts/gen large [-size 1GB] [-seed 1] DIR # a large realistic bundle
//	go run ./scripts/gen scenario [-seed 1] NAME|all DIR # scenario bundles (DIR/NAME when all)
//	go run ./scripts/gen hostile DIR                   # damaged and malicious inputs (testdata/hostile)
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/rca-dev/rca/internal/gen"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func usage() error {
	return fmt.Errorf("usage: gen demo DIR | gen large [-size 1GB] [-seed N] DIR | gen scenario [-seed N] NAME|all DIR | gen hostile DIR")
}

func run(args []string) error {
	if len(args) < 1 {
		return usage()
	}
	switch args[0] {
	case "demo":
		if len(args) != 2 {
			return usage()
		}
		return gen.WriteDemo(args[1])
	case "scenario":
		fs := flag.NewFlagSet("scenario", flag.ContinueOnError)
		seed := fs.Int64("seed", 1, "random seed; the same seed writes the same bytes")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if fs.NArg() != 2 {
			return usage()
		}
		name, dir := fs.Arg(0), fs.Arg(1)
		if name == "all" {
			for _, s := range gen.Scenarios() {
				if err := s.Write(dir+"/"+s.Name, *seed); err != nil {
					return err
				}
			}
			return nil
		}
		s, ok := gen.ScenarioByName(name)
		if !ok {
			var names []string
			for _, s := range append(gen.Scenarios(), gen.Baselines()...) {
				names = append(names, s.Name)
			}
			return fmt.Errorf("unknown scenario %q (have: %s)", name, strings.Join(names, ", "))
		}
		return s.Write(dir, *seed)
	case "hostile":
		if len(args) != 2 {
			return usage()
		}
		return gen.WriteHostile(args[1])
	case "large":
		fs := flag.NewFlagSet("large", flag.ContinueOnError)
		size := fs.String("size", "1GB", "approximate bundle size (e.g. 200MB, 1GB, 1.5GiB, 5000000)")
		seed := fs.Int64("seed", 1, "random seed; the same seed writes the same bytes")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if fs.NArg() != 1 {
			return usage()
		}
		n, err := parseSize(*size)
		if err != nil {
			return err
		}
		start := time.Now()
		if err := gen.WriteLarge(fs.Arg(0), n, *seed); err != nil {
			return err
		}
		el := time.Since(start)
		fmt.Fprintf(os.Stderr, "wrote %d bytes in %v (%.0f MB/s)\n", n, el.Round(time.Millisecond), float64(n)/1e6/el.Seconds())
		return nil
	}
	return usage()
}

// parseSize reads 1GB, 200MB, 512KiB, 1.5G or a plain byte count (decimal
// units are powers of 1000, binary ones of 1024).
func parseSize(s string) (int64, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	mult := 1.0
	for _, x := range []struct {
		suf string
		m   float64
	}{{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"K", 1e3}, {"M", 1e6}, {"G", 1e9}, {"B", 1}} {
		if strings.HasSuffix(u, x.suf) {
			u, mult = strings.TrimSpace(strings.TrimSuffix(u, x.suf)), x.m
			break
		}
	}
	v, err := strconv.ParseFloat(u, 64)
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("bad size %q", s)
	}
	return int64(v * mult), nil
}
