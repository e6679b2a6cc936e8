package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/followuphq/followup/bot/slackfake"
)

// Targets of DESIGN §4 for the Slack edge, against the same-work Bolt app it names.
const (
	boltRPS      = 1700.0
	boltP99At16  = 17 * time.Millisecond
	boltP99At64  = 58 * time.Millisecond
	ackP99Target = 10 * time.Millisecond
	rssIdleMB    = 40
	rssLoadMB    = 150
)

// kinds of request the load generator sends.
const (
	kindLog     = "log"
	kindDue     = "due"
	kindShow    = "show"
	kindOptions = "typeahead"
)

// savedPrefix starts the bot's English confirmation of a committed follow-up (bot/i18n.go):
// a 200 without it is an answer, not an ack of a saved log.
const savedPrefix = ":white_check_mark: Saved your follow-up"

// mixes: the quick-log-only mode, and a realistic day's mix of a rep's slash commands.
var mixes = map[string][]struct {
	kind   string
	weight int
}{
	"quick": {{kindLog, 100}},
	"mixed": {{kindLog, 70}, {kindDue, 10}, {kindShow, 10}, {kindOptions, 10}},
}

// fleet is who the load generator speaks for: each rep and the codes of their customers.
type fleet struct {
	reps  []string
	codes map[string][]string
	names []string // typeahead queries
}

func loadFleet(ctx context.Context, e *env) (*fleet, error) {
	db, err := e.open(ctx)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var rows []struct {
		Owner string `db:"owner_id"`
		Code  string `db:"code"`
		Name  string `db:"name"`
	}
	err = db.SQLX().SelectContext(ctx, &rows, `
SELECT owner_id, code, name FROM (
    SELECT owner_id, code, name, row_number() OVER (PARTITION BY owner_id ORDER BY id) AS n FROM customers) c
WHERE n <= 200 ORDER BY owner_id, code`)
	if err != nil {
		return nil, fmt.Errorf("load customers: %w", err)
	}
	f := &fleet{codes: map[string][]string{}}
	for _, r := range rows {
		if len(f.codes[r.Owner]) == 0 {
			f.reps = append(f.reps, r.Owner)
		}
		f.codes[r.Owner] = append(f.codes[r.Owner], r.Code)
		if len(f.names) < 500 {
			words := strings.Fields(r.Name)
			f.names = append(f.names, strings.ToLower(words[0]+" "+words[1][:3]))
		}
	}
	if len(f.reps) == 0 {
		return nil, fmt.Errorf("no customers in %s: run seed first", e.dbName)
	}
	return f, nil
}

// level is what one concurrency level measured.
type level struct {
	mix         string
	concurrency int
	elapsed     time.Duration
	latencies   []time.Duration
	status      map[int]int
	notSaved    int // quick logs answered 200 without the saved confirmation
	acked       int // quick logs answered as saved
	transport   int // requests that got no HTTP answer at all
	maxRSS      float64
}

func (l *level) rps() float64 { return float64(len(l.latencies)) / l.elapsed.Seconds() }

func (l *level) pct(p float64) time.Duration {
	if len(l.latencies) == 0 {
		return 0
	}
	return l.latencies[min(len(l.latencies)-1, int(p*float64(len(l.latencies))))]
}

func (l *level) non200() int {
	n := l.transport
	for code, c := range l.status {
		if code != http.StatusOK {
			n += c
		}
	}
	return n
}

// loadGen sends signed requests to the bot.
type loadGen struct {
	url, responseURL, triggerID string
	runID                       string
	fleet                       *fleet
	client                      *http.Client
	seq                         atomic.Int64
}

func (g *loadGen) request(kind string, rng *rand.Rand) (path string, body []byte) {
	rep := g.fleet.reps[rng.IntN(len(g.fleet.reps))]
	codes := g.fleet.codes[rep]
	code := codes[rng.IntN(len(codes))]
	switch kind {
	case kindDue:
		return "/slack/commands", slashCommand(rep, "due", g.responseURL, g.triggerID)
	case kindShow:
		return "/slack/commands", slashCommand(rep, "show "+code, g.responseURL, g.triggerID)
	case kindOptions:
		return "/slack/options", blockSuggestion(rep, g.fleet.names[rng.IntN(len(g.fleet.names))])
	}
	n := g.seq.Add(1)
	text := fmt.Sprintf("log %s: %s-%d called Wang about the Q3 rollout, they liked the demo next: send the revised quote in 3 days",
		code, g.runID, n)
	return "/slack/commands", slashCommand(rep, text, g.responseURL, g.triggerID)
}

// do sends one request signed exactly as Slack signs it and returns its status and body.
func (g *loadGen) do(ctx context.Context, path string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.url+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	slackfake.SignRequest(req.Header, benchSecret, time.Now(), body)
	resp, err := g.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return resp.StatusCode, out, err
}

// run keeps concurrency requests in flight for d, drawing kinds from mix; rss reads the
// bot's memory, sampled throughout.
func (g *loadGen) run(ctx context.Context, mix string, concurrency int, d time.Duration, rss func() float64) *level {
	var kinds []string
	for _, k := range mixes[mix] {
		for range k.weight {
			kinds = append(kinds, k.kind)
		}
	}
	l := &level{mix: mix, concurrency: concurrency, status: map[int]int{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	stopRSS := make(chan struct{})
	rssDone := make(chan struct{})
	go func() { // VmRSS sampled every 50 ms; the peak is reported
		defer close(rssDone)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			if r := rss(); r > l.maxRSS {
				l.maxRSS = r
			}
			select {
			case <-stopRSS:
				return
			case <-t.C:
			}
		}
	}()
	start := time.Now()
	deadline := start.Add(d)
	for w := range concurrency {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), uint64(start.UnixNano())))
			var lat []time.Duration
			status := map[int]int{}
			var notSaved, acked, transport int
			for time.Now().Before(deadline) && ctx.Err() == nil {
				kind := kinds[rng.IntN(len(kinds))]
				path, body := g.request(kind, rng)
				t0 := time.Now()
				code, out, err := g.do(ctx, path, body)
				lat = append(lat, time.Since(t0))
				switch {
				case err != nil:
					transport++
				case code != http.StatusOK:
					status[code]++
				default:
					status[code]++
					if kind == kindLog {
						if bytes.Contains(out, []byte(savedPrefix)) {
							acked++
						} else {
							notSaved++
						}
					}
				}
			}
			mu.Lock()
			defer mu.Unlock()
			l.latencies = append(l.latencies, lat...)
			for c, n := range status {
				l.status[c] += n
			}
			l.notSaved += notSaved
			l.acked += acked
			l.transport += transport
		})
	}
	wg.Wait()
	l.elapsed = time.Since(start)
	close(stopRSS)
	<-rssDone
	slices.Sort(l.latencies)
	return l
}

func runLoad(ctx context.Context, e *env, o options, r *report, stdout io.Writer) error {
	f, err := loadFleet(ctx, e)
	if err != nil {
		return err
	}
	s, err := startServer(ctx, e, o.Bot)
	if err != nil {
		return err
	}
	stopped := false
	defer func() {
		if !stopped {
			s.Stop()
		}
	}()
	g := &loadGen{
		url: s.URL, responseURL: s.slack.ResponseURL, triggerID: s.slack.TriggerID, fleet: f,
		runID: "bench" + strconv.FormatInt(time.Now().UnixNano(), 36),
		client: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
			MaxIdleConns: 512, MaxIdleConnsPerHost: 512, IdleConnTimeout: time.Minute}},
	}
	defer g.client.CloseIdleConnections()

	time.Sleep(time.Second) // settle before reading the idle footprint
	idle := s.RSS()
	fmt.Fprintf(stdout, "load: followup serve (pid %d) on %s, GOMAXPROCS of this generator %d, bot idle RSS %.1f MB\n",
		s.cmd.Process.Pid, s.URL, runtime.GOMAXPROCS(0), idle)
	// A short warm-up fills the connection pools and Postgres's caches; it is not measured,
	// but its logs are verified with the rest.
	warm := g.run(ctx, "quick", 16, min(time.Second, o.Duration), s.RSS)
	acked := warm.acked
	var mixList []string
	for mix := range strings.SplitSeq(o.Mix, ",") {
		if _, ok := mixes[mix]; !ok {
			return fmt.Errorf("unknown mix %q (quick, mixed)", mix)
		}
		mixList = append(mixList, mix)
	}
	profiled := make(chan error, 1)
	if o.CPUProfile != "" {
		d := time.Duration(len(mixList)*len(o.Levels)) * o.Duration
		go func() { profiled <- s.Profile(ctx, d, o.CPUProfile) }()
	}
	var levels []*level
	for _, mix := range mixList {
		for _, c := range o.Levels {
			l := g.run(ctx, mix, c, o.Duration, s.RSS)
			levels = append(levels, l)
			acked += l.acked
			fmt.Fprintf(stdout, "load: %-5s c=%-3d %7.0f req/s  p50 %s  p90 %s  p99 %s  max %s  non-200 %d  unsaved logs %d  peak RSS %.1f MB\n",
				mix, c, l.rps(), ms(l.pct(.50)), ms(l.pct(.90)), ms(l.pct(.99)), ms(l.pct(1)), l.non200(), l.notSaved, l.maxRSS)
		}
	}
	if o.CPUProfile != "" {
		if err := <-profiled; err != nil {
			return err
		}
		fmt.Fprintf(stdout, "load: CPU profile of the bot in %s (go tool pprof %s %s)\n", o.CPUProfile, o.Bot, o.CPUProfile)
	}
	// SIGTERM: the bot finishes its post-ack work (App Home refreshes) and exits 0 before
	// anything is counted.
	stopped = true
	if err := s.Stop(); err != nil {
		return err
	}
	db, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	var stored int
	err = db.SQLX().GetContext(ctx, &stored,
		`SELECT count(*) FROM follow_ups WHERE source = 'quick' AND summary LIKE $1`, g.runID+"-%")
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	fmt.Fprintf(stdout, "load: %d quick logs acked as saved, %d found in Postgres; %d log lines from the bot\n",
		acked, stored, s.logs.Load())
	reportLoad(r, levels, idle, acked, stored)
	return nil
}

func reportLoad(r *report, levels []*level, idle float64, acked, stored int) {
	peak := 0.0
	var worst time.Duration
	for _, l := range levels {
		peak = max(peak, l.maxRSS)
		worst = max(worst, l.pct(1))
		figure := fmt.Sprintf("%s, %d concurrent: req/s", l.mix, l.concurrency)
		measured := fmt.Sprintf("%.0f req/s (p50 %s, p90 %s, p99 %s, max %s; non-200 %d, unsaved %d)",
			l.rps(), ms(l.pct(.5)), ms(l.pct(.9)), ms(l.pct(.99)), ms(l.pct(1)), l.non200(), l.notSaved)
		if l.mix != "quick" || (l.concurrency != 16 && l.concurrency != 64) {
			r.add(figure, measured, "— (reported)", "—")
			continue
		}
		boltP99 := boltP99At16
		if l.concurrency == 64 {
			boltP99 = boltP99At64
		}
		verdict := fmt.Sprintf("%.1f× Bolt", l.rps()/boltRPS)
		met := l.rps() >= 3*boltRPS && l.pct(.99) < boltP99 && l.non200() == 0
		if tps, ok := r.pgbench[l.concurrency]; ok {
			verdict += fmt.Sprintf(", %.0f%% of pgbench", 100*l.rps()/tps)
			met = met && l.rps() >= .25*tps
		}
		r.check(figure, measured, fmt.Sprintf("≥ %.0f req/s (3× Bolt), p99 < %s, ≥ 25%% of pgbench", 3*boltRPS, ms(boltP99)),
			met)
		r.rows[len(r.rows)-1].verdict = verdict + "; " + r.rows[len(r.rows)-1].verdict
		if l.concurrency == 16 {
			r.check("ack p99 at 16 concurrent (quick log)", ms(l.pct(.99)), "< 10 ms", l.pct(.99) < ackP99Target)
		}
	}
	r.check("slowest ack, any level", ms(worst), "nowhere near 3 s (< 1 s)", worst < time.Second)
	r.check("quick logs acked as saved vs rows in Postgres", fmt.Sprintf("%d acked, %d stored", acked, stored),
		"every acked log stored", acked == stored)
	r.check("RSS of followup serve, idle", fmt.Sprintf("%.1f MB", idle), "< 40 MB", idle < rssIdleMB)
	r.check("RSS of followup serve, peak under load", fmt.Sprintf("%.1f MB", peak), "< 150 MB", peak < rssLoadMB)
}
