package followup

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// LostReason says why a deal was lost (流失原因).
type LostReason string

// The lost reasons teams track; other covers whatever none of them names.
const (
	LostPrice      LostReason = "price"
	LostCompetitor LostReason = "competitor"
	LostService    LostReason = "service"
	LostBudget     LostReason = "budget"
	LostOther      LostReason = "other"
)

// LostReasons lists every lost reason in menu order.
func LostReasons() []LostReason {
	return []LostReason{LostPrice, LostCompetitor, LostService, LostBudget, LostOther}
}

// Valid reports whether r is a known lost reason.
func (r LostReason) Valid() bool { return slices.Contains(LostReasons(), r) }

// StageMove is a move of a customer along the funnel, with the reason when it was lost.
type StageMove struct {
	Stage  Stage
	Reason LostReason // only for StageLost
}

// Validate returns FieldErrors keyed by the stage form's fields ("stage", "lost_reason").
// A lost deal needs its reason, since lost reasons are what a manager reviews; a reason
// given for any other stage is dropped by Normalize rather than refused.
func (m StageMove) Validate() error {
	fe := FieldErrors{}
	if !m.Stage.Valid() {
		fe["stage"] = "Pick a stage from the list."
	}
	if m.Stage == StageLost && !m.Reason.Valid() {
		fe["lost_reason"] = "Say why the deal was lost."
	}
	return fe.Err()
}

// Normalize drops a lost reason from a move to any stage but lost.
func (m *StageMove) Normalize() {
	if m.Stage != StageLost {
		m.Reason = ""
	}
}

// FunnelOrder is the funnel's path, lost aside: a customer that moves to a stage has passed
// through every stage before it, even when it skipped one (a lead that is quoted at once was
// interested).
func FunnelOrder() []Stage { return []Stage{StageLead, StageIntent, StageQuoted, StageWon} }

// Rank is the stage's place in FunnelOrder, from 1 for lead to 4 for won; 0 for lost, which
// is no step forward.
func (s Stage) Rank() int { return slices.Index(FunnelOrder(), s) + 1 }

// FunnelScope says whose customers a funnel covers: one rep's when RepID is set, else the
// customers owned by the people of the digest scope (everyone's, or some teams').
type FunnelScope struct {
	DigestScope
	RepID string
}

// Funnel is where a scope's customers stand and how they moved over [From, To). Storage
// computes every figure in one snapshot; see each type for what it counts.
type Funnel struct {
	From, To time.Time
	Stages   map[Stage]int // customers at each stage now
	Steps    []FunnelStep  // lead → intent, intent → quoted, quoted → won
	Tiers    []TierConversion
	Reasons  []ReasonCount // lost reasons, most frequent first

	// Cycle time: customers won in the period, and the days from their first contact
	// (first_contact_on, else when they were added) to the day they were won, added up.
	WonCustomers int
	CycleDays    int
}

// FunnelStep is the conversion from one stage of FunnelOrder to the next over a period.
//
// A customer reached a stage in the period when, before the period, it had never been at
// that stage or a later one of FunnelOrder, and by the period's end it had been (moving to
// a later stage passes through the earlier ones; being added is reaching lead). Reached
// counts those customers; Advanced counts those of them that had also reached the next
// stage by the period's end. Rate is Advanced / Reached: of the customers that reached
// From in the period, the share that got to To. Moves to lost, and moves back, do not undo
// having reached a stage.
type FunnelStep struct {
	From, To Stage
	Reached  int
	Advanced int
}

// Rate is Advanced / Reached; ok is false when no customer reached From, so an empty step
// does not read as 0%.
func (s FunnelStep) Rate() (rate float64, ok bool) { return ratio(s.Advanced, s.Reached) }

// TierConversion is how the deals of one tier's customers closed in a period: a customer
// closed when it moved to won or lost in the period, and counts once, by its last such
// move. The tier is the customer's tier now.
type TierConversion struct {
	Tier Tier
	Won  int
	Lost int
}

// Rate is won of closed; ok is false when none closed.
func (c TierConversion) Rate() (rate float64, ok bool) { return ratio(c.Won, c.Won+c.Lost) }

// ReasonCount is how many of the customers lost in a period (by their last closing move,
// as for TierConversion) were lost for a reason.
type ReasonCount struct {
	Reason LostReason
	Count  int
}

// RankLostReasons orders lost reasons by how often they came up, most first, ties in
// LostReasons order; reasons that never came up are left out. An unknown or empty reason
// (a move recorded before reasons were asked) counts as other.
func RankLostReasons(counts map[LostReason]int) []ReasonCount {
	merged := map[LostReason]int{}
	for r, n := range counts {
		if !r.Valid() {
			r = LostOther
		}
		merged[r] += n
	}
	var out []ReasonCount
	for _, r := range LostReasons() {
		if n := merged[r]; n > 0 {
			out = append(out, ReasonCount{Reason: r, Count: n})
		}
	}
	slices.SortStableFunc(out, func(a, b ReasonCount) int { return cmp.Compare(b.Count, a.Count) })
	return out
}

// AverageCycleDays is the mean number of days from first contact to won over the customers
// won in the period; ok is false when none was.
func (f Funnel) AverageCycleDays() (days float64, ok bool) {
	if f.WonCustomers == 0 {
		return 0, false
	}
	return float64(f.CycleDays) / float64(f.WonCustomers), true
}

// Closed sums the tiers' closed deals.
func (f Funnel) Closed() (won, lost int) {
	for _, t := range f.Tiers {
		won += t.Won
		lost += t.Lost
	}
	return won, lost
}

func ratio(n, of int) (float64, bool) {
	if of == 0 {
		return 0, false
	}
	return float64(n) / float64(of), true
}

// maxPeriodDays bounds a period typed as Nd or as a range: ten years of history is more
// than any funnel question needs and keeps dates in range.
const maxPeriodDays = 3660

// ParsePeriod reads the period of a funnel question in the asker's time zone and returns
// it as [from, to), to being the start of the day after the last day:
//
//   - week (本周): this week so far, from Monday;
//   - month (本月): this calendar month so far;
//   - quarter (本季度): this calendar quarter so far;
//   - Nd, e.g. 30d (N天): the last N days, today included;
//   - FROM..TO, e.g. 2026-10-01..2026-12-01 (also with ~ or 至): those days, both
//     included, as with export's --from and --to.
//
// ok is false for anything else, or a range that ends before it starts.
func ParsePeriod(s string, now time.Time, loc *time.Location) (from, to time.Time, ok bool) {
	today := DayOf(now, loc)
	tomorrow := today.AddDate(0, 0, 1)
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "week", "this-week", "本周", "这周":
		back := (int(today.Weekday()) + 6) % 7 // days since Monday
		return today.AddDate(0, 0, -back), tomorrow, true
	case "month", "this-month", "本月", "这个月":
		return time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, loc), tomorrow, true
	case "quarter", "this-quarter", "本季度", "本季", "这个季度":
		first := (today.Month()-1)/3*3 + 1
		return time.Date(today.Year(), first, 1, 0, 0, 0, 0, loc), tomorrow, true
	}
	if n, found := strings.CutSuffix(s, "d"); found || strings.HasSuffix(s, "天") {
		if !found {
			n = strings.TrimSuffix(s, "天")
		}
		days, err := strconv.Atoi(n)
		if err != nil || days < 1 || days > maxPeriodDays {
			return time.Time{}, time.Time{}, false
		}
		return tomorrow.AddDate(0, 0, -days), tomorrow, true
	}
	for _, sep := range []string{"..", "~", "至"} {
		a, b, found := strings.Cut(s, sep)
		if !found {
			continue
		}
		first, _, _, okA := ParseSheetDate(strings.TrimSpace(a))
		last, _, _, okB := ParseSheetDate(strings.TrimSpace(b))
		if !okA || !okB {
			return time.Time{}, time.Time{}, false
		}
		from, to = civilDay(first, loc), civilDay(last, loc).AddDate(0, 0, 1)
		if !to.After(from) || to.Sub(from) > maxPeriodDays*24*time.Hour {
			return time.Time{}, time.Time{}, false
		}
		return from, to, true
	}
	return time.Time{}, time.Time{}, false
}

// HandOver is what a hand-over moved from one owner to another, in one transaction.
type HandOver struct {
	FromID, ToID string
	Customers    int // customers whose owner changed
	Actions      int // open and snoozed next steps whose owner changed
	Reminders    int // pending reminders now addressed to the new owner
}
