package parse

import (
	"strings"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// gatewayBench decodes about 4 MB made of the given real lines repeated,
// with the format forced, and reports throughput and allocations.
func gatewayBench(b *testing.B, id string, lines ...string) {
	var sb strings.Builder
	for sb.Len() < 4<<20 {
		for _, l := range lines {
			sb.WriteString(l)
			sb.WriteByte('\n')
		}
	}
	text := sb.String()
	spec := Spec{Path: "bench.log", Source: "bench", ModTime: testModTime, Loc: time.UTC, Format: Lookup(id)}
	emit := func(*event.Event) {}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st, err := ReadInput(strings.NewReader(text), spec, emit)
		if err != nil || st.Unparsed != 0 {
			b.Fatalf("err %v, %d unparsed", err, st.Unparsed)
		}
	}
}

func BenchmarkNginx(b *testing.B) {
	b.Run("access", func(b *testing.B) {
		gatewayBench(b, "nginx-access",
			`77.179.66.156 - - [25/Oct/2016:14:49:34 +0200] "GET /favicon.ico HTTP/1.1" 404 571 "http://localhost:8080/" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_12_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/54.0.2840.59 Safari/537.36"`,
			`10.0.0.2, 10.0.0.1, 85.181.35.98 - - [07/Dec/2016:11:05:07 +0100] "GET /ocelot HTTP/1.1" 200 571 "-" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:49.0) Gecko/20100101 Firefox/49.0"`,
			`10.0.0.7 - - [15/Aug/2023:14:22:17 +0000] "GET /api/orders?id=7 HTTP/1.1" 200 1327 "https://shop.example.com/" "Mozilla/5.0 (X11; Linux x86_64)" "198.51.100.4, 10.0.0.1" rt=0.123 uct="0.000" uht="0.010" urt="0.011"`,
			`10.0.0.7 - - [15/Aug/2023:14:22:17 +0200] "GET /api/invoice HTTP/1.1" 503 197 "-" "okhttp/4.9.3" 0.012 0.011 10.0.2.5:8080 503`)
	})
	b.Run("ingress", func(b *testing.B) {
		gatewayBench(b, "nginx-ingress",
			`192.168.64.1 - - [07/Feb/2020:11:55:57 +0000] "GET /products/42 HTTP/1.1" 200 59 "-" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14_6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/79.0.3945.130 Safari/537.36" 450 0.001 [default-web-8080] [] 172.17.0.5:8080 59 0.000 200 da29abf31e4d6324cebe5e7bca370709`,
			`192.168.64.14 - - [07/Feb/2020:12:02:42 +0000] "GET /v2/some HTTP/1.1" 200 61 "-" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.14; rv:72.0) Gecko/20100101 Firefox/72.0" 348 0.001 [default-web2-8080] [] 172.17.0.6:8080, 172.17.0.7:8080 61, 100 0.100, 0.004 200, 203 835136ae24486dbb4156dcbe21f5d402`,
			`I0203 21:40:04.060345       6 controller.go:146] "Configuration changes detected, backend reload required"`)
	})
	b.Run("error", func(b *testing.B) {
		gatewayBench(b, "nginx-error",
			`2016/10/25 14:49:34 [error] 54053#0: *1 open() "/usr/local/Cellar/nginx/1.10.2_1/html/favicon.ico" failed (2: No such file or directory), client: 127.0.0.1, server: localhost, request: "GET /favicon.ico HTTP/1.1", host: "localhost:8080", referrer: "http://localhost:8080/"`,
			`2023/08/15 14:22:17 [error] 1234#5678: *99 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.7, server: api.example.com, request: "GET /x HTTP/1.1", upstream: "http://10.0.2.5:8080/x", host: "api.example.com"`,
			`2023/08/15 14:22:10 [notice] 1#1: using the "epoll" event method`)
	})
}

func BenchmarkEnvoy(b *testing.B) {
	b.Run("access", func(b *testing.B) {
		gatewayBench(b, "envoy-access",
			`[2019-03-06T09:31:27.354Z] "GET /status/418 HTTP/1.1" 418 - "-" 0 135 11 10 "-" "curl/7.60.0" "d209e46f-9ed5-9b61-bbdd-43e22662702a" "httpbin:8000" "172.30.146.73:80" outbound|8000||httpbin.default.svc.cluster.local - 172.21.13.94:8000 172.30.146.82:60290 -`,
			`[2018-07-13T15:56:58.312Z] "GET /v1/gifs/search?q=totalmete+s&api_key=FyzFCUcvrJXvG&limit=20&offset=0&rating=pg&lang=en&country_code=US HTTP/1.1" 200 - 0 11187 107 107 "173.252.99.154, 23.235.39.44, 23.235.46.35" "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)" "820b432a-32c1-98d5-b5e2-310f824f940f" "api.giphy.com" "127.0.0.1:8000"`,
			`[2021-03-12T09:11:51.592Z] "GET /server_info HTTP/1.1" 200 - 0 27805 1 - "64.145.79.247" "Datadog Agent/7.26.0" "d0000a1f-0000-4b42-0000-0000e13d78ca" "64.145.79.247:8001" "-"`)
	})
	b.Run("app", func(b *testing.B) {
		gatewayBench(b, "envoy-app",
			`[2021-03-12 15:31:30.492][1][warning][runtime] [source/common/runtime/runtime_features.cc:31] Unable to use runtime singleton for feature envoy.http.headermap.lazy_map_min_size`,
			`[2019-10-14 10:56:06.963][326][debug][router] [external/envoy/source/common/router/router.cc:332] [C523429][S16681021969230338662] cluster 'outbound|3001||apigw-back-console.default.mesh.xxxx.com' match for URL '/public/js/app.06abacd6.js'`,
			"2023-10-12T08:08:15.270118Z\tdebug\tenvoy pool external/envoy/source/common/conn_pool/conn_pool_base.cc:265\t[C107599] using existing fully connected connection\tthread=25")
	})
}

func BenchmarkHAProxy(b *testing.B) {
	gatewayBench(b, "haproxy",
		`Feb 25 16:19:49 192.168.4.2 haproxy[7]: 141.35.244.171:53332 [25/Feb/2019:16:19:48.143] prod_http_in~ bk_admin/nginx_sonst 0/0/7/1457/1487 200 11394 - - ---- 2/1/0/0/0 0/0 {Mozilla/5.0 (Windows NT 6.1; Win64; x64; rv:65.0) Gecko/20100101 Firefox/65.0} {} "GET /admin/colt/administration?survey=130&input_stats=1&ajax=1&&ajax=1&refresh=1&ihandle=1 HTTP/1.1"`,
		`Jul 30 09:03:52 localhost haproxy[32450]: 1.2.3.4:38862 [30/Jul/2018:09:03:52.726] incoming~ docs_microservice/docs 0/0/1/0/2 304 168 - - ---- 6/6/0/0/0 0/0 {docs.example.internal||} {|||} "GET /component---src-pages-index-js-4b15624544f97cf0bb8f.js HTTP/1.1"`,
		`Sep 20 15:44:23 127.0.0.1 haproxy[25457]: 127.0.0.1:40962 [20/Sep/2018:15:44:23.285] main app/<NOSRV> -1/-1/1 212 SC 1/1/0/0/0 0/0`,
		`Feb 25 16:19:38 192.168.4.2 haproxy[1]: Proxy prod_http_in started.`)
}
