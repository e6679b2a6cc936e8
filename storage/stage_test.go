package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/storage"
	"github.com/followuphq/followup/storage/storagetest"
)

type stageRow struct {
	From   *string `db:"from_stage"`
	To     string  `db:"to_stage"`
	Reason string  `db:"lost_reason"`
	By     string  `db:"changed_by"`
}

func stageRows(t *testing.T, db *storage.DB, customerID int64) []stageRow {
	t.Helper()
	var rows []stageRow
	if err := db.SQLX().Select(&rows, `SELECT from_stage, to_stage, lost_reason, changed_by FROM stage_changes WHERE customer_id = $1 ORDER BY changed_at, id`, customerID); err != nil {
		t.Fatal(err)
	}
	return rows
}

func newStageCustomer(t *testing.T, db *storage.DB) followup.Customer {
	t.Helper()
	ctx := context.Background()
	if _, err := db.SavePerson(ctx, followup.Person{SlackID: "U0STAGE001", Name: "wang"}); err != nil {
		t.Fatal(err)
	}
	c, err := db.CreateCustomer(ctx, followup.NewCustomer{Name: "Acme", Kind: followup.KindCompany, Industry: "Retail",
		Tier: followup.TierA, Source: "referral", OwnerID: "U0STAGE001", Contact: followup.Contact{Name: "Zhang", Phone: "13800000000"}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSetStage(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 18, 2, 0, 0, 0, time.UTC)
	db := storagetest.NewDB(t, storage.WithClock(func() time.Time { now = now.Add(time.Minute); return now }))
	c := newStageCustomer(t, db)

	got, changed, err := db.SetStage(ctx, c.ID, "U0STAGE001", followup.StageMove{Stage: followup.StageLost, Reason: followup.LostPrice})
	if err != nil || !changed || got.Stage != followup.StageLost || got.LostReason != "price" {
		t.Fatalf("SetStage(lost, price) = %+v, %v, %v", got, changed, err)
	}
	if _, changed, err := db.SetStage(ctx, c.ID, "U0STAGE001", followup.StageMove{Stage: followup.StageLost, Reason: followup.LostPrice}); err != nil || changed {
		t.Errorf("the same move again: changed %v, err %v; want nothing changed", changed, err)
	}
	// Correcting the reason changes the recorded loss instead of adding a second one.
	if got, changed, err := db.SetStage(ctx, c.ID, "U0STAGE001", followup.StageMove{Stage: followup.StageLost, Reason: followup.LostCompetitor}); err != nil || !changed || got.LostReason != "competitor" {
		t.Errorf("correcting the reason = %+v, %v, %v", got, changed, err)
	}
	// Reopened: the customer is no longer lost for any reason.
	if got, _, err := db.SetStage(ctx, c.ID, "U0STAGE001", followup.StageMove{Stage: followup.StageQuoted, Reason: followup.LostBudget}); err != nil || got.LostReason != "" {
		t.Errorf("reopening = %+v, %v; want no lost reason", got, err)
	}
	rows := stageRows(t, db, c.ID)
	if len(rows) != 3 || rows[1].To != "lost" || rows[1].Reason != "competitor" || rows[2].To != "quoted" || rows[2].Reason != "" || *rows[2].From != "lost" {
		t.Errorf("stage changes = %+v", rows)
	}
	var audits int
	if err := db.SQLX().Get(&audits, `SELECT count(*) FROM audit_log WHERE action = 'stage' AND entity = 'customer' AND entity_id = $1`, c.ID); err != nil || audits != 3 {
		t.Errorf("%d stage audit rows (%v), want 3", audits, err)
	}

	t.Run("a lost move needs its reason", func(t *testing.T) {
		_, _, err := db.SetStage(ctx, c.ID, "U0STAGE001", followup.StageMove{Stage: followup.StageLost})
		if followup.ErrorCode(err) != followup.EINVALID {
			t.Errorf("err = %v, want invalid", err)
		}
	})
	t.Run("an unknown customer", func(t *testing.T) {
		_, _, err := db.SetStage(ctx, 999999, "U0STAGE001", followup.StageMove{Stage: followup.StageWon})
		if followup.ErrorCode(err) != followup.ENOTFOUND {
			t.Errorf("err = %v, want not found", err)
		}
	})
}

// A quick log that says the deal was lost records the reason on the customer and the move;
// undoing the log takes both back.
func TestFollowUpLostReasonAndUndo(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 18, 2, 0, 0, 0, time.UTC)
	db := storagetest.NewDB(t, storage.WithClock(func() time.Time { now = now.Add(time.Minute); return now }))
	c := newStageCustomer(t, db)
	if _, _, err := db.SetStage(ctx, c.ID, "U0STAGE001", followup.StageMove{Stage: followup.StageLost, Reason: followup.LostBudget}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.SetStage(ctx, c.ID, "U0STAGE001", followup.StageMove{Stage: followup.StageQuoted}); err != nil {
		t.Fatal(err)
	}
	fu, err := db.CreateFollowUp(ctx, followup.NewFollowUp{CustomerID: c.ID, RepID: "U0STAGE001", HappenedAt: now,
		Method: followup.MethodPhone, Summary: "丢单 价格太高", Stage: followup.StageLost, LostReason: followup.LostPrice, Source: "quick"})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := db.FindCustomer(ctx, c.ID)
	if got.Stage != followup.StageLost || got.LostReason != "price" {
		t.Errorf("after the log: %s, %q; want lost for price", got.Stage, got.LostReason)
	}
	if rows := stageRows(t, db, c.ID); rows[len(rows)-1].Reason != "price" {
		t.Errorf("the move = %+v, want the reason recorded", rows[len(rows)-1])
	}
	if err := db.DeleteFollowUp(ctx, fu.ID, "U0STAGE001"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.FindCustomer(ctx, c.ID); got.Stage != followup.StageQuoted || got.LostReason != "" {
		t.Errorf("after undo: %s, %q; want quoted with no reason", got.Stage, got.LostReason)
	}
	// Undo the reopening too (by hand: it was no follow-up) and the old reason comes back.
	if _, err := db.SQLX().Exec(`DELETE FROM stage_changes WHERE customer_id = $1 AND to_stage = 'quoted'`, c.ID); err != nil {
		t.Fatal(err)
	}
	fu2, err := db.CreateFollowUp(ctx, followup.NewFollowUp{CustomerID: c.ID, RepID: "U0STAGE001", HappenedAt: now,
		Method: followup.MethodPhone, Summary: "Called again", Source: "quick"})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteFollowUp(ctx, fu2.ID, "U0STAGE001"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.FindCustomer(ctx, c.ID); got.Stage != followup.StageLost || got.LostReason != "budget" {
		t.Errorf("restored: %s, %q; want lost for budget, as the latest move says", got.Stage, got.LostReason)
	}
	t.Run("the database refuses an unknown reason", func(t *testing.T) {
		_, err := db.SQLX().Exec(`UPDATE customers SET lost_reason = 'cheap' WHERE id = $1`, c.ID)
		if err == nil {
			t.Error("lost_reason 'cheap' was stored")
		}
	})
}
