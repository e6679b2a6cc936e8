package scheduler_test

import (
	"context"
	"testing"
	"time"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/scheduler"
)

// complaint files a complaint against c handled by handler, due at due.
func (e *env) complaint(c followup.Customer, handler, content string, due time.Time) followup.Complaint {
	e.t.Helper()
	k, err := e.db.CreateComplaint(context.Background(), followup.NewComplaint{
		CustomerID: c.ID, ReceivedAt: e.clock.Now(), Content: content, HandlerID: handler, DueAt: due, CreatedBy: c.OwnerID,
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return k
}

func TestComplaintDeadlineRemindsTheHandlerOnceThenEscalates(t *testing.T) {
	e := newEnv(t, scheduler.Config{})
	e.team(repSH)
	c := e.customer(repSH, "Acme Trading Co", followup.TierB)
	due := time.Date(2026, 11, 19, 11, 0, 0, 0, shanghai) // Thursday
	e.complaint(c, repSH, "Two pallets arrived broken", due)
	jobs := func() {
		e.run(e.sched.SendDueReminders)
		e.run(e.sched.CheckCadences)
	}

	e.clock.Set(due.Add(-time.Minute))
	jobs()
	if got := e.mentions(repSH, "Two pallets"); got != 0 {
		t.Fatalf("handler reminded before the deadline")
	}
	e.clock.Set(due)
	jobs()
	jobs()
	if got := e.mentions(repSH, "reached its deadline"); got != 1 {
		t.Fatalf("deadline reminders = %d, want 1", got)
	}
	msg := e.dms(repSH)[len(e.dms(repSH))-1]
	for _, want := range []string{"Acme Trading Co", "Two pallets arrived broken", `"action_id":"complaint_start"`, `"action_id":"complaint_resolve"`} {
		if !contains(msg, want) {
			t.Errorf("deadline reminder lacks %s: %s", want, msg.Blocks)
		}
	}

	// Two working days after Thursday 11:00 is Monday 11:00, as for an overdue action.
	for _, at := range []time.Time{due.Add(24 * time.Hour), time.Date(2026, 11, 23, 10, 59, 0, 0, shanghai)} {
		e.clock.Set(at)
		jobs()
		if got := len(e.dms(manager)); got != 0 {
			t.Fatalf("manager told at %s, before two working days", at)
		}
	}
	e.clock.Set(time.Date(2026, 11, 23, 11, 0, 0, 0, shanghai))
	jobs()
	jobs()
	msgs := e.dms(manager)
	if len(msgs) != 1 {
		t.Fatalf("complaint escalations = %d, want 1", len(msgs))
	}
	for _, want := range []string{"尚未解决", "<@" + repSH + ">", "Acme Trading Co", `"action_id":"escalation_nudge"`, `"action_id":"escalation_reassign"`} {
		if !contains(msgs[0], want) {
			t.Errorf("escalation lacks %s: %s", want, msgs[0].Blocks)
		}
	}
	if got := e.mentions(repSH, "reached its deadline"); got != 1 {
		t.Errorf("deadline reminders after the escalation = %d, want still 1", got)
	}
}

func TestComplaintEscalationCountsTheHolidayCalendar(t *testing.T) {
	e := newEnv(t, scheduler.Config{Calendar: "cn"})
	e.team(repSH)
	due := time.Date(2026, 9, 30, 11, 0, 0, 0, shanghai) // the day before National Day's week off
	e.clock.Set(due.Add(-48 * time.Hour))
	c := e.customer(repSH, "Acme Trading Co", followup.TierB)
	e.complaint(c, repSH, "Invoice was wrong", due)
	for _, at := range []time.Time{due, time.Date(2026, 10, 8, 11, 0, 0, 0, shanghai), time.Date(2026, 10, 9, 10, 59, 0, 0, shanghai)} {
		e.clock.Set(at)
		e.run(e.sched.CheckCadences)
		if got := len(e.dms(manager)); got != 0 {
			t.Fatalf("manager told at %s: the holidays count as working days", at)
		}
	}
	e.clock.Set(time.Date(2026, 10, 9, 11, 0, 0, 0, shanghai)) // 8 and 9 October are the two working days
	e.run(e.sched.CheckCadences)
	if got := e.mentions(manager, "Invoice was wrong"); got != 1 {
		t.Errorf("escalations after two working days = %d, want 1", got)
	}
}

func TestResolvedComplaintIsNeitherRemindedNorEscalated(t *testing.T) {
	e := newEnv(t, scheduler.Config{})
	e.team(repSH)
	c := e.customer(repSH, "Acme Trading Co", followup.TierB)
	// Due at 20:00: queued, then held back for the next working morning.
	due := time.Date(2026, 11, 18, 20, 0, 0, 0, shanghai)
	k := e.complaint(c, repSH, "Wrong colour delivered", due)
	e.clock.Set(due)
	e.run(e.sched.SendDueReminders)
	yes := true
	if _, err := e.db.ResolveComplaint(context.Background(), k.ID, followup.ComplaintResolution{Resolution: "Swapped the order", Satisfied: &yes, By: repSH}); err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Time{time.Date(2026, 11, 19, 9, 0, 0, 0, shanghai), time.Date(2026, 11, 30, 9, 0, 0, 0, shanghai)} {
		e.clock.Set(at)
		e.run(e.sched.SendDueReminders)
		e.run(e.sched.CheckCadences)
	}
	if got := e.mentions(repSH, "Wrong colour") + e.mentions(manager, "Wrong colour"); got != 0 {
		t.Errorf("messages about a resolved complaint = %d, want 0", got)
	}
	var statuses []string
	if err := e.db.SQLX().Select(&statuses, `SELECT status FROM reminders WHERE complaint_id = $1`, k.ID); err != nil {
		t.Fatal(err)
	}
	if len(statuses) != 1 || statuses[0] != "cancelled" {
		t.Errorf("the complaint's reminders = %v, want the one queued, cancelled", statuses)
	}
}

// TestComplaintResolvedWhileQueuedIsCancelledBySender: a reminder already queued
// for a complaint that was resolved before it went out is dropped by the sender.
func TestComplaintResolvedWhileQueuedIsCancelledBySender(t *testing.T) {
	e := newEnv(t, scheduler.Config{})
	c := e.customer(repSH, "Acme Trading Co", followup.TierB)
	due := e.clock.Now()
	k := e.complaint(c, repSH, "Late again", due)
	ctx := context.Background()
	if _, err := e.db.EnqueueComplaintReminders(ctx, due); err != nil {
		t.Fatal(err)
	}
	// Resolved straight in the table, as if by a replica racing the cancel.
	if _, err := e.db.SQLX().ExecContext(ctx, `UPDATE complaints SET status = 'resolved', resolved_at = $2 WHERE id = $1`, k.ID, due); err != nil {
		t.Fatal(err)
	}
	e.run(e.sched.SendDueReminders)
	if got := e.mentions(repSH, "Late again"); got != 0 {
		t.Errorf("a resolved complaint was reminded")
	}
	counts, _ := e.db.ReminderCounts(ctx)
	if counts[followup.ReminderCancelled] != 1 {
		t.Errorf("outbox = %v, want the reminder cancelled by its sender", counts)
	}
}
