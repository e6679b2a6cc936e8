package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/storage"
	"github.com/followuphq/followup/storage/storagetest"
)

func TestComplaintLifecycleInStorage(t *testing.T) {
	ctx := context.Background()
	now := t0
	db := storagetest.NewDB(t, storage.WithClock(func() time.Time { return now }))
	for _, id := range []string{"U1", "U2", "U3"} {
		seedRep(t, db, id)
	}
	c := seedCustomer(t, db, "U1", "Acme")
	due := t0.Add(48 * time.Hour)
	nc := followup.NewComplaint{CustomerID: c.ID, ReceivedAt: t0.Add(-time.Hour), Content: "Two pallets arrived broken", HandlerID: "U2", DueAt: due, CreatedBy: "U1"}

	if _, err := db.CreateComplaint(ctx, followup.NewComplaint{CustomerID: 999999, ReceivedAt: t0, Content: "x", HandlerID: "U2", DueAt: due, CreatedBy: "U1"}); err == nil {
		t.Fatal("a complaint against no customer was saved")
	} else if fe, ok := err.(followup.FieldErrors); !ok || fe["customer"] == "" {
		t.Errorf("a complaint against no customer: %v, want a field error on customer", err)
	}
	k, err := db.CreateComplaint(ctx, nc)
	if err != nil {
		t.Fatal(err)
	}
	if k.CustomerName != "Acme" || k.OwnerID != "U1" || k.HandlerID != "U2" || k.Status != followup.ComplaintOpen || !k.DueAt.Equal(due) || k.CreatedBy != "U1" {
		t.Errorf("created complaint = %+v", k)
	}

	now = t0.Add(time.Hour)
	started, err := db.StartComplaint(ctx, k.ID, "U2")
	if err != nil || started.Status != followup.ComplaintInProgress || !started.StartedAt.Equal(now) {
		t.Fatalf("started = %+v, %v", started, err)
	}
	now = t0.Add(2 * time.Hour)
	if again, err := db.StartComplaint(ctx, k.ID, "U2"); err != nil || !again.StartedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("a second start moved the start to %v (%v)", again.StartedAt, err)
	}

	// The deadline comes: a reminder for the handler, then the complaint goes to U3.
	now = due
	if n, err := db.EnqueueComplaintReminders(ctx, now); err != nil || n != 1 {
		t.Fatalf("complaint reminders enqueued = %d, %v; want 1", n, err)
	}
	if n, _ := db.EnqueueComplaintReminders(ctx, now); n != 0 {
		t.Errorf("a second enqueue added %d", n)
	}
	moved, err := db.ReassignComplaint(ctx, k.ID, "U1", "U3")
	if err != nil || moved.HandlerID != "U3" {
		t.Fatalf("reassigned = %+v, %v", moved, err)
	}
	var recipient string
	if err := db.SQLX().GetContext(ctx, &recipient, `SELECT recipient_id FROM reminders WHERE complaint_id = $1`, k.ID); err != nil || recipient != "U3" {
		t.Errorf("the waiting reminder goes to %q (%v), want the new handler U3", recipient, err)
	}
	if handled, err := db.FindHandlerComplaints(ctx, "U3", 10); err != nil || len(handled) != 1 || handled[0].ID != k.ID {
		t.Errorf("U3's complaints = %+v, %v", handled, err)
	}

	// Resolving closes it and cancels what still waits.
	now = due.Add(time.Hour)
	yes := true
	resolved, err := db.ResolveComplaint(ctx, k.ID, followup.ComplaintResolution{Resolution: "Replaced both pallets", Satisfied: &yes, By: "U3"})
	if err != nil {
		t.Fatal(err)
	}
	if resolved.Status != followup.ComplaintResolved || !resolved.ResolvedAt.Equal(now) || resolved.ResolvedBy != "U3" ||
		resolved.Satisfied == nil || !*resolved.Satisfied || resolved.Resolution != "Replaced both pallets" {
		t.Errorf("resolved = %+v", resolved)
	}
	var pending, cancelled int
	if err := db.SQLX().QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE status = 'pending'), count(*) FILTER (WHERE status = 'cancelled')
		FROM reminders WHERE complaint_id = $1`, k.ID).Scan(&pending, &cancelled); err != nil {
		t.Fatal(err)
	}
	if pending != 0 || cancelled != 1 {
		t.Errorf("after resolving: %d pending, %d cancelled reminders; want 0 and 1", pending, cancelled)
	}
	if _, err := db.ResolveComplaint(ctx, k.ID, followup.ComplaintResolution{Resolution: "again", Satisfied: &yes, By: "U3"}); followup.ErrorCode(err) != followup.EINVALID {
		t.Errorf("resolving twice: %v, want EINVALID", err)
	}
	if _, err := db.StartComplaint(ctx, 999999, "U3"); followup.ErrorCode(err) != followup.ENOTFOUND {
		t.Errorf("starting no complaint: %v, want ENOTFOUND", err)
	}
	if n, _ := db.EnqueueComplaintReminders(ctx, now); n != 0 {
		t.Errorf("a resolved complaint got %d reminders", n)
	}
	if handled, _ := db.FindHandlerComplaints(ctx, "U3", 10); len(handled) != 0 {
		t.Errorf("a resolved complaint is still on its handler's list")
	}
	var audited int
	if err := db.SQLX().GetContext(ctx, &audited, `SELECT count(*) FROM audit_log WHERE entity = 'complaint' AND entity_id = $1`, k.ID); err != nil || audited != 5 {
		t.Errorf("audit rows = %d (%v), want create, start twice, reassign and resolve", audited, err)
	}

	// The card lists open complaints before resolved ones.
	now = due.Add(2 * time.Hour)
	open, err := db.CreateComplaint(ctx, nc)
	if err != nil {
		t.Fatal(err)
	}
	list, err := db.FindCustomerComplaints(ctx, c.ID, 10)
	if err != nil || len(list) != 2 || list[0].ID != open.ID || list[1].ID != k.ID {
		t.Errorf("customer complaints = %+v, %v; want the open one first", list, err)
	}

	// A deleted complaint takes its reminders along.
	now = open.DueAt.Add(time.Minute)
	if n, _ := db.EnqueueComplaintReminders(ctx, now); n != 1 {
		t.Fatalf("reminders for the second complaint = %d", n)
	}
	if _, err := db.SQLX().ExecContext(ctx, `DELETE FROM complaints WHERE id = $1`, open.ID); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := db.SQLX().GetContext(ctx, &left, `SELECT count(*) FROM reminders WHERE complaint_id = $1`, open.ID); err != nil || left != 0 {
		t.Errorf("reminders of a deleted complaint = %d (%v), want 0", left, err)
	}
}

func TestComplaintEscalationCandidates(t *testing.T) {
	ctx := context.Background()
	now := t0
	db := storagetest.NewDB(t, storage.WithClock(func() time.Time { return now }))
	for _, id := range []string{"U1", "U2", "UMGR"} {
		seedRep(t, db, id)
	}
	var team int64
	if err := db.SQLX().GetContext(ctx, &team, `INSERT INTO teams (name, manager_id) VALUES ('East', 'UMGR') RETURNING id`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQLX().ExecContext(ctx, `UPDATE people SET team_id = $1 WHERE slack_id IN ('U1', 'U2')`, team); err != nil {
		t.Fatal(err)
	}
	c := seedCustomer(t, db, "U1", "Acme")
	file := func(handler string, due time.Time) followup.Complaint {
		k, err := db.CreateComplaint(ctx, followup.NewComplaint{CustomerID: c.ID, ReceivedAt: t0, Content: "Late", HandlerID: handler, DueAt: due, CreatedBy: "U1"})
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	late := file("U2", t0.Add(-72*time.Hour))
	file("UMGR", t0.Add(-72*time.Hour)) // the manager handles it: nobody to escalate to
	file("U2", t0.Add(time.Hour))       // not due yet
	got, err := db.FindComplaintEscalations(ctx, t0.Add(-48*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Complaint.ID != late.ID || got[0].ManagerID != "UMGR" {
		t.Fatalf("candidates = %+v, want only the late complaint handled by U2, for UMGR", got)
	}
	for range 2 {
		if err := db.EnqueueComplaintEscalation(ctx, got[0], now); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := db.SQLX().GetContext(ctx, &n, `SELECT count(*) FROM reminders WHERE kind = 'escalation_complaint' AND recipient_id = 'UMGR'`); err != nil || n != 1 {
		t.Errorf("escalations = %d (%v), want 1", n, err)
	}
	if again, _ := db.FindComplaintEscalations(ctx, t0.Add(-48*time.Hour)); len(again) != 0 {
		t.Errorf("an escalated complaint is a candidate again: %+v", again)
	}
}

func TestSurveyWithACallBack(t *testing.T) {
	ctx := context.Background()
	now := t0
	db := storagetest.NewDB(t, storage.WithClock(func() time.Time { return now }))
	seedRep(t, db, "U1")
	seedRep(t, db, "U2")
	c := seedCustomer(t, db, "U1", "Acme")
	due := t0.Add(31 * time.Hour)
	low := followup.NewSurvey{CustomerID: c.ID, SurveyedOn: t0, SurveyedAt: t0, Scores: followup.SurveyScores{ProductQuality: 2, ServiceAttitude: 4, ResponseSpeed: 4, AfterSales: 5},
		Comment: "Quality slipped", CreatedBy: "U2", CallBack: &followup.NewAction{Text: "Call back about the score", DueAt: due, OwnerID: "U1"}}
	s, err := db.CreateSurvey(ctx, low)
	if err != nil {
		t.Fatal(err)
	}
	if s.CustomerName != "Acme" || s.Scores != low.Scores || s.Comment != "Quality slipped" || s.SurveyedOn.Format(time.DateOnly) != "2026-11-18" {
		t.Errorf("survey = %+v", s)
	}
	if a := s.CallBack; a == nil || a.OwnerID != "U1" || a.Text != "Call back about the score" || !a.DueAt.Equal(due) || a.Status != followup.ActionOpen {
		t.Fatalf("call back = %+v", s.CallBack)
	}
	pending, err := db.FindPendingActions(ctx, "U1", 10)
	if err != nil || len(pending) != 1 || pending[0].ID != s.CallBack.ID || pending[0].CustomerName != "Acme" {
		t.Errorf("owner's pending steps = %+v, %v", pending, err)
	}

	good := low
	good.Scores, good.CallBack = followup.SurveyScores{ProductQuality: 5, ServiceAttitude: 4, ResponseSpeed: 4, AfterSales: 5}, nil
	if s, err := db.CreateSurvey(ctx, good); err != nil || s.CallBack != nil {
		t.Fatalf("a good survey = %+v, %v", s, err)
	}
	if n, _ := db.FindPendingActions(ctx, "U1", 10); len(n) != 1 {
		t.Errorf("pending steps after a good survey = %d, want still 1", len(n))
	}
	surveys, err := db.FindCustomerSurveys(ctx, c.ID, 5)
	if err != nil || len(surveys) != 2 {
		t.Errorf("customer surveys = %+v, %v", surveys, err)
	}

	gone := low
	gone.CustomerID = 999999
	if _, err := db.CreateSurvey(ctx, gone); err == nil {
		t.Fatal("a survey of no customer was saved")
	}
	var actions int
	if err := db.SQLX().GetContext(ctx, &actions, `SELECT count(*) FROM next_actions`); err != nil || actions != 1 {
		t.Errorf("next actions = %d (%v): a failed survey left its call back behind", actions, err)
	}
}

// TestImportedComplaintWithoutHandlerRemindsTheOwner: a complaint nobody handles (as an
// import may leave it) reaches the customer's owner at its deadline.
func TestImportedComplaintWithoutHandlerRemindsTheOwner(t *testing.T) {
	ctx := context.Background()
	db := storagetest.NewDB(t, storage.WithClock(func() time.Time { return t0 }))
	seedRep(t, db, "U1")
	c := seedCustomer(t, db, "U1", "Acme")
	var id int64
	if err := db.SQLX().GetContext(ctx, &id, `INSERT INTO complaints (customer_id, received_at, content, due_at, created_by)
		VALUES ($1, $2, 'Late', $2, 'import') RETURNING id`, c.ID, t0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n, err := db.EnqueueComplaintReminders(ctx, t0); err != nil || n != 1 {
		t.Fatalf("reminders = %d, %v", n, err)
	}
	var recipient string
	if err := db.SQLX().GetContext(ctx, &recipient, `SELECT recipient_id FROM reminders WHERE complaint_id = $1`, id); err != nil || recipient != "U1" {
		t.Errorf("recipient = %q (%v), want the customer's owner", recipient, err)
	}
	k, err := db.FindComplaint(ctx, id)
	if err != nil || k.HandlerID != "" || k.ResponsibleID() != "U1" {
		t.Errorf("complaint = %+v, %v", k, err)
	}
}
