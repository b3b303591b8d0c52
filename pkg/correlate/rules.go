package correlate

// The rule table. Everything the classifier knows about log text lives in
// this file as data; classify.go only runs it.
//
// # Precedence
//
// Several rules often match one message ("Communications link failure ...
// Connection refused", "Lock wait timeout exceeded"). The FIRST rule in
// table order whose conditions hold wins. The table is ordered in three
// tiers, by how much a kind tells about the cause:
//
//  1. Specific failure modes, where the message names the subsystem's own
//     failure: resource_exhausted, config_error, dns_failure, tls_error,
//     database_unavailable (the database says it is down or going down),
//     database_lock, duplicate_transaction, replication_error,
//     kafka_poll_timeout, kafka_broker_unavailable, kafka_rebalance, pool or
//     connection-limit database_connection_error, and the explicit
//     upstream_unavailable phrases (no live upstreams, circuit breaker open).
//     Inside the tier, root causes come first: a full disk or a bad password
//     explains a replication error, not the reverse. Hence "Lock wait
//     timeout exceeded" is database_lock and "HikariPool-1 - Connection is
//     not available, request timed out" is database_connection_error, never
//     timeout.
//  2. Transport causes: connection_refused, connection_reset, timeout (in
//     that order: "connect() failed (111: Connection refused) ... timed out"
//     is a refusal).
//  3. Wrappers and symptoms, used only when nothing above matched:
//     database_connection_error ("Communications link failure", "Can't
//     connect to MySQL server"), generic upstream_unavailable, http_5xx,
//     slow_query, process_restart. So "Communications link failure ...
//     Connection refused" is connection_refused (the cause), and a bare
//     "Communications link failure" is database_connection_error.
//
// # Decisions
//
//   - Database server lifecycle: shutdown, crash and "not accepting
//     connections" lines of mysqld/MariaDB/PostgreSQL are
//     database_unavailable (tier 1, any level: MySQL writes "Shutdown
//     complete" as a Note); start lines ("ready for connections", "starting
//     as process", crash recovery) are process_restart.
//   - "Duplicate entry '...' for key" (and PostgreSQL's unique violation) is
//     duplicate_transaction in every context at warn level and above: on a
//     replica it is a transaction applied twice, in an application it is
//     almost always a redelivered or retried write. It wins over
//     replication_error because it is the more specific cause. Correlation
//     is expected to discount a steady background rate.
//   - "No route to host" / "Network is unreachable" count as
//     connection_refused (the connect failed at once); the vocabulary has no
//     closer kind.
//   - Errors of mysqlbinlog output (format mysql-binlog) are classified only
//     when the event is an error or its message starts with "ERROR"; binlog
//     statements are left to later analysis (duplicate GTIDs, long
//     transactions), never matched as text.
//   - Access records (HTTP request lines) are classified from their fields,
//     never from their text (a URL like /api/timeout-test says nothing).
//   - PostgreSQL "duration: N ms  statement: ..." is slow_query from one
//     second up: servers run with log_min_duration_statement=0 log every
//     statement, and a 0.3 ms "select 1" is not a signal.
//   - sshd's "[preauth]" resets are internet scanners, not failures.
//
// # Level gating
//
// Kinds describe failures. A rule is a "failure" rule by default: it applies
// only to events at warn, error or fatal, or with no level at all (plain
// lines, stack trace fragments). An INFO line that mentions "timeout=30s" or
// "Connection refused" in passing is not classified. Rules marked signal
// describe lines that are a signal whatever their level (a restart, a
// rebalance, an ISR shrink, a database shutdown written as a Note, a
// PostgreSQL slow statement logged as LOG); they apply at info and notice
// too. Trace and debug events are never classified. Access-log statuses and
// slow-log entries are signals by format.

// The report vocabulary (report-v1.md, "Kinds").
const (
	KindConnectionRefused       = "connection_refused"
	KindConnectionReset         = "connection_reset"
	KindTimeout                 = "timeout"
	KindHTTP5xx                 = "http_5xx"
	KindUpstreamUnavailable     = "upstream_unavailable"
	KindKafkaPollTimeout        = "kafka_poll_timeout"
	KindKafkaRebalance          = "kafka_rebalance"
	KindKafkaBrokerUnavailable  = "kafka_broker_unavailable"
	KindDatabaseUnavailable     = "database_unavailable"
	KindDatabaseConnectionError = "database_connection_error"
	KindDatabaseLock            = "database_lock"
	KindDuplicateTransaction    = "duplicate_transaction"
	KindReplicationError        = "replication_error"
	KindSlowQuery               = "slow_query"
	KindDNSFailure              = "dns_failure"
	KindTLSError                = "tls_error"
	KindResourceExhausted       = "resource_exhausted"
	KindProcessRestart          = "process_restart"
	KindConfigError             = "config_error"
)

var kindList = []string{
	KindConnectionRefused, KindConnectionReset, KindTimeout, KindHTTP5xx,
	KindUpstreamUnavailable, KindKafkaPollTimeout, KindKafkaRebalance,
	KindKafkaBrokerUnavailable, KindDatabaseUnavailable,
	KindDatabaseConnectionError, KindDatabaseLock, KindDuplicateTransaction,
	KindReplicationError, KindSlowQuery, KindDNSFailure, KindTLSError,
	KindResourceExhausted, KindProcessRestart, KindConfigError,
}

// Kinds returns the vocabulary, in the order of report-v1.md.
func Kinds() []string { return append([]string(nil), kindList...) }

// IsKind reports whether s is a kind of the vocabulary.
func IsKind(s string) bool {
	for _, k := range kindList {
		if k == s {
			return true
		}
	}
	return false
}

// Format ids the classifier treats specially.
const (
	formatMySQLSlow   = "mysql-slow"
	formatMySQLBinlog = "mysql-binlog"
	formatEnvoyAccess = "envoy-access"
)

// gatewayFormats are the proxies whose own 502/503 means "the upstream did
// not answer" (upstream_unavailable) rather than "a service failed"
// (http_5xx). Access records of any format are classified from their
// status field; these only change what 502/503 mean.
var gatewayFormats = []string{"nginx-access", "nginx-ingress", "envoy-access", "haproxy"}

// envoyFlags maps Envoy's %RESPONSE_FLAGS% to kinds, in precedence order
// (the first flag of this list present in the field decides: "UF,URX" is a
// connection failure that was then retried).
var envoyFlags = []struct{ flag, kind string }{
	{"UF", KindConnectionRefused},     // upstream connection failure
	{"UH", KindUpstreamUnavailable},   // no healthy upstream
	{"UO", KindUpstreamUnavailable},   // upstream overflow (circuit breaking)
	{"URX", KindUpstreamUnavailable},  // upstream retry limit exceeded
	{"LH", KindUpstreamUnavailable},   // local service failed health check
	{"NC", KindConfigError},           // upstream cluster not found
	{"UT", KindTimeout},               // upstream request timeout
	{"UMSDR", KindTimeout},            // upstream max stream duration reached
	{"SI", KindTimeout},               // stream idle timeout
	{"DT", KindTimeout},               // request or connection duration exceeded
	{"UC", KindConnectionReset},       // upstream connection termination
	{"UR", KindConnectionReset},       // upstream remote reset
	{"UPE", KindHTTP5xx},              // upstream protocol error
	{"RL", KindResourceExhausted},     // rate limited
	{"OM", KindResourceExhausted},     // overload manager
	{"DPE", ""},                       // downstream protocol error: the client's fault
	{"DC", ""},                        // downstream connection termination
	{"NR", ""},                        // no route: a 404, not a failure
	{"UAEX", ""},                      // unauthorized (ext_authz)
	{"RLSE", KindUpstreamUnavailable}, // rate limit service error
}

// rule is one classification rule. Literals are lower-case ASCII and are
// matched case-insensitively against the message window.
type rule struct {
	name    string   // stable id, for tests and debugging
	kind    string   // kind from the vocabulary
	any     []string // the rule is a candidate when one of these occurs
	also    []string // if set, one of these must occur too
	not     []string // none of these may occur
	formats []string // if set, the event's format must be one of these
	signal  bool     // applies at info/notice too (see "Level gating")
	re      string   // if set, must match the original text of a window segment
}

// rules, in precedence order (see "Precedence").
var rules = []rule{
	// ---- tier 1: specific failure modes -------------------------------
	{name: "oom-kill", kind: KindResourceExhausted, signal: true,
		any: []string{"oomkilled", "out of memory: kill", "invoked oom-killer", "oom-kill:", "oom_kill_process", "memory cgroup out of memory"}},
	{name: "out-of-memory", kind: KindResourceExhausted,
		any: []string{"out of memory", "outofmemoryerror:", "java.lang.outofmemoryerror", "oom-killer", "cannot allocate memory", "not enough memory",
			"java heap space", "gc overhead limit exceeded", "failed to allocate memory", "std::bad_alloc",
			"oom command not allowed", "unable to create new native thread"}},
	{name: "python-memoryerror", kind: KindResourceExhausted,
		any: []string{"memoryerror"}, re: `(?m)(?:^|\s)MemoryError\b`},
	{name: "disk-full", kind: KindResourceExhausted,
		any: []string{"no space left on device", "disk full", "disk is full", "disk quota exceeded", "diskpressure", "low on resource"}},
	{name: "errno-28", kind: KindResourceExhausted,
		any: []string{"errno: 28", "errcode: 28", "errno 28"}, re: `rr(?:no|code|No|Code):?\s*28\b`},
	{name: "open-files", kind: KindResourceExhausted,
		any: []string{"too many open files", "worker_connections are not enough"}},
	{name: "exhausted-other", kind: KindResourceExhausted,
		any: []string{"resource_exhausted", "code = resourceexhausted", "rejectedexecutionexception", "cputhrottlinghigh", "cpu throttling"}},

	{name: "bind-in-use", kind: KindConfigError,
		any: []string{"address already in use", "eaddrinuse", "address in use"}},
	{name: "permission", kind: KindConfigError,
		any: []string{"permission denied", "access denied for user", "password authentication failed",
			"authentication failed for user", "no pg_hba.conf entry"}},
	{name: "nginx-config", kind: KindConfigError,
		any: []string{"unknown directive", "directive is not allowed here", "directive is duplicate", "invalid number of arguments in"}},
	{name: "invalid-value", kind: KindConfigError,
		any: []string{"invalid value"}, re: `nvalid value (?:"[^"]*" in \S+:\d+|for parameter)`},
	{name: "config-test-failed", kind: KindConfigError,
		any: []string{"test failed"}, also: []string{"configuration file"}},
	{name: "config-generic", kind: KindConfigError,
		any: []string{"unknown variable", "unknown option", "unrecognized configuration parameter", "invalid configuration",
			"configuration error", "error parsing config", "failed to load config", "could not load config",
			"application failed to start", "could not open configuration file"}},

	{name: "go-lookup", kind: KindDNSFailure,
		any: []string{": lookup "}, re: `: lookup [^\s:]+(?: on \S+)?: `},
	{name: "dns", kind: KindDNSFailure,
		any: []string{"no such host", "unknownhostexception", "nxdomain", "enotfound", "eai_again", "name or service not known",
			"temporary failure in name resolution", "could not resolve host", "could not translate host name",
			"unknown mysql server host", "host not found", "could not be resolved", "dns resolution failed",
			"nodename nor servname provided", "no address associated with hostname", "failed to resolve '",
			"name resolution failed", "dns lookup failed"},
		// MySQL's reverse lookup of a connecting client (MY-010055 "IP address
		// '10.0.7.31' could not be resolved: ...") fails nothing: the client
		// is served. Leaving it out keeps a harmless all-day warning from
		// posing as a dependency's DNS failure.
		not: []string{"ip address '"}},

	{name: "tls", kind: KindTLSError,
		any: []string{"ssl_do_handshake() failed", "certificate has expired", "certificate expired", "pkix path building failed",
			"unable to find valid certification path", "sslhandshakeexception", "sslpeerunverifiedexception",
			"handshake failure", "handshake_failure", "tls handshake error", "tls handshake failed", "ssl handshake failed",
			"x509: ", "certificate verify failed", "certificate_verify_failed", "wrong version number", "ssl routines",
			"self signed certificate", "self-signed certificate", "bad certificate", "received fatal alert",
			"tlsv1 alert", "sslv3 alert", "no protocols available", "does not match any of the subject alternative names",
			"no subject alternative", "peer not authenticated", "first record does not look like a tls handshake",
			"unknown certificate authority", "tls: protocol version"}},

	{name: "mysql-down", kind: KindDatabaseUnavailable, signal: true,
		any: []string{"shutdown complete", "normal shutdown", "received shutdown from user", "got signal", "starting shutdown",
			"shutting down mysqld", "assertion failure", "got exception", "forcing close of thread"},
		also: []string{"mysqld", "mariadbd", "innodb", "mariadb"}},
	{name: "mysql-aborting", kind: KindDatabaseUnavailable, formats: []string{"mysql-error"},
		any: []string{"aborting"}, re: `^(?:\[Server\] )?Aborting`},
	{name: "pg-down", kind: KindDatabaseUnavailable, signal: true,
		any: []string{"database system is shut down", "database system is shutting down", "database system is starting up",
			"database system is in recovery mode", "database system is not yet accepting connections",
			"database system is not accepting connections", "terminating connection due to administrator command",
			"terminating any other active server processes", "all server processes terminated",
			"received fast shutdown request", "received smart shutdown request", "received immediate shutdown request"}},
	{name: "pg-backend-killed", kind: KindDatabaseUnavailable, signal: true,
		any: []string{"was terminated by signal"}, also: []string{"server process"}},

	{name: "lock-wait", kind: KindDatabaseLock,
		any: []string{"lock wait timeout exceeded", "er_lock_wait_timeout", "due to lock timeout", "could not obtain lock"}},
	{name: "deadlock", kind: KindDatabaseLock,
		any: []string{"deadlock found when trying to get lock", "er_lock_deadlock", "lockacquisitionexception",
			"cannotacquirelockexception", "deadlockloserdataaccessexception"}},
	{name: "deadlock-detected", kind: KindDatabaseLock, signal: true,
		any: []string{"deadlock detected", "latest detected deadlock"}},

	{name: "duplicate-entry", kind: KindDuplicateTransaction,
		any: []string{"duplicate entry '"}},
	{name: "duplicate-key", kind: KindDuplicateTransaction,
		any: []string{"er_dup_entry", "ha_err_found_dupp_key", "duplicate key value violates unique constraint", "duplicatekeyexception"}},

	{name: "replication", kind: KindReplicationError,
		any: []string{"slave sql", "replica sql", "slave i/o", "replica i/o", "error reading packet from server",
			"error reading relay log", "relay log read failure", "slave sql thread aborted", "replica sql thread aborted",
			"could not receive data from wal stream", "replication lag", "last_sql_error", "last_io_error",
			"coordinator stopped because there were error", "error running query, slave sql thread",
			"requested wal segment", "error in log_event::read_log_event", "could not read entry at offset",
			"relay log write failure"}},

	{name: "kafka-poll-expired", kind: KindKafkaPollTimeout, signal: true,
		any: []string{"consumer poll timeout has expired"}},
	{name: "kafka-poll", kind: KindKafkaPollTimeout,
		any: []string{"max.poll.interval.ms", "maximum poll interval", "poll() timeout", "commitfailedexception"},
		not: []string{"was supplied but isn't a known config"}},

	{name: "kafka-broker", kind: KindKafkaBrokerUnavailable,
		any: []string{"broker may not be available", "leader_not_available", "not_leader_or_follower", "not_leader_for_partition",
			"notleaderorfollowerexception", "notleaderforpartitionexception", "leadernotavailableexception",
			"notenoughreplicas", "not_enough_replicas", "failed to elect leader", "offlinepartition"}},
	{name: "kafka-bootstrap-disconnected", kind: KindKafkaBrokerUnavailable,
		any: []string{"bootstrap broker"}, also: []string{"disconnected"}},
	{name: "kafka-isr-shrink", kind: KindKafkaBrokerUnavailable, signal: true,
		any: []string{"shrinking isr", "is unavailable or invalid due to cause", "marking the coordinator"}},

	{name: "kafka-rebalance", kind: KindKafkaRebalance, signal: true,
		any: []string{"preparing to rebalance group", "(re-)joining group", "group is rebalancing", "rebalanceinprogressexception",
			"rebalance_in_progress", "revoking previously assigned partitions", "revoke previously assigned partitions",
			"stabilized group", "removing it from the group", "successfully joined group with generation",
			"request joining group due to"}},

	{name: "db-conn-limit", kind: KindDatabaseConnectionError,
		any: []string{"too many connections", "er_con_count_error", "too many clients already", "remaining connection slots are reserved",
			"connection is not available, request timed out", "timeout waiting for idle object", "pool exhausted",
			"queuepool limit", "max_user_connections"}},

	{name: "upstream-none", kind: KindUpstreamUnavailable,
		any: []string{"no live upstreams", "no healthy upstream", "has no server available", "is open and does not permit",
			"callnotpermittedexception", "short-circuited", "reset reason: overflow", "no endpoints available for service"}},
	{name: "circuit-open", kind: KindUpstreamUnavailable, signal: true,
		any: []string{"circuit breaker", "circuitbreaker", "circuit-breaker"},
		re:  `(?i)circuit[ -]?breaker.*(?:\bto\s+open\b|\bis\s+open\b|\bopened\b|\btripped\b)`},

	// ---- tier 2: transport causes -------------------------------------
	{name: "mysql-client-refused", kind: KindConnectionRefused,
		any: []string{"can't connect to mysql server", "can't connect to local mysql server"}, re: `\((?:111|61|10061)\b`},
	{name: "mysql-client-timeout", kind: KindTimeout,
		any: []string{"can't connect to mysql server"}, re: `\((?:110|60|10060)\b`},
	{name: "envoy-connect-failure", kind: KindConnectionRefused,
		any: []string{"reset reason: connection failure"}},
	{name: "envoy-reset", kind: KindConnectionReset,
		any: []string{"reset reason: connection termination", "reset reason: remote reset", "reset reason: local reset"}},
	{name: "envoy-timeout", kind: KindTimeout,
		any: []string{"upstream request timeout"}},
	{name: "refused", kind: KindConnectionRefused,
		any: []string{"connection refused", "econnrefused", "actively refused", "no route to host", "ehostunreach",
			"network is unreachable", "enetunreach", "host is unreachable"}},
	{name: "reset", kind: KindConnectionReset,
		any: []string{"connection reset", "reset by peer", "econnreset", "broken pipe", "write epipe", "prematurely closed connection",
			"socket hang up", "server closed the connection unexpectedly", "unexpected eof", "connection aborted",
			"econnaborted", "software caused connection abort", "connection was forcibly closed", "end of file from server",
			"connection was unexpectedly lost", "connection closed by peer", "connection closed by remote host"},
		not: []string{"[preauth]"}}, // sshd dropping internet scanners
	{name: "go-eof", kind: KindConnectionReset,
		any: []string{": eof"}, re: `: EOF(?:$|[\s,;)"'])`},
	{name: "timeout", kind: KindTimeout,
		any: []string{"timed out", "timeoutexception", "i/o timeout", "deadline exceeded", "deadline_exceeded", "etimedout",
			"esockettimedout", "gateway timeout", "gateway time-out", "timeout exceeded", "read timeout", "connect timeout",
			"connection timeout", "request timeout", "socket timeout", "sockettimeout", "handshake timeout", "timeout expired",
			"timeout waiting", "timeout while", "timeout after", "due to statement timeout", "timeouterror", "timeout error"}},

	// ---- tier 3: wrappers and symptoms --------------------------------
	{name: "db-conn", kind: KindDatabaseConnectionError,
		any: []string{"communications link failure", "can't connect to mysql server", "can't connect to local mysql server",
			"lost connection to mysql server", "mysql server has gone away", "could not open jdbc connection",
			"unable to acquire jdbc connection", "could not get jdbc connection", "cannotgetjdbcconnectionexception",
			"jdbcconnectionexception", "cannot create poolableconnectionfactory", "could not connect to server",
			"the connection attempt failed", "sqltransientconnectionexception", "sqlnontransientconnectionexception",
			"error connecting to database", "failed to connect to database", "unable to connect to database",
			"could not connect to database", "database connection failed"}},
	{name: "pg-conn", kind: KindDatabaseConnectionError,
		any: []string{"connection to server at", "connection to server on socket"}, also: []string{"failed"}},
	{name: "upstream-down", kind: KindUpstreamUnavailable,
		any: []string{"upstream connect error", " is down, reason:", "no available server", "no available upstream", "upstream unavailable"}},
	{name: "http-5xx-server-error", kind: KindHTTP5xx,
		any: []string{"server error"}, re: `5\d\d [Ss]erver [Ee]rror`},
	{name: "http-5xx-phrase", kind: KindHTTP5xx,
		any: []string{"internal server error", "bad gateway", "service unavailable", "httpservererrorexception"}},
	{name: "http-5xx-status", kind: KindHTTP5xx,
		any: []string{"status code", "statuscode", "status=5", "status: 5", "status 5", "status\":5", "status\": 5"},
		re:  `tatus(?:[ _-]?[Cc]ode)?["':=\s]+5\d\d\b`},
	{name: "http-5xx-http", kind: KindHTTP5xx,
		any: []string{"http 5", "http/1.1\" 5", "http/1.0\" 5", "http/2.0\" 5", "http/2\" 5", "http/1.1 5", "http/2 5"},
		re:  `HTTP(?:/\d(?:\.\d)?)?"?\s+5\d\d\b`},
	{name: "http-5xx-returned", kind: KindHTTP5xx,
		any: []string{"returned 5", "responded with 5", "returned http 5", "returned status 5", "response code", "response status"},
		re:  `(?:returned|responded with|esponse code|esponse status)[:=]? ?(?:HTTP |status )?5\d\d\b`},
	{name: "pg-slow", kind: KindSlowQuery, signal: true,
		any: []string{"duration: "}, re: `duration: \d{4,}(?:\.\d+)? ms\s+(?:statement|execute|parse|bind)`},
	{name: "slow-query", kind: KindSlowQuery, signal: true,
		any: []string{"slow query", "slowquery"}, not: []string{"slow query log", "slow_query_log"}},

	{name: "db-start", kind: KindProcessRestart, signal: true,
		any: []string{"ready for connections", "starting as process", "starting mysqld daemon", "mysqld restarted",
			"number of processes running now: 0", "database was not shutdown normally", "starting crash recovery",
			"ready to accept connections", "database system was interrupted", "database system was not properly shut down"}},
	{name: "kafka-server", kind: KindProcessRestart, signal: true,
		any: []string{"[kafkaserver id="}, also: []string{"] started", "] shutting down", "] shut down completed"}},
	{name: "app-start", kind: KindProcessRestart, signal: true,
		any: []string{"seconds (jvm running for", "seconds (process running for"}},
	{name: "signal", kind: KindProcessRestart, signal: true,
		any: []string{"exited on signal", "(sigterm) received", "(sigquit) received", "(sigint) received", "gracefully shutting down",
			"received sigterm", "sigterm received", "received signal 15", "caught sigterm", "received signal terminated",
			"received signal sigterm", "received shutdown signal"}},
	{name: "supervisor", kind: KindProcessRestart, signal: true,
		any: []string{"main process exited", "scheduled restart job", "failed with result", "back-off restarting failed container",
			"crashloopbackoff", "will be restarted", "liveness probe failed", "exited with code", "restarting container"}},
	{name: "crash", kind: KindProcessRestart, signal: true,
		any: []string{"segfault at", "sigsegv (0x", "sigsegv: segmentation", "core dumped", "fatal signal",
			"a fatal error has been detected by the java runtime"}},
	// A Go panic: the "panic: ..." line, or the goroutine dump that follows
	// it when the parser did not fold the two together.
	{name: "go-panic", kind: KindProcessRestart, signal: true,
		any: []string{"[running]:", "panic: runtime error", "fatal error: "},
		re:  `^(?:panic|fatal error): |^goroutine \d+ \[running\]:`},
}

// Fact extraction. Each extractor fills one field key from the original
// text (not lower-cased) with a regexp, and runs only when one of its
// trigger literals occurred (or always, when it has none) and the event's
// kind asks for that key. The first extractor that matches wins.
//
// Every regexp starts with a case-sensitive literal (where the source's
// case varies, the regexp starts after the first letter: "onnect to"), so
// that Go's regexp jumps between occurrences of that literal instead of
// trying every position: extraction stays in the microseconds on a 4 KiB
// window. Named groups build the value:
//
//	addr          a host:port as written
//	host, ip      a host name and/or address; ip wins when both are there
//	              (host then goes to target_host)
//	port          a port; else defPort, else the scheme's default port
//	scheme        a URL scheme or JDBC subprotocol, for the default port
//	v             a plain value (status, error_code)
//
// hostBefore takes the host name from the text just before the match
// (Java's "host/10.0.3.7:3306", where the regexp starts at the slash).
type extractor struct {
	key        string
	on         []string // lower-case trigger literals; none = always try
	re         string
	defPort    string
	hostBefore bool
	// sub, when set, is re's FindStringSubmatchIndex written by hand: it
	// returns the offsets of re's first match in s (two per group, as re
	// numbers them, -1 for a group that took no part) and whether there
	// is one; re is then not run at all
	sub func(s string) (m [subCap]int, ok bool)
	// from, when set, returns the first offset where re can match (a cheap
	// test of what a match must begin with), or -1: re then reads from
	// there, or not at all
	from func(s string) int
}

const (
	factTarget    = "target"
	factStatus    = "status"
	factErrorCode = "error_code"
	factHost      = "host"
)

// addrPat is a host:port (bracketed IPv6 allowed).
const addrPat = `(?P<addr>\[[0-9A-Fa-f:.]+\]:\d{1,5}|[A-Za-z0-9][A-Za-z0-9._-]*:\d{1,5})\b`

var extractors = []extractor{
	// target: the host:port of the call that failed.
	{key: factTarget, on: []string{"dial "}, re: `dial (?:tcp|udp)[46]? ` + addrPat},
	{key: factTarget, on: []string{"->"}, re: `->` + addrPat},
	{key: factTarget, on: []string{"econnrefused", "econnreset", "etimedout", "ehostunreach", "enetunreach", "epipe"},
		re: `E(?:CONNREFUSED|CONNRESET|TIMEDOUT|HOSTUNREACH|NETUNREACH|PIPE) ` + addrPat},
	{key: factTarget, on: []string{"upstream: \""}, re: `upstream: "(?:[a-z]+://)?(?P<host>[^/":]+)(?::(?P<port>\d+))?`, sub: upstreamSub},
	{key: factTarget, on: []string{"server at \""}, re: `server at "(?P<host>[^"]+)"(?: \((?P<ip>[^)]+)\))?, port (?P<port>\d+)`},
	{key: factTarget, on: []string{"and accepting"}, re: `on host "(?P<host>[^"]+)"(?: \((?P<ip>[^)]+)\))? and accepting\s+TCP/IP connections on port (?P<port>\d+)`},
	{key: factTarget, on: []string{"master '"}, re: `master '[^@']*@(?P<host>[^':]+)(?::(?P<port>\d+))?'`, defPort: "3306"},
	{key: factTarget, on: []string{"source '"}, re: `source '[^@']*@(?P<host>[^':]+)(?::(?P<port>\d+))?'`, defPort: "3306"},
	{key: factTarget, on: []string{"server on '"}, re: `server on '(?P<host>[^':]+)(?::(?P<port>\d+))?'`, defPort: "3306"},
	{key: factTarget, on: []string{"jdbc:"}, re: `jdbc:(?P<scheme>[a-z0-9]+):(?:[a-z]+:)?(?:thin:@)?//(?:[^@/\s]*@)?(?P<host>[^/:?;,\s"']+)(?::(?P<port>\d+))?`},
	{key: factTarget, on: []string{"host='"}, re: `host='(?P<host>[^']+)', port=(?P<port>\d+)`},
	{key: factTarget, on: []string{"bootstrap broker"}, re: `Bootstrap broker ` + addrPat},
	{key: factTarget, on: []string{"group coordinator "}, re: `roup coordinator ` + addrPat},
	{key: factTarget, on: []string{"marking the coordinator "}, re: `arking the coordinator ` + addrPat},
	{key: factTarget, on: []string{"bind() to"}, re: `bind\(\) to ` + addrPat},
	{key: factTarget, on: []string{"listen tcp"}, re: `listen tcp[46]? ` + addrPat},
	{key: factTarget, on: []string{"connect"}, re: `onnect(?:ing|ion)? to ` + addrPat},
	{key: factTarget, on: []string{"connect"}, re: `onnect to (?P<host>[A-Za-z0-9][A-Za-z0-9._-]*) port (?P<port>\d{1,5})\b`},
	// Java's InetSocketAddress: "host/10.0.3.7:3306", "/10.0.3.7:3306",
	// "kafka-1/<unresolved>:9092", "localhost/0:0:0:0:0:0:0:1:2181".
	{key: factTarget, hostBefore: true, re: `/(?P<ip>\d{1,3}(?:\.\d{1,3}){3}|<unresolved>):(?P<port>\d{1,5})\b`, from: slashIPv4From},
	{key: factTarget, hostBefore: true, re: `/(?P<ip>[0-9A-Fa-f]*:[0-9A-Fa-f:]*:[0-9A-Fa-f]*):(?P<port>\d{1,5})(?:$|[^\]\w:])`, from: slashIPv6From},
	// A URL right after an HTTP verb or "request for"/"url:", as Go, Spring
	// and Python's requests print them.
	{key: factTarget, on: []string{"request for \"http"}, re: `request for "(?P<scheme>https?)://(?P<host>[^/\s":?#]+)(?::(?P<port>\d+))?`, sub: requestForSub},
	{key: factTarget, on: []string{"url: http"}, re: `url: (?P<scheme>https?)://(?P<host>[^/\s":?#]+)(?::(?P<port>\d+))?`},
	{key: factTarget, on: []string{" \"http"}, re: `(?:Get|Post|Put|Delete|Patch|Head|GET|POST|PUT|DELETE|PATCH|HEAD) "(?P<scheme>https?)://(?P<host>[^/\s":?#]+)(?::(?P<port>\d+))?`, sub: verbURLSub},

	// host: the name a DNS lookup failed for (also stored as target).
	{key: factHost, on: []string{": lookup "}, re: `: lookup (?P<host>[^\s:]+)`},
	{key: factHost, on: []string{"unknownhostexception"}, re: `UnknownHostException: (?P<host>[^\s:;,]+)`},
	{key: factHost, on: []string{"enotfound"}, re: `ENOTFOUND (?P<host>[^\s:;,]+)`},
	{key: factHost, on: []string{"eai_again"}, re: `EAI_AGAIN (?P<host>[^\s:;,]+)`},
	{key: factHost, on: []string{"could not resolve host"}, re: `ould not resolve host:? (?P<host>[^\s;,:]+)`},
	{key: factHost, on: []string{"could not translate host name"}, re: `could not translate host name "(?P<host>[^"]+)"`},
	{key: factHost, on: []string{"unknown mysql server host"}, re: `Unknown MySQL server host '(?P<host>[^']+)'`},
	{key: factHost, on: []string{"host not found in upstream"}, re: `host not found in upstream "(?P<host>[^":/]+)(?::(?P<port>\d+))?`},
	// MySQL's reverse lookup of a client: "IP address '10.0.7.31' could not be resolved"
	{key: factHost, on: []string{"could not be resolved"}, re: `IP address '(?P<host>[^']+)' could not be resolved`},
	{key: factHost, on: []string{"could not be resolved"}, re: ` (?P<host>[A-Za-z0-9][A-Za-z0-9._-]*) could not be resolved`},
	{key: factHost, on: []string{"dns resolution failed for"}, re: `DNS resolution failed for (?P<host>[^\s:;,]+)`},
	{key: factHost, on: []string{"failed to resolve '"}, re: `ailed to resolve '(?P<host>[^':]+)(?::(?P<port>\d+))?'`},
	{key: factHost, on: []string{"name or service not known"}, re: ` (?P<host>[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]): Name or service not known`},

	// status: an HTTP status written in the message.
	{key: factStatus, on: []string{"status"}, re: `tatus(?:[ _-]?[Cc]ode)?["':=\s]+(?P<v>[1-5]\d\d)\b`},
	{key: factStatus, on: []string{"http"}, re: `HTTP(?:/\d(?:\.\d)?)?"?\s+(?P<v>[1-5]\d\d)\b`, sub: httpStatusSub},
	{key: factStatus, on: []string{"returned", "responded with"}, re: ` (?:returned|responded with) (?:HTTP |status )?(?P<v>[1-5]\d\d)\b`},
	{key: factStatus, on: []string{"response code", "response status"}, re: `esponse (?:code|status)[:=]?\s*(?P<v>[1-5]\d\d)\b`},
	{key: factStatus, on: []string{"internal server error", "bad gateway", "service unavailable", "gateway time", "server error"},
		re: ` (?P<v>5\d\d) (?i:internal server error|bad gateway|service unavailable|gateway time-?out|server error)`},

	// error_code: a database error number or an errno.
	{key: factErrorCode, on: []string{"error "}, re: `RROR (?P<v>\d{4,5})(?: \([0-9A-Z]{5}\)|:)`, from: digitAfter("RROR ")},
	{key: factErrorCode, on: []string{"error "}, re: `rror (?P<v>\d{4,5})(?: \([0-9A-Z]{5}\)|:)`, from: digitAfter("rror ")},
	{key: factErrorCode, on: []string{"error_code"}, re: `Error_code: (?P<v>MY-\d+|\d+)`},
	{key: factErrorCode, on: []string{"sql error:"}, re: `SQL Error: (?P<v>\d+), SQLState`},
	{key: factErrorCode, on: []string{"er_"}, re: `(?P<v>ER_[A-Z0-9_]+)\b`},
	{key: factErrorCode, on: []string{"[my-"}, re: `\[(?P<v>MY-\d{6})\]`},
	{key: factErrorCode, on: []string{"server_errno="}, re: `server_errno=(?P<v>\d+)`},
	{key: factErrorCode, on: []string{"sqlstate"}, re: `SQLSTATE[ \[=:]*(?P<v>[0-9A-Z]{5})\b`},
	{key: factErrorCode, on: []string{"errno", "errcode"}, re: `rr(?:no|code|No|Code)\b[:= ]*(?P<v>-?\d+)`},
	// C programs (nginx): "(111: Connection refused)".
	{key: factErrorCode, re: `\((?P<v>\d{1,3}): [A-Z][a-z]`, sub: errnoSub},
	{key: factErrorCode, on: []string{"server on '"}, re: `server on '[^']*' \((?P<v>\d+)`},
}

// targetKinds are the kinds whose events name a failed call worth a target.
var targetKinds = []string{
	KindConnectionRefused, KindConnectionReset, KindTimeout, KindHTTP5xx, KindUpstreamUnavailable,
	KindKafkaBrokerUnavailable, KindDatabaseConnectionError, KindDatabaseUnavailable, KindReplicationError,
	KindTLSError, KindConfigError,
}

// defaultPorts by URL scheme or JDBC subprotocol.
var defaultPorts = map[string]string{
	"http": "80", "https": "443", "mysql": "3306", "mariadb": "3306",
	"postgresql": "5432", "postgres": "5432", "sqlserver": "1433", "oracle": "1521",
}
