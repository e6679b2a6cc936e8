package storage_test

import (
	"slices"
	"testing"
	"time"

	"github.com/followuphq/followup"
)

// The weekly digest is the digest plus the review, in one snapshot: the review's closing
// figures are the funnel's for the same people and days, its requests FrequentTerms of the
// week's follow-ups (those logged by the people in scope), its complaints counted as the
// domain says.
func TestWeeklyDigest(t *testing.T) {
	w := newFunnelWorld(t, 7)
	w.populate(40)
	ctx, x := w.ctx, w.db.SQLX()
	from, to := w.to.AddDate(0, 0, -7), w.to
	texts := []string{"Wants a free trial and a discount", "对价格有疑虑，希望提供定制方案", "Free trial again; 定制方案", "asked for a discount"}
	for i, text := range append(texts, "free trial, logged by a rep of another team") {
		rep := []string{fRepA, fRepB, fRepA, fRepB, fRepC}[i]
		c := w.customers[i]
		w.clock = from.Add(time.Duration(i+1) * time.Hour)
		if _, err := w.db.CreateFollowUp(ctx, followup.NewFollowUp{CustomerID: c.id, RepID: rep, HappenedAt: w.clock,
			Method: followup.MethodPhone, Summary: text, Feedback: "", Source: "quick"}); err != nil {
			t.Fatal(err)
		}
	}
	w.clock = from.AddDate(0, 0, -3) // an older follow-up is not this week's
	if _, err := w.db.CreateFollowUp(ctx, followup.NewFollowUp{CustomerID: w.customers[0].id, RepID: fRepA, HappenedAt: w.clock,
		Method: followup.MethodPhone, Summary: "discount discount", Source: "quick"}); err != nil {
		t.Fatal(err)
	}
	var teamCustomer, otherCustomer int64
	for _, c := range w.customers {
		switch {
		case c.owner == fRepA && teamCustomer == 0:
			teamCustomer = c.id
		case c.owner == fRepC && otherCustomer == 0:
			otherCustomer = c.id
		}
	}
	for _, k := range []struct {
		customer int64
		received time.Time
		status   string
		resolved *time.Time
	}{
		{teamCustomer, from.Add(time.Hour), "open", nil},
		{teamCustomer, from.Add(-48 * time.Hour), "in_progress", nil}, // older, still being handled
		{teamCustomer, from.Add(-72 * time.Hour), "resolved", ptr(from.Add(time.Hour))},
		{teamCustomer, from.Add(2 * time.Hour), "resolved", ptr(from.Add(3 * time.Hour))},
		{teamCustomer, from.AddDate(0, 0, -30), "resolved", ptr(from.AddDate(0, 0, -20))}, // resolved long ago
		{otherCustomer, from.Add(time.Hour), "open", nil},                                 // another team's customer
	} {
		if _, err := x.Exec(`INSERT INTO complaints (customer_id, received_at, content, status, resolved_at, created_by)
			VALUES ($1, $2, 'late delivery', $3, $4, 'U0FBOSS001')`, k.customer, k.received, k.status, k.resolved); err != nil {
			t.Fatal(err)
		}
	}

	scope := followup.DigestScope{TeamIDs: []int64{w.team1}}
	got, err := w.db.WeeklyDigest(ctx, scope, from, to, w.loc)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := w.db.Digest(ctx, scope, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if got.Review == nil {
		t.Fatal("no review in the weekly digest")
	}
	if !slices.Equal(got.Reps, plain.Reps) || got.Total != plain.Total || got.OpenComplaints != plain.OpenComplaints {
		t.Errorf("the weekly digest's figures differ from the digest's:\n%+v\n%+v", got.Reps, plain.Reps)
	}
	f, err := w.db.Funnel(ctx, followup.FunnelScope{DigestScope: scope}, from, to, w.loc)
	if err != nil {
		t.Fatal(err)
	}
	r := *got.Review
	if !slices.Equal(r.Tiers, f.Tiers) || !slices.Equal(r.Reasons, f.Reasons) || r.WonCustomers != f.WonCustomers || r.CycleDays != f.CycleDays {
		t.Errorf("review closings = %+v %+v %d %d; the funnel's %+v %+v %d %d", r.Tiers, r.Reasons, r.WonCustomers, r.CycleDays,
			f.Tiers, f.Reasons, f.WonCustomers, f.CycleDays)
	}
	want := w.expect(func(c *fCustomer) bool { return c.owner == fRepA || c.owner == fRepB }, from, to)
	if !slices.Equal(r.Tiers, want.Tiers) || !slices.Equal(r.Reasons, want.Reasons) {
		t.Errorf("review closings = %+v %+v, worked out %+v %+v", r.Tiers, r.Reasons, want.Tiers, want.Reasons)
	}
	// The world's own follow-ups ("Discussed the order") are in the week too.
	var worldTexts []string
	if err := x.Select(&worldTexts, `SELECT summary || E'\n' || feedback FROM follow_ups
		WHERE rep_id IN ($1, $2) AND happened_at >= $3 AND happened_at < $4`, fRepA, fRepB, from, to); err != nil {
		t.Fatal(err)
	}
	if wantTerms := followup.FrequentTerms(worldTexts, followup.ReviewTermsMinCount, followup.ReviewTermsShown); !slices.Equal(r.Requests, wantTerms) {
		t.Errorf("requests = %v, want %v", r.Requests, wantTerms)
	}
	for _, term := range []string{"free trial", "discount", "定制方案"} {
		if !slices.ContainsFunc(r.Requests, func(tc followup.TermCount) bool { return tc.Term == term && tc.Count == 2 }) {
			t.Errorf("requests %v lack %q said twice (the other team's mention and last week's do not count)", r.Requests, term)
		}
	}
	if want := (followup.ComplaintCounts{Received: 2, Open: 1, InProgress: 1, Resolved: 2}); r.Complaints != want {
		t.Errorf("complaints = %+v, want %+v", r.Complaints, want)
	}
}

func ptr[T any](v T) *T { return &v }
