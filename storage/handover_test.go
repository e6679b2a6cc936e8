package storage_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/storage"
	"github.com/followuphq/followup/storage/storagetest"
)

func TestHandOver(t *testing.T) {
	const leaving, heir, other, boss = "U0HLEAVE01", "U0HHEIR001", "U0HOTHER01", "U0HBOSS001"
	ctx := context.Background()
	now := time.Date(2026, 11, 18, 2, 0, 0, 0, time.UTC)
	db := storagetest.NewDB(t, storage.WithClock(func() time.Time { return now }))
	x := db.SQLX()
	for _, id := range []string{leaving, heir, other, boss} {
		if _, err := db.SavePerson(ctx, followup.Person{SlackID: id, Name: id}); err != nil {
			t.Fatal(err)
		}
	}
	customer := func(owner string) followup.Customer {
		c, err := db.CreateCustomer(ctx, followup.NewCustomer{Name: "Co " + owner + time.Now().String(), Kind: followup.KindCompany,
			Industry: "Retail", Tier: followup.TierB, Source: "referral", OwnerID: owner, Contact: followup.Contact{Name: "Zhang", Phone: "13800000000"}})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	action := func(c followup.Customer, owner string) followup.NextAction {
		a, err := db.CreateAction(ctx, c.ID, 0, followup.NewAction{Text: "Send the quote", DueAt: now.Add(-time.Hour), OwnerID: owner})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	mine := []followup.Customer{customer(leaving), customer(leaving), customer(leaving)}
	theirs := customer(other)
	action(mine[0], leaving)
	open2 := action(mine[1], leaving)
	action(theirs, leaving) // a step the leaver owns on someone else's customer: it moves
	action(mine[2], other)  // someone else's step on the leaver's customer: it stays
	done := action(mine[2], leaving)
	if _, err := db.CompleteAction(ctx, done.ID, leaving); err != nil {
		t.Fatal(err)
	}
	if _, err := db.EnqueueActionReminders(ctx, now); err != nil { // pending reminders for the open steps
		t.Fatal(err)
	}
	if _, err := x.Exec(`INSERT INTO reminders (kind, dedup_key, recipient_id, customer_id, send_after) VALUES
		('cadence', 'cadence:test:1', $1, $2, $3),
		('digest', 'digest:test', $1, NULL, $3)`, leaving, mine[2].ID, now); err != nil {
		t.Fatal(err)
	}
	if _, err := x.Exec(`UPDATE reminders SET status = 'sent' WHERE action_id = $1`, open2.ID); err != nil {
		t.Fatal(err)
	}

	owners := func() map[string]int {
		var rows []struct {
			What  string `db:"what"`
			Owner string `db:"owner"`
			N     int    `db:"n"`
		}
		if err := x.Select(&rows, `
			SELECT 'customer' AS what, owner_id AS owner, count(*) AS n FROM customers GROUP BY owner_id
			UNION ALL SELECT 'action:' || status, owner_id, count(*) FROM next_actions GROUP BY status, owner_id
			UNION ALL SELECT 'reminder:' || kind || ':' || status, recipient_id, count(*) FROM reminders GROUP BY kind, status, recipient_id`); err != nil {
			t.Fatal(err)
		}
		out := map[string]int{}
		for _, r := range rows {
			out[r.What+"@"+r.Owner] = r.N
		}
		return out
	}
	before := owners()

	t.Run("an unknown new owner moves nothing", func(t *testing.T) {
		_, err := db.HandOver(ctx, boss, leaving, "U0NOBODY01")
		if got, want := followup.ErrorCode(err), followup.ENOTFOUND; got != want {
			t.Fatalf("error code = %q (%v), want %q", got, err, want)
		}
		after := owners()
		for k, n := range before {
			if after[k] != n {
				t.Errorf("%s: %d before, %d after a failed hand-over", k, n, after[k])
			}
		}
		var audits int
		if err := x.Get(&audits, `SELECT count(*) FROM audit_log WHERE action = 'handover'`); err != nil || audits != 0 {
			t.Errorf("%d hand-over audit rows (%v) after a failure", audits, err)
		}
	})

	h, err := db.HandOver(ctx, boss, leaving, heir)
	if err != nil {
		t.Fatal(err)
	}
	if want := (followup.HandOver{FromID: leaving, ToID: heir, Customers: 3, Actions: 3, Reminders: 3}); h != want {
		t.Errorf("HandOver = %+v, want %+v", h, want)
	}
	after := owners()
	for k, want := range map[string]int{
		"customer@" + heir:                   3,
		"customer@" + leaving:                0,
		"customer@" + other:                  1,
		"action:open@" + heir:                3, // open1, open2, onTheirs
		"action:open@" + other:               1, // the colleague's step stays theirs
		"action:done@" + leaving:             1, // history stays with who did it
		"reminder:action:pending@" + heir:    2, // the two open steps not yet reminded
		"reminder:action:pending@" + other:   1,
		"reminder:action:sent@" + leaving:    1, // history
		"reminder:cadence:pending@" + heir:   1,
		"reminder:digest:pending@" + leaving: 1, // about the leaver as a manager, not their book
		"reminder:action:pending@" + leaving: 0,
	} {
		if after[k] != want {
			t.Errorf("%s = %d, want %d (all: %v)", k, after[k], want, after)
		}
	}

	var row struct {
		Actor  string `db:"actor_id"`
		Entity string `db:"entity_id"`
		Detail []byte `db:"detail"`
	}
	if err := x.Get(&row, `SELECT actor_id, entity_id, detail FROM audit_log WHERE action = 'handover' AND entity = 'person'`); err != nil {
		t.Fatal(err)
	}
	var detail map[string]any
	if err := json.Unmarshal(row.Detail, &detail); err != nil {
		t.Fatal(err)
	}
	if row.Actor != boss || row.Entity != leaving || detail["to"] != heir || detail["customers"] != 3.0 || detail["actions"] != 3.0 || detail["reminders"] != 3.0 {
		t.Errorf("audit row = %s %s %v", row.Actor, row.Entity, detail)
	}

	t.Run("to oneself", func(t *testing.T) {
		if _, err := db.HandOver(ctx, boss, heir, heir); followup.ErrorCode(err) != followup.EINVALID {
			t.Errorf("err = %v, want invalid", err)
		}
	})
	t.Run("from nobody", func(t *testing.T) {
		if _, err := db.HandOver(ctx, boss, "U0NOBODY01", heir); followup.ErrorCode(err) != followup.ENOTFOUND {
			t.Errorf("err = %v, want not found", err)
		}
	})
}
