package storage_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/storage"
	"github.com/followuphq/followup/storage/storagetest"
)

var t0 = time.Date(2026, 11, 18, 2, 0, 0, 0, time.UTC)

func seedRep(t *testing.T, db *storage.DB, id string) {
	t.Helper()
	if _, err := db.SavePerson(context.Background(), followup.Person{SlackID: id, Name: id, TZ: "UTC", Locale: "en"}); err != nil {
		t.Fatal(err)
	}
}

func seedCustomer(t *testing.T, db *storage.DB, owner, name string) followup.Customer {
	t.Helper()
	c, err := db.CreateCustomer(context.Background(), followup.NewCustomer{Name: name, Kind: followup.KindCompany, Industry: "x", Tier: followup.TierA, Source: "x", OwnerID: owner,
		Contact: followup.Contact{Name: "Zhang", Phone: "13800000000"}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFollowUpUndoRestoresTheCustomer(t *testing.T) {
	ctx := context.Background()
	now := t0
	db := storagetest.NewDB(t, storage.WithClock(func() time.Time { return now }))
	seedRep(t, db, "U1")
	seedRep(t, db, "U2")
	c := seedCustomer(t, db, "U1", "Acme")
	first, err := db.CreateFollowUp(ctx, followup.NewFollowUp{CustomerID: c.ID, RepID: "U1", HappenedAt: t0, Method: followup.MethodPhone, Summary: "first", Source: "test"})
	if err != nil {
		t.Fatal(err)
	}
	now = t0.Add(time.Hour)
	second, err := db.CreateFollowUp(ctx, followup.NewFollowUp{CustomerID: c.ID, RepID: "U1", HappenedAt: now, Method: followup.MethodVisit, Summary: "second",
		Stage: followup.StageQuoted, Source: "test", Next: &followup.NewAction{Text: "send quote", DueAt: now.Add(48 * time.Hour), OwnerID: "U1"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := db.FindCustomer(ctx, c.ID); got.Stage != followup.StageQuoted || !got.LastTouchAt.Equal(now) {
		t.Fatalf("after the second follow-up: stage %s, last touch %v", got.Stage, got.LastTouchAt)
	}
	if err := db.DeleteFollowUp(ctx, second.ID, "U2"); followup.ErrorCode(err) != followup.ENOTFOUND {
		t.Errorf("another rep's undo: err = %v, want not found", err)
	}
	if err := db.DeleteFollowUp(ctx, second.ID, "U1"); err != nil {
		t.Fatal(err)
	}
	got, _ := db.FindCustomer(ctx, c.ID)
	if got.Stage != followup.StageLead || !got.LastTouchAt.Equal(t0) {
		t.Errorf("after undo: stage %s, last touch %v; want lead, %v", got.Stage, got.LastTouchAt, t0)
	}
	if actions, _ := db.FindCustomerPendingActions(ctx, c.ID); len(actions) != 0 {
		t.Errorf("the undone follow-up's next step is still pending")
	}
	if err := db.DeleteFollowUp(ctx, second.ID, "U1"); followup.ErrorCode(err) != followup.ENOTFOUND {
		t.Errorf("second undo: err = %v, want not found", err)
	}
	edited, err := db.ReplaceFollowUp(ctx, first.ID, followup.NewFollowUp{CustomerID: c.ID, RepID: "U1", HappenedAt: t0, Method: followup.MethodEmail, Summary: "first, edited", Source: "test"})
	if err != nil {
		t.Fatal(err)
	}
	fus, _ := db.FindFollowUps(ctx, c.ID, 10)
	if len(fus) != 1 || fus[0].ID != edited.ID || fus[0].Summary != "first, edited" {
		t.Errorf("after replace: %+v", fus)
	}
}

func TestCustomerCodesAreUniqueUnderConcurrency(t *testing.T) {
	db := storagetest.NewDB(t, storage.WithClock(func() time.Time { return t0 }))
	seedRep(t, db, "U1")
	var wg sync.WaitGroup
	codes := make(chan string, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := db.CreateCustomer(context.Background(), followup.NewCustomer{Name: fmt.Sprintf("C%d", i), Kind: followup.KindCompany, Industry: "x", Tier: followup.TierB, Source: "x", OwnerID: "U1"})
			if err != nil {
				t.Error(err)
				return
			}
			codes <- c.Code
		}()
	}
	wg.Wait()
	close(codes)
	seen := map[string]bool{}
	for code := range codes {
		if seen[code] {
			t.Errorf("code %s given twice", code)
		}
		seen[code] = true
	}
	if !seen["C202611001"] || !seen["C202611020"] {
		t.Errorf("codes are not C202611001..020: %v", seen)
	}
	_, err := db.CreateCustomer(context.Background(), followup.NewCustomer{Name: "Dup", Code: "C202611001", Kind: followup.KindCompany, Industry: "x", Tier: followup.TierB, Source: "x", OwnerID: "U1"})
	if fe, ok := err.(followup.FieldErrors); !ok || fe["code"] == "" {
		t.Errorf("a taken code: err = %v, want a field error on code", err)
	}
}

func TestResolveCustomerPrefersExactMatches(t *testing.T) {
	ctx := context.Background()
	db := storagetest.NewDB(t)
	seedRep(t, db, "U1")
	acme := seedCustomer(t, db, "U1", "Acme")
	seedCustomer(t, db, "U1", "Acme Trading Co")
	seedCustomer(t, db, "U1", "100% Pure_Water")
	cases := []struct {
		ref  string
		want []string
	}{
		{"acme", []string{"Acme"}},                  // an exact name beats partial matches
		{acme.Code, []string{"Acme"}},               // so does a code
		{"trading", []string{"Acme Trading Co"}},    // a unique part
		{"ac", []string{"Acme", "Acme Trading Co"}}, // ambiguous: every match, best first
		{"100%", []string{"100% Pure_Water"}},       // LIKE wildcards are literal
		{"_", []string{"100% Pure_Water"}},          //
		{"globex", nil},                             // unknown
	}
	for _, c := range cases {
		got, err := db.ResolveCustomer(ctx, c.ref, followup.Visibility{All: true})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, g := range got {
			names = append(names, g.Name)
		}
		if fmt.Sprint(names) != fmt.Sprint(c.want) {
			t.Errorf("ResolveCustomer(%q) = %v, want %v", c.ref, names, c.want)
		}
	}
}

func TestMigrationsAreSafeWhenReplicasStartTogether(t *testing.T) {
	dsn := storagetest.NewEmptyDSN(t)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := storage.Open(context.Background(), dsn)
			if err != nil {
				t.Error(err)
				return
			}
			defer db.Close()
			if err := db.Migrate(context.Background()); err != nil {
				t.Error(err)
			}
			if err := db.CheckSchema(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
}

func TestSQLCadenceDefaultsMatchTheDomain(t *testing.T) {
	db := storagetest.NewDB(t)
	for tier, every := range followup.DefaultCadence() {
		var days int
		if err := db.SQLX().Get(&days, `SELECT tier_default_days($1)`, string(tier)); err != nil {
			t.Fatal(err)
		}
		if got, want := days, int(every.Hours()/24); got != want {
			t.Errorf("tier %s: SQL says %d days, the domain %d", tier, got, want)
		}
	}
}
