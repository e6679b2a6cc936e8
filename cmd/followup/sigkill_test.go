package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/bot/slackfake"
	"github.com/followuphq/followup/storage"
	"github.com/followuphq/followup/storage/storagetest"
)

// TestSIGKILLBetweenClaimAndSendSendsOnceAfterRestart kills the real binary with SIGKILL
// while it holds a claimed reminder whose chat.postMessage has not been answered (Slack
// stalls: the fake never replies). Nothing was posted; once the claim's lease runs out
// the restarted bot sends the reminder, exactly once.
func TestSIGKILLBetweenClaimAndSendSendsOnceAfterRestart(t *testing.T) {
	bin := buildFollowup(t)
	ctx := context.Background()
	dsn := storagetest.NewDSN(t)
	db, err := storage.Open(ctx, dsn, storage.WithKeyring(storagetest.Keyring()))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const rep = "U0KILLREP1"
	if _, err := db.SavePerson(ctx, followup.Person{SlackID: rep, Name: "kill", TZ: "UTC", Locale: "en"}); err != nil {
		t.Fatal(err)
	}
	c, err := db.CreateCustomer(ctx, followup.NewCustomer{Name: "Acme", Kind: followup.KindCompany, Industry: "x",
		Tier: followup.TierA, Source: "x", OwnerID: rep, Contact: followup.Contact{Name: "Li", Phone: "13800001234"}})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if _, err := db.CreateFollowUp(ctx, followup.NewFollowUp{CustomerID: c.ID, RepID: rep, HappenedAt: now.Add(-time.Hour),
		Method: followup.MethodPhone, Summary: "Discussed the samples", Source: "test",
		Next: &followup.NewAction{Text: "Send the sample invoice", DueAt: now.Add(-time.Minute), OwnerID: rep}}); err != nil {
		t.Fatal(err)
	}

	fake := slackfake.NewTest(t)
	fake.AddUser(slack.User{ID: rep, Name: "kill", TZ: "UTC"})
	fake.HangNext("chat.postMessage", 1)
	env := []string{"DATABASE_URL=" + dsn, "REDIS_URL=" + storagetest.NewRedisURL(t),
		"SLACK_BOT_TOKEN=" + fake.Token(), "SLACK_SIGNING_SECRET=kill-test-secret", "SLACK_API_URL=" + fake.APIURL(),
		"REMINDER_CRON=@every 1s", "REMINDER_LEASE=3s", "WORK_HOURS=00:00-23:59", "WORK_DAYS=Mon-Sun"}

	first := startFollowup(t, bin, env...)
	waitFor(t, 20*time.Second, "the reminder's chat.postMessage", func() bool { return len(fake.CallsTo("chat.postMessage")) == 1 })
	if err := first.cmd.Process.Kill(); err != nil { // SIGKILL: no shutdown, no cleanup
		t.Fatal(err)
	}
	first.wait(t, 10*time.Second)
	var status string
	if err := db.SQLX().Get(&status, `SELECT status FROM reminders`); err != nil {
		t.Fatal(err)
	}
	if status != "sending" || len(fake.Messages(rep)) != 0 {
		t.Fatalf("after the kill: reminder %s, %d messages; want it claimed and nothing posted", status, len(fake.Messages(rep)))
	}

	startFollowup(t, bin, env...)
	waitFor(t, 30*time.Second, "the reminder after the restart", func() bool { return len(fake.Messages(rep)) > 0 })
	time.Sleep(3 * time.Second) // a few more scheduler rounds: nothing more may come
	var sent int
	for _, m := range fake.Messages(rep) {
		if strings.Contains(m.Text+string(m.Blocks), "Send the sample invoice") {
			sent++
		}
	}
	if sent != 1 {
		t.Errorf("the reminder reached Slack %d times, want exactly once", sent)
	}
	if err := db.SQLX().Get(&status, `SELECT status FROM reminders`); err != nil || status != "sent" {
		t.Errorf("reminder status = %q (%v), want sent", status, err)
	}
}

// waitFor polls cond until it holds, failing the test after timeout.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(timeout); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}
