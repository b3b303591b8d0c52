package correlate

import "testing"

func TestResolver(t *testing.T) {
	topo, err := ParseTopology([]byte("services:\n  order-service:\n    addresses: [\"10.0.2.5:8080\"]\n    depends_on: [mysql]\n"))
	if err != nil {
		t.Fatal(err)
	}
	srcs := []*sourceState{
		{name: "gateway", formats: map[string]int64{"nginx-access": 10}},
		{name: "order-service", formats: map[string]int64{"spring-boot": 10}},
		{name: "db", formats: map[string]int64{"mysql-error": 3}},
		{name: "kafka", formats: map[string]int64{"kafka-server": 3}},
	}
	r := newResolver(topo, srcs)
	tests := []struct {
		addr, want string
		source     bool
	}{
		{"10.0.2.5:8080", "order-service", true},
		{"http://10.0.2.5:8080/api/invoice", "order-service", true},
		{"10.0.3.7:3306", "db", true},
		{"jdbc:mysql://10.0.3.7:3306/invoice", "db", true},
		{"kafka-1/10.0.4.2:9092", "kafka", true},
		{"kafka-1:9092", "kafka", true},
		{"10.0.9.9:6379", "redis", false},
		{"api.tax.example.gov:443", "api.tax.example.gov", false},
		{"order-service.default.svc:8080", "order-service", true},
		{"10.0.5.5:8443", "10.0.5.5:8443", false},
	}
	for _, tt := range tests {
		got, src := r.service(tt.addr)
		if got != tt.want || src != tt.source {
			t.Errorf("service(%q) = %q, %v; want %q, %v", tt.addr, got, src, tt.want, tt.source)
		}
	}
	if _, err := ParseTopology([]byte("services:\n  a:\n    depend_on: [b]\n")); err == nil {
		t.Errorf("ParseTopology accepted an unknown key")
	}
}
