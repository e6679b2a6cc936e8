package scheduler_test

import (
	"bytes"
	"context"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/scheduler"
)

// The weekday digest is the last day's; Friday's is the week's with the weekly review, in
// the manager's language. Each comes with the activity chart, uploaded into the manager's
// DM; a chart that cannot be uploaded leaves the digest sent once.
func TestDigestsAndTheirCharts(t *testing.T) {
	e := newEnv(t, scheduler.Config{})
	ctx := context.Background()
	var team int64
	if err := e.db.SQLX().Get(&team, `INSERT INTO teams (name, manager_id) VALUES ('East', $1) RETURNING id`, manager); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.SQLX().Exec(`UPDATE people SET team_id = $1 WHERE slack_id IN ($2, $3)`, team, repSH, manager); err != nil {
		t.Fatal(err)
	}
	acme := e.customer(repSH, "Acme", followup.TierA)
	e.logWithAction(acme, "send the quote", e.clock.Now().Add(48*time.Hour))
	if _, _, err := e.db.SetStage(ctx, acme.ID, repSH, followup.StageMove{Stage: followup.StageLost, Reason: followup.LostBudget}); err != nil {
		t.Fatal(err)
	}

	digests := func() (daily, weekly int) {
		for _, m := range e.dms(manager) {
			switch {
			case contains(m, "周度复盘"):
				weekly++
			case contains(m, "团队跟进摘要"):
				daily++
			}
		}
		return daily, weekly
	}
	charts := func() int {
		n := 0
		for _, f := range e.slack.Files() {
			if _, err := png.Decode(bytes.NewReader(f.Content)); err == nil && strings.HasPrefix(f.Name, "activity-") && f.Completed {
				n++
			}
		}
		return n
	}

	e.run(e.sched.EnqueueDigests) // Wednesday 10:00 in Shanghai
	if daily, weekly := digests(); daily != 1 || weekly != 0 {
		t.Fatalf("Wednesday: %d daily, %d weekly digests", daily, weekly)
	}
	if got := charts(); got != 1 {
		t.Errorf("Wednesday: %d charts, want 1", got)
	}

	e.clock.Advance(48 * time.Hour) // Friday 10:00
	e.run(e.sched.EnqueueDigests)
	if daily, weekly := digests(); daily != 1 || weekly != 1 {
		t.Fatalf("Friday: %d daily, %d weekly digests", daily, weekly)
	}
	var weekly string
	for _, m := range e.dms(manager) {
		if contains(m, "周度复盘") {
			weekly = string(m.Blocks)
		}
	}
	for _, want := range []string{"各等级成交率", "A 级：0%（0/1）", "1. 预算：1", "客户高频诉求", "投诉"} {
		if !strings.Contains(weekly, want) {
			t.Errorf("the weekly digest lacks %q: %s", want, weekly)
		}
	}
	if got := charts(); got != 2 {
		t.Errorf("Friday: %d charts, want 2", got)
	}

	e.clock.Advance(72 * time.Hour) // Monday 10:00
	e.slack.FailNextError("files.completeUploadExternal", 1, "internal_error")
	e.run(e.sched.EnqueueDigests)
	e.run(e.sched.SendDueReminders)
	if daily, _ := digests(); daily != 2 {
		t.Errorf("Monday: %d daily digests in all, want 2 (one per day, the chart's failure notwithstanding)", daily)
	}
	if got := charts(); got != 2 {
		t.Errorf("Monday: %d charts, want the failed one missing", got)
	}
	counts, err := e.db.ReminderCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts[followup.ReminderFailed] != 0 || counts[followup.ReminderPending] != 0 {
		t.Errorf("outbox = %v: a digest whose chart failed is sent, not retried", counts)
	}
}
