package gen

import (
	"fmt"
	"strings"
	"time"
)

// Red herrings: a burst of errors 20-40 minutes before the incident, in a
// service that has nothing to do with it, over in two or three minutes.
const (
	herringCDN      = "catalog-cdn"      // catalog's image CDN answers 502
	herringSMTP     = "orders-smtp"      // orders cannot reach the mail relay
	herringWebhook  = "payments-webhook" // a partner's webhook endpoint answers 503
	herringRedeploy = "fulfillment-redeploy"
	herringReport   = "mysql-report" // an analyst's heavy queries
)

func (w *world) runHerring() {
	var ok []string
	for _, h := range w.herrings {
		switch h {
		case herringCDN:
			if w.srcs[svcCatalog] && w.srcs[svcGateway] {
				ok = append(ok, h)
			}
		case herringSMTP:
			if w.srcs[svcOrders] {
				ok = append(ok, h)
			}
		case herringWebhook:
			if w.srcs[svcPayments] {
				ok = append(ok, h)
			}
		case herringRedeploy:
			if w.srcs[svcFulfillment] && len(w.kafka) > 0 {
				ok = append(ok, h)
			}
		case herringReport:
			if w.db != nil && !w.db.maria {
				ok = append(ok, h)
			}
		}
	}
	if len(ok) == 0 {
		return
	}
	h := ok[w.r.IntN(len(ok))]
	w.herrKind = h
	w.herrEnd = w.herringBurst(h, w.herring)
}

// allHerrings runs, one after the other, every red herring the world's
// services allow, each once at a random time: the harmless trouble of a
// good run (see scenarioSteadyHerrings).
func (w *world) allHerrings() {
	all := []string{herringCDN, herringSMTP, herringWebhook, herringRedeploy, herringReport}
	// one slot each, so that they do not overlap
	slot := (w.end.Sub(w.start) - 10*time.Minute) / time.Duration(len(all))
	var kinds []string
	for i, h := range all {
		w.herrings = []string{h}
		w.herrKind = ""
		w.herring = w.start.Add(5*time.Minute + time.Duration(i)*slot + time.Duration(w.r.Int64N(int64(slot-3*time.Minute))))
		w.runHerring()
		if w.herrKind != "" {
			kinds = append(kinds, w.herrKind)
		}
	}
	w.herrKind = strings.Join(kinds, ", ")
}

// herringBurst writes one red herring starting at t0 and returns its end.
func (w *world) herringBurst(h string, t0 time.Time) time.Time {
	r := w.r
	end := t0.Add(time.Duration(120+r.IntN(60)) * time.Second)
	w.herrEnd = end
	w.note(t0, "red herring %s starts", h)
	w.note(end, "red herring %s over", h)
	switch h {
	case herringCDN:
		// the background image-metadata refresher fails; requests are
		// served from the cache meanwhile
		g := w.goes[svcCatalog]
		for t := t0; t.Before(w.herrEnd); t = t.Add(time.Duration(2500+r.IntN(4000)) * time.Millisecond) {
			g.log(t, "error", "media", "media/refresher.go:77", "refresh failed", Str("error", "GET https://img.shopcdn.example.net/meta/v1/batch: 502 Bad Gateway"), Int("attempt", int64(1+r.IntN(5))))
		}
	case herringSMTP:
		a := w.apps[svcOrders]
		for t := t0; t.Before(w.herrEnd); t = t.Add(time.Duration(3000+r.IntN(4000)) * time.Millisecond) {
			a.logEx(t, "ERROR", "task-"+fmt.Sprint(1+r.IntN(8)), a.pkg+".mail.ConfirmationMailer", fmt.Sprintf("Failed to send order confirmation for order %d", w.orderSeq-r.IntN(40)),
				&JavaException{Class: "org.springframework.mail.MailSendException", Message: fmt.Sprintf("Mail server connection failed. Failed messages: org.eclipse.angus.mail.util.MailConnectException: Couldn't connect to host, port: %s, 587; timeout 5000", smtpHost),
					Frames: []string{"org.springframework.mail.javamail.JavaMailSenderImpl.doSend(JavaMailSenderImpl.java:443)", "org.springframework.mail.javamail.JavaMailSenderImpl.send(JavaMailSenderImpl.java:361)", a.pkg + ".mail.ConfirmationMailer.send(ConfirmationMailer.java:51)"},
					Cause:  &JavaException{Class: "java.net.SocketTimeoutException", Message: "Connect timed out", Frames: []string{"java.base/sun.nio.ch.NioSocketImpl.timedFinishConnect(NioSocketImpl.java:546)", "java.base/java.net.Socket.connect(Socket.java:751)", "org.eclipse.angus.mail.util.SocketFetcher.createSocket(SocketFetcher.java:372)"}}})
		}
	case herringWebhook:
		a := w.apps[svcPayments]
		for t := t0; t.Before(w.herrEnd); t = t.Add(time.Duration(2000+r.IntN(4000)) * time.Millisecond) {
			a.log(t, "ERROR", "webhook-dispatcher-"+fmt.Sprint(1+r.IntN(4)), a.pkg+".webhook.WebhookDispatcher", fmt.Sprintf("Webhook delivery evt_%s to https://hooks.partner-erp.example.com/shop/payments failed: 503 Service Unavailable (attempt %d/5)", hexID(r, 12), 1+r.IntN(5)))
		}
	case herringRedeploy:
		a := w.apps[svcFulfillment]
		coord := w.coordinator()
		tag := "[Consumer clientId=consumer-fulfillment-1, groupId=fulfillment] "
		a.log(t0, "INFO", "SpringApplicationShutdownHook", lListenerCont, "fulfillment: Consumer stopped")
		a.log(t0.Add(2*time.Millisecond), "INFO", "SpringApplicationShutdownHook", lHikariDS, "HikariPool-1 - Shutdown initiated...")
		a.log(t0.Add(9*time.Millisecond), "INFO", "SpringApplicationShutdownHook", lHikariDS, "HikariPool-1 - Shutdown completed.")
		coord.log(t0.Add(5*time.Millisecond), "INFO", fmt.Sprintf("[GroupCoordinator %d]: Preparing to rebalance group fulfillment in state PreparingRebalance with old generation 31 (__consumer_offsets-17) (reason: Removing member consumer-fulfillment-1-%s on LeaveGroup; client reason: the consumer is being closed)", coord.id, hexUUID(r)), "kafka.coordinator.group.GroupCoordinator")
		ready := a.startup(t0.Add(2*time.Second), true)
		for i := 0; i < 6; i++ {
			a.log(ready.Add(time.Duration(200+i*900)*time.Millisecond), "WARN", consumerThr, lNetClient, tag+fmt.Sprintf("Error while fetching metadata with correlation id %d : {orders=LEADER_NOT_AVAILABLE}", 2+i))
		}
		w.rejoin(a, coord, consumerThr, tag, "consumer-fulfillment-1-"+hexUUID(r), "orders-0, orders-1", 32, ready.Add(6*time.Second))
	case herringReport:
		for i, t := 0, t0; t.Before(end); i, t = i+1, t.Add(time.Duration(8+r.IntN(15))*time.Second) {
			qt := time.Duration(18000+r.IntN(26000)) * time.Millisecond
			w.slow = append(w.slow, SlowQuery{End: t, User: "analyst", IP: "10.0.9.15", ID: 990000 + int64(i), QueryTime: qt, LockTime: time.Duration(r.IntN(900)) * time.Microsecond,
				RowsSent: int64(r.IntN(5000)), RowsExamined: int64(40000000 + r.IntN(9000000)), DB: "shop",
				SQL: "SELECT c.id, c.email, SUM(o.total) FROM customers c JOIN orders o ON o.customer_id = c.id LEFT JOIN payments p ON p.order_id = o.id GROUP BY c.id ORDER BY 3 DESC"})
			if i%2 == 1 && w.db != nil {
				w.db.log(t.Add(time.Second), 990000+int64(i), "Warning", "MY-010914", "Server", fmt.Sprintf("Aborted connection %d to db: 'shop' user: 'analyst' host: '10.0.9.15' (Got an error reading communication packets).", 990000+i))
			}
		}
	}
	return end
}
