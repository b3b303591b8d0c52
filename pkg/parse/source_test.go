package parse

import "testing"

func TestSourceOf(t *testing.T) {
	tests := []struct{ rel, want string }{
		{"gateway/access.log", "gateway"},
		{"gateway/nested/access.log", "gateway"},
		{"server.log", "server"},
		{"server.log.1", "server"},
		{"server.log.2.gz", "server"},
		{"access.log-20230815.gz", "access"},
		{"controller.log.2023-08-15-14", "controller"},
		{"mysql-slow.log", "mysql-slow"},
		{"binlog.000042.txt", "binlog.000042"},
		{"app.2023-08-15.log", "app"},
		{"state-change.log", "state-change"},
		{"./x.jsonl", "x"},
		{"1.log", "1"},
	}
	for _, tt := range tests {
		if got := SourceOf(tt.rel); got != tt.want {
			t.Errorf("SourceOf(%q) = %q, want %q", tt.rel, got, tt.want)
		}
	}
}

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		glob, rel string
		want      bool
	}{
		{"*.log", "gateway/access.log", true},
		{"gateway/*", "gateway/access.log", true},
		{"gateway/*", "gateway/x/access.log", false},
		{"access.log*", "bundle.tar.gz!/gateway/access.log.1", true},
		{"gateway/*.log", "bundle.tar.gz!/gateway/access.log", true},
		{"", "anything", true},
	}
	for _, tt := range tests {
		if got := globMatch(tt.glob, tt.rel); got != tt.want {
			t.Errorf("globMatch(%q, %q) = %v, want %v", tt.glob, tt.rel, got, tt.want)
		}
	}
}
