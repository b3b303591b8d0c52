package gen

// Java stack traces of order-service (Spring Boot 3.1, Spring Kafka 3.0,
// Hibernate 6.2, MySQL Connector/J 8.0, Java 17).

var (
	// The Kafka listener container invoking InvoiceIssueListener.
	framesListener = []string{
		"com.example.invoice.order.kafka.InvoiceIssueListener.onMessage(InvoiceIssueListener.java:58)",
		"java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)",
		"java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke(NativeMethodAccessorImpl.java:77)",
		"java.base/jdk.internal.reflect.DelegatingMethodAccessorImpl.invoke(DelegatingMethodAccessorImpl.java:43)",
		"java.base/java.lang.reflect.Method.invoke(Method.java:568)",
		"org.springframework.messaging.handler.invocation.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:169)",
		"org.springframework.messaging.handler.invocation.InvocableHandlerMethod.invoke(InvocableHandlerMethod.java:119)",
		"org.springframework.kafka.listener.adapter.HandlerAdapter.invoke(HandlerAdapter.java:56)",
		"org.springframework.kafka.listener.adapter.MessagingMessageListenerAdapter.invokeHandler(MessagingMessageListenerAdapter.java:375)",
		"org.springframework.kafka.listener.adapter.RecordMessagingMessageListenerAdapter.onMessage(RecordMessagingMessageListenerAdapter.java:92)",
		"org.springframework.kafka.listener.adapter.RecordMessagingMessageListenerAdapter.onMessage(RecordMessagingMessageListenerAdapter.java:53)",
		"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.doInvokeOnMessage(KafkaMessageListenerContainer.java:2873)",
		"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.invokeOnMessage(KafkaMessageListenerContainer.java:2854)",
		"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.lambda$doInvokeRecordListener$56(KafkaMessageListenerContainer.java:2772)",
		"io.micrometer.observation.Observation.observe(Observation.java:544)",
		"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.doInvokeRecordListener(KafkaMessageListenerContainer.java:2770)",
		"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.doInvokeWithRecords(KafkaMessageListenerContainer.java:2622)",
		"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.invokeRecordListener(KafkaMessageListenerContainer.java:2508)",
		"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.invokeListener(KafkaMessageListenerContainer.java:2150)",
		"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.invokeIfHaveRecords(KafkaMessageListenerContainer.java:1505)",
		"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.pollAndInvoke(KafkaMessageListenerContainer.java:1469)",
		"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.run(KafkaMessageListenerContainer.java:1344)",
		"java.base/java.util.concurrent.CompletableFuture$AsyncRun.run(CompletableFuture.java:1804)",
		"java.base/java.lang.Thread.run(Thread.java:833)",
	}
	// InvoiceService.issue behind its @Transactional proxy.
	framesIssue = []string{
		"com.example.invoice.order.service.InvoiceService.issue(InvoiceService.java:97)",
		"java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)",
		"java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke(NativeMethodAccessorImpl.java:77)",
		"java.base/jdk.internal.reflect.DelegatingMethodAccessorImpl.invoke(DelegatingMethodAccessorImpl.java:43)",
		"java.base/java.lang.reflect.Method.invoke(Method.java:568)",
		"org.springframework.aop.support.AopUtils.invokeJoinpointUsingReflection(AopUtils.java:343)",
		"org.springframework.aop.framework.ReflectiveMethodInvocation.invokeJoinpoint(ReflectiveMethodInvocation.java:196)",
		"org.springframework.aop.framework.ReflectiveMethodInvocation.proceed(ReflectiveMethodInvocation.java:163)",
		"org.springframework.aop.framework.CglibAopProxy$CglibMethodInvocation.proceed(CglibAopProxy.java:750)",
		"org.springframework.transaction.interceptor.TransactionInterceptor$1.proceedWithInvocation(TransactionInterceptor.java:123)",
		"org.springframework.transaction.interceptor.TransactionAspectSupport.invokeWithinTransaction(TransactionAspectSupport.java:391)",
		"org.springframework.transaction.interceptor.TransactionInterceptor.invoke(TransactionInterceptor.java:119)",
		"org.springframework.aop.framework.ReflectiveMethodInvocation.proceed(ReflectiveMethodInvocation.java:184)",
		"org.springframework.aop.framework.CglibAopProxy$CglibMethodInvocation.proceed(CglibAopProxy.java:750)",
		"org.springframework.aop.framework.CglibAopProxy$DynamicAdvisedInterceptor.intercept(CglibAopProxy.java:702)",
		"com.example.invoice.order.service.InvoiceService$$SpringCGLIB$$0.issue(<generated>)",
	}
	// The web request path into InvoiceController.create.
	framesWeb = []string{
		"com.example.invoice.order.service.QuotaService.reserve(QuotaService.java:44)",
		"com.example.invoice.order.web.InvoiceController.create(InvoiceController.java:52)",
		"java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)",
		"java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke(NativeMethodAccessorImpl.java:77)",
		"java.base/jdk.internal.reflect.DelegatingMethodAccessorImpl.invoke(DelegatingMethodAccessorImpl.java:43)",
		"java.base/java.lang.reflect.Method.invoke(Method.java:568)",
		"org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:207)",
		"org.springframework.web.method.support.InvocableHandlerMethod.invokeForRequest(InvocableHandlerMethod.java:152)",
		"org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod.invokeAndHandle(ServletInvocableHandlerMethod.java:118)",
		"org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter.invokeHandlerMethod(RequestMappingHandlerAdapter.java:884)",
		"org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter.handleInternal(RequestMappingHandlerAdapter.java:797)",
		"org.springframework.web.servlet.mvc.method.AbstractHandlerMethodAdapter.handle(AbstractHandlerMethodAdapter.java:87)",
		"org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1081)",
		"org.springframework.web.servlet.DispatcherServlet.doService(DispatcherServlet.java:974)",
		"org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1011)",
		"org.springframework.web.servlet.FrameworkServlet.doPost(FrameworkServlet.java:914)",
		"jakarta.servlet.http.HttpServlet.service(HttpServlet.java:590)",
		"org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)",
		"jakarta.servlet.http.HttpServlet.service(HttpServlet.java:658)",
		"org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:205)",
		"org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:149)",
		"org.apache.tomcat.websocket.server.WsFilter.doFilter(WsFilter.java:51)",
		"org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:174)",
		"org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:149)",
		"org.springframework.web.filter.RequestContextFilter.doFilterInternal(RequestContextFilter.java:100)",
		"org.springframework.web.filter.OncePerRequestFilter.doFilter(OncePerRequestFilter.java:116)",
		"org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:174)",
		"org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:149)",
		"org.apache.catalina.core.StandardWrapperValve.invoke(StandardWrapperValve.java:166)",
		"org.apache.catalina.core.StandardContextValve.invoke(StandardContextValve.java:90)",
		"org.apache.catalina.authenticator.AuthenticatorBase.invoke(AuthenticatorBase.java:482)",
		"org.apache.catalina.core.StandardHostValve.invoke(StandardHostValve.java:115)",
		"org.apache.catalina.valves.ErrorReportValve.invoke(ErrorReportValve.java:93)",
		"org.apache.catalina.core.StandardEngineValve.invoke(StandardEngineValve.java:74)",
		"org.apache.catalina.connector.CoyoteAdapter.service(CoyoteAdapter.java:341)",
		"org.apache.coyote.http11.Http11Processor.service(Http11Processor.java:391)",
		"org.apache.coyote.AbstractProcessorLight.process(AbstractProcessorLight.java:63)",
		"org.apache.coyote.AbstractProtocol$ConnectionHandler.process(AbstractProtocol.java:894)",
		"org.apache.tomcat.util.net.NioEndpoint$SocketProcessor.doRun(NioEndpoint.java:1740)",
		"org.apache.tomcat.util.net.SocketProcessorBase.run(SocketProcessorBase.java:52)",
		"org.apache.tomcat.util.threads.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1191)",
		"org.apache.tomcat.util.threads.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:659)",
		"org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.run(TaskThread.java:61)",
		"java.base/java.lang.Thread.run(Thread.java:833)",
	}
)

func concat(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// taxTimeoutTrace: RestTemplate's read timeout calling tax-adapter.
func taxTimeoutTrace() *JavaException {
	outer := concat([]string{
		"org.springframework.web.client.RestTemplate.createResourceAccessException(RestTemplate.java:888)",
		"org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:868)",
		"org.springframework.web.client.RestTemplate.execute(RestTemplate.java:764)",
		"org.springframework.web.client.RestTemplate.postForEntity(RestTemplate.java:512)",
		"com.example.invoice.order.client.TaxAdapterClient.register(TaxAdapterClient.java:71)",
	}, framesIssue, framesListener)
	cause := concat([]string{
		"java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:283)",
		"java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:309)",
		"java.base/sun.nio.ch.NioSocketImpl.read(NioSocketImpl.java:350)",
		"java.base/sun.nio.ch.NioSocketImpl$1.read(NioSocketImpl.java:803)",
		"java.base/java.net.Socket$SocketInputStream.read(Socket.java:966)",
		"java.base/java.io.BufferedInputStream.fill(BufferedInputStream.java:244)",
		"java.base/java.io.BufferedInputStream.read1(BufferedInputStream.java:284)",
		"java.base/java.io.BufferedInputStream.read(BufferedInputStream.java:343)",
		"java.base/sun.net.www.http.HttpClient.parseHTTPHeader(HttpClient.java:791)",
		"java.base/sun.net.www.http.HttpClient.parseHTTP(HttpClient.java:726)",
		"java.base/sun.net.www.protocol.http.HttpURLConnection.getInputStream0(HttpURLConnection.java:1688)",
		"java.base/sun.net.www.protocol.http.HttpURLConnection.getInputStream(HttpURLConnection.java:1589)",
		"java.base/java.net.HttpURLConnection.getResponseCode(HttpURLConnection.java:529)",
		"org.springframework.http.client.SimpleClientHttpResponse.getStatusCode(SimpleClientHttpResponse.java:55)",
		"org.springframework.web.client.DefaultResponseErrorHandler.hasError(DefaultResponseErrorHandler.java:94)",
		"org.springframework.web.client.RestTemplate.handleResponse(RestTemplate.java:915)",
		"org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:864)",
	}, outer[2:])
	return &JavaException{
		Class:   "org.springframework.web.client.ResourceAccessException",
		Message: `I/O error on POST request for "` + taxAdapterEP + `": Read timed out`,
		Frames:  outer,
		Cause:   &JavaException{Class: "java.net.SocketTimeoutException", Message: "Read timed out", Frames: cause},
	}
}

// taxHTTP503Trace: tax-adapter answered 503.
func taxHTTP503Trace(msg string) *JavaException {
	return &JavaException{
		Class:   "org.springframework.web.client.HttpServerErrorException$ServiceUnavailable",
		Message: msg,
		Frames: concat([]string{
			"org.springframework.web.client.HttpServerErrorException.create(HttpServerErrorException.java:116)",
			"org.springframework.web.client.DefaultResponseErrorHandler.handleError(DefaultResponseErrorHandler.java:183)",
			"org.springframework.web.client.DefaultResponseErrorHandler.handleError(DefaultResponseErrorHandler.java:137)",
			"org.springframework.web.client.ResponseErrorHandler.handleError(ResponseErrorHandler.java:63)",
			"org.springframework.web.client.RestTemplate.handleResponse(RestTemplate.java:932)",
			"org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:881)",
			"org.springframework.web.client.RestTemplate.execute(RestTemplate.java:764)",
			"org.springframework.web.client.RestTemplate.postForEntity(RestTemplate.java:512)",
			"com.example.invoice.order.client.TaxAdapterClient.register(TaxAdapterClient.java:71)",
		}, framesIssue, framesListener),
	}
}

// commitFailedTrace: the offset commit of a consumer that left the group.
func commitFailedTrace() *JavaException {
	return &JavaException{
		Class:   "java.lang.IllegalStateException",
		Message: "This error handler cannot process 'org.apache.kafka.clients.consumer.CommitFailedException's; no record information is available",
		Frames: []string{
			"org.springframework.kafka.listener.DefaultErrorHandler.handleOtherException(DefaultErrorHandler.java:198)",
			"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.handleConsumerException(KafkaMessageListenerContainer.java:1934)",
			"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.run(KafkaMessageListenerContainer.java:1365)",
			"java.base/java.util.concurrent.CompletableFuture$AsyncRun.run(CompletableFuture.java:1804)",
			"java.base/java.lang.Thread.run(Thread.java:833)",
		},
		Cause: &JavaException{
			Class:   "org.apache.kafka.clients.consumer.CommitFailedException",
			Message: "Offset commit cannot be completed since the consumer is not part of an active group for auto partition assignment; it is likely that the consumer was kicked out of the group.",
			Frames: []string{
				"org.apache.kafka.clients.consumer.internals.ConsumerCoordinator.sendOffsetCommitRequest(ConsumerCoordinator.java:1163)",
				"org.apache.kafka.clients.consumer.internals.ConsumerCoordinator.commitOffsetsSync(ConsumerCoordinator.java:1023)",
				"org.apache.kafka.clients.consumer.KafkaConsumer.commitSync(KafkaConsumer.java:1526)",
				"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.doCommitSync(KafkaMessageListenerContainer.java:3190)",
				"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.commitSync(KafkaMessageListenerContainer.java:3185)",
				"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.ackImmediate(KafkaMessageListenerContainer.java:3166)",
				"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.ackCurrent(KafkaMessageListenerContainer.java:3157)",
				"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.doInvokeOnMessage(KafkaMessageListenerContainer.java:2890)",
				"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.invokeOnMessage(KafkaMessageListenerContainer.java:2854)",
				"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.lambda$doInvokeRecordListener$56(KafkaMessageListenerContainer.java:2772)",
				"io.micrometer.observation.Observation.observe(Observation.java:544)",
				"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.doInvokeRecordListener(KafkaMessageListenerContainer.java:2770)",
				"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.doInvokeWithRecords(KafkaMessageListenerContainer.java:2622)",
				"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.invokeRecordListener(KafkaMessageListenerContainer.java:2508)",
				"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.invokeListener(KafkaMessageListenerContainer.java:2150)",
				"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.invokeIfHaveRecords(KafkaMessageListenerContainer.java:1505)",
				"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.pollAndInvoke(KafkaMessageListenerContainer.java:1469)",
				"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.run(KafkaMessageListenerContainer.java:1344)",
				"java.base/java.util.concurrent.CompletableFuture$AsyncRun.run(CompletableFuture.java:1804)",
				"java.base/java.lang.Thread.run(Thread.java:833)",
			},
		},
	}
}

// webLockRootCause: the root cause Tomcat prints for a POST /api/invoice
// whose quota query hit innodb_lock_wait_timeout.
func webLockRootCause() *JavaException {
	return &JavaException{
		Class:   "com.mysql.cj.jdbc.exceptions.MySQLTransactionRollbackException",
		Message: "Lock wait timeout exceeded; try restarting transaction",
		Frames: concat([]string{
			"com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:123)",
			"com.mysql.cj.jdbc.exceptions.SQLExceptionsMapping.translateException(SQLExceptionsMapping.java:122)",
			"com.mysql.cj.jdbc.ClientPreparedStatement.executeInternal(ClientPreparedStatement.java:916)",
			"com.mysql.cj.jdbc.ClientPreparedStatement.executeQuery(ClientPreparedStatement.java:972)",
			"com.zaxxer.hikari.pool.ProxyPreparedStatement.executeQuery(ProxyPreparedStatement.java:52)",
			"com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeQuery(HikariProxyPreparedStatement.java)",
			"org.hibernate.sql.results.jdbc.internal.DeferredResultSetAccess.executeQuery(DeferredResultSetAccess.java:246)",
			"org.hibernate.sql.results.jdbc.internal.DeferredResultSetAccess.getResultSet(DeferredResultSetAccess.java:167)",
			"org.hibernate.sql.results.jdbc.internal.JdbcValuesResultSetImpl.advanceNext(JdbcValuesResultSetImpl.java:218)",
			"org.hibernate.sql.results.jdbc.internal.JdbcValuesResultSetImpl.processNext(JdbcValuesResultSetImpl.java:98)",
			"org.hibernate.sql.results.jdbc.internal.AbstractJdbcValues.next(AbstractJdbcValues.java:19)",
			"org.hibernate.sql.results.internal.RowProcessingStateStandardImpl.next(RowProcessingStateStandardImpl.java:66)",
			"org.hibernate.sql.results.spi.ListResultsConsumer.consume(ListResultsConsumer.java:200)",
			"org.hibernate.sql.exec.internal.JdbcSelectExecutorStandardImpl.doExecuteQuery(JdbcSelectExecutorStandardImpl.java:361)",
			"org.hibernate.sql.exec.internal.JdbcSelectExecutorStandardImpl.executeQuery(JdbcSelectExecutorStandardImpl.java:168)",
			"org.hibernate.sql.exec.internal.JdbcSelectExecutorStandardImpl.list(JdbcSelectExecutorStandardImpl.java:93)",
			"org.hibernate.query.sql.internal.NativeSelectQueryPlanImpl.performList(NativeSelectQueryPlanImpl.java:138)",
			"org.hibernate.query.sql.internal.NativeQueryImpl.doList(NativeQueryImpl.java:621)",
			"org.hibernate.query.spi.AbstractSelectionQuery.list(AbstractSelectionQuery.java:427)",
			"org.hibernate.query.sql.internal.NativeQueryImpl.getSingleResult(NativeQueryImpl.java:111)",
			"com.example.invoice.order.repo.InvoiceRepository.sumAmountForUpdate(InvoiceRepository.java:61)",
		}, framesWeb),
	}
}
