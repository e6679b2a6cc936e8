package followup

import "time"

// Cadence is how often a tier's customers should hear from their rep (跟进频率).
type Cadence map[Tier]time.Duration

// DefaultCadence is a real team's playbook: S every day, A every 3 days, B weekly, C monthly.
func DefaultCadence() Cadence {
	const day = 24 * time.Hour
	return Cadence{TierS: day, TierA: 3 * day, TierB: 7 * day, TierC: 30 * day}
}

// Every returns the interval for tier, falling back to the default cadence.
func (c Cadence) Every(tier Tier) time.Duration {
	if d, ok := c[tier]; ok && d > 0 {
		return d
	}
	return DefaultCadence()[tier]
}

// NextContactDue is when the customer should next be contacted: the last logged touch plus
// the tier's interval. Any follow-up resets it.
func (c Cadence) NextContactDue(lastTouch time.Time, tier Tier) time.Time {
	return lastTouch.Add(c.Every(tier))
}
