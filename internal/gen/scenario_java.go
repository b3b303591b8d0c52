package gen

import (
	"fmt"
	"time"
)

// javaApp is a Spring Boot 3 service writing NAME/application.log.
type javaApp struct {
	w      *world
	name   string
	pkg    string
	main   string
	addr   string
	path   string
	sp     *Spring
	broken int // pooled connections found dead in the current DB outage
	conns  []string
	leaked int
}

const (
	lHikariPool   = "com.zaxxer.hikari.pool.HikariPool"
	lHikariProxy  = "com.zaxxer.hikari.pool.ProxyConnection"
	lHikariDS     = "com.zaxxer.hikari.HikariDataSource"
	lHikariLeak   = "com.zaxxer.hikari.pool.ProxyLeakTask"
	lSQLHelper    = "org.hibernate.engine.jdbc.spi.SqlExceptionHelper"
	lDispatcher   = "org.apache.catalina.core.ContainerBase.[Tomcat].[localhost].[/].[dispatcherServlet]"
	lNetClient    = "org.apache.kafka.clients.NetworkClient"
	lCoordinator  = "org.apache.kafka.clients.consumer.internals.ConsumerCoordinator"
	lAbsCoord     = "org.apache.kafka.clients.consumer.internals.AbstractCoordinator"
	lSender       = "org.apache.kafka.clients.producer.internals.Sender"
	lListenerCont = "org.springframework.kafka.listener.KafkaMessageListenerContainer"
	consumerThr   = "org.springframework.kafka.KafkaListenerEndpointContainer#0-0-C-1"
	producerThr   = "kafka-producer-network-thread | producer-1"
)

func newJavaApp(w *world, name, pkg, main, addr string, loc *time.Location) *javaApp {
	a := &javaApp{w: w, name: name, pkg: pkg, main: main, addr: addr, path: name + "/application.log", sp: NewSpring(name, 1, loc)}
	for i := 0; i < 10; i++ {
		a.conns = append(a.conns, hexID(w.nr, 8))
	}
	return a
}

func (a *javaApp) log(t time.Time, level, thread, logger, msg string) {
	a.w.put(a.name, a.path, t, func(b []byte, t time.Time) []byte { return a.sp.Append(b, t, level, thread, logger, msg) })
}

func (a *javaApp) logEx(t time.Time, level, thread, logger, msg string, ex *JavaException) {
	a.w.put(a.name, a.path, t, func(b []byte, t time.Time) []byte {
		return AppendJavaTrace(a.sp.Append(b, t, level, thread, logger, msg), ex)
	})
}

func (a *javaApp) execThread() string {
	return fmt.Sprintf("http-nio-8080-exec-%d", 1+a.w.nr.IntN(10))
}

// startup writes a Spring Boot start from t and returns when it is ready.
func (a *javaApp) startup(t time.Time, kafkaConsumer bool) time.Time {
	r := a.w.nr
	t0 := t
	m := "main"
	// a CPU-limited container: a start takes 15-30 s
	step := func(ms int) time.Time { t = t.Add(time.Duration(2*ms+r.IntN(ms+1)) * time.Millisecond); return t }
	a.log(step(900), "INFO", m, a.pkg+"."+a.main, fmt.Sprintf("Starting %s v2.%d.%d using Java 17.0.10 with PID 1 (/app/app.jar started by app in /app)", a.main, 14+r.IntN(3), r.IntN(9)))
	a.log(step(8), "INFO", m, a.pkg+"."+a.main, `The following 1 profile is active: "prod"`)
	a.log(step(1900), "INFO", m, "org.springframework.boot.web.embedded.tomcat.TomcatWebServer", "Tomcat initialized with port 8080 (http)")
	a.log(step(30), "INFO", m, "org.apache.catalina.core.StandardService", "Starting service [Tomcat]")
	a.log(step(5), "INFO", m, "org.apache.catalina.core.StandardEngine", "Starting Servlet engine: [Apache Tomcat/10.1.19]")
	a.log(step(120), "INFO", m, "org.springframework.web.context.ContextLoader", fmt.Sprintf("Root WebApplicationContext: initialization completed in %d ms", 2100+r.IntN(800)))
	a.log(step(700), "INFO", m, "org.hibernate.jpa.internal.util.LogHelper", "HHH000204: Processing PersistenceUnitInfo [name: default]")
	a.log(step(60), "INFO", m, lHikariDS, "HikariPool-1 - Starting...")
	a.log(step(300), "INFO", m, lHikariPool, fmt.Sprintf("HikariPool-1 - Added connection com.mysql.cj.jdbc.ConnectionImpl@%s", a.conns[0]))
	a.log(step(4), "INFO", m, lHikariDS, "HikariPool-1 - Start completed.")
	a.log(step(1500), "INFO", m, "org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean", "Initialized JPA EntityManagerFactory for persistence unit 'default'")
	a.log(step(600), "WARN", m, "org.springframework.boot.autoconfigure.orm.jpa.JpaBaseConfiguration$JpaWebConfiguration",
		"spring.jpa.open-in-view is enabled by default. Therefore, database queries may be performed during view rendering. Explicitly configure spring.jpa.open-in-view to disable this warning")
	if kafkaConsumer {
		a.log(step(400), "WARN", m, "org.apache.kafka.clients.consumer.ConsumerConfig", "These configurations '[spring.json.trusted.packages]' were supplied but are not used yet.")
	}
	a.log(step(700), "INFO", m, "org.springframework.boot.web.embedded.tomcat.TomcatWebServer", "Tomcat started on port 8080 (http) with context path ''")
	sec := t.Sub(t0).Seconds() + 0.02
	a.log(step(20), "INFO", m, a.pkg+"."+a.main, fmt.Sprintf("Started %s in %.3f seconds (process running for %.3f)", a.main, sec, sec+0.6+float64(r.IntN(400))/1000))
	return t
}

// Frames of the traces the services print.
var (
	scFramesHibernate = []string{
		"org.hibernate.exception.internal.SQLStateConversionDelegate.convert(SQLStateConversionDelegate.java:100)",
		"org.hibernate.exception.internal.StandardSQLExceptionConverter.convert(StandardSQLExceptionConverter.java:58)",
		"org.hibernate.engine.jdbc.spi.SqlExceptionHelper.convert(SqlExceptionHelper.java:108)",
		"org.hibernate.engine.jdbc.internal.ResultSetReturnImpl.executeUpdate(ResultSetReturnImpl.java:197)",
		"org.hibernate.engine.jdbc.batch.internal.NonBatchingBatch.addToBatch(NonBatchingBatch.java:46)",
		"org.hibernate.persister.entity.mutation.InsertCoordinator.doStaticInserts(InsertCoordinator.java:175)",
		"org.hibernate.action.internal.EntityInsertAction.execute(EntityInsertAction.java:110)",
		"org.hibernate.engine.spi.ActionQueue.executeActions(ActionQueue.java:632)",
		"org.springframework.transaction.support.TransactionTemplate.execute(TransactionTemplate.java:140)",
	}
	scFramesConnector = []string{
		"com.mysql.cj.jdbc.exceptions.SQLError.createCommunicationsException(SQLError.java:175)",
		"com.mysql.cj.jdbc.exceptions.SQLExceptionsMapping.translateException(SQLExceptionsMapping.java:64)",
		"com.mysql.cj.jdbc.ConnectionImpl.createNewIO(ConnectionImpl.java:815)",
		"com.mysql.cj.jdbc.ConnectionImpl.<init>(ConnectionImpl.java:438)",
		"com.mysql.cj.jdbc.ConnectionImpl.getInstance(ConnectionImpl.java:241)",
		"com.mysql.cj.jdbc.NonRegisteringDriver.connect(NonRegisteringDriver.java:189)",
		"com.zaxxer.hikari.util.DriverDataSource.getConnection(DriverDataSource.java:138)",
		"com.zaxxer.hikari.pool.PoolBase.newConnection(PoolBase.java:359)",
		"com.zaxxer.hikari.pool.PoolBase.newPoolEntry(PoolBase.java:201)",
		"com.zaxxer.hikari.pool.HikariPool.createPoolEntry(HikariPool.java:470)",
		"com.zaxxer.hikari.pool.HikariPool$PoolEntryCreator.call(HikariPool.java:733)",
		"com.zaxxer.hikari.pool.HikariPool$PoolEntryCreator.call(HikariPool.java:712)",
		"java.base/java.util.concurrent.FutureTask.run(FutureTask.java:317)",
		"java.base/java.lang.Thread.run(Thread.java:1583)",
	}
	scFramesSocket = []string{
		"java.base/sun.nio.ch.Net.pollConnect(Native Method)",
		"java.base/sun.nio.ch.Net.pollConnectNow(Net.java:682)",
		"java.base/sun.nio.ch.NioSocketImpl.timedFinishConnect(NioSocketImpl.java:542)",
		"java.base/sun.nio.ch.NioSocketImpl.connect(NioSocketImpl.java:592)",
		"java.base/java.net.SocksSocketImpl.connect(SocksSocketImpl.java:327)",
		"java.base/java.net.Socket.connect(Socket.java:751)",
		"com.mysql.cj.protocol.StandardSocketFactory.connect(StandardSocketFactory.java:153)",
		"com.mysql.cj.protocol.a.NativeSocketConnection.connect(NativeSocketConnection.java:62)",
		"com.mysql.cj.NativeSession.connect(NativeSession.java:121)",
		"com.mysql.cj.jdbc.ConnectionImpl.connectOneTryOnly(ConnectionImpl.java:945)",
		"com.mysql.cj.jdbc.ConnectionImpl.createNewIO(ConnectionImpl.java:815)",
	}
	scFramesRead = []string{
		"java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:278)",
		"java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:304)",
		"java.base/sun.nio.ch.NioSocketImpl.read(NioSocketImpl.java:346)",
		"java.base/java.net.Socket$SocketInputStream.read(Socket.java:1099)",
		"com.mysql.cj.protocol.ReadAheadInputStream.fill(ReadAheadInputStream.java:107)",
		"com.mysql.cj.protocol.FullReadInputStream.readFully(FullReadInputStream.java:64)",
		"com.mysql.cj.protocol.a.SimplePacketReader.readHeaderLocal(SimplePacketReader.java:81)",
		"com.mysql.cj.protocol.a.NativeProtocol.readMessage(NativeProtocol.java:544)",
		"com.mysql.cj.NativeSession.execSQL(NativeSession.java:655)",
	}
	scFramesHikariGet = []string{
		"com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)",
		"com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:179)",
		"com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:144)",
		"com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:127)",
		"org.hibernate.engine.jdbc.connections.internal.DatasourceConnectionProviderImpl.getConnection(DatasourceConnectionProviderImpl.java:122)",
		"org.hibernate.internal.NonContextualJdbcConnectionAccess.obtainConnection(NonContextualJdbcConnectionAccess.java:46)",
		"org.hibernate.resource.jdbc.internal.LogicalConnectionManagedImpl.acquireConnectionIfNeeded(LogicalConnectionManagedImpl.java:113)",
		"org.springframework.orm.jpa.JpaTransactionManager.doBegin(JpaTransactionManager.java:466)",
		"org.springframework.transaction.support.AbstractPlatformTransactionManager.startTransaction(AbstractPlatformTransactionManager.java:531)",
		"org.springframework.transaction.support.AbstractPlatformTransactionManager.getTransaction(AbstractPlatformTransactionManager.java:405)",
		"org.springframework.transaction.interceptor.TransactionAspectSupport.createTransactionIfNecessary(TransactionAspectSupport.java:610)",
		"org.springframework.transaction.interceptor.TransactionInterceptor.invoke(TransactionInterceptor.java:119)",
		"org.springframework.aop.framework.CglibAopProxy$DynamicAdvisedInterceptor.intercept(CglibAopProxy.java:765)",
	}
	scFramesWeb = []string{
		"org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1014)",
		"org.springframework.web.servlet.FrameworkServlet.doPost(FrameworkServlet.java:914)",
		"jakarta.servlet.http.HttpServlet.service(HttpServlet.java:590)",
		"org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:174)",
		"org.apache.catalina.core.StandardWrapperValve.invoke(StandardWrapperValve.java:167)",
		"org.apache.coyote.http11.Http11Processor.service(Http11Processor.java:391)",
		"org.apache.tomcat.util.net.NioEndpoint$SocketProcessor.doRun(NioEndpoint.java:1744)",
		"java.base/java.lang.Thread.run(Thread.java:1583)",
	}
	scFramesRest = []string{
		"org.springframework.web.client.RestTemplate.createResourceAccessException(RestTemplate.java:915)",
		"org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:895)",
		"org.springframework.web.client.RestTemplate.execute(RestTemplate.java:790)",
		"org.springframework.web.client.RestTemplate.postForEntity(RestTemplate.java:546)",
	}
)

func withFrames(app []string, tail []string) []string {
	out := append([]string{}, app...)
	return append(out, tail...)
}

// sqlFail logs what Hibernate's SqlExceptionHelper writes for a failed
// statement: the WARN with the error code and the ERROR with the message.
func (a *javaApp) sqlFail(t time.Time, thread string, code int, state, msg string) {
	a.log(t, "WARN", thread, lSQLHelper, fmt.Sprintf("SQL Error: %d, SQLState: %s", code, state))
	a.log(t, "ERROR", thread, lSQLHelper, msg)
}

// dbCall runs one statement (or one transaction) against the database
// and logs what the service logs when it fails. It returns how long it
// took and the root exception when it failed.
func (a *javaApp) dbCall(t time.Time, thread string, write bool, table string) (time.Duration, *JavaException) {
	w := a.w
	r := w.nr
	dbName := svcMySQL
	if w.db != nil {
		dbName = w.db.src
	}
	appFrames := []string{
		fmt.Sprintf("%s.repository.%sRepository.save(%sRepository.java:%d)", a.pkg, capital(table), capital(table), 40+len(table)),
		fmt.Sprintf("%s.service.%sService.handle(%sService.java:%d)", a.pkg, capital(table), capital(table), 60+len(table)*3),
	}
	switch w.dep(a.name, dbName, t) {
	case impRefused:
		if a.broken < len(a.conns) {
			id := a.conns[a.broken]
			a.broken++
			lat := time.Duration(2+r.IntN(6)) * time.Millisecond
			a.logEx(t.Add(lat), "WARN", thread, lHikariProxy, fmt.Sprintf("HikariPool-1 - Connection com.mysql.cj.jdbc.ConnectionImpl@%s marked as broken because of SQLSTATE(08S01), ErrorCode(0)", id),
				&JavaException{Class: "com.mysql.cj.jdbc.exceptions.CommunicationsException", Message: "Communications link failure\n\nThe last packet successfully received from the server was 2,311 milliseconds ago. The last packet sent successfully to the server was 2,312 milliseconds ago.",
					Frames: withFrames(scFramesRead[4:], appFrames), Cause: &JavaException{Class: "java.io.EOFException", Message: "Can not read response from server. Expected to read 4 bytes, read 0 bytes before connection was unexpectedly lost.", Frames: scFramesRead[4:]}})
			a.sqlFail(t.Add(lat), thread, 0, "08S01", "Communications link failure\n\nThe last packet successfully received from the server was 2,311 milliseconds ago. The last packet sent successfully to the server was 2,312 milliseconds ago.")
			return lat, &JavaException{Class: "java.io.EOFException", Message: "Can not read response from server. Expected to read 4 bytes, read 0 bytes before connection was unexpectedly lost.", Frames: withFrames(scFramesRead, appFrames)}
		}
		lat := 30*time.Second + time.Duration(r.IntN(15))*time.Millisecond
		a.sqlFail(t.Add(lat), thread, 0, "08S01", fmt.Sprintf("HikariPool-1 - Connection is not available, request timed out after %dms (total=0, active=0, idle=0, waiting=%d)", 30000+r.IntN(12), 1+r.IntN(6)))
		return lat, &JavaException{Class: "java.net.ConnectException", Message: "Connection refused", Frames: scFramesSocket}
	case impHang:
		lat := 30*time.Second + time.Duration(r.IntN(40))*time.Millisecond
		if a.broken < len(a.conns) {
			a.broken++
			a.sqlFail(t.Add(lat), thread, 0, "08S01", "Communications link failure\n\nThe last packet successfully received from the server was 30,012 milliseconds ago. The last packet sent successfully to the server was 30,013 milliseconds ago.")
			return lat, &JavaException{Class: "java.net.SocketTimeoutException", Message: "Read timed out", Frames: withFrames(scFramesRead, appFrames)}
		}
		a.sqlFail(t.Add(lat), thread, 0, "08S01", fmt.Sprintf("HikariPool-1 - Connection is not available, request timed out after %dms (total=0, active=0, idle=0, waiting=%d)", 30000+r.IntN(40), 2+r.IntN(8)))
		return lat, &JavaException{Class: "java.net.SocketTimeoutException", Message: "Connect timed out", Frames: scFramesSocket}
	case impLockWait:
		if !write {
			break
		}
		lat := 50*time.Second + time.Duration(r.IntN(30))*time.Millisecond
		a.sqlFail(t.Add(lat), thread, 1205, "40001", "Lock wait timeout exceeded; try restarting transaction")
		if w.db != nil && !w.db.maria {
			// the statement ends with its error after innodb_lock_wait_timeout: slow-logged
			w.slow = append(w.slow, SlowQuery{End: t.Add(lat), User: a.name, IP: "10.0.2.8", ID: 8800 + int64(r.IntN(40)), QueryTime: lat, LockTime: lat - time.Duration(r.IntN(900))*time.Microsecond,
				DB: "shop", SQL: fmt.Sprintf("INSERT INTO %s (order_id, status, created_at) VALUES (%d, 'NEW', NOW())", table, w.orderSeq-r.IntN(30))})
		}
		return lat, &JavaException{Class: "com.mysql.cj.jdbc.exceptions.MySQLTransactionRollbackException", Message: "Lock wait timeout exceeded; try restarting transaction",
			Frames: withFrames([]string{"com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:123)", "com.mysql.cj.jdbc.exceptions.SQLExceptionsMapping.translateException(SQLExceptionsMapping.java:122)", "com.mysql.cj.jdbc.ClientPreparedStatement.executeInternal(ClientPreparedStatement.java:916)", "com.mysql.cj.jdbc.ClientPreparedStatement.executeUpdateInternal(ClientPreparedStatement.java:1061)", "com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeUpdate(HikariProxyPreparedStatement.java)"}, appFrames)}
	case impPoolFull:
		lat := 30*time.Second + time.Duration(r.IntN(20))*time.Millisecond
		a.sqlFail(t.Add(lat), thread, 0, "null", fmt.Sprintf("HikariPool-1 - Connection is not available, request timed out after %dms (total=10, active=10, idle=0, waiting=%d)", 30000+r.IntN(20), 8+r.IntN(30)))
		return lat, &JavaException{Class: "java.sql.SQLTransientConnectionException", Message: fmt.Sprintf("HikariPool-1 - Connection is not available, request timed out after %dms (total=10, active=10, idle=0, waiting=%d)", 30000+r.IntN(20), 8+r.IntN(30)), Frames: withFrames(scFramesHikariGet, appFrames)}
	case impDiskFull:
		if !write {
			break
		}
		lat := time.Duration(3+r.IntN(20)) * time.Millisecond
		conn := 40000 + r.IntN(9000)
		msg := fmt.Sprintf("(conn=%d) The table '%s' is full", conn, table)
		a.sqlFail(t.Add(lat), thread, 1114, "HY000", msg)
		return lat, &JavaException{Class: "java.sql.SQLException", Message: msg, Frames: withFrames([]string{"org.mariadb.jdbc.export.ExceptionFactory.createException(ExceptionFactory.java:306)", "org.mariadb.jdbc.export.ExceptionFactory.create(ExceptionFactory.java:378)", "org.mariadb.jdbc.message.ClientMessage.readPacket(ClientMessage.java:189)", "org.mariadb.jdbc.client.impl.StandardClient.readPacket(StandardClient.java:1235)", "org.mariadb.jdbc.ClientPreparedStatement.executeInternal(ClientPreparedStatement.java:94)"}, appFrames)}
	}
	a.broken = 0
	return time.Duration(3+r.IntN(35)) * time.Millisecond, nil
}

func capital(s string) string {
	if s == "" {
		return s
	}
	b := []byte(s)
	if b[0] >= 'a' && b[0] <= 'z' {
		b[0] -= 'a' - 'A'
	}
	if n := len(b); n > 1 && b[n-1] == 's' {
		b = b[:n-1]
	}
	return string(b)
}

// fail500 logs the servlet's "Request processing failed" with the root
// cause, as Spring's DispatcherServlet does for an unhandled exception.
func (a *javaApp) fail500(t time.Time, thread, wrapper string, root *JavaException) {
	msg := fmt.Sprintf("Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: %s] with root cause", wrapper)
	ex := *root
	ex.Frames = append(append([]string{}, root.Frames...), scFramesWeb...)
	a.logEx(t, "ERROR", thread, lDispatcher, msg, &ex)
}

// serveOrders handles a request at orders.
func (a *javaApp) serveOrders(x *gwReq) resp {
	w := a.w
	r := w.nr
	th := a.execThread()
	if x.method == "GET" {
		lat, ex := a.dbCall(x.t, th, false, "orders")
		if ex != nil {
			a.fail500(x.t.Add(lat), th, "org.springframework.transaction.CannotCreateTransactionException: Could not open JPA EntityManager for transaction", ex)
			return resp{status: 500, lat: lat + 2*time.Millisecond, bytes: 118}
		}
		if r.IntN(25) == 0 {
			return resp{status: 404, lat: lat, bytes: 96}
		}
		return resp{status: 200, lat: lat + time.Duration(r.IntN(20))*time.Millisecond, bytes: 900 + r.IntN(1400)}
	}
	// POST /api/orders: reserve stock, store the order, publish OrderCreated.
	t := x.t
	switch w.dep(a.name, "inventory", t) {
	case impUnknownHost:
		// Spring Retry: 3 attempts, 200 ms back-off, each logged.
		for i := 1; i <= 3; i++ {
			t = t.Add(time.Duration(3+r.IntN(8)) * time.Millisecond)
			a.log(t, "WARN", th, a.pkg+".client.InventoryClient", fmt.Sprintf("Stock reservation attempt %d/3 failed: I/O error on POST request for \"http://%s:8080/api/v1/reservations\": %s", i, inventoryHost, inventoryHost))
			if i < 3 {
				t = t.Add(200 * time.Millisecond)
			}
		}
		a.fail500(t, th, fmt.Sprintf("org.springframework.web.client.ResourceAccessException: I/O error on POST request for \"http://%s:8080/api/v1/reservations\": %s", inventoryHost, inventoryHost),
			&JavaException{Class: "java.net.UnknownHostException", Message: inventoryHost, Frames: withFrames([]string{
				"java.base/sun.nio.ch.NioSocketImpl.connect(NioSocketImpl.java:567)", "java.base/java.net.Socket.connect(Socket.java:751)",
				"java.base/sun.net.NetworkClient.doConnect(NetworkClient.java:178)", "java.base/sun.net.www.http.HttpClient.openServer(HttpClient.java:531)",
				"java.base/sun.net.www.protocol.http.HttpURLConnection.connect(HttpURLConnection.java:1145)",
				"org.springframework.http.client.SimpleClientHttpRequest.executeInternal(SimpleClientHttpRequest.java:79)"}, append(scFramesRest, a.pkg+".client.InventoryClient.reserve(InventoryClient.java:58)"))})
		return resp{status: 500, lat: t.Sub(x.t) + time.Millisecond, bytes: 118}
	default:
		t = t.Add(time.Duration(8+r.IntN(30)) * time.Millisecond)
	}
	lat, ex := a.dbCall(t, th, true, "orders")
	t = t.Add(lat)
	if ex != nil {
		a.fail500(t, th, "org.springframework.orm.jpa.JpaSystemException: could not execute statement", ex)
		return resp{status: 500, lat: t.Sub(x.t) + 2*time.Millisecond, bytes: 118}
	}
	w.orderSeq++
	id := w.orderSeq
	part := id % 6
	if w.dep(a.name, svcKafka, t) == impBrokerDown && (part == 1 || part == 4) {
		t = t.Add(10*time.Second + time.Duration(r.IntN(5))*time.Millisecond)
		a.logEx(t, "ERROR", th, a.pkg+".events.OrderEventPublisher", fmt.Sprintf("Timed out waiting for the acknowledgement of OrderCreated %d on orders-%d", id, part),
			&JavaException{Class: "java.util.concurrent.TimeoutException", Frames: []string{
				"java.base/java.util.concurrent.CompletableFuture.timedGet(CompletableFuture.java:1960)",
				"java.base/java.util.concurrent.CompletableFuture.get(CompletableFuture.java:2095)",
				a.pkg + ".events.OrderEventPublisher.publish(OrderEventPublisher.java:47)",
				a.pkg + ".service.OrderService.create(OrderService.java:88)"}})
		return resp{status: 503, lat: t.Sub(x.t) + time.Millisecond, bytes: 131}
	}
	t = t.Add(time.Duration(2+r.IntN(8)) * time.Millisecond)
	if r.IntN(4) == 0 {
		a.log(t, "INFO", th, a.pkg+".service.OrderService", fmt.Sprintf("Order %d created for customer %d (%d items)", id, 20000+r.IntN(60000), 1+r.IntN(5)))
	}
	w.consumed = append(w.consumed, orderMsg{t: t, order: id, partition: part, amount: fmt.Sprintf("%d.%02d", 5+r.IntN(300), r.IntN(100)), customer: 20000 + r.IntN(60000)})
	return resp{status: 201, lat: t.Sub(x.t), bytes: 310 + r.IntN(60)}
}

// servePayments handles a request at payments: charges go to the PSP
// behind a resilience4j circuit breaker.
func (a *javaApp) servePayments(x *gwReq) resp {
	w := a.w
	r := w.nr
	th := a.execThread()
	if x.method == "GET" {
		lat, ex := a.dbCall(x.t, th, false, "payments")
		if ex != nil {
			a.fail500(x.t.Add(lat), th, "org.springframework.transaction.CannotCreateTransactionException: Could not open JPA EntityManager for transaction", ex)
			return resp{status: 500, lat: lat, bytes: 118}
		}
		return resp{status: 200, lat: lat + time.Duration(r.IntN(15))*time.Millisecond, bytes: 420 + r.IntN(200)}
	}
	t := x.t
	if w.pspBreakerOpen(t) {
		a.log(t.Add(time.Millisecond), "WARN", th, a.pkg+".psp.PaygateClient", "Charge rejected locally: CircuitBreaker 'paygate' is OPEN and does not permit further calls")
		return resp{status: 503, lat: 3 * time.Millisecond, bytes: 141}
	}
	if w.dep(a.name, "paygate", t) == impHang {
		t = t.Add(10*time.Second + time.Duration(r.IntN(30))*time.Millisecond)
		w.pspFail(t)
		a.logEx(t, "ERROR", th, a.pkg+".psp.PaygateClient", fmt.Sprintf("Charge request failed: I/O error on POST request for \"%s\": Read timed out", paygateURL),
			&JavaException{Class: "org.springframework.web.client.ResourceAccessException", Message: fmt.Sprintf("I/O error on POST request for \"%s\": Read timed out", paygateURL),
				Frames: withFrames(scFramesRest, []string{a.pkg + ".psp.PaygateClient.charge(PaygateClient.java:72)", a.pkg + ".service.PaymentService.capture(PaymentService.java:54)"}),
				Cause: &JavaException{Class: "java.net.SocketTimeoutException", Message: "Read timed out", Frames: []string{
					"java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:278)", "java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:304)",
					"java.base/sun.security.ssl.SSLSocketInputRecord.read(SSLSocketInputRecord.java:489)",
					"java.base/sun.net.www.protocol.https.HttpsURLConnectionImpl.getInputStream(HttpsURLConnectionImpl.java:223)",
					"org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:895)"}}})
		return resp{status: 504, lat: t.Sub(x.t) + 2*time.Millisecond, bytes: 133}
	}
	t = t.Add(time.Duration(180+r.IntN(400)) * time.Millisecond)
	lat, ex := a.dbCall(t, th, true, "payments")
	t = t.Add(lat)
	if ex != nil {
		a.fail500(t, th, "org.springframework.orm.jpa.JpaSystemException: could not execute statement", ex)
		return resp{status: 500, lat: t.Sub(x.t), bytes: 118}
	}
	w.paySeq++
	if r.IntN(3) == 0 {
		a.log(t, "INFO", th, a.pkg+".service.PaymentService", fmt.Sprintf("Payment pay_%s captured: %d.%02d EUR (order %d)", hexID(r, 14), 5+r.IntN(300), r.IntN(100), w.orderSeq-r.IntN(50)))
	}
	return resp{status: 201, lat: t.Sub(x.t), bytes: 260 + r.IntN(40)}
}
