package scheduler_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/bot"
	"github.com/followuphq/followup/bot/slackfake"
	"github.com/followuphq/followup/scheduler"
	"github.com/followuphq/followup/storage"
	"github.com/followuphq/followup/storage/storagetest"
)

// TestThreeReplicasSendEveryReminderExactlyOnce runs three schedulers on cron, each with its
// own connection pool and bot, against one Postgres, one Redis and the fake Slack, and
// checks that every due reminder reached its rep exactly once.
func TestThreeReplicasSendEveryReminderExactlyOnce(t *testing.T) {
	ctx := context.Background()
	dsn := storagetest.NewDSN(t)
	fake := slackfake.NewTest(t)
	const reps, perRep = 10, 6
	seed, err := storage.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer seed.Close()
	now := time.Now()
	for r := 0; r < reps; r++ {
		id := fmt.Sprintf("U0REP%05d", r)
		fake.AddUser(slack.User{ID: id, Name: id, TZ: "UTC"})
		if _, err := seed.SavePerson(ctx, followup.Person{SlackID: id, Name: id, TZ: "UTC", Locale: "en"}); err != nil {
			t.Fatal(err)
		}
		c, err := seed.CreateCustomer(ctx, followup.NewCustomer{Name: "Customer " + id, Kind: followup.KindCompany, Industry: "x", Tier: followup.TierC, Source: "x", OwnerID: id})
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < perRep; i++ {
			_, err := seed.CreateFollowUp(ctx, followup.NewFollowUp{
				CustomerID: c.ID, RepID: id, HappenedAt: now.Add(-time.Hour), Method: followup.MethodPhone, Summary: "call", Source: "test",
				Next: &followup.NewAction{Text: fmt.Sprintf("Task %s-%d", id, i), DueAt: now.Add(-time.Duration(i) * time.Minute), OwnerID: id},
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}

	always, _ := followup.ParseWorkDays("Mon-Sun")
	cfg := scheduler.Config{
		ReminderCron: "@every 1s", CadenceCron: "@every 1h", DigestCron: "@every 1h",
		WorkHours: followup.WorkHours{Start: 0, End: 24*time.Hour - time.Minute}, WorkDays: always,
	}
	for i := 0; i < 3; i++ {
		db, err := storage.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		state, _ := storagetest.NewRedis(t)
		b := bot.New(bot.Config{SigningSecret: "s"}, db, state, fake.Client())
		s := scheduler.New(cfg, db, b)
		if err := s.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			s.Stop(stopCtx)
			b.Wait()
			db.Close()
		})
	}

	deadline := time.Now().Add(30 * time.Second)
	for {
		counts, err := seed.ReminderCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if counts[followup.ReminderSent] == reps*perRep {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("reminders after 30 s: %v, want %d sent", counts, reps*perRep)
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(1500 * time.Millisecond) // another round of every replica: nothing more may go out
	for r := 0; r < reps; r++ {
		id := fmt.Sprintf("U0REP%05d", r)
		for i := 0; i < perRep; i++ {
			task := fmt.Sprintf("Task %s-%d", id, i)
			n := 0
			for _, m := range fake.Messages(id) {
				n += strings.Count(string(m.Blocks), task)
			}
			if n != 1 {
				t.Errorf("%s reached its rep %d times, want 1", task, n)
			}
		}
	}
}

// TestRateLimitsAndServerErrorsStillDeliverOnce injects a 429 and two 500s from Slack.
func TestRateLimitsAndServerErrorsStillDeliverOnce(t *testing.T) {
	e := newEnv(t, scheduler.Config{})
	c := e.customer(repSH, "Acme", followup.TierB)
	e.logWithAction(c, "Call back", e.clock.Now())
	e.slack.FailNext("chat.postMessage", 1, http.StatusTooManyRequests, 2*time.Second)
	e.run(e.sched.SendDueReminders)
	if got := len(e.dms(repSH)); got != 0 {
		t.Fatalf("sent despite the 429")
	}
	e.clock.Advance(time.Second)
	e.run(e.sched.SendDueReminders)
	if got := len(e.slack.CallsTo("chat.postMessage")); got != 1 {
		t.Fatalf("retried %d times before Retry-After passed", got-1)
	}
	e.slack.FailNext("chat.postMessage", 2, http.StatusInternalServerError, 0)
	for i := 0; i < 6; i++ {
		e.clock.Advance(2 * time.Minute)
		e.run(e.sched.SendDueReminders)
	}
	if got := e.mentions(repSH, "Call back"); got != 1 {
		t.Errorf("reminder delivered %d times, want 1", got)
	}
	var status string
	var attempts int
	if err := e.db.SQLX().QueryRow(`SELECT status, attempts FROM reminders`).Scan(&status, &attempts); err != nil {
		t.Fatal(err)
	}
	if status != "sent" || attempts != 2 {
		t.Errorf("reminder status %s after %d failed attempts, want sent after 2", status, attempts)
	}
}

// TestFailingReminderEndsVisiblyFailed keeps Slack failing until the attempts run out.
func TestFailingReminderEndsVisiblyFailed(t *testing.T) {
	e := newEnv(t, scheduler.Config{MaxAttempts: 3})
	c := e.customer(repSH, "Acme", followup.TierB)
	e.logWithAction(c, "Call back", e.clock.Now())
	e.slack.FailNextError("chat.postMessage", 10, "channel_not_found")
	for i := 0; i < 5; i++ {
		e.run(e.sched.SendDueReminders)
		e.clock.Advance(time.Hour)
	}
	counts, err := e.db.ReminderCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if counts[followup.ReminderFailed] != 1 || counts[followup.ReminderPending] != 0 {
		t.Errorf("outbox = %v, want the reminder failed", counts)
	}
}

// TestClaimLeftByACrashedSenderIsSentOnce simulates a replica killed between claiming and
// sending: its claim expires and another sender delivers the reminder, once.
func TestClaimLeftByACrashedSenderIsSentOnce(t *testing.T) {
	e := newEnv(t, scheduler.Config{})
	c := e.customer(repSH, "Acme", followup.TierB)
	e.logWithAction(c, "Call back", e.clock.Now())
	if _, err := e.db.EnqueueActionReminders(context.Background(), e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	claimed, err := e.db.ClaimReminders(context.Background(), e.clock.Now(), 10)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claim = %v, %v", claimed, err)
	}
	// The crashed sender never reports back. Within the lease nobody else sends it...
	e.clock.Advance(time.Minute)
	e.run(e.sched.SendDueReminders)
	if got := len(e.dms(repSH)); got != 0 {
		t.Fatalf("sent while another sender held the claim")
	}
	// ...after it, the reminder is sent, once.
	e.clock.Advance(2 * time.Minute)
	e.run(e.sched.SendDueReminders)
	e.run(e.sched.SendDueReminders)
	if got := e.mentions(repSH, "Call back"); got != 1 {
		t.Errorf("reminder sent %d times after the lease, want 1", got)
	}
}

// TestSlackTimeoutIsRetriedAndDeliveredOnce: a chat.postMessage that never answers (lost
// on the way) ends at the client's timeout as a failed attempt, the reminder waits for
// its backoff, and the retry delivers it, once.
func TestSlackTimeoutIsRetriedAndDeliveredOnce(t *testing.T) {
	e := newEnv(t, scheduler.Config{})
	c := e.customer(repSH, "Acme", followup.TierB)
	e.logWithAction(c, "Call back about the samples", e.clock.Now())
	e.slack.HangNext("chat.postMessage", 1)
	e.run(e.sched.SendDueReminders)
	if got := e.mentions(repSH, "Call back about the samples"); got != 0 {
		t.Fatalf("delivered %d times although Slack never answered", got)
	}
	var status string
	var attempts int
	if err := e.db.SQLX().QueryRow(`SELECT status, attempts FROM reminders`).Scan(&status, &attempts); err != nil {
		t.Fatal(err)
	}
	if status != "pending" || attempts != 1 {
		t.Fatalf("after the timeout: %s after %d attempts, want pending after 1", status, attempts)
	}
	e.run(e.sched.SendDueReminders) // within the backoff: nothing is tried
	if got := len(e.slack.CallsTo("chat.postMessage")); got != 1 {
		t.Errorf("calls before the backoff passed = %d, want 1", got)
	}
	e.clock.Advance(time.Minute)
	e.run(e.sched.SendDueReminders)
	e.run(e.sched.SendDueReminders)
	if got := e.mentions(repSH, "Call back about the samples"); got != 1 {
		t.Errorf("delivered %d times after the retry, want 1", got)
	}
}
