package parse

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // zones work on machines without a zoneinfo database
)

// LoadZone reads a zone given as an IANA name ("Asia/Shanghai"), "UTC"/"Z",
// "Local", or a fixed offset ("+08:00", "-0200", "+8").
func LoadZone(s string) (*time.Location, error) {
	s = strings.TrimSpace(s)
	switch strings.ToUpper(s) {
	case "", "UTC", "Z", "GMT":
		return time.UTC, nil
	case "LOCAL":
		return time.Local, nil
	}
	if s[0] == '+' || s[0] == '-' {
		sign := 1
		if s[0] == '-' {
			sign = -1
		}
		body := strings.ReplaceAll(s[1:], ":", "")
		var h, m int
		var err error
		switch len(body) {
		case 1, 2:
			h, err = strconv.Atoi(body)
		case 4:
			h, err = strconv.Atoi(body[:2])
			if err == nil {
				m, err = strconv.Atoi(body[2:])
			}
		default:
			err = fmt.Errorf("bad length")
		}
		if err != nil || h > 14 || m > 59 {
			return nil, fmt.Errorf("zone %q: want an IANA name or an offset like +08:00", s)
		}
		off := sign * (h*3600 + m*60)
		return time.FixedZone(formatOffset(off), off), nil
	}
	loc, err := time.LoadLocation(s)
	if err != nil {
		return nil, fmt.Errorf("zone %q: %w (want an IANA name like Asia/Shanghai or an offset like +08:00)", s, err)
	}
	return loc, nil
}

func formatOffset(off int) string {
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("%c%02d:%02d", sign, off/3600, off/60%60)
}

// zoneName is how a zone is reported: "UTC", an IANA name, or "+08:00".
func zoneName(loc *time.Location) string {
	if loc == nil || loc == time.UTC {
		return "UTC"
	}
	return loc.String()
}

// Zones says which zone applies to zone-less timestamps of each source.
type Zones struct {
	Default   *time.Location            // nil means UTC
	PerSource map[string]*time.Location // by source name
}

// ParseZoneFlags reads --tz values: "ZONE" sets the default, "SOURCE=ZONE"
// the zone of one source.
func ParseZoneFlags(vals []string) (Zones, error) {
	z := Zones{PerSource: map[string]*time.Location{}}
	for _, v := range vals {
		name, zs, per := strings.Cut(v, "=")
		if !per {
			zs = name
		}
		loc, err := LoadZone(zs)
		if err != nil {
			return z, fmt.Errorf("--tz %s: %w", v, err)
		}
		if per {
			z.PerSource[strings.TrimSpace(name)] = loc
		} else {
			z.Default = loc
		}
	}
	return z, nil
}

// For returns the zone for a source.
func (z Zones) For(source string) *time.Location {
	if loc, ok := z.PerSource[source]; ok {
		return loc
	}
	if z.Default != nil {
		return z.Default
	}
	return time.UTC
}
