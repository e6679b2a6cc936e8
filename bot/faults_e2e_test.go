package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/followuphq/followup/bot/slackfake"
	"github.com/followuphq/followup/storage"
	"github.com/followuphq/followup/storage/storagetest"
)

// commandAnswer runs `/followup text` as user from any goroutine: unlike h.command it
// reports failures instead of stopping the test, and waits for no post-ack work.
func (h *harness) commandAnswer(user, text string) (string, error) {
	form := url.Values{
		"team_id": {slackfake.TeamID}, "channel_id": {"C0SALES001"}, "user_id": {user}, "command": {"/followup"},
		"text": {text}, "response_url": {h.slack.ResponseURL()}, "trigger_id": {h.slack.NewTriggerID()},
	}
	body := []byte(form.Encode())
	req, err := http.NewRequest(http.MethodPost, h.server.URL+"/slack/commands", strings.NewReader(string(body)))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	slackfake.SignRequest(req.Header, signingSecret, h.clock.Now(), body)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("status %d: %s", resp.StatusCode, out)
	}
	var res commandResponse
	if err := json.Unmarshal(out, &res); err != nil {
		return "", fmt.Errorf("answer %q: %w", out, err)
	}
	return res.Text, nil
}

// TestPostgresRestartDuringABurstLosesNoConfirmedLog restarts Postgres (a fast shutdown:
// sessions cut, open transactions rolled back) while eight reps' worth of quick logs pour
// in. Every log is answered; each one answered "Saved" is in Postgres afterwards; the
// others were told plainly that nothing was saved; and logging works again at once.
func TestPostgresRestartDuringABurstLosesNoConfirmedLog(t *testing.T) {
	own := storagetest.NewServers(t)
	h := newHarnessOn(t, own.DSN)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	h.noWait = true

	type answer struct {
		marker, text string
		err          error
	}
	var (
		mu      sync.Mutex
		answers []answer
		wg      sync.WaitGroup
	)
	stop := make(chan struct{})
	for w := range 8 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				marker := fmt.Sprintf("burst-%d-%d", w, i)
				text, err := h.commandAnswer(rep, "log Acme: "+marker+" called about the renewal next: send the quote tomorrow")
				mu.Lock()
				answers = append(answers, answer{marker, text, err})
				mu.Unlock()
			}
		})
	}
	time.Sleep(400 * time.Millisecond)
	own.RestartPostgres()
	time.Sleep(600 * time.Millisecond)
	close(stop)
	wg.Wait()
	h.bot.Wait()

	saved, failed := 0, 0
	for _, a := range answers {
		switch {
		case a.err != nil:
			t.Errorf("%s got no answer: %v", a.marker, a.err)
		case strings.Contains(a.text, "Saved your follow-up"):
			saved++
			if got := h.count(`SELECT count(*) FROM follow_ups WHERE summary LIKE $1`, a.marker+" %"); got != 1 {
				t.Errorf("%s was confirmed but %d rows hold it", a.marker, got)
			}
		case strings.Contains(a.text, "not saved"):
			failed++
		default:
			t.Errorf("%s was answered %q: neither saved nor a plain failure", a.marker, a.text)
		}
	}
	t.Logf("%d quick logs: %d saved, %d told they were not saved", len(answers), saved, failed)
	if failed == 0 {
		t.Fatalf("no quick log failed: the restart did not overlap the burst, so this test proved nothing")
	}
	if saved == 0 {
		t.Fatalf("no quick log was saved around the restart")
	}
	if text, err := h.commandAnswer(rep, "log Acme: after-restart called again next: send the quote tomorrow"); err != nil || !strings.Contains(text, "Saved") {
		t.Errorf("after the restart: %q %v, want it saved", text, err)
	}
}

// choiceValue returns the value of the button for the customer named like name in a
// quick log's "which customer?" answer.
func choiceValue(t *testing.T, res commandResponse, name string) string {
	t.Helper()
	for _, raw := range res.Blocks {
		var b struct {
			Elements []struct {
				Text  struct{ Text string } `json:"text"`
				Value string                `json:"value"`
			} `json:"elements"`
		}
		json.Unmarshal(raw, &b)
		for _, el := range b.Elements {
			if strings.Contains(el.Text.Text, name) {
				return el.Value
			}
		}
	}
	t.Fatalf("no button for %s in %s", name, res.Raw)
	return ""
}

// startOnRedis restarts the bot on the Redis at url (of the test's own, or behind a proxy
// it can cut) and adds two customers whose names a quick log can make ambiguous.
func (h *harness) startOnRedis(url string) redis.UniversalClient {
	h.t.Helper()
	rdb, err := storage.OpenRedis(context.Background(), url, "single")
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { rdb.Close() })
	h.start(storage.NewRedis(rdb, "followup:"))
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	h.newCustomer(rep, "Acme Logistics", "13900001111")
	return rdb
}

// TestRedisFlushedMidFlowSaysExpiredAndHarmsNothing: a quick log waits in Redis for the
// rep to pick the customer; Redis loses it (FLUSH); the rep's press is answered "that has
// expired", nothing is written, the records already in Postgres are untouched, and the
// next flow works.
func TestRedisFlushedMidFlowSaysExpiredAndHarmsNothing(t *testing.T) {
	own := storagetest.NewServers(t)
	h := newHarness(t)
	rdb := h.startOnRedis(own.RedisURL)
	h.command(rep, "log Acme Logistics: signed the framework agreement next: send the invoice tomorrow")
	before := h.count(`SELECT count(*) FROM follow_ups`) + h.count(`SELECT count(*) FROM customers`)

	_, res := h.command(rep, "log acme: discussed renewal next: call back tomorrow")
	value := choiceValue(t, res, "Logistics")
	if err := rdb.FlushAll(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}
	responseURL := h.slack.ResponseURL()
	h.press(rep, "quicklog_pick_customer", value, responseURL)
	out := h.slack.Responses(responseURL)
	if len(out) != 1 || !strings.Contains(out[0].Text, "expired") {
		t.Fatalf("press after the flush answered %+v, want 'that has expired'", out)
	}
	if got := h.count(`SELECT count(*) FROM follow_ups`) + h.count(`SELECT count(*) FROM customers`); got != before {
		t.Errorf("records after the flush = %d, want the %d from before", got, before)
	}
	_, res = h.command(rep, "log acme: discussed renewal again next: call back tomorrow")
	h.press(rep, "quicklog_pick_customer", choiceValue(t, res, "Logistics"), "")
	if got := h.count(`SELECT count(*) FROM follow_ups WHERE summary LIKE 'discussed renewal again%'`); got != 1 {
		t.Errorf("the flow after the flush saved %d follow-ups, want 1", got)
	}
}

// TestRedisStoppedMidFlowTellsTheRepAndRecovers: with Redis unreachable a quick log that
// needs it (an ambiguous customer) is answered with what to do instead, nothing is half
// saved, a quick log that needs no conversation state still saves, and once Redis is back
// the same flow works.
func TestRedisStoppedMidFlowTellsTheRepAndRecovers(t *testing.T) {
	h := newHarness(t)
	redisURL, proxy := storagetest.ProxyDSN(t, storagetest.NewRedisURL(t))
	h.startOnRedis(redisURL)

	proxy.Cut()
	_, res := h.command(rep, "log acme: discussed renewal next: call back tomorrow")
	if !strings.Contains(res.Text, "/followup") || h.count(`SELECT count(*) FROM follow_ups`) != 0 {
		t.Fatalf("ambiguous quick log with Redis down = %q, want what to do instead and nothing saved", res.Raw)
	}
	if _, res := h.command(rep, "log Acme Trading: visited the plant next: send the quote tomorrow"); !strings.Contains(res.Text, "Saved") {
		t.Errorf("an unambiguous quick log with Redis down = %q, want it saved", res.Text)
	}

	proxy.Restore()
	_, res = h.command(rep, "log acme: discussed renewal next: call back tomorrow")
	h.press(rep, "quicklog_pick_customer", choiceValue(t, res, "Logistics"), "")
	if got := h.count(`SELECT count(*) FROM follow_ups f JOIN customers c ON c.id = f.customer_id WHERE c.name = 'Acme Logistics'`); got != 1 {
		t.Errorf("after Redis came back the flow saved %d follow-ups, want 1", got)
	}
}
