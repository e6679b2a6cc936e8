package scheduler_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/bot/slackfake"
	"github.com/followuphq/followup/scheduler"
)

func TestActionReminderIsSentWhenDueAndOnce(t *testing.T) {
	e := newEnv(t, scheduler.Config{})
	c := e.customer(repSH, "Acme Trading Co", followup.TierA)
	due := time.Date(2026, 11, 18, 11, 0, 0, 0, shanghai)
	e.logWithAction(c, "Send the revised quote", due)

	e.clock.Set(due.Add(-time.Minute))
	e.run(e.sched.SendDueReminders)
	if got := len(e.dms(repSH)); got != 0 {
		t.Fatalf("DMs before due = %d, want 0", got)
	}
	e.clock.Set(due)
	e.run(e.sched.SendDueReminders)
	e.run(e.sched.SendDueReminders)
	msgs := e.dms(repSH)
	if len(msgs) != 1 {
		t.Fatalf("DMs when due, run twice = %d, want 1", len(msgs))
	}
	for _, want := range []string{"Send the revised quote", "Acme Trading Co", "Discussed the quote", `"action_id":"reminder_done"`, `"action_id":"reminder_snooze_1"`, `"action_id":"log_followup_for"`} {
		if !contains(msgs[0], want) {
			t.Errorf("reminder lacks %s: %s", want, msgs[0].Blocks)
		}
	}
}

func TestWorkingHoursAcrossTimeZones(t *testing.T) {
	e := newEnv(t, scheduler.Config{})
	sh := e.customer(repSH, "Shanghai Co", followup.TierB)
	ny := e.customer(repNY, "New York Inc", followup.TierB)
	// 02:00 UTC is 10:00 in Shanghai (working) and 21:00 the day before in New York.
	due := e.clock.Now()
	e.logWithAction(sh, "Call Shanghai", due)
	e.logWithAction(ny, "Call New York", due)

	e.run(e.sched.SendDueReminders)
	if got, want := len(e.dms(repSH)), 1; got != want {
		t.Errorf("Shanghai rep DMs = %d, want %d", got, want)
	}
	if got := len(e.dms(repNY)); got != 0 {
		t.Fatalf("New York rep was pinged at 21:00 local")
	}
	e.clock.Set(time.Date(2026, 11, 18, 8, 59, 0, 0, newYork))
	e.run(e.sched.SendDueReminders)
	if got := len(e.dms(repNY)); got != 0 {
		t.Fatalf("New York rep pinged before 09:00 local")
	}
	e.clock.Set(time.Date(2026, 11, 18, 9, 0, 0, 0, newYork))
	e.run(e.sched.SendDueReminders)
	if got := e.mentions(repNY, "Call New York"); got != 1 {
		t.Errorf("New York reminder at 09:00 local = %d, want 1", got)
	}
}

func TestWeekendDeferral(t *testing.T) {
	e := newEnv(t, scheduler.Config{Calendar: "cn"})
	c := e.customer(repSH, "Acme", followup.TierB)
	// Saturday 21 Nov 2026, 10:00 Shanghai.
	e.logWithAction(c, "Weekend task", time.Date(2026, 11, 21, 10, 0, 0, 0, shanghai))
	e.clock.Set(time.Date(2026, 11, 21, 10, 0, 0, 0, shanghai))
	e.run(e.sched.SendDueReminders)
	e.clock.Set(time.Date(2026, 11, 22, 15, 0, 0, 0, shanghai))
	e.run(e.sched.SendDueReminders)
	if got := len(e.dms(repSH)); got != 0 {
		t.Fatalf("DMs on the weekend = %d, want 0", got)
	}
	e.clock.Set(time.Date(2026, 11, 23, 9, 0, 0, 0, shanghai))
	e.run(e.sched.SendDueReminders)
	if got := e.mentions(repSH, "Weekend task"); got != 1 {
		t.Errorf("Monday 09:00 DMs = %d, want 1", got)
	}
}

func TestHolidayCalendarDefersToTheNextWorkingDay(t *testing.T) {
	e := newEnv(t, scheduler.Config{Calendar: "cn"})
	c := e.customer(repSH, "Acme", followup.TierB)
	e.clock.Set(time.Date(2026, 9, 30, 12, 0, 0, 0, shanghai))
	e.logWithAction(c, "Holiday task", time.Date(2026, 10, 1, 10, 0, 0, 0, shanghai))
	for _, at := range []time.Time{
		time.Date(2026, 10, 1, 10, 0, 0, 0, shanghai), // National Day
		time.Date(2026, 10, 7, 17, 0, 0, 0, shanghai), // last day of the holiday
	} {
		e.clock.Set(at)
		e.run(e.sched.SendDueReminders)
		if got := len(e.dms(repSH)); got != 0 {
			t.Fatalf("DM during the holiday at %s", at)
		}
	}
	e.clock.Set(time.Date(2026, 10, 8, 9, 0, 0, 0, shanghai))
	e.run(e.sched.SendDueReminders)
	if got := e.mentions(repSH, "Holiday task"); got != 1 {
		t.Errorf("DMs on 8 Oct = %d, want 1", got)
	}
}

func TestManyDueAtOnceComeAsOneMorningBundle(t *testing.T) {
	e := newEnv(t, scheduler.Config{})
	c := e.customer(repSH, "Acme", followup.TierB)
	for _, h := range []int{19, 21, 23} { // due the evening before
		e.logWithAction(c, "Task at "+time.Date(2026, 11, 18, h, 0, 0, 0, shanghai).Format("15h"), time.Date(2026, 11, 18, h, 0, 0, 0, shanghai))
	}
	for _, at := range []time.Time{time.Date(2026, 11, 18, 19, 0, 0, 0, shanghai), time.Date(2026, 11, 18, 23, 30, 0, 0, shanghai)} {
		e.clock.Set(at)
		e.run(e.sched.SendDueReminders)
	}
	e.clock.Set(time.Date(2026, 11, 19, 9, 0, 0, 0, shanghai))
	e.run(e.sched.SendDueReminders)
	msgs := e.dms(repSH)
	if len(msgs) != 1 {
		t.Fatalf("morning messages = %d, want one bundle", len(msgs))
	}
	for _, want := range []string{"You have 3 follow-ups", "Task at 19h", "Task at 21h", "Task at 23h", `"action_id":"reminder_menu"`} {
		if !contains(msgs[0], want) {
			t.Errorf("bundle lacks %s: %s", want, msgs[0].Blocks)
		}
	}
}

func TestCadenceNudgeIsResetByAFollowUp(t *testing.T) {
	e := newEnv(t, scheduler.Config{})
	c := e.customer(repSH, "Daily Co", followup.TierS) // every day
	e.clock.Advance(23 * time.Hour)
	e.run(e.sched.CheckCadences)
	if got := len(e.dms(repSH)); got != 0 {
		t.Fatalf("nudged before the cadence passed")
	}
	e.clock.Advance(2 * time.Hour) // Thursday 11:00 Shanghai
	e.run(e.sched.CheckCadences)
	e.run(e.sched.CheckCadences)
	if got := e.mentions(repSH, "past its tier S cadence"); got != 1 {
		t.Fatalf("cadence nudges = %d, want 1", got)
	}
	// A follow-up resets the clock: no nudge until a day after it.
	if _, err := e.db.CreateFollowUp(context.Background(), followup.NewFollowUp{
		CustomerID: c.ID, RepID: repSH, HappenedAt: e.clock.Now(), Method: followup.MethodVisit, Summary: "Visited the plant", Source: "test",
	}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(23 * time.Hour)
	e.run(e.sched.CheckCadences)
	if got := len(e.dms(repSH)); got != 1 {
		t.Fatalf("nudged again within a day of the follow-up (%d DMs)", got)
	}
	e.clock.Advance(2 * time.Hour) // Friday 12:00
	e.run(e.sched.CheckCadences)
	if got := e.mentions(repSH, "past its tier S cadence"); got != 2 {
		t.Errorf("cadence nudges after the new period = %d, want 2", got)
	}
}

func contains(m slackfake.Message, s string) bool {
	return strings.Contains(m.Text, s) || strings.Contains(string(m.Blocks), s)
}

// TestUndoneFollowUpTakesItsQueuedReminderAlong: a reminder queued for a next action goes
// when the follow-up that planned it is undone (the outbox's delete trigger), and one whose
// action vanished while it was being queued is cancelled, never sent.
func TestUndoneFollowUpTakesItsQueuedReminderAlong(t *testing.T) {
	e := newEnv(t, scheduler.Config{})
	ctx := context.Background()
	c := e.customer(repSH, "Acme Trading Co", followup.TierA)
	// Due at 20:00 Shanghai: queued, then held back until the next working morning.
	due := time.Date(2026, 11, 18, 20, 0, 0, 0, shanghai)
	a := e.logWithAction(c, "Send the revised quote", due)
	e.clock.Set(due)
	e.run(e.sched.SendDueReminders)
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := e.db.SQLX().GetContext(ctx, &n, q, args...); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if got := count(`SELECT count(*) FROM reminders WHERE action_id = $1 AND status = 'pending'`, a.ID); got != 1 {
		t.Fatalf("queued reminders for the action = %d, want 1 held for the morning", got)
	}
	if err := e.db.DeleteFollowUp(ctx, a.FollowUpID, repSH); err != nil {
		t.Fatal(err)
	}
	if got := count(`SELECT count(*) FROM reminders WHERE action_id = $1`, a.ID); got != 0 {
		t.Errorf("reminders of the undone follow-up's action = %d, want 0", got)
	}

	// An enqueue that read the action just before it was deleted leaves a reminder behind.
	if _, err := e.db.SQLX().ExecContext(ctx, `
		INSERT INTO reminders (kind, dedup_key, recipient_id, action_id, customer_id, send_after, created_at)
		VALUES ('action', 'action:orphan', $1, $2, $3, $4, $4)`, repSH, a.ID, c.ID, due); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(time.Date(2026, 11, 19, 9, 30, 0, 0, shanghai))
	e.run(e.sched.SendDueReminders)
	if got := e.mentions(repSH, "Send the revised quote"); got != 0 {
		t.Errorf("reminders sent for the deleted action = %d, want 0", got)
	}
	if got := count(`SELECT count(*) FROM reminders WHERE dedup_key = 'action:orphan' AND status = 'cancelled'`); got != 1 {
		t.Errorf("the orphaned reminder was not cancelled")
	}
}
