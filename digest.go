package followup

import "time"

// How much of each team-wide list a digest carries. A digest is read in one Slack message,
// so long lists are cut; their full counts travel beside them.
const (
	DigestChurnRiskShown  = 10 // churn-risk customers listed, the longest untouched first
	DigestComplaintsShown = 5  // open complaints listed, the oldest first
)

// DigestScope says whose work a digest covers.
type DigestScope struct {
	All     bool    // every rep (admins)
	TeamIDs []int64 // the teams a manager leads
}

// Empty reports whether the scope covers nobody, as for a manager who leads no team yet.
func (s DigestScope) Empty() bool { return !s.All && len(s.TeamIDs) == 0 }

// RepActivity is one rep's figures over a digest period. Storage documents exactly what
// each figure counts; in short, activity is counted in [From, To) and backlog at To.
type RepActivity struct {
	RepID string // Slack user id; empty in a digest's Total
	Name  string

	FollowUps      int // follow-ups the rep logged
	ActionsDue     int // next steps owned by the rep that fell due (cancelled ones aside)
	ActionsDone    int // next steps the rep completed
	ActionsOverdue int // next steps still open or snoozed past their due time, at To
	PastCadence    int // the rep's customers past their tier's contact cadence, at To
	NewCustomers   int // customers the rep owns that were added
	StageMoves     int // funnel moves the rep made, won and lost included
	Won            int
	Lost           int
	Surveys        int // satisfaction surveys of the rep's customers answered in the period
	SurveyPoints   int // every score of those surveys added up
}

// SurveyAverage is the mean score of the surveys of the rep's customers; ok is false when
// none was answered in the period.
func (a RepActivity) SurveyAverage() (avg float64, ok bool) {
	if a.Surveys == 0 {
		return 0, false
	}
	return float64(a.SurveyPoints) / float64(a.Surveys*len(SurveyDimensions())), true
}

// Idle reports whether the rep did nothing a manager could see: no follow-up logged, no
// step done, no funnel move, no customer added. Overdue and past-cadence backlog is not
// activity, and neither are surveys: the customers answered them.
func (a RepActivity) Idle() bool {
	return a.FollowUps == 0 && a.ActionsDone == 0 && a.StageMoves == 0 && a.NewCustomers == 0
}

// Add adds b's figures to a's, for totals.
func (a *RepActivity) Add(b RepActivity) {
	a.FollowUps += b.FollowUps
	a.ActionsDue += b.ActionsDue
	a.ActionsDone += b.ActionsDone
	a.ActionsOverdue += b.ActionsOverdue
	a.PastCadence += b.PastCadence
	a.NewCustomers += b.NewCustomers
	a.StageMoves += b.StageMoves
	a.Won += b.Won
	a.Lost += b.Lost
	a.Surveys += b.Surveys
	a.SurveyPoints += b.SurveyPoints
}

// Digest is a manager's summary of a team's follow-up work over the period [From, To).
type Digest struct {
	From, To time.Time
	Reps     []RepActivity // ordered by name; reps who did nothing are included
	Total    RepActivity   // the sum over Reps

	ChurnRisk        []Customer  // flagged customers, at most DigestChurnRiskShown
	ChurnRiskCount   int         // all flagged customers, listed or not
	OpenComplaints   int         // complaints not yet resolved, at To
	OldestComplaints []Complaint // the oldest open ones, at most DigestComplaintsShown

	ComplaintsReceived  int // complaints received in the period
	ComplaintsResolved  int // complaints resolved in the period
	ComplaintsSatisfied int // of those, the ones whose customer was satisfied
	ComplaintsOverdue   int // open complaints past their deadline, at To

	Surveys         SurveyTotals // the scope's customers' surveys answered in the period
	PreviousSurveys SurveyTotals // the same over the period of equal length just before From

	Review *Review // the weekly review's figures; nil in a daily digest
}

// PreviousFrom is the start of the period of equal length before the digest's, which its
// survey trend compares against.
func (d Digest) PreviousFrom() time.Time { return d.From.Add(-d.To.Sub(d.From)) }

// Conversion is the share of deals closed in the period that were won: won / (won + lost)
// over the funnel moves made in it. ok is false when no deal was closed, so a quiet week
// does not read as a 0% week.
func (d Digest) Conversion() (rate float64, ok bool) {
	closed := d.Total.Won + d.Total.Lost
	if closed == 0 {
		return 0, false
	}
	return float64(d.Total.Won) / float64(closed), true
}
