package storage_test

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/storage"
	"github.com/followuphq/followup/storage/storagetest"
)

// The digest is checked against figures worked out in Go from what the test inserted, for
// random worlds: if the SQL and this model disagree on any rule, some seed shows it.
func TestDigest(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			w := newDigestWorld(t, seed)
			w.populate()
			periods := [][2]time.Time{
				{w.from, w.to},
				{w.from.AddDate(0, 0, -3), w.from.AddDate(0, 0, 2)},
			}
			scopes := map[string]followup.DigestScope{
				"team":      {TeamIDs: []int64{w.team1}},
				"two teams": {TeamIDs: []int64{w.team1, w.team2}},
				"all":       {All: true},
				"no team":   {},
			}
			for _, p := range periods {
				for name, scope := range scopes {
					t.Run(name+" "+p[0].Format(time.DateOnly), func(t *testing.T) {
						got, err := w.db.Digest(w.ctx, scope, p[0], p[1])
						if err != nil {
							t.Fatal(err)
						}
						w.check(got, w.expect(scope, p[0], p[1]))
					})
				}
			}
			t.Run("the idle rep is listed and the idle manager is not", func(t *testing.T) {
				got, err := w.db.Digest(w.ctx, followup.DigestScope{TeamIDs: []int64{w.team1}}, w.from, w.to)
				if err != nil {
					t.Fatal(err)
				}
				i := slices.IndexFunc(got.Reps, func(r followup.RepActivity) bool { return r.RepID == idleRep })
				if i < 0 {
					t.Fatalf("idle rep %s missing from %+v", idleRep, got.Reps)
				}
				if r := got.Reps[i]; r != (followup.RepActivity{RepID: idleRep, Name: "Cara Idle"}) {
					t.Errorf("idle rep = %+v, want zero figures", r)
				}
				if !w.managerMoved && slices.ContainsFunc(got.Reps, func(r followup.RepActivity) bool { return r.RepID == manager1 }) {
					t.Errorf("the manager, who owns nothing and did nothing, is listed")
				}
			})
		})
	}
}

func TestDigestRejectsAnEmptyPeriod(t *testing.T) {
	db := storagetest.NewDB(t)
	at := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	_, err := db.Digest(context.Background(), followup.DigestScope{All: true}, at, at)
	if got, want := followup.ErrorCode(err), followup.EINVALID; got != want {
		t.Errorf("error code = %q, want %q (err %v)", got, want, err)
	}
}

func TestManagedTeamsAndDigestRecipients(t *testing.T) {
	ctx := context.Background()
	db := storagetest.NewDB(t)
	for _, p := range []followup.Person{
		{SlackID: "U0MGR00001", RealName: "Morgan", Role: followup.RoleManager},
		{SlackID: "U0MGR00002", RealName: "Nina", Role: followup.RoleManager},
		{SlackID: "U0MGRGONE1", RealName: "Gone", Role: followup.RoleManager},
		{SlackID: "U0MGRNONE1", RealName: "Teamless", Role: followup.RoleManager},
		{SlackID: "U0ADMIN001", RealName: "Ada", Role: followup.RoleAdmin},
	} {
		if _, err := db.SavePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	x := db.SQLX()
	if _, err := x.ExecContext(ctx, `UPDATE people SET active = false WHERE slack_id = 'U0MGRGONE1'`); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, tm := range []struct{ name, manager string }{
		{"East", "U0MGR00001"}, {"West", "U0MGR00002"}, {"North", "U0MGR00001"}, {"Old", "U0MGRGONE1"}, {"Nobody's", ""},
	} {
		var id int64
		if err := x.GetContext(ctx, &id, `INSERT INTO teams (name, manager_id) VALUES ($1, NULLIF($2, '')) RETURNING id`, tm.name, tm.manager); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}

	for manager, want := range map[string][]int64{
		"U0MGR00001": {ids[0], ids[2]},
		"U0MGR00002": {ids[1]},
		"U0MGRNONE1": {},
		"U0NOBODY01": {},
	} {
		got, err := db.ManagedTeamIDs(ctx, manager)
		if err != nil {
			t.Fatal(err)
		}
		if got == nil || !slices.Equal(got, want) {
			t.Errorf("ManagedTeamIDs(%s) = %#v, want %#v", manager, got, want)
		}
	}

	people, err := db.DigestRecipients(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range people {
		got = append(got, p.SlackID)
	}
	if want := []string{"U0MGR00001", "U0MGR00002"}; !slices.Equal(got, want) {
		t.Errorf("DigestRecipients = %v, want %v (active managers of a team; no admin, no leaver)", got, want)
	}
}

// The people of the digest world.
const (
	manager1 = "U0MGR00001" // leads team 1 and sits in it
	manager2 = "U0MGR00002" // leads team 2
	repA     = "U0REPA0001"
	repB     = "U0REPB0001"
	idleRep  = "U0REPC0001" // in team 1, does nothing at all
	leaver   = "U0LEFT0001" // in team 1, inactive, still owns customers
	repX     = "U0REPX0001" // in team 2
	noTeam   = "U0NOTEAM01" // a rep on no team who logged follow-ups
	oldTimer = "U0OLDREP01" // a rep on no team whose only follow-up is long past
	lurker   = "U0LURK0001" // a rep on no team who never did anything
	admin    = "U0ADMIN001"
)

type wPerson struct {
	id, name string
	role     followup.Role
	team     int64 // 0: none
	active   bool
}

type wCustomer struct {
	id        int64
	owner     string
	tier      followup.Tier
	stage     followup.Stage
	churn     bool
	created   time.Time
	lastTouch *time.Time
}

type wFollowUp struct {
	rep string
	at  time.Time
}

type wAction struct {
	id     int64
	owner  string
	due    time.Time
	status followup.ActionStatus
	doneAt *time.Time
}

type wMove struct {
	by       string
	from, to followup.Stage // from is "" for the row written at creation
	at       time.Time
}

type wComplaint struct {
	id         int64
	customer   *wCustomer
	receivedAt time.Time
	handler    string
	status     followup.ComplaintStatus
	dueAt      *time.Time
	resolvedAt *time.Time // set when resolved
	satisfied  *bool
}

type wSurvey struct {
	customer *wCustomer
	at       time.Time
	scores   followup.SurveyScores
}

// digestWorld is a database and, beside it, a plain Go record of everything put into it.
type digestWorld struct {
	t            *testing.T
	ctx          context.Context
	db           *storage.DB
	rng          *rand.Rand
	clock        time.Time // what the storage's clock says: when the next write happens
	from, to     time.Time
	team1, team2 int64
	cadence      map[int64]map[followup.Tier]int // team overrides, in days
	sessionTZ    *time.Location                  // Postgres adds days to a timestamptz in it
	managerMoved bool

	people     map[string]*wPerson
	customers  []*wCustomer
	followUps  []wFollowUp
	actions    []*wAction
	moves      []wMove
	complaints []wComplaint
	surveys    []wSurvey
}

func newDigestWorld(t *testing.T, seed uint64) *digestWorld {
	w := &digestWorld{
		t: t, ctx: context.Background(), rng: rand.New(rand.NewPCG(seed, 0x5eed)),
		from:    time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
		to:      time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC),
		cadence: map[int64]map[followup.Tier]int{},
		people:  map[string]*wPerson{},
	}
	w.db = storagetest.NewDB(t, storage.WithClock(func() time.Time { return w.clock }))
	return w
}

// randTime picks a moment around the period, often exactly on or just beside its edges,
// where off-by-one mistakes live. Postgres keeps microseconds; whole seconds survive it.
func (w *digestWorld) randTime() time.Time {
	switch w.rng.IntN(10) {
	case 0:
		return w.from
	case 1:
		return w.to
	case 2:
		return w.to.Add(-time.Second)
	case 3:
		return w.from.Add(-time.Second)
	}
	span := w.to.Sub(w.from) + 20*24*time.Hour
	return w.from.Add(-10*24*time.Hour + time.Duration(w.rng.Int64N(int64(span/time.Second)))*time.Second)
}

func (w *digestWorld) pick(ids ...string) string { return ids[w.rng.IntN(len(ids))] }

func (w *digestWorld) populate() {
	t, ctx, x := w.t, w.ctx, w.db.SQLX()
	w.clock = w.from.AddDate(0, 0, -30)
	var tz string
	if err := x.GetContext(ctx, &tz, `SHOW TimeZone`); err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		t.Fatalf("session time zone %q: %v", tz, err)
	}
	w.sessionTZ = loc
	for _, p := range []wPerson{
		{manager1, "Morgan Manager", followup.RoleManager, 0, true},
		{manager2, "Nina Second", followup.RoleManager, 0, true},
		{repA, "Alice Wong", followup.RoleRep, 0, true},
		{repB, "Bob Li", followup.RoleRep, 0, true},
		{idleRep, "Cara Idle", followup.RoleRep, 0, true},
		{leaver, "Lee Left", followup.RoleRep, 0, false},
		{repX, "Xavier Other", followup.RoleRep, 0, true},
		{noTeam, "Zed Noteam", followup.RoleRep, 0, true},
		{oldTimer, "Olga Oldtimer", followup.RoleRep, 0, true},
		{lurker, "Quinn Lurker", followup.RoleRep, 0, true},
		{admin, "Ada Admin", followup.RoleAdmin, 0, true},
	} {
		if _, err := w.db.SavePerson(ctx, followup.Person{SlackID: p.id, Name: strings.ToLower(p.name), RealName: p.name, Role: p.role, Locale: followup.LocaleEN}); err != nil {
			t.Fatal(err)
		}
		w.people[p.id] = &p
	}
	if err := x.GetContext(ctx, &w.team1, `INSERT INTO teams (name, manager_id) VALUES ('East', $1) RETURNING id`, manager1); err != nil {
		t.Fatal(err)
	}
	if err := x.GetContext(ctx, &w.team2, `INSERT INTO teams (name, manager_id) VALUES ('West', $1) RETURNING id`, manager2); err != nil {
		t.Fatal(err)
	}
	for id, team := range map[string]int64{manager1: w.team1, repA: w.team1, repB: w.team1, idleRep: w.team1, leaver: w.team1, manager2: w.team2, repX: w.team2} {
		p := w.people[id]
		p.team = team
		w.exec(`UPDATE people SET team_id = $2, active = $3 WHERE slack_id = $1`, id, team, p.active)
	}
	// Team 1 keeps B customers closer than the playbook's week; team 2 uses the defaults.
	w.exec(`INSERT INTO tier_cadences (team_id, tier, every_days) VALUES ($1, 'B', 2), ($1, 'S', 2)`, w.team1)
	w.cadence[w.team1] = map[followup.Tier]int{followup.TierB: 2, followup.TierS: 2}

	// Customers, created around the period by whoever owns them.
	for _, owner := range []string{repA, repA, repB, repB, leaver, repX} {
		for range 2 + w.rng.IntN(5) {
			w.createCustomer(owner)
		}
	}
	// Follow-ups, mostly by the owner, some by a colleague; some move the stage, some plan a step.
	for i := range 80 {
		c := w.customers[w.rng.IntN(len(w.customers))]
		rep, at := c.owner, w.randTime()
		if c.owner == leaver || w.rng.IntN(5) == 0 {
			rep = w.pick(repA, repB, repX, noTeam)
		}
		if i == 0 {
			rep, at = oldTimer, w.from.AddDate(0, 0, -40)
		}
		nf := followup.NewFollowUp{CustomerID: c.id, RepID: rep, HappenedAt: at, Method: followup.MethodPhone,
			Summary: "Confirmed interest in plan A, asked for plan B's price", Source: "modal"}
		if w.rng.IntN(3) == 0 {
			nf.Stage = followup.Stages()[w.rng.IntN(len(followup.Stages()))]
		}
		if w.rng.IntN(2) == 0 {
			nf.Next = &followup.NewAction{Text: "Send the revised quote", DueAt: w.randTime(), OwnerID: w.pick(rep, c.owner, repA, repX)}
		}
		w.clock = nf.HappenedAt.Add(time.Duration(w.rng.IntN(3*3600)) * time.Second) // logged a little later
		fu, err := w.db.CreateFollowUp(ctx, nf)
		if err != nil {
			t.Fatal(err)
		}
		w.followUps = append(w.followUps, wFollowUp{rep: rep, at: nf.HappenedAt})
		if c.lastTouch == nil || nf.HappenedAt.After(*c.lastTouch) {
			at := nf.HappenedAt
			c.lastTouch = &at
		}
		if nf.Stage != "" && nf.Stage != c.stage {
			w.moves = append(w.moves, wMove{by: rep, from: c.stage, to: nf.Stage, at: w.clock})
			c.stage = nf.Stage
		}
		for _, a := range fu.Actions {
			w.actions = append(w.actions, &wAction{id: a.ID, owner: a.OwnerID, due: a.DueAt, status: followup.ActionOpen})
		}
	}
	// Steps planned outside a follow-up, then every step moved to a random status.
	for range 15 {
		c := w.customers[w.rng.IntN(len(w.customers))]
		a, err := w.db.CreateAction(ctx, c.id, 0, followup.NewAction{Text: "Call to confirm needs", DueAt: w.randTime(), OwnerID: w.pick(repA, repB, leaver, repX)})
		if err != nil {
			t.Fatal(err)
		}
		w.actions = append(w.actions, &wAction{id: a.ID, owner: a.OwnerID, due: a.DueAt, status: followup.ActionOpen})
	}
	for _, a := range w.actions {
		switch w.rng.IntN(8) {
		case 0, 1:
			// stays open
		case 2, 3:
			at := w.randTime()
			a.status, a.doneAt = followup.ActionDone, &at
		case 4:
			a.status = followup.ActionSnoozed
		case 5:
			a.status = followup.ActionCancelled
		case 6:
			a.status = followup.ActionDone // done without a recorded time, as an import may leave it
		case 7:
			at := w.randTime()
			a.status, a.doneAt = followup.ActionOpen, &at // done, then reopened
		}
		w.exec(`UPDATE next_actions SET status = $2, done_at = $3 WHERE id = $1`, a.id, a.status, a.doneAt)
	}
	// Funnel moves made outside a follow-up, by an admin and sometimes the manager.
	movers := []string{admin, repB}
	if w.managerMoved = w.rng.IntN(2) == 0; w.managerMoved {
		movers = append(movers, manager1)
	}
	for _, by := range movers {
		for range 3 {
			c := w.customers[w.rng.IntN(len(w.customers))]
			to := w.pick(string(followup.StageWon), string(followup.StageLost), string(followup.StageQuoted))
			at := w.from.Add(time.Duration(w.rng.IntN(int(w.to.Sub(w.from)/time.Hour))) * time.Hour)
			w.exec(`INSERT INTO stage_changes (customer_id, from_stage, to_stage, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5)`,
				c.id, c.stage, to, by, at)
			w.exec(`UPDATE customers SET stage = $2 WHERE id = $1`, c.id, to)
			w.moves = append(w.moves, wMove{by: by, from: c.stage, to: followup.Stage(to), at: at})
			c.stage = followup.Stage(to)
		}
	}
	// Churn flags and complaints.
	for _, c := range w.customers {
		if c.churn = w.rng.IntN(3) == 0; c.churn {
			w.exec(`UPDATE customers SET churn_risk = true WHERE id = $1`, c.id)
		}
	}
	statuses := []followup.ComplaintStatus{followup.ComplaintOpen, followup.ComplaintInProgress, followup.ComplaintResolved}
	for range 40 {
		k := wComplaint{customer: w.customers[w.rng.IntN(len(w.customers))], receivedAt: w.randTime(),
			handler: w.pick("", repA, manager1, manager2), status: statuses[w.rng.IntN(len(statuses))]}
		if w.rng.IntN(4) > 0 { // some imported complaints have no deadline
			due := w.randTime()
			k.dueAt = &due
		}
		if k.status == followup.ComplaintResolved {
			at, satisfied := w.randTime(), w.rng.IntN(2) == 0
			k.resolvedAt = &at
			if w.rng.IntN(4) > 0 {
				k.satisfied = &satisfied
			}
		}
		if err := x.GetContext(ctx, &k.id, `
			INSERT INTO complaints (customer_id, received_at, content, handler_id, status, due_at, resolved_at, satisfied, created_by)
			VALUES ($1, $2, 'Delivery was two weeks late', NULLIF($3, ''), $4, $5, $6, $7, $8) RETURNING id`,
			k.customer.id, k.receivedAt, k.handler, k.status, k.dueAt, k.resolvedAt, k.satisfied, manager1); err != nil {
			t.Fatal(err)
		}
		w.complaints = append(w.complaints, k)
	}
	// Surveys, around the period and the one before it, through the storage's own method.
	for range 60 {
		sv := wSurvey{customer: w.customers[w.rng.IntN(len(w.customers))], at: w.randTime().AddDate(0, 0, -w.rng.IntN(8))}
		score := func() int { return 1 + w.rng.IntN(5) }
		sv.scores = followup.SurveyScores{ProductQuality: score(), ServiceAttitude: score(), ResponseSpeed: score(), AfterSales: score()}
		if _, err := w.db.CreateSurvey(ctx, followup.NewSurvey{CustomerID: sv.customer.id, SurveyedOn: sv.at, SurveyedAt: sv.at,
			Scores: sv.scores, CreatedBy: w.pick(repA, repB, manager1)}); err != nil {
			t.Fatal(err)
		}
		w.surveys = append(w.surveys, sv)
	}
}

func (w *digestWorld) createCustomer(owner string) {
	w.clock = w.randTime()
	c, err := w.db.CreateCustomer(w.ctx, followup.NewCustomer{
		Name: fmt.Sprintf("Customer %d of %s", len(w.customers)+1, owner), Kind: followup.KindCompany,
		Industry: "Retail", Tier: followup.Tiers()[w.rng.IntN(4)], Source: "referral", OwnerID: owner,
	})
	if err != nil {
		w.t.Fatal(err)
	}
	w.customers = append(w.customers, &wCustomer{id: c.ID, owner: owner, tier: c.Tier, stage: followup.StageLead, created: w.clock})
	w.moves = append(w.moves, wMove{by: owner, to: followup.StageLead, at: w.clock})
}

// expect works the digest out from the Go record, rule by rule as storage documents them.
func (w *digestWorld) expect(scope followup.DigestScope, from, to time.Time) followup.Digest {
	in := func(t time.Time) bool { return !t.Before(from) && t.Before(to) }
	inScope := func(id string) bool {
		p := w.people[id]
		return scope.All || p.team != 0 && slices.Contains(scope.TeamIDs, p.team)
	}
	d := followup.Digest{From: from, To: to}
	for _, p := range w.people {
		if !inScope(p.id) {
			continue
		}
		r := followup.RepActivity{RepID: p.id, Name: p.name}
		owns, logged := false, false
		for _, f := range w.followUps {
			if f.rep == p.id {
				logged = true
				if in(f.at) {
					r.FollowUps++
				}
			}
		}
		for _, a := range w.actions {
			if a.owner != p.id {
				continue
			}
			if a.status != followup.ActionCancelled && in(a.due) {
				r.ActionsDue++
			}
			if a.status == followup.ActionDone && a.doneAt != nil && in(*a.doneAt) {
				r.ActionsDone++
			}
			if (a.status == followup.ActionOpen || a.status == followup.ActionSnoozed) && a.due.Before(to) {
				r.ActionsOverdue++
			}
		}
		for _, c := range w.customers {
			if c.owner != p.id {
				continue
			}
			owns = true
			if in(c.created) {
				r.NewCustomers++
			}
			if c.stage != followup.StageLost && w.nextContactDue(c).Before(to) {
				r.PastCadence++
			}
		}
		for _, sv := range w.surveys {
			if sv.customer.owner == p.id && in(sv.at) {
				r.Surveys++
				r.SurveyPoints += sv.scores.Sum()
			}
		}
		for _, m := range w.moves {
			if m.by == p.id && m.from != "" && in(m.at) {
				r.StageMoves++
				switch m.to {
				case followup.StageWon:
					r.Won++
				case followup.StageLost:
					r.Lost++
				}
			}
		}
		active := r != followup.RepActivity{RepID: p.id, Name: p.name}
		if owns || p.team != 0 && p.role == followup.RoleRep && p.active || scope.All && logged || active {
			d.Reps = append(d.Reps, r)
			d.Total.Add(r)
		}
	}
	slices.SortFunc(d.Reps, func(a, b followup.RepActivity) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.RepID, b.RepID))
	})

	var churn []*wCustomer
	for _, c := range w.customers {
		if c.churn && c.stage != followup.StageLost && inScope(c.owner) {
			churn = append(churn, c)
		}
	}
	slices.SortFunc(churn, func(a, b *wCustomer) int {
		return cmp.Or(lastTouchOrCreated(a).Compare(lastTouchOrCreated(b)), cmp.Compare(a.id, b.id))
	})
	d.ChurnRiskCount = len(churn)
	for _, c := range churn[:min(len(churn), followup.DigestChurnRiskShown)] {
		d.ChurnRisk = append(d.ChurnRisk, followup.Customer{ID: c.id})
	}

	var open []wComplaint
	for _, k := range w.complaints {
		if k.status != followup.ComplaintResolved && inScope(k.customer.owner) {
			open = append(open, k)
		}
	}
	slices.SortFunc(open, func(a, b wComplaint) int {
		return cmp.Or(a.receivedAt.Compare(b.receivedAt), cmp.Compare(a.id, b.id))
	})
	d.OpenComplaints = len(open)
	for _, k := range open[:min(len(open), followup.DigestComplaintsShown)] {
		d.OldestComplaints = append(d.OldestComplaints, followup.Complaint{ID: k.id, CustomerID: k.customer.id, HandlerID: k.handler, Status: k.status, ReceivedAt: k.receivedAt})
	}
	for _, k := range w.complaints {
		if !inScope(k.customer.owner) {
			continue
		}
		if in(k.receivedAt) {
			d.ComplaintsReceived++
		}
		if k.status == followup.ComplaintResolved && in(*k.resolvedAt) {
			d.ComplaintsResolved++
			if k.satisfied != nil && *k.satisfied {
				d.ComplaintsSatisfied++
			}
		}
		if k.status != followup.ComplaintResolved && k.dueAt != nil && k.dueAt.Before(to) {
			d.ComplaintsOverdue++
		}
	}
	prevFrom := from.Add(-to.Sub(from))
	for _, sv := range w.surveys {
		switch {
		case !inScope(sv.customer.owner):
		case in(sv.at):
			d.Surveys.Add(sv.scores)
		case !sv.at.Before(prevFrom) && sv.at.Before(from):
			d.PreviousSurveys.Add(sv.scores)
		}
	}
	return d
}

// nextContactDue is the cadence rule: the last touch (or creation) plus the tier's interval
// of the owner's team, else the playbook's, in calendar days as Postgres counts them (in the
// session's zone, where a day across a DST change is not 24 hours).
func (w *digestWorld) nextContactDue(c *wCustomer) time.Time {
	days := int(followup.DefaultCadence().Every(c.tier) / (24 * time.Hour))
	if d, ok := w.cadence[w.people[c.owner].team][c.tier]; ok {
		days = d
	}
	return lastTouchOrCreated(c).In(w.sessionTZ).AddDate(0, 0, days)
}

func lastTouchOrCreated(c *wCustomer) time.Time {
	if c.lastTouch != nil {
		return *c.lastTouch
	}
	return c.created
}

func (w *digestWorld) check(got, want followup.Digest) {
	t := w.t
	t.Helper()
	if !got.From.Equal(want.From) || !got.To.Equal(want.To) {
		t.Errorf("period = [%v, %v), want [%v, %v)", got.From, got.To, want.From, want.To)
	}
	if !slices.Equal(got.Reps, want.Reps) {
		t.Errorf("reps:\n got %+v\nwant %+v", got.Reps, want.Reps)
	}
	if got.Total != want.Total {
		t.Errorf("total = %+v, want %+v", got.Total, want.Total)
	}
	if got, want := got.ChurnRiskCount, want.ChurnRiskCount; got != want {
		t.Errorf("churn-risk count = %d, want %d", got, want)
	}
	ids := func(cs []followup.Customer) (out []int64) {
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	if got, want := ids(got.ChurnRisk), ids(want.ChurnRisk); !slices.Equal(got, want) {
		t.Errorf("churn-risk customers = %v, want %v", got, want)
	}
	if got, want := got.OpenComplaints, want.OpenComplaints; got != want {
		t.Errorf("open complaints = %d, want %d", got, want)
	}
	if g, wk := [4]int{got.ComplaintsReceived, got.ComplaintsResolved, got.ComplaintsSatisfied, got.ComplaintsOverdue},
		[4]int{want.ComplaintsReceived, want.ComplaintsResolved, want.ComplaintsSatisfied, want.ComplaintsOverdue}; g != wk {
		t.Errorf("complaints received, resolved, satisfied, overdue = %v, want %v", g, wk)
	}
	if got.Surveys != want.Surveys || got.PreviousSurveys != want.PreviousSurveys {
		t.Errorf("surveys = %+v, previous %+v; want %+v, previous %+v", got.Surveys, got.PreviousSurveys, want.Surveys, want.PreviousSurveys)
	}
	if len(got.OldestComplaints) != len(want.OldestComplaints) {
		t.Fatalf("oldest complaints = %+v, want %+v", got.OldestComplaints, want.OldestComplaints)
	}
	for i, g := range got.OldestComplaints {
		wk := want.OldestComplaints[i]
		if g.ID != wk.ID || g.CustomerID != wk.CustomerID || g.HandlerID != wk.HandlerID || g.Status != wk.Status ||
			!g.ReceivedAt.Equal(wk.ReceivedAt) || g.CustomerName == "" || g.Content == "" {
			t.Errorf("oldest complaint %d = %+v, want %+v", i, g, wk)
		}
	}
}

// exec runs a statement for what the storage API has no method for.
func (w *digestWorld) exec(query string, args ...any) {
	w.t.Helper()
	if _, err := w.db.SQLX().ExecContext(w.ctx, query, args...); err != nil {
		w.t.Fatal(err)
	}
}
