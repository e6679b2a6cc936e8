package scheduler_test

import (
	"testing"
	"time"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/scheduler"
)

// team puts the reps in a team led by manager.
func (e *env) team(reps ...string) {
	e.t.Helper()
	var id int64
	if err := e.db.SQLX().Get(&id, `INSERT INTO teams (name, manager_id) VALUES ('East', $1) RETURNING id`, manager); err != nil {
		e.t.Fatal(err)
	}
	for _, r := range reps {
		if _, err := e.db.SQLX().Exec(`UPDATE people SET team_id = $1 WHERE slack_id = $2`, id, r); err != nil {
			e.t.Fatal(err)
		}
	}
}

func TestOverdueActionEscalatesAfterTwoWorkingDays(t *testing.T) {
	e := newEnv(t, scheduler.Config{})
	e.team(repSH)
	c := e.customer(repSH, "Acme Trading Co", followup.TierB)
	due := time.Date(2026, 11, 19, 11, 0, 0, 0, shanghai) // Thursday
	e.logWithAction(c, "Send the contract", due)

	// Two working days after Thursday 11:00 is Monday 11:00 (the weekend does not count).
	for _, at := range []time.Time{due, due.Add(24 * time.Hour), time.Date(2026, 11, 23, 10, 59, 0, 0, shanghai)} {
		e.clock.Set(at)
		e.run(e.sched.CheckCadences)
		if got := len(e.dms(manager)); got != 0 {
			t.Fatalf("manager told at %s, before two working days", at)
		}
	}
	e.clock.Set(time.Date(2026, 11, 23, 11, 0, 0, 0, shanghai))
	e.run(e.sched.CheckCadences)
	e.run(e.sched.CheckCadences)
	msgs := e.dms(manager)
	if len(msgs) != 1 {
		t.Fatalf("escalations = %d, want 1", len(msgs))
	}
	for _, want := range []string{"Send the contract", "<@" + repSH + ">", "仍未完成", `"action_id":"escalation_nudge"`, `"action_id":"escalation_reassign"`} {
		if !contains(msgs[0], want) {
			t.Errorf("escalation lacks %s: %s", want, msgs[0].Blocks)
		}
	}
}

func TestCadenceEscalationAndChurnRisk(t *testing.T) {
	e := newEnv(t, scheduler.Config{})
	e.team(repSH)
	c := e.customer(repSH, "Quiet Co", followup.TierS) // every day: escalate after 2 days, churn risk after 3
	churn := func() bool {
		var flagged bool
		if err := e.db.SQLX().Get(&flagged, `SELECT churn_risk FROM customers WHERE id = $1`, c.ID); err != nil {
			t.Fatal(err)
		}
		return flagged
	}
	e.clock.Advance(47 * time.Hour)
	e.run(e.sched.CheckCadences)
	if got := e.mentions(manager, "Quiet Co"); got != 0 {
		t.Fatalf("manager told before 2× cadence")
	}
	e.clock.Advance(time.Hour)
	e.run(e.sched.CheckCadences)
	if got := e.mentions(manager, "Quiet Co"); got != 1 {
		t.Fatalf("cadence escalations at 2× = %d, want 1", got)
	}
	if churn() {
		t.Fatalf("flagged churn risk before 3× cadence")
	}
	e.clock.Advance(24 * time.Hour)
	e.run(e.sched.CheckCadences)
	if !churn() {
		t.Errorf("not flagged churn risk after 3× cadence")
	}
	if got := e.mentions(manager, "Quiet Co"); got != 1 {
		t.Errorf("cadence escalations after 3× = %d, want still 1", got)
	}
}

func TestNoManagerNoEscalation(t *testing.T) {
	e := newEnv(t, scheduler.Config{})
	c := e.customer(repSH, "Acme", followup.TierB)
	e.logWithAction(c, "Send the contract", e.clock.Now())
	e.clock.Advance(10 * 24 * time.Hour)
	e.run(e.sched.CheckCadences)
	var n int
	if err := e.db.SQLX().Get(&n, `SELECT count(*) FROM reminders WHERE kind LIKE 'escalation%'`); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("escalations without a manager = %d, want 0", n)
	}
}
