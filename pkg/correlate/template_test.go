package correlate

import (
	"fmt"
	"math/rand"
	"slices"
	"sort"
	"strings"
	"testing"
)

// tmplMaskText masks msg with the default caps and joins the tokens.
func tmplMaskText(msg string, quoted bool) string {
	var l tmplLine
	tmplMask(&l, tmplFirstLine(msg, DefaultMaxLineBytes), DefaultMaxTokens, quoted)
	parts := make([]string, l.n())
	for i := range parts {
		parts[i] = string(l.tok(i))
	}
	return strings.Join(parts, " ")
}

func TestTemplateMask(t *testing.T) {
	tests := []struct{ in, want string }{
		// numbers
		{"value -12 and 0x1f and 3.14e-5 and +7", "value <*> and <*> and <*> and <*>"},
		{"retrying (1 of 3)", "retrying (<*> of <*>)"},
		{"50% done, 3/4 steps", "<*> done, <*> steps"},
		// durations and sizes, with a unit word folded into its number
		{"took 30s then 1.5ms and 3m; size 4096kB", "took <*> then <*> and <*>; size <*>"},
		{"Total memory: 64172 MB, used: 512.00 MB", "Total memory: <*>, used: <*>"},
		{"0 bytes sent, 18846 bytes (18.4 KB) received, lifetime <1 sec", "<*> sent, <*> received, lifetime <*>"},
		{"Took 19.05 seconds to spawn the instance on the hypervisor.", "Took <*> to spawn the instance on the hypervisor."},
		// addresses
		{"Connection from 10.0.0.1:5432 closed", "Connection from <*> closed"},
		{"Received disconnect from 52.80.34.196: 11: Bye Bye [preauth]", "Received disconnect from <*>: Bye Bye [preauth]"},
		{"connect to [fe80::1%eth0]:8080 failed", "connect to [<*>]:<*> failed"},
		{"listening on [::]:9092 and ::1", "listening on [<*>]:<*> and <*>"},
		{"bind 2001:db8::8a2e:370:7334 ok", "bind <*> ok"},
		{"mac 00:1a:2b:3c:4d:5e up", "mac <*> up"},
		{"kafka-0:9092 localhost:8080 broker1:9092 pid:1234", "<*> pid:<*>"},
		{"proxy.cse.cuhk.edu.hk:5070 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS", "<*> open through proxy <*> HTTPS"},
		{"resolved mtalk.google.com and cp-1.slowvm1.tcloud-pg0.utah.cloudlab.us", "resolved <*> and <*>"},
		{"rhost=ec2-52-80-34-196.cn-north-1.compute.amazonaws.com.cn", "rhost=<*>"},
		// names that look dotted but are not hosts
		{"java.io.IOException at workerEnv.init() for mapred.job.id a.b.c.d", "java.io.IOException at workerEnv.init() for mapred.job.id a.b.c.d"},
		{"GET https://api.example.com/v1/orders?id=12 failed", "GET <*> failed"},
		{"mail to bob.smith@example.com bounced", "mail to <*> bounced"},
		// paths
		{"open /var/lib/mysql/ibdata1: permission denied", "open <*>: permission denied"},
		{"image 0673dd71-34c5-4fbb-86c4-40623fbe45b4 at (/var/lib/nova/instances/_base/a489c868f0c37da93b76227c91bb03908ac0e742): checking", "image <*> at (<*>): checking"},
		{"see ./logs/app.log, ../x and ~/y", "see <*> and <*>"},
		{`C:\Windows\Temp\x.dll loaded`, "<*> loaded"},
		// ids
		{"request 3fa85f64-5717-4562-b3fc-2c963f66afa6 done", "request <*> done"},
		{"commit a489c868f0c37da93b76227c91bb03908ac0e742 deadbeef cafe", "commit <*> deadbeef cafe"},
		{"blk_-1608999687919862906 attempt_1445144423722_0020_m_000004_0 CPU#0 node01 U011", "blk_<*> attempt_<*> CPU#<*> node<*> U<*>"},
		{"ssh2 tty2 x86_64 amd64 BIOS-e820: jk2_init() log4j sha256", "ssh2 tty2 x86_<*> amd64 BIOS-e820: jk2_init() log4j sha256"},
		{"BLOCK* ask 10.250.17.177:50010 to delete  blk_-8570780307468499817 blk_-9122557405432088649 blk_4393063808227796056", "BLOCK* ask <*> to delete blk_<*>"},
		{"v2.4.1 and V10 and version 1.2.3-rc1", "v<*> and V<*> and version <*>"},
		// times and dates
		{"at 2023-08-15T14:22:03.123+08:00 and 2017-05-16 05:00:00 and 14:22:03,123", "at <*> and <*> and <*>"},
		{"connection from 24.54.76.216 (24-54-76-216.bflony.adelphia.net) at Fri Jun 17 07:07:00 2005", "connection from <*> at <*>"},
		{"connection from 222.33.90.199 () at Sun Jul  3 10:05:25 2005", "connection from <*> at <*>"},
		{"lifetime 00:01", "lifetime <*>"},
		{"May I ask", "May I ask"},
		// key=value: values masked when they are values
		{"user=42 tty=ssh rhost= uid=0 status=ok", "user=<*> tty=ssh rhost= uid=<*> status=ok"},
		{"session opened for user root by (uid=0)", "session opened for user root by (uid=<*>)"},
		{"Final resource view: name=cp-1.slowvm1.tcloud-pg0.utah.cloudlab.us phys_ram=64172MB used_ram=2560MB pci_stats=[]", "Final resource view: name=<*> phys_ram=<*> used_ram=<*> pci_stats=[]"},
		{"latency=12.5ms bytes=1024 path=/api/v1/x?y=1 ok=true", "latency=<*> bytes=<*> path=<*> ok=true"},
		// quoted strings stay unless MaskQuoted
		{`said "hello world" and 'x y'`, `said "hello world" and 'x y'`},
		{`10.11.10.1 "GET /v2/54fadb412c4e40cdbaed9335e4c35a9e/servers/detail HTTP/1.1" status: 200 len: 1893 time: 0.2477829`, `<*> "GET <*> HTTP/<*>" status: <*> len: <*> time: <*>`},
		// whitespace, first line, odd input
		{"  leading and   multiple \t spaces  ", "leading and multiple spaces"},
		{"Exception in thread \"main\" java.lang.NullPointerException\n\tat com.x.Y.z(Y.java:10)", `Exception in thread "main" java.lang.NullPointerException`},
		{"first\r\nsecond", "first"},
		{"", ""},
		{"<*> literal wildcard", "<*> literal wildcard"},
		{"1.2.3.4.5 x", "<*> x"},
	}
	for _, tt := range tests {
		if got := tmplMaskText(tt.in, false); got != tt.want {
			t.Errorf("mask(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestTemplateMaskQuoted(t *testing.T) {
	tests := []struct{ in, want string }{
		{`said "hello world" and 'x y'`, `said "<*>" and '<*>'`},
		{`open "a \" b": denied`, `open "<*>": denied`},
		{`unclosed "quote here`, `unclosed "quote here`},
	}
	for _, tt := range tests {
		if got := tmplMaskText(tt.in, true); got != tt.want {
			t.Errorf("mask(%q, quoted)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

// tmplFinal follows a template to the live one it was folded into.
func tmplFinal(t *Template) *Template {
	for t.into != nil {
		t = t.into
	}
	return t
}

// tmplTexts returns the texts of m's templates, sorted.
func tmplTexts(m *Miner) []string {
	var out []string
	for _, t := range m.Templates() {
		out = append(out, t.Text)
	}
	sort.Strings(out)
	return out
}

func TestMinerMerge(t *testing.T) {
	tests := []struct {
		name string
		msgs []string
		want []string // final template texts, sorted
	}{
		{
			name: "masked values only",
			msgs: []string{
				"[instance: b9000564-fe1a-409b-b8cc-1e88b294cd1d] Took 19.84 seconds to build instance.",
				"[instance: 96abccce-8d1f-4e07-b6d1-4b2ab87e23b4] Took 20.71 seconds to build instance.",
			},
			want: []string{"[instance: <*>] Took <*> to build instance."},
		},
		{
			name: "many different words become a variable",
			msgs: []string{
				"Invalid user webmaster from 173.234.31.186",
				"Invalid user test9 from 52.80.34.196",
				"Invalid user admin from 10.0.0.1",
				"Invalid user chen from 202.100.179.208",
				"Invalid user support from 195.154.37.122",
				"Invalid user webmaster from 173.234.31.186",
			},
			want: []string{"Invalid user <*> from <*>"},
		},
		{
			name: "a few different words name different events",
			msgs: []string{
				"[instance: b9000564-fe1a-409b-b8cc-1e88b294cd1d] VM Paused (Lifecycle Event)",
				"[instance: b9000564-fe1a-409b-b8cc-1e88b294cd1d] VM Resumed (Lifecycle Event)",
				"[instance: 96abccce-8d1f-4e07-b6d1-4b2ab87e23b4] VM Stopped (Lifecycle Event)",
				"[instance: 96abccce-8d1f-4e07-b6d1-4b2ab87e23b4] VM Paused (Lifecycle Event)",
			},
			want: []string{
				"[instance: <*>] VM Paused (Lifecycle Event)",
				"[instance: <*>] VM Resumed (Lifecycle Event)",
				"[instance: <*>] VM Stopped (Lifecycle Event)",
			},
		},
		{
			name: "words in capitals never become variables",
			msgs: []string{
				"attempt_1445144423722_0020_m_000000_0 TaskAttempt Transitioned from NEW to UNASSIGNED",
				"attempt_1445144423722_0020_m_000001_0 TaskAttempt Transitioned from UNASSIGNED to ASSIGNED",
				"attempt_1445144423722_0020_m_000002_0 TaskAttempt Transitioned from ASSIGNED to RUNNING",
				"attempt_1445144423722_0020_m_000003_0 TaskAttempt Transitioned from RUNNING to SUCCESS_CONTAINER_CLEANUP",
				"attempt_1445144423722_0020_m_000004_0 TaskAttempt Transitioned from SUCCESS_CONTAINER_CLEANUP to SUCCEEDED",
				"attempt_1445144423722_0020_m_000005_0 TaskAttempt Transitioned from NEW to UNASSIGNED",
			},
			want: []string{
				"attempt_<*> TaskAttempt Transitioned from ASSIGNED to RUNNING",
				"attempt_<*> TaskAttempt Transitioned from NEW to UNASSIGNED",
				"attempt_<*> TaskAttempt Transitioned from RUNNING to SUCCESS_CONTAINER_CLEANUP",
				"attempt_<*> TaskAttempt Transitioned from SUCCESS_CONTAINER_CLEANUP to SUCCEEDED",
				"attempt_<*> TaskAttempt Transitioned from UNASSIGNED to ASSIGNED",
			},
		},
		{
			name: "a variable keeps its key",
			msgs: []string{
				"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=112.95.230.3  user=root",
				"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=195.154.37.122  user=uucp",
				"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=5.188.10.180  user=ftp",
				"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=187.141.143.180  user=git",
			},
			want: []string{"pam_unix(sshd:auth): authentication failure; logname= uid=<*> euid=<*> tty=ssh ruser= rhost=<*> user=<*>"},
		},
		{
			name: "different ids are one variable",
			msgs: []string{
				"Block broadcast_9_piece0 stored as bytes in memory (estimated size 5.2 KB, free 5.2 KB)",
				"Block rdd_2_2 stored as bytes in memory (estimated size 850.0 B, free 320.3 KB)",
			},
			want: []string{"Block <*> stored as bytes in memory (estimated size <*>, free <*>)"},
		},
		{
			name: "dissimilar messages of one length stay apart",
			msgs: []string{
				"[instance: b9000564-fe1a-409b-b8cc-1e88b294cd1d] Terminating instance",
				"[instance: 96abccce-8d1f-4e07-b6d1-4b2ab87e23b4] Claim successful",
				"[instance: 96abccce-8d1f-4e07-b6d1-4b2ab87e23b4] Creating image",
			},
			want: []string{
				"[instance: <*>] Claim successful",
				"[instance: <*>] Creating image",
				"[instance: <*>] Terminating instance",
			},
		},
		{
			name: "stack traces are mined on their first line",
			msgs: []string{
				"java.lang.IllegalStateException: Invoice 1001 already committed\n\tat com.example.Invoice.commit(Invoice.java:42)",
				"java.lang.IllegalStateException: Invoice 1002 already committed\n\tat com.example.Batch.run(Batch.java:7)\n\tat java.lang.Thread.run(Thread.java:748)",
			},
			want: []string{"java.lang.IllegalStateException: Invoice <*> already committed"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewMiner(MinerConfig{})
			var got []*Template
			for _, s := range tt.msgs {
				got = append(got, m.Add(s))
			}
			if texts := tmplTexts(m); strings.Join(texts, "\n") != strings.Join(tt.want, "\n") {
				t.Fatalf("templates:\n%s\nwant:\n%s", strings.Join(texts, "\n"), strings.Join(tt.want, "\n"))
			}
			var total int64
			for _, tp := range m.Templates() {
				total += tp.Count
			}
			if total != int64(len(tt.msgs)) {
				t.Errorf("counts add up to %d, want %d", total, len(tt.msgs))
			}
			for i, tp := range got {
				// a returned pointer shows its final template's text and
				// id, and Match finds that template
				f := tmplFinal(tp)
				if tp.Text != f.Text || tp.ID != f.ID {
					t.Errorf("message %d: template %q/%s, final %q/%s", i, tp.Text, tp.ID, f.Text, f.ID)
				}
				if mt := m.Match(tt.msgs[i]); mt != f {
					t.Errorf("Match(%q) = %v, want %q", tt.msgs[i], mt, f.Text)
				}
			}
		})
	}
}

func TestMinerFoldKeepsPointers(t *testing.T) {
	m := NewMiner(MinerConfig{MaxVariants: 2})
	a := m.Add("login failed for alice")
	b := m.Add("login failed for bob")
	a2 := m.Add("login failed for alice")
	if a == b || a2 != a || m.Len() != 2 {
		t.Fatalf("two users should be two templates first: %q %q (%d)", a.Text, b.Text, m.Len())
	}
	c := m.Add("login failed for carol") // a third word: the position varies
	if m.Len() != 1 || c != a {
		t.Fatalf("after a third user want one template (the oldest), got %d, %q", m.Len(), c.Text)
	}
	for _, tp := range []*Template{a, b, c} {
		if tp.Text != "login failed for <*>" || tp.ID != tmplID(tp.Text) {
			t.Errorf("template %q/%s, want the folded text", tp.Text, tp.ID)
		}
	}
	if a.Count != 4 || b.Count != 1 {
		t.Errorf("counts: live %d (want 4), folded %d (want 1)", a.Count, b.Count)
	}
	if got := m.Templates(); len(got) != 1 || got[0] != a {
		t.Errorf("Templates() = %v, want only the live one", got)
	}
	// later generalization reaches folded pointers too
	m.Add("login failed for dave now")
	m.Add("login failed for alice 3")
	if b.Text != a.Text {
		t.Errorf("folded %q, live %q", b.Text, a.Text)
	}
}

func TestMinerMatch(t *testing.T) {
	m := NewMiner(MinerConfig{})
	tp := m.Add("Connection closed by 173.234.31.186 [preauth]")
	if got := m.Match("Connection closed by 10.1.2.3 [preauth]"); got != tp {
		t.Errorf("Match of an instance = %v, want %q", got, tp.Text)
	}
	if tp.Count != 1 {
		t.Errorf("Match learned: count %d", tp.Count)
	}
	if got := m.Match("Connection reset by peer"); got != nil {
		t.Errorf("Match of an unknown message = %q, want nil", got.Text)
	}
	if got := m.Match("Connection opened by 10.1.2.3 [preauth]"); got != nil {
		t.Errorf("Match of a near miss = %q, want nil (Match does not generalize)", got.Text)
	}
	if m.Len() != 1 {
		t.Errorf("Match created templates: %d", m.Len())
	}
}

func TestMinerStableIDs(t *testing.T) {
	msgs := []string{
		"Invalid user webmaster from 173.234.31.186",
		"Invalid user test9 from 52.80.34.196",
		"Invalid user admin from 10.0.0.1",
		"Invalid user chen from 202.100.179.208",
		"Failed password for root from 5.36.59.76 port 42393 ssh2",
		"Failed password for root from 112.95.230.3 port 45378 ssh2",
		"Received disconnect from 52.80.34.196: 11: Bye Bye [preauth]",
		"Received disconnect from 103.207.39.165: 11: Closed due to user request. [preauth]",
		"[instance: b9000564-fe1a-409b-b8cc-1e88b294cd1d] VM Paused (Lifecycle Event)",
		"[instance: 96abccce-8d1f-4e07-b6d1-4b2ab87e23b4] VM Resumed (Lifecycle Event)",
		"[instance: 96abccce-8d1f-4e07-b6d1-4b2ab87e23b4] VM Paused (Lifecycle Event)",
		"Took 1.03 seconds to destroy the instance",
		"Took 19.05 seconds to destroy the instance",
	}
	final := func(order []string) map[string]string {
		m := NewMiner(MinerConfig{})
		for _, s := range order {
			m.Add(s)
		}
		out := map[string]string{}
		for _, tp := range m.Templates() {
			out[tp.Text] = tp.ID
		}
		return out
	}
	want := final(msgs)
	r := rand.New(rand.NewSource(7))
	for round := 0; round < 20; round++ {
		order := append([]string(nil), msgs...)
		r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		got := final(order)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("order %d: templates\n%v\nwant\n%v", round, got, want)
		}
	}
	// the id is a function of the text alone, the same in every run
	if id := want["Invalid user <*> from <*>"]; id != "70310852e5989f71" {
		t.Errorf("ID of %q = %q, want 70310852e5989f71 (FNV-1a 64)", "Invalid user <*> from <*>", id)
	}
}

func TestMinerTemplatesOrder(t *testing.T) {
	m := NewMiner(MinerConfig{})
	for _, s := range []string{"b happened", "a happened", "c happened now", "c happened now", "zz"} {
		m.Add(s)
	}
	var got []string
	for _, tp := range m.Templates() {
		got = append(got, fmt.Sprintf("%d %s", tp.Count, tp.Text))
	}
	want := "2 c happened now|1 a happened|1 b happened|1 zz"
	if strings.Join(got, "|") != want {
		t.Errorf("Templates() = %q, want %q", strings.Join(got, "|"), want)
	}
}

func TestMinerCaps(t *testing.T) {
	t.Run("templates", func(t *testing.T) {
		m := NewMiner(MinerConfig{MaxTemplates: 3})
		for _, s := range []string{"disk failed on sda", "beta two three", "gamma", "delta four five six", "epsilon x y z w"} {
			m.Add(s)
		}
		if m.Len() != 3 {
			t.Fatalf("Len = %d, want 3", m.Len())
		}
		over := m.Templates()[0] // the most frequent
		if over.Text != OverflowText || over.Count != 2 || over.ID != tmplID(OverflowText) {
			t.Errorf("overflow template %q count %d", over.Text, over.Count)
		}
		if got := m.Match("epsilon x y z w"); got != over {
			t.Errorf("Match of an overflowed message = %v, want the overflow template", got)
		}
		if got := m.Add("beta two 3"); got.Text != "beta two <*>" {
			t.Errorf("a full miner still generalizes: %q", got.Text)
		}
		if got := m.Add("disk failed on sdb"); got != over {
			t.Errorf("a full miner makes no sibling: %q", got.Text)
		}
	})
	t.Run("tokens", func(t *testing.T) {
		m := NewMiner(MinerConfig{MaxTokens: 4})
		tp := m.Add("one two three four five six seven")
		if tp.Text != "one two three <*>" {
			t.Errorf("Text = %q", tp.Text)
		}
		if got := m.Add("one two three four and more words"); got != tp {
			t.Errorf("lines that share the first tokens share the template: %q", got.Text)
		}
		if got := m.Add("one two 3 4 5 6 7 8"); got.Text != "one two <*>" {
			t.Errorf("a value tail = %q", got.Text)
		}
	})
	t.Run("line bytes", func(t *testing.T) {
		m := NewMiner(MinerConfig{MaxLineBytes: 12})
		if tp := m.Add("hello world and the rest"); tp.Text != "hello world" {
			t.Errorf("Text = %q", tp.Text)
		}
		m = NewMiner(MinerConfig{MaxLineBytes: 9})
		if tp := m.Add("héllo wörld ü"); tp.Text != "héllo w" {
			t.Errorf("cut inside a rune: %q", tp.Text)
		}
	})
	t.Run("long lines", func(t *testing.T) {
		m := NewMiner(MinerConfig{})
		long := strings.Repeat("word ", 10000)
		tp := m.Add(long)
		if n := len(strings.Fields(tp.Text)); n != DefaultMaxTokens {
			t.Errorf("%d tokens, want %d", n, DefaultMaxTokens)
		}
	})
	t.Run("variants", func(t *testing.T) {
		m := NewMiner(MinerConfig{MaxVariants: 1})
		m.Add("disk failed: sda")
		m.Add("disk failed: sdb")
		if got := tmplTexts(m); len(got) != 1 || got[0] != "disk failed: <*>" {
			t.Errorf("MaxVariants 1: %q", got)
		}
	})
}

func FuzzMiner(f *testing.F) {
	for _, s := range []string{
		"Invalid user webmaster from 173.234.31.186\x00Invalid user test9 from 52.80.34.196\x00Invalid user a from ::1\x00Invalid user b from 1.2.3.4",
		"VM Paused (x)\x00VM Resumed (x)\x00VM Stopped (y)\x00VM Started (x)\x00VM Paused (y)",
		"0 bytes sent, 18846 bytes (18.4 KB) received, lifetime <1 sec\x00lifetime 00:01",
		"key=value k=1 k=v\x00key=other k=2 k=w\x00key=x k=3 k=x",
		"a\nb\x00a\r\nc\x00\x00 \x00\t",
		"[::]:80 [fe80::1%eth0]:8080 ::ffff:10.0.0.1 dead:beef::\x00<*> <*> <*>",
		"NEW to RUNNING\x00RUNNING to DONE\x00new to running",
		"\"quoted string\" 'x\x00\"unterminated",
		"http://x/y?z=1 user@example.com /var/log/x C:\\x ./y ~/z",
	} {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, in string, knobs uint8) {
		cfg := MinerConfig{MaskQuoted: knobs&1 != 0}
		if knobs&2 != 0 {
			cfg.MaxTokens, cfg.MaxVariants, cfg.MaxTemplates, cfg.Depth = 5, 1, 4, 1
		}
		m := NewMiner(cfg)
		msgs := strings.Split(in, "\x00")
		msgs = append(msgs, msgs...)
		for _, s := range msgs {
			// Add skips merge when the message fits its template:
			// merge would change nothing then
			l := m.mask(s)
			if c, fits := m.best(m.search(l), l, false); fits {
				toks, text := slices.Clone(c.toks), c.Text
				m.merge(c, l)
				if c.Text != text || !slices.Equal(c.toks, toks) {
					t.Fatalf("merging %q, which fits, changed %q to %q", s, text, c.Text)
				}
			}
			for _, leaf := range m.search(l) {
				for _, c := range leaf.leaf {
					for _, match := range []bool{false, true} {
						sim, fits, ok := m.score(c, l, match)
						rs, rf, rok := tmplScoreRef(c, l, match)
						if sim != rs || fits != rf || ok != rok {
							t.Fatalf("score(%q, %q, %v) = %v %v %v, want %v %v %v", c.Text, s, match, sim, fits, ok, rs, rf, rok)
						}
					}
				}
			}
			tp := m.Add(s)
			if tp == nil {
				t.Fatalf("Add(%q) = nil", s)
			}
			if got := m.Match(s); got != tp {
				t.Fatalf("Match(%q) = %v after Add returned %q", s, got, tp.Text)
			}
			if len(tp.ID) != 16 || tp.ID != tmplID(tp.Text) {
				t.Fatalf("ID %q of %q", tp.ID, tp.Text)
			}
		}
		var total int64
		for _, tp := range m.Templates() {
			total += tp.Count
			if tp.into != nil {
				t.Fatalf("Templates() holds folded %q", tp.Text)
			}
		}
		if total != int64(len(msgs)) {
			t.Fatalf("counts add up to %d, want %d", total, len(msgs))
		}
		// every message added is an instance of a final template
		for _, s := range msgs {
			if m.Match(s) == nil {
				t.Fatalf("after all Adds, Match(%q) = nil", s)
			}
		}
	})
}

func TestMinerMasksJavaIdentityHashes(t *testing.T) {
	m := NewMiner(MinerConfig{})
	a := m.Add("HikariPool-1 - Added connection com.mysql.cj.jdbc.ConnectionImpl@8877ee91")
	b := m.Add("HikariPool-1 - Added connection com.mysql.cj.jdbc.ConnectionImpl@bb70e692")
	if a.ID != b.ID {
		t.Errorf("identity hashes split a template: %q vs %q", a.Text, b.Text)
	}
}

// tmplScoreRef is Miner.score the simple way, token by token, without the
// template's runs.
func tmplScoreRef(t *Template, l *tmplLine, match bool) (sim float64, fits, ok bool) {
	miss, maxMiss := 0, t.nConst-t.need
	if match {
		maxMiss = 0
	}
	fits = true
	for i := range t.toks {
		tt := &t.toks[i]
		w := l.tok(i)
		switch tt.kind {
		case tmplConst:
			if tt.text == string(w) {
				continue
			}
			fits = false
			if miss++; miss > maxMiss || tt.block || tmplBlocks(w) {
				return 0, false, false
			}
		case tmplValue:
			if fits && tt.text != string(w) {
				if match {
					return 0, false, false
				}
				fits = false
			}
		default:
			if fits && !tmplFitsParam(tt, w) {
				if match {
					return 0, false, false
				}
				fits = false
			}
		}
	}
	if t.nConst == 0 {
		return 1, fits, true
	}
	return float64(t.nConst-miss) / float64(t.nConst), fits, true
}

func TestTemplateRuns(t *testing.T) {
	c, v, p := uint8(tmplConst), uint8(tmplValue), uint8(tmplParam)
	for _, tc := range []struct {
		toks  []string
		kinds []uint8
		want  []tmplRun
	}{
		{[]string{"a"}, []uint8{c}, nil},
		{[]string{"a", "b"}, []uint8{c, v}, []tmplRun{{0, 2, "a b"}}},
		{[]string{"a", "<*>", "b"}, []uint8{c, p, c}, nil},
		{[]string{"<*>", "b", "c"}, []uint8{p, c, c}, []tmplRun{{1, 3, "b c"}}},
		{[]string{"a", "b", "x=<*>", "c", "<*>", "d", "e", "f"}, []uint8{c, c, p, v, p, c, c, c},
			[]tmplRun{{0, 2, "a b"}, {5, 8, "d e f"}}},
		{[]string{"<*>", "<*>"}, []uint8{p, p}, nil},
	} {
		tp := &Template{toks: make([]tmplTok, len(tc.toks))}
		for i := range tc.toks {
			tp.toks[i] = tmplTok{text: tc.toks[i], kind: tc.kinds[i]}
		}
		NewMiner(MinerConfig{}).retext(tp)
		if len(tp.runs) != len(tc.want) || len(tc.want) > 0 && !slices.Equal(tp.runs, tc.want) {
			t.Errorf("runs of %q = %v, want %v", tp.Text, tp.runs, tc.want)
		}
	}
}
