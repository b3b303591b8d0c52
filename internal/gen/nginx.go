package gen

import "time"

// NginxLogFormat is the access-log format the generator writes: nginx's
// predefined "combined" format with three upstream variables appended.
// $upstream_addr and $upstream_status are "-" when nginx answered itself
// (no upstream was contacted). The generated gateways use
// proxy_next_upstream off, so they never hold the comma-separated lists
// nginx writes when it tries several upstreams for one request.
const NginxLogFormat = `log_format main '$remote_addr - $remote_user [$time_local] "$request" ' ` +
	`'$status $body_bytes_sent "$http_referer" "$http_user_agent" ' ` +
	`'$request_time $upstream_addr $upstream_status';`

// Access is one request in an nginx access log.
type Access struct {
	Client         string // $remote_addr
	User           string // $remote_user, "" for "-"
	Method         string
	URI            string // path and query as the client sent them
	Proto          string // "HTTP/1.1"
	Status         int
	Bytes          int    // $body_bytes_sent
	Referer        string // "" for "-"
	UserAgent      string // "" for "-"
	RequestTime    time.Duration
	Upstream       string // host:port, "" when nginx answered itself
	UpstreamStatus int    // 0 when no upstream answered
}

// Nginx writes nginx access and error log lines in one zone: access lines
// carry the zone's offset ($time_local), error lines carry none.
type Nginx struct {
	k *Clock
}

// NewNginx returns a writer for a gateway whose system zone is loc.
func NewNginx(loc *time.Location) *Nginx { return &Nginx{k: NewClock(loc)} }

// AppendAccess appends one access-log line (with its newline) for a request
// logged at t (nginx stamps access lines when the request completes).
func (n *Nginx) AppendAccess(b []byte, t time.Time, a *Access) []byte {
	c := n.k.at(t)
	b = append(b, a.Client...)
	b = append(b, " - "...)
	b = appendDash(b, a.User)
	b = append(b, " ["...)
	b = append2(b, c.day)
	b = append(b, '/')
	b = append(b, monthAbbr[c.month]...)
	b = append(b, '/')
	b = append4(b, c.year)
	b = append(b, ':')
	b = appendHMS(b, c)
	b = append(b, ' ')
	b = appendOffset(b, c.off, false, false)
	b = append(b, "] \""...)
	b = append(b, a.Method...)
	b = append(b, ' ')
	b = append(b, a.URI...)
	b = append(b, ' ')
	b = append(b, a.Proto...)
	b = append(b, "\" "...)
	b = appendInt(b, int64(a.Status))
	b = append(b, ' ')
	b = appendInt(b, int64(a.Bytes))
	b = append(b, " \""...)
	b = appendDash(b, a.Referer)
	b = append(b, "\" \""...)
	b = appendDash(b, a.UserAgent)
	b = append(b, "\" "...)
	b = appendSeconds(b, a.RequestTime, 3)
	b = append(b, ' ')
	b = appendDash(b, a.Upstream)
	b = append(b, ' ')
	if a.UpstreamStatus == 0 {
		b = append(b, '-')
	} else {
		b = appendInt(b, int64(a.UpstreamStatus))
	}
	return append(b, '\n')
}

// NginxError is one error-log entry. Text is the message proper, e.g.
// "upstream timed out (110: Connection timed out) while reading response
// header from upstream"; the request context follows it as nginx writes it.
type NginxError struct {
	Level    string // "error", "warn", "crit", "notice", ...
	PID      int    // worker pid; the line shows PID#TID with TID = PID
	Conn     int64  // connection number (*N); 0 for none
	Text     string
	Client   string
	Server   string
	Request  string // "POST /api/invoice HTTP/1.1"
	Upstream string // "http://10.0.2.5:8080/api/invoice"
	Host     string // the Host header, "api.invoice.example.com:9443"
	Referrer string
}

// AppendError appends one error-log line (with its newline).
func (n *Nginx) AppendError(b []byte, t time.Time, e *NginxError) []byte {
	c := n.k.at(t)
	b = appendDate(b, c, '/')
	b = append(b, ' ')
	b = appendHMS(b, c)
	b = append(b, " ["...)
	b = append(b, e.Level...)
	b = append(b, "] "...)
	b = appendInt(b, int64(e.PID))
	b = append(b, '#')
	b = appendInt(b, int64(e.PID))
	b = append(b, ": "...)
	if e.Conn > 0 {
		b = append(b, '*')
		b = appendInt(b, e.Conn)
		b = append(b, ' ')
	}
	b = append(b, e.Text...)
	if e.Client != "" {
		b = append(b, ", client: "...)
		b = append(b, e.Client...)
	}
	if e.Server != "" {
		b = append(b, ", server: "...)
		b = append(b, e.Server...)
	}
	if e.Request != "" {
		b = append(b, ", request: \""...)
		b = append(b, e.Request...)
		b = append(b, '"')
	}
	if e.Upstream != "" {
		b = append(b, ", upstream: \""...)
		b = append(b, e.Upstream...)
		b = append(b, '"')
	}
	if e.Host != "" {
		b = append(b, ", host: \""...)
		b = append(b, e.Host...)
		b = append(b, '"')
	}
	if e.Referrer != "" {
		b = append(b, ", referrer: \""...)
		b = append(b, e.Referrer...)
		b = append(b, '"')
	}
	return append(b, '\n')
}

func appendDash(b []byte, s string) []byte {
	if s == "" {
		return append(b, '-')
	}
	return append(b, s...)
}

// NginxErrorPageBytes is the size of nginx's built-in error page for a
// status (server_tokens off), the $body_bytes_sent of responses nginx
// generates itself: 404 for a missing file, 502/504 for upstream failures.
func NginxErrorPageBytes(status int) int {
	title := map[int]string{
		400: "400 Bad Request", 404: "404 Not Found", 499: "",
		500: "500 Internal Server Error", 502: "502 Bad Gateway",
		503: "503 Service Temporarily Unavailable", 504: "504 Gateway Time-out",
	}[status]
	if title == "" {
		return 0
	}
	head := "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title + "</h1></center>\r\n"
	tail := "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
	return len(head) + len(tail)
}
