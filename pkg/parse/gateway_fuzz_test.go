package parse

import "testing"

func FuzzNginxAccess(f *testing.F) {
	fuzzFormat(f, "nginx-access",
		`10.0.0.2, 10.0.0.1, 127.0.0.1 - - [07/Dec/2016:11:05:07 +0100] "GET /ocelot HTTP/1.1" 200 571 "-" "Mozilla/5.0"`+"\n",
		`example.com:80 "10.5.102.222, 199.96.1.1" 10.2.1.185 - - [22/Jan/2016:13:18:29 +0000] "GET /a HTTP/1.1" 200 25507 "-" "Amazon CloudFront"`+"\n",
		`[10/Aug/2018:09:45:56 +0200] 172.30.0.119 TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 "GET /x HTTP/1.1" 1375`+"\n",
		`10.0.0.7 - - [15/Aug/2023:14:22:17 +0200] "GET / HTTP/1.1" 502 1 "-" "c" 1.5 10.0.2.5:8080, 10.0.2.6:8080 : 10.0.2.7:80 502, 502 : 200 urt="0.1, 0.2" us=- ua="x`+"\n",
		"2019/10/30 23:26:34 [error] 205860#205860: *180289 FastCGI sent in stderr: \"PHP message\nPHP message: x\" while reading, client: 1.2.3.4, request: \"GET /",
	)
}

func FuzzNginxIngress(f *testing.F) {
	fuzzFormat(f, "nginx-ingress",
		`192.168.64.14 - - [07/Feb/2020:12:02:42 +0000] "GET /v2/some HTTP/1.1" 200 61 "-" "Mozilla/5.0" 348 0.001 [default-web2-8080] [] 172.17.0.6:8080, 172.17.0.7:8080 61, 100 0.100, 0.004 200, 203 835136ae24486dbb4156dcbe21f5d402`+"\n",
		`104.156.229.24 - [104.156.229.24] - - [25/Jun/2018:15:26:49 +0000] "GET /pro/ HTTP/1.1" 200 4180 "-" "x" 522 1.683 [apps] 172.20.84.227:5000 16631 1.684 200 f5981fc9e19566a250f13d8fa7cbce60`+"\n",
		"NGINX Ingress controller\nI0517 14:06:33.081698       7 main.go:209] \"Creating API client\"\nF0517 14:06:40.000001       7 main.go:120] panic\ngoroutine 1 [running]:\n",
	)
}

func FuzzNginxError(f *testing.F) {
	fuzzFormat(f, "nginx-error",
		"2019/10/30 23:26:34 [error] 205860#205860: *180289 FastCGI sent in stderr: \"PHP message: x\nPHP message: y\" while reading response header from upstream, client: 1.2.3.4, server: _, request: \"GET / HTTP/1.1\", upstream: \"fastcgi://unix:/run/php.sock:\", host: \"h\"\n",
		"2023/08/15 14:22:18 [crit] 31#31: *1210 connect() to unix:/run/php/php-fpm.sock failed (2: No such file or directory)\n",
		"2023/08/15 14:22:19 [emerg] 1#1: host not found in upstream \"api:8080\"\n",
	)
}

func FuzzEnvoyAccess(f *testing.F) {
	fuzzFormat(f, "envoy-access",
		`[2019-03-06T09:31:27.354Z] "GET /status/418 HTTP/1.1" 418 - "-" 0 135 11 10 "-" "curl/7.60.0" "d209e46f-9ed5-9b61-bbdd-43e22662702a" "httpbin:8000" "172.30.146.73:80" outbound|8000||httpbin.default.svc.cluster.local - 172.21.13.94:8000 172.30.146.82:60290 -`+"\n",
		`[2023-07-05T10:11:13.001Z] "- - -" 0 UF,URX - - "-" 0 0 10001 - "-" "-" "-" "-" "10.80.47.193:5432"`+"\n",
		"[2023-07-05 10:11:16.200][24][debug][http] [external/envoy/source/common/http/conn_manager_impl.cc:867] [C1175][S2595374538763107673] request headers complete (end_stream=true):\n':authority', 'x'\n",
	)
}

func FuzzEnvoyApp(f *testing.F) {
	fuzzFormat(f, "envoy-app",
		"[2018-05-29 17:55:19.123][7][info][main] source/server/server.cc:183] initializing epoch 0\n",
		"2023-10-12T08:08:15.270118Z\tdebug\tenvoy pool external/envoy/source/common/conn_pool/conn_pool_base.cc:265\t[C107599] using\tthread=25\n",
		"[2021-03-12 15:31:30.492][1][warning][runtime] [source/common/runtime/runtime_features.cc:31]\n",
	)
}

func FuzzHAProxy(f *testing.F) {
	fuzzFormat(f, "haproxy",
		`Dec 10 15:48:56 voyager haproxy[7873]: 127.0.0.1:44542 [10/Dec/2018:15:48:56.017] http-webservices http-webservices/<NOSRV> 0/-1/-1/-1/0 503 213 - - SC-- 1/1/0/0/0 0/0 {localhost:8888||} {|} "GET /foo HTTP/1.1"`+"\n",
		`<134>1 2023-09-20T15:44:39.512+02:00 lb2 haproxy 1234 - - 10.0.0.10:5000 [20/Sep/2023:15:44:39.500] fe be/s1 0/0/0/1/1 200 10 - - ---- 1/1/0/1/0 0/0 "GET / HTTP/1.1`+"\n",
		"[WARNING] 263/154424 (1) : Server be/s1 is DOWN, reason: Layer4 connection problem, info: \"Connection refused\"\n",
		"Feb 25 16:20:15 192.168.4.2 haproxy[7]: 95.216.197.33:56224 [25/Feb/2019:16:20:10.111] prod_http_in/sktst2: SSL handshake failure\nSep 20 15:42:59 1.2.3.4 haproxy[24551]: Connect from 1.2.3.4:40780 to 1.2.3.4:5000 (main/HTTP)\n",
	)
}
