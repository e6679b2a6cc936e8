package storage_test

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/storage"
	"github.com/followuphq/followup/storage/storagetest"
)

// funnelWorld is a database of customers moved along the funnel through the real write
// paths (a new customer, follow-ups that move the stage, the stage button), and beside it a
// plain record of each customer's history, from which the test works out every figure on
// its own.
type funnelWorld struct {
	t         *testing.T
	ctx       context.Context
	db        *storage.DB
	rng       *rand.Rand
	clock     time.Time
	loc       *time.Location
	from, to  time.Time
	team1     int64
	customers []*fCustomer
}

type fCustomer struct {
	id           int64
	owner        string
	tier         followup.Tier
	created      time.Time
	firstContact *time.Time // a calendar day in loc; nil to fall back on created
	stage        followup.Stage
	moves        []fMove
}

type fMove struct {
	to     followup.Stage
	reason followup.LostReason
	at     time.Time
}

const (
	fRepA, fRepB, fRepC, fBoss = "U0FREPA001", "U0FREPB001", "U0FREPC001", "U0FBOSS001"
)

func newFunnelWorld(t *testing.T, seed uint64) *funnelWorld {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	w := &funnelWorld{t: t, ctx: context.Background(), rng: rand.New(rand.NewPCG(seed, 0xf00d)), loc: sh,
		from: time.Date(2026, 10, 1, 0, 0, 0, 0, sh), to: time.Date(2026, 11, 1, 0, 0, 0, 0, sh)}
	w.db = storagetest.NewDB(t, storage.WithClock(func() time.Time { return w.clock }))
	for _, id := range []string{fRepA, fRepB, fRepC, fBoss} {
		if _, err := w.db.SavePerson(w.ctx, followup.Person{SlackID: id, Name: id}); err != nil {
			t.Fatal(err)
		}
	}
	x := w.db.SQLX()
	if err := x.GetContext(w.ctx, &w.team1, `INSERT INTO teams (name, manager_id) VALUES ('East', $1) RETURNING id`, fBoss); err != nil {
		t.Fatal(err)
	}
	if _, err := x.ExecContext(w.ctx, `UPDATE people SET team_id = $1 WHERE slack_id IN ($2, $3)`, w.team1, fRepA, fRepB); err != nil {
		t.Fatal(err)
	}
	return w
}

// randTime is a moment in the 90 days around the period, often right at its edges.
func (w *funnelWorld) randTime() time.Time {
	switch w.rng.IntN(8) {
	case 0:
		return w.from
	case 1:
		return w.from.Add(-time.Second)
	case 2:
		return w.to.Add(-time.Second)
	case 3:
		return w.to
	}
	return w.from.Add(-45*24*time.Hour + time.Duration(w.rng.Int64N(90*24*3600))*time.Second)
}

func (w *funnelWorld) populate(n int) {
	t, ctx := w.t, w.ctx
	for i := range n {
		c := &fCustomer{owner: []string{fRepA, fRepA, fRepB, fRepC}[w.rng.IntN(4)], tier: followup.Tiers()[w.rng.IntN(4)],
			created: w.randTime(), stage: followup.StageLead}
		w.clock = c.created
		got, err := w.db.CreateCustomer(ctx, followup.NewCustomer{Name: fmt.Sprintf("Funnel Co %03d", i), Kind: followup.KindCompany,
			Industry: "Retail", Tier: c.tier, Source: "referral", OwnerID: c.owner, Contact: followup.Contact{Name: "Zhang", Phone: "13800000000"}})
		if err != nil {
			t.Fatal(err)
		}
		c.id = got.ID
		switch w.rng.IntN(3) {
		case 0: // first met some days before being entered
			d := followup.DayOf(c.created, w.loc).AddDate(0, 0, -w.rng.IntN(20))
			c.firstContact = &d
			w.exec(`UPDATE customers SET first_contact_on = $2 WHERE id = $1`, c.id, d.Format(time.DateOnly))
		case 1: // a customer from before first contact dates were kept
			w.exec(`UPDATE customers SET first_contact_on = NULL WHERE id = $1`, c.id)
		default:
			d := followup.DayOf(c.created, c.created.Location()) // CreateCustomer's: the clock's day
			c.firstContact = &d
		}
		if i%7 == 3 { // a customer whose creation wrote no move, as imports of long ago
			w.exec(`DELETE FROM stage_changes WHERE customer_id = $1`, c.id)
		}
		at := c.created
		for range w.rng.IntN(5) {
			at = at.Add(time.Duration(1+w.rng.IntN(20*24*3600)) * time.Second)
			if w.rng.IntN(4) == 0 {
				at = []time.Time{w.from, w.to.Add(-time.Second), w.to}[w.rng.IntN(3)]
			}
			w.move(c, at)
		}
		w.customers = append(w.customers, c)
	}
}

func (w *funnelWorld) exec(q string, args ...any) {
	w.t.Helper()
	if _, err := w.db.SQLX().ExecContext(w.ctx, q, args...); err != nil {
		w.t.Fatalf("%s: %v", q, err)
	}
}

// move takes c to a random stage at at: forward (often skipping), to lost, or back.
func (w *funnelWorld) move(c *fCustomer, at time.Time) {
	if len(c.moves) > 0 && !at.After(c.moves[len(c.moves)-1].at) || !at.After(c.created) {
		return // moves happen in order, after the customer exists
	}
	stages := followup.Stages()
	to := stages[w.rng.IntN(len(stages))]
	if to == c.stage {
		return
	}
	m := fMove{to: to, at: at}
	if to == followup.StageLost {
		m.reason = followup.LostReasons()[w.rng.IntN(len(followup.LostReasons()))]
	}
	w.clock = at
	if w.rng.IntN(2) == 0 {
		nf := followup.NewFollowUp{CustomerID: c.id, RepID: c.owner, HappenedAt: at, Method: followup.MethodPhone,
			Summary: "Discussed the order", Stage: to, LostReason: m.reason, Source: "quick"}
		nf.Normalize()
		if _, err := w.db.CreateFollowUp(w.ctx, nf); err != nil {
			w.t.Fatal(err)
		}
	} else if _, _, err := w.db.SetStage(w.ctx, c.id, c.owner, followup.StageMove{Stage: to, Reason: m.reason}); err != nil {
		w.t.Fatal(err)
	}
	c.stage = to
	c.moves = append(c.moves, m)
}

// expect works the funnel out from the record, following the domain's doc comments.
func (w *funnelWorld) expect(inScope func(*fCustomer) bool, from, to time.Time) followup.Funnel {
	f := followup.Funnel{From: from, To: to, Stages: map[followup.Stage]int{}}
	order := []followup.Stage{followup.StageLead, followup.StageIntent, followup.StageQuoted, followup.StageWon}
	rank := func(s followup.Stage) int { return slices.Index(order, s) + 1 }
	reached := make([]int, 4)
	advanced := make([]int, 4)
	tiers := map[followup.Tier]*followup.TierConversion{}
	for _, tier := range followup.Tiers() {
		tiers[tier] = &followup.TierConversion{Tier: tier}
	}
	lost := map[followup.LostReason]int{}
	for _, c := range w.customers {
		if !inScope(c) {
			continue
		}
		f.Stages[c.stage]++
		before, end := 0, 0
		if c.created.Before(from) {
			before = 1
		}
		if c.created.Before(to) {
			end = 1
		}
		var last *fMove
		for i, m := range c.moves {
			if m.at.Before(from) {
				before = max(before, rank(m.to))
			}
			if m.at.Before(to) {
				end = max(end, rank(m.to))
			}
			if !m.at.Before(from) && m.at.Before(to) && (m.to == followup.StageWon || m.to == followup.StageLost) {
				last = &c.moves[i]
			}
		}
		for r := 1; r <= 3; r++ {
			if before < r && end >= r {
				reached[r]++
				if end > r {
					advanced[r]++
				}
			}
		}
		if last == nil {
			continue
		}
		if last.to == followup.StageLost {
			tiers[c.tier].Lost++
			lost[last.reason]++
			continue
		}
		tiers[c.tier].Won++
		f.WonCustomers++
		start := followup.DayOf(c.created, w.loc)
		if c.firstContact != nil {
			start = time.Date(c.firstContact.Year(), c.firstContact.Month(), c.firstContact.Day(), 0, 0, 0, 0, w.loc)
		}
		won := followup.DayOf(last.at, w.loc)
		days := int(won.Sub(start).Round(24*time.Hour) / (24 * time.Hour)) // Shanghai has no DST
		f.CycleDays += max(0, days)
	}
	for r := 1; r <= 3; r++ {
		f.Steps = append(f.Steps, followup.FunnelStep{From: order[r-1], To: order[r], Reached: reached[r], Advanced: advanced[r]})
	}
	for _, tier := range followup.Tiers() {
		f.Tiers = append(f.Tiers, *tiers[tier])
	}
	// Lost reasons ranked by count, ties in the menu's order, worked out apart from
	// RankLostReasons.
	for _, r := range followup.LostReasons() {
		if lost[r] > 0 {
			f.Reasons = append(f.Reasons, followup.ReasonCount{Reason: r, Count: lost[r]})
		}
	}
	slices.SortStableFunc(f.Reasons, func(a, b followup.ReasonCount) int { return cmp.Compare(b.Count, a.Count) })
	return f
}

func TestFunnel(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 4} {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			w := newFunnelWorld(t, seed)
			w.populate(70)
			scopes := []struct {
				name    string
				scope   followup.FunnelScope
				inScope func(*fCustomer) bool
			}{
				{"rep", followup.FunnelScope{RepID: fRepA}, func(c *fCustomer) bool { return c.owner == fRepA }},
				{"team", followup.FunnelScope{DigestScope: followup.DigestScope{TeamIDs: []int64{w.team1}}},
					func(c *fCustomer) bool { return c.owner == fRepA || c.owner == fRepB }},
				{"all", followup.FunnelScope{DigestScope: followup.DigestScope{All: true}}, func(*fCustomer) bool { return true }},
				{"nobody", followup.FunnelScope{}, func(*fCustomer) bool { return false }},
			}
			periods := [][2]time.Time{{w.from, w.to}, {w.from.AddDate(0, 0, -20), w.from.AddDate(0, 0, 5)}}
			for _, p := range periods {
				for _, s := range scopes {
					t.Run(s.name+" "+p[0].Format(time.DateOnly), func(t *testing.T) {
						got, err := w.db.Funnel(w.ctx, s.scope, p[0], p[1], w.loc)
						if err != nil {
							t.Fatal(err)
						}
						want := w.expect(s.inScope, p[0], p[1])
						if s.name == "all" && (want.Steps[0].Reached == 0 || want.Steps[2].Advanced == 0 || want.WonCustomers == 0 || len(want.Reasons) == 0) {
							t.Fatalf("the world is too small to test anything: %+v", want)
						}
						checkFunnel(t, got, want)
					})
				}
			}
		})
	}
}

func checkFunnel(t *testing.T, got, want followup.Funnel) {
	t.Helper()
	for _, s := range followup.Stages() {
		if got.Stages[s] != want.Stages[s] {
			t.Errorf("customers at %s = %d, want %d", s, got.Stages[s], want.Stages[s])
		}
	}
	if !slices.Equal(got.Steps, want.Steps) {
		t.Errorf("steps = %+v\nwant    %+v", got.Steps, want.Steps)
	}
	if !slices.Equal(got.Tiers, want.Tiers) {
		t.Errorf("tiers = %+v\nwant    %+v", got.Tiers, want.Tiers)
	}
	if !slices.Equal(got.Reasons, want.Reasons) {
		t.Errorf("lost reasons = %+v\nwant           %+v", got.Reasons, want.Reasons)
	}
	if got.WonCustomers != want.WonCustomers || got.CycleDays != want.CycleDays {
		t.Errorf("cycle = %d customers, %d days; want %d, %d", got.WonCustomers, got.CycleDays, want.WonCustomers, want.CycleDays)
	}
}

// The funnel of a handful of customers whose figures can be checked by eye, in October in
// Shanghai.
func TestFunnelByHand(t *testing.T) {
	w := newFunnelWorld(t, 0)
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 10, 0, 0, 0, w.loc) }
	add := func(name string, tier followup.Tier, created time.Time, firstContact string, moves ...fMove) {
		w.clock = created
		c, err := w.db.CreateCustomer(w.ctx, followup.NewCustomer{Name: name, Kind: followup.KindCompany, Industry: "Retail",
			Tier: tier, Source: "referral", OwnerID: fRepA, Contact: followup.Contact{Name: "Zhang", Phone: "13800000000"}})
		if err != nil {
			t.Fatal(err)
		}
		w.exec(`UPDATE customers SET first_contact_on = NULLIF($2, '')::date WHERE id = $1`, c.ID, firstContact)
		for _, m := range moves {
			w.clock = m.at
			if _, _, err := w.db.SetStage(w.ctx, c.ID, fRepA, followup.StageMove{Stage: m.to, Reason: m.reason}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Reached quoted in October (intent was before it) and won: 40 days from 10 Sep.
	add("One", followup.TierA, day(9, 20), "2026-09-10",
		fMove{to: followup.StageIntent, at: day(9, 25)}, fMove{to: followup.StageQuoted, at: day(10, 5)}, fMove{to: followup.StageWon, at: day(10, 20)})
	// New in October, interested, then lost on price.
	add("Two", followup.TierB, day(10, 3), "",
		fMove{to: followup.StageIntent, at: day(10, 10)}, fMove{to: followup.StageLost, reason: followup.LostPrice, at: day(10, 15)})
	// New, and quoted at once: it passed through intent.
	add("Three", followup.TierB, day(10, 8), "", fMove{to: followup.StageQuoted, at: day(10, 9)})
	// New, nothing more yet.
	add("Four", followup.TierC, day(10, 30), "")
	// Won in September: nothing in October.
	add("Five", followup.TierA, day(8, 1), "", fMove{to: followup.StageWon, at: day(9, 30)})
	// New and won in ten days, no first contact date: counted from when it was added.
	add("Six", followup.TierS, day(10, 2), "", fMove{to: followup.StageWon, at: day(10, 12)})

	got, err := w.db.Funnel(w.ctx, followup.FunnelScope{RepID: fRepA}, w.from, w.to, w.loc)
	if err != nil {
		t.Fatal(err)
	}
	checkFunnel(t, got, followup.Funnel{
		Stages: map[followup.Stage]int{followup.StageWon: 3, followup.StageLost: 1, followup.StageQuoted: 1, followup.StageLead: 1},
		Steps: []followup.FunnelStep{
			{From: followup.StageLead, To: followup.StageIntent, Reached: 4, Advanced: 3},   // Two, Three, Four, Six; Four did not move
			{From: followup.StageIntent, To: followup.StageQuoted, Reached: 3, Advanced: 2}, // Two, Three, Six; Two was lost
			{From: followup.StageQuoted, To: followup.StageWon, Reached: 3, Advanced: 2},    // One, Three, Six; Three is still quoted
		},
		Tiers:        []followup.TierConversion{{Tier: followup.TierS, Won: 1}, {Tier: followup.TierA, Won: 1}, {Tier: followup.TierB, Lost: 1}, {Tier: followup.TierC}},
		Reasons:      []followup.ReasonCount{{Reason: followup.LostPrice, Count: 1}},
		WonCustomers: 2, CycleDays: 50,
	})
	if d, ok := got.AverageCycleDays(); !ok || d != 25 {
		t.Errorf("average cycle = %v days, want 25", d)
	}
	if r, _ := got.Steps[0].Rate(); r != 0.75 {
		t.Errorf("lead → intent = %v, want 0.75", r)
	}
}
