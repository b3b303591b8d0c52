package correlate

import (
	"bytes"
	"fmt"
	"net"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Topology is what a user knows of the system: services, their addresses
// and what each depends on. Read from --topology or a bundle's rca.yaml:
//
//	services:
//	  order-service:
//	    addresses: ["10.0.2.5:8080", "order-service:8080"]
//	    depends_on: [mysql, kafka, tax-adapter]
//	  mysql:
//	    addresses: ["10.0.3.7:3306"]
type Topology struct {
	Services map[string]ServiceSpec `yaml:"services"`
}

// ServiceSpec describes one service of a topology.
type ServiceSpec struct {
	Addresses []string `yaml:"addresses"`
	DependsOn []string `yaml:"depends_on"`
}

// ParseTopology reads a topology document (YAML or JSON). Unknown keys are
// an error, so a typo does not silently drop a dependency.
func ParseTopology(data []byte) (*Topology, error) {
	var t Topology
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("topology: %w", err)
	}
	for name, s := range t.Services {
		for _, d := range s.DependsOn {
			if d == name {
				return nil, fmt.Errorf("topology: service %q depends on itself", name)
			}
		}
	}
	return &t, nil
}

// wellKnownPorts names the service type behind a port.
var wellKnownPorts = map[string]string{
	"3306": "mysql", "33060": "mysql", "9092": "kafka", "9093": "kafka", "9094": "kafka",
	"6379": "redis", "5432": "postgresql", "2181": "zookeeper", "27017": "mongodb",
	"9200": "elasticsearch", "11211": "memcached", "5672": "rabbitmq", "1521": "oracle", "1433": "mssql",
}

// formatTypes names the service type a source's log format reveals.
var formatTypes = map[string]string{
	"mysql-error": "mysql", "mysql-slow": "mysql", "mysql-binlog": "mysql", "kafka-server": "kafka",
}

// resolver maps addresses (host:port, URLs, hosts) to service names.
type resolver struct {
	topo    map[string]string   // address or host -> service
	sources []string            // source names, longest first
	byType  map[string][]string // service type -> sources of that type
	cache   map[string]string
}

func newResolver(t *Topology, srcs []*sourceState) *resolver {
	r := &resolver{topo: map[string]string{}, byType: map[string][]string{}, cache: map[string]string{}}
	if t != nil {
		for name, s := range t.Services {
			for _, a := range s.Addresses {
				a = strings.ToLower(strings.TrimSpace(a))
				r.topo[a] = name
				if h, _, err := net.SplitHostPort(a); err == nil {
					if _, dup := r.topo[h]; !dup {
						r.topo[h] = name
					}
				}
			}
		}
	}
	for _, s := range srcs {
		r.sources = append(r.sources, s.name)
		typ := ""
		best := int64(0)
		for f, n := range s.formats {
			if t, ok := formatTypes[f]; ok && n > best {
				typ, best = t, n
			}
		}
		if typ == "" {
			for _, t := range wellKnownPorts {
				if strings.Contains(strings.ToLower(s.name), t) {
					typ = t
				}
			}
			if strings.Contains(strings.ToLower(s.name), "mariadb") {
				typ = "mysql"
			}
		}
		if typ != "" {
			r.byType[typ] = append(r.byType[typ], s.name)
		}
	}
	for _, v := range r.byType {
		sort.Strings(v)
	}
	sort.Slice(r.sources, func(i, j int) bool {
		if len(r.sources[i]) != len(r.sources[j]) {
			return len(r.sources[i]) > len(r.sources[j])
		}
		return r.sources[i] < r.sources[j]
	})
	return r
}

// splitAddr takes "http://10.0.2.5:8080/x", "10.0.2.5:8080", "db-1/10.0.3.7:3306"
// or "kafka-1" apart into host names and a port.
func splitAddr(addr string) (hosts []string, port string) {
	a := strings.ToLower(strings.TrimSpace(addr))
	if i := strings.Index(a, "://"); i >= 0 {
		a = a[i+3:]
	}
	if i := strings.IndexAny(a, "/?"); i >= 0 && !strings.Contains(a[:i], ":") && strings.Count(a, "/") == 1 && i > 0 {
		// Java's "host/ip:port": both name the peer
		hosts = append(hosts, a[:i])
		a = a[i+1:]
	} else if i >= 0 {
		a = a[:i]
	}
	if h, p, err := net.SplitHostPort(a); err == nil {
		return append(hosts, h), p
	}
	return append(hosts, strings.Trim(a, "[]")), ""
}

// service names the service an address belongs to, and whether it is one
// of the bundle's sources. Unknown addresses name themselves (the host, or
// the well-known service type of the port): a component with no logs can
// still be blamed.
func (r *resolver) service(addr string) (string, bool) {
	if addr == "" {
		return "", false
	}
	if s, ok := r.cache[addr]; ok {
		return s, r.isSource(s)
	}
	s := r.resolve(addr)
	r.cache[addr] = s
	return s, r.isSource(s)
}

func (r *resolver) isSource(name string) bool {
	for _, s := range r.sources {
		if s == name {
			return true
		}
	}
	return false
}

func (r *resolver) resolve(addr string) string {
	la := strings.ToLower(strings.TrimSpace(addr))
	if s, ok := r.topo[la]; ok {
		return s
	}
	hosts, port := splitAddr(addr)
	for _, h := range hosts {
		if s, ok := r.topo[h+":"+port]; ok && port != "" {
			return s
		}
		if s, ok := r.topo[h]; ok {
			return s
		}
	}
	for _, h := range hosts {
		if net.ParseIP(h) != nil {
			continue
		}
		for _, src := range r.sources {
			ls := strings.ToLower(src)
			if h == ls || strings.HasPrefix(h, ls+"-") || strings.HasPrefix(h, ls+".") || strings.HasPrefix(h, ls+"_") {
				return src
			}
		}
	}
	if typ, ok := wellKnownPorts[port]; ok {
		if srcs := r.byType[typ]; len(srcs) > 0 {
			return srcs[0]
		}
		return typ
	}
	for _, h := range hosts {
		if h != "" && net.ParseIP(h) == nil {
			return h
		}
	}
	if port != "" {
		return hosts[len(hosts)-1] + ":" + port
	}
	return hosts[len(hosts)-1]
}

// serviceType is "mysql", "kafka"... for a service name, or "".
func (r *resolver) serviceType(name string) string {
	for typ, srcs := range r.byType {
		for _, s := range srcs {
			if s == name {
				return typ
			}
		}
	}
	for _, typ := range wellKnownPorts {
		if name == typ {
			return typ
		}
	}
	return ""
}
