package gen

import (
	"fmt"
	"time"
)

// goApp is a Go service logging zap JSON lines to NAME/NAME.jsonl.
type goApp struct {
	w    *world
	name string
	addr string
	path string
	js   *JSONLog
}

func newGoApp(w *world, name, addr string, loc *time.Location) *goApp {
	return &goApp{w: w, name: name, addr: addr, path: name + "/" + name + ".jsonl", js: NewJSONLog(loc)}
}

func (g *goApp) log(t time.Time, level, logger, caller, msg string, fields ...Field) {
	g.w.put(g.name, g.path, t, func(b []byte, t time.Time) []byte { return g.js.Append(b, t, level, logger, caller, msg, fields...) })
}

// serveCatalog handles a request at catalog: one query, one access line.
func (g *goApp) serveCatalog(x *gwReq) resp {
	w := g.w
	r := w.nr
	dbName := svcMySQL
	if w.db != nil {
		dbName = w.db.src
	}
	path := x.uri
	lat := time.Duration(2+r.IntN(25)) * time.Millisecond
	status := 200
	bytes := 1800 + r.IntN(5000)
	reqID := hexID(r, 16)
	switch w.dep(g.name, dbName, x.t) {
	case impRefused:
		lat = time.Duration(1+r.IntN(3)) * time.Millisecond
		g.log(x.t.Add(lat), "error", "store", "store/products.go:88", "query failed",
			Str("request_id", reqID), Str("error", fmt.Sprintf("dial tcp %s: connect: connection refused", dbAddr)))
		status, bytes = 503, 64
	case impHang:
		lat = 5*time.Second + time.Duration(r.IntN(20))*time.Millisecond
		g.log(x.t.Add(lat), "error", "store", "store/products.go:88", "query failed",
			Str("request_id", reqID), Str("error", fmt.Sprintf("dial tcp %s: i/o timeout", dbAddr)))
		status, bytes = 503, 64
	}
	level := "info"
	if status >= 500 {
		level = "error"
	}
	g.log(x.t.Add(lat), level, "http", "httpx/log.go:42", "request",
		Str("request_id", reqID), Str("method", x.method), Str("path", path), Int("status", int64(status)), Int("duration_ms", lat.Milliseconds()))
	return resp{status: status, lat: lat + time.Millisecond, bytes: bytes}
}

// storefront renders pages server-side and calls the public API through
// the gateway: it sees the gateway fail as its clients do.
func (w *world) storefront() {
	g := w.goes[svcStorefront]
	if g == nil {
		return
	}
	r := w.nr
	for t := w.start.Add(time.Duration(r.IntN(4000)) * time.Millisecond); t.Before(w.end); t = t.Add(time.Duration(1500+r.IntN(4000)) * time.Millisecond) {
		page := []string{"/", "/c/shoes", "/c/outdoor", "/p/10422", "/p/11873", "/cart"}[r.IntN(6)]
		api := fmt.Sprintf("https://%s/api/catalog/products/%d", shopHost, 10000+r.IntN(4000))
		lat := time.Duration(20+r.IntN(90)) * time.Millisecond
		status := 200
		switch {
		case w.inSpans(w.gwDown, t):
			lat = time.Duration(1+r.IntN(3)) * time.Millisecond
			g.log(t.Add(lat), "error", "apiclient", "apiclient/client.go:97", "api request failed",
				Str("url", api), Str("error", fmt.Sprintf("Get \"%s\": dial tcp %s: connect: connection refused", api, gatewayAddr)))
			status = 502
		case w.inSpans(w.gwTLS, t):
			lat = time.Duration(4+r.IntN(6)) * time.Millisecond
			g.log(t.Add(lat), "error", "apiclient", "apiclient/client.go:97", "api request failed",
				Str("url", api), Str("error", fmt.Sprintf("Get \"%s\": tls: failed to verify certificate: x509: certificate signed by unknown authority", api)))
			status = 502
		}
		level := "info"
		if status >= 500 {
			level = "error"
		}
		if status != 200 || r.IntN(3) == 0 {
			g.log(t.Add(lat+time.Millisecond), level, "http", "httpx/log.go:42", "request",
				Str("method", "GET"), Str("path", page), Int("status", int64(status)), Int("duration_ms", lat.Milliseconds()+1))
		}
	}
	// harmless: a feature-flag service the storefront polls answers slowly now and then
	for t := w.start.Add(3 * time.Minute); t.Before(w.end); t = t.Add(time.Duration(6+r.IntN(5)) * time.Minute) {
		g.log(t, "warn", "flags", "flags/poller.go:61", "feature flag refresh slow, serving cached flags", Int("duration_ms", int64(1500+r.IntN(900))), Int("flags", 48))
	}
}
