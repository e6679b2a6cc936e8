package storage_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/storage"
	"github.com/followuphq/followup/storage/storagetest"
)

// A group stores each follow-up exactly as it would be stored alone: its next step, the
// customer's last touch and stage, and the stage move.
func TestAGroupStoresEachFollowUpWithAllItImplies(t *testing.T) {
	db := storagetest.NewDB(t, storage.WithClock(func() time.Time { return t0 }))
	ctx := context.Background()
	seedRep(t, db, "U1")
	a, b, c := seedCustomer(t, db, "U1", "Acme"), seedCustomer(t, db, "U1", "Bolt"), seedCustomer(t, db, "U1", "Crane")
	due := t0.Add(72 * time.Hour)
	nfs := []followup.NewFollowUp{
		{CustomerID: a.ID, RepID: "U1", HappenedAt: t0.Add(-time.Hour), Method: followup.MethodPhone, Summary: "asked for a quote",
			Next: &followup.NewAction{OwnerID: "U1", Text: "send quote", DueAt: due}, Stage: followup.StageQuoted},
		{CustomerID: b.ID, RepID: "U1", HappenedAt: t0.Add(-2 * time.Hour), Method: followup.MethodVisit, Summary: "not now",
			Stage: followup.StageLost, LostReason: followup.LostPrice},
		{CustomerID: c.ID, RepID: "U1", HappenedAt: t0.Add(-3 * time.Hour), Method: followup.MethodEmail, Summary: "sent the deck",
			Mood: followup.MoodPositive},
	}
	fus, errs := db.CommitGroup(ctx, nfs)
	for i, err := range errs {
		if err != nil {
			t.Fatalf("follow-up %d: %v", i, err)
		}
		if fus[i].CustomerID != nfs[i].CustomerID || fus[i].Summary != nfs[i].Summary || fus[i].ID == 0 {
			t.Fatalf("follow-up %d came back as %+v", i, fus[i])
		}
	}
	if len(fus[0].Actions) != 1 || fus[0].Actions[0].Text != "send quote" || !fus[0].Actions[0].DueAt.Equal(due) {
		t.Fatalf("next step of the first: %+v", fus[0].Actions)
	}
	if len(fus[1].Actions)+len(fus[2].Actions) != 0 {
		t.Fatalf("next steps where none was asked: %+v %+v", fus[1].Actions, fus[2].Actions)
	}
	for i, want := range []struct {
		stage  followup.Stage
		reason followup.LostReason
	}{{followup.StageQuoted, ""}, {followup.StageLost, followup.LostPrice}, {followup.StageLead, ""}} {
		got, err := db.FindCustomer(ctx, nfs[i].CustomerID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Stage != want.stage || followup.LostReason(got.LostReason) != want.reason || got.LastTouchAt == nil || !got.LastTouchAt.Equal(nfs[i].HappenedAt) {
			t.Errorf("customer %d: stage %s reason %q last touch %v, want %s %q %v", i, got.Stage, got.LostReason, got.LastTouchAt,
				want.stage, want.reason, nfs[i].HappenedAt)
		}
	}
	var moves int
	if err := db.SQLX().Get(&moves, `SELECT count(*) FROM stage_changes WHERE from_stage IS NOT NULL`); err != nil {
		t.Fatal(err)
	}
	if moves != 2 {
		t.Errorf("%d stage moves recorded, want 2", moves)
	}
}

// One bad follow-up does not sink the others of its group, and a customer deleted meanwhile
// gets its own answer.
func TestAGroupGivesEachFollowUpItsOwnFate(t *testing.T) {
	db := storagetest.NewDB(t, storage.WithClock(func() time.Time { return t0 }))
	ctx := context.Background()
	seedRep(t, db, "U1")
	a, b := seedCustomer(t, db, "U1", "Acme"), seedCustomer(t, db, "U1", "Bolt")
	ok := func(id int64) followup.NewFollowUp {
		return followup.NewFollowUp{CustomerID: id, RepID: "U1", HappenedAt: t0, Method: followup.MethodPhone, Summary: "fine"}
	}

	bad := ok(b.ID)
	bad.Method = "carrier pigeon" // the database refuses it
	_, errs := db.CommitGroup(ctx, []followup.NewFollowUp{ok(a.ID), bad})
	if errs[0] != nil {
		t.Fatalf("the good follow-up failed with the bad one: %v", errs[0])
	}
	if followup.ErrorCode(errs[1]) != followup.EINVALID {
		t.Fatalf("the bad follow-up: %v, want %s", errs[1], followup.EINVALID)
	}

	_, errs = db.CommitGroup(ctx, []followup.NewFollowUp{ok(a.ID), ok(999999)})
	if errs[0] != nil {
		t.Fatalf("the follow-up of a customer that exists: %v", errs[0])
	}
	var fe followup.FieldErrors
	if !errors.As(errs[1], &fe) || fe["customer"] == "" {
		t.Fatalf("the follow-up of a customer that does not: %v, want a field error on customer", errs[1])
	}

	var stored int
	if err := db.SQLX().Get(&stored, `SELECT count(*) FROM follow_ups`); err != nil {
		t.Fatal(err)
	}
	if stored != 2 {
		t.Fatalf("%d follow-ups stored, want 2", stored)
	}
}

// Follow-ups of one customer are split over consecutive groups, and the queue beyond a full
// group waits for the next: each is committed once, none is lost on the way.
func TestEveryQueuedFollowUpIsCommittedOnce(t *testing.T) {
	db := storagetest.NewDB(t, storage.WithClock(func() time.Time { return t0 }))
	seedRep(t, db, "U1")
	customers := make([]followup.Customer, 66)
	for i := range customers {
		customers[i] = seedCustomer(t, db, "U1", fmt.Sprintf("Customer %d", i))
	}
	log := func(c followup.Customer, n int) followup.NewFollowUp {
		return followup.NewFollowUp{CustomerID: c.ID, RepID: "U1", HappenedAt: t0, Method: followup.MethodPhone, Summary: fmt.Sprintf("log %d", n)}
	}
	// Three of the first customer, then more customers than a group holds: the first group
	// takes one of the first customer's and fills up; the other two, and the customers left,
	// wait for the groups after it.
	var nfs []followup.NewFollowUp
	for range 3 {
		nfs = append(nfs, log(customers[0], len(nfs)))
	}
	for _, c := range customers[1:] {
		nfs = append(nfs, log(c, len(nfs)))
	}
	for i, err := range db.CommitQueued(context.Background(), nfs) {
		if err != nil {
			t.Errorf("follow-up %d: %v", i, err)
		}
	}
	var stored, distinct int
	if err := db.SQLX().QueryRow(`SELECT count(*), count(DISTINCT summary) FROM follow_ups`).Scan(&stored, &distinct); err != nil {
		t.Fatal(err)
	}
	if stored != len(nfs) || distinct != len(nfs) {
		t.Fatalf("stored %d follow-ups (%d distinct), want %d", stored, distinct, len(nfs))
	}
}

// Many reps logging at once, several on the same customers: every follow-up is stored once,
// answered with its own id, and each customer's last touch is its latest contact.
func TestConcurrentFollowUpsAreEachStoredOnce(t *testing.T) {
	db := storagetest.NewDB(t, storage.WithClock(func() time.Time { return t0 }))
	ctx := context.Background()
	seedRep(t, db, "U1")
	customers := make([]followup.Customer, 10)
	for i := range customers {
		customers[i] = seedCustomer(t, db, "U1", fmt.Sprintf("Customer %d", i))
	}
	const logs = 300
	ids := make([]int64, logs)
	var wg sync.WaitGroup
	for i := range logs {
		wg.Go(func() {
			nf := followup.NewFollowUp{CustomerID: customers[i%len(customers)].ID, RepID: "U1",
				HappenedAt: t0.Add(-time.Duration(i) * time.Minute), Method: followup.MethodPhone, Summary: fmt.Sprintf("log %d", i)}
			if i%3 == 0 {
				nf.Next = &followup.NewAction{OwnerID: "U1", Text: fmt.Sprintf("next %d", i), DueAt: t0.Add(time.Hour)}
			}
			fu, err := db.CreateFollowUp(ctx, nf)
			if err != nil {
				t.Errorf("log %d: %v", i, err)
				return
			}
			if fu.Summary != nf.Summary || fu.CustomerID != nf.CustomerID || (nf.Next != nil) != (len(fu.Actions) == 1) {
				t.Errorf("log %d came back as %+v", i, fu)
			}
			ids[i] = fu.ID
		})
	}
	wg.Wait()
	var stored, distinct, actions int
	if err := db.SQLX().QueryRow(`SELECT count(*), count(DISTINCT summary) FROM follow_ups`).Scan(&stored, &distinct); err != nil {
		t.Fatal(err)
	}
	if err := db.SQLX().Get(&actions, `SELECT count(*) FROM next_actions`); err != nil {
		t.Fatal(err)
	}
	if stored != logs || distinct != logs || actions != logs/3 {
		t.Fatalf("stored %d follow-ups (%d distinct) and %d next steps, want %d, %d and %d", stored, distinct, actions, logs, logs, logs/3)
	}
	seen := map[int64]bool{}
	for i, id := range ids {
		if id == 0 || seen[id] {
			t.Fatalf("log %d answered with id %d", i, id)
		}
		seen[id] = true
	}
	for i, c := range customers {
		got, err := db.FindCustomer(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := t0.Add(-time.Duration(i) * time.Minute); got.LastTouchAt == nil || !got.LastTouchAt.Equal(want) {
			t.Errorf("customer %d last touched %v, want its latest contact %v", i, got.LastTouchAt, want)
		}
	}
}
