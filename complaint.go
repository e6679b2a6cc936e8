package followup

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ComplaintStatus is where a complaint stands.
type ComplaintStatus string

// The complaint statuses. Anything not resolved is open work for the team.
const (
	ComplaintOpen       ComplaintStatus = "open"
	ComplaintInProgress ComplaintStatus = "in_progress"
	ComplaintResolved   ComplaintStatus = "resolved"
)

// Complaint is a customer's complaint and how it was handled (投诉).
type Complaint struct {
	ID           int64
	CustomerID   int64
	CustomerCode string
	CustomerName string
	OwnerID      string // the customer's owner, who hears how it ended
	ReceivedAt   time.Time
	Content      string
	HandlerID    string // Slack user id of whoever handles it; empty while nobody does
	Status       ComplaintStatus
	Resolution   string
	DueAt        *time.Time // the resolution deadline; nil for complaints imported without one
	StartedAt    *time.Time // when the handler started on it
	ResolvedAt   *time.Time
	ResolvedBy   string
	Satisfied    *bool // nil until the customer was asked
	CreatedBy    string
	CreatedAt    time.Time
}

// Open reports whether the complaint still needs handling.
func (c Complaint) Open() bool { return c.Status != ComplaintResolved }

// ResponsibleID is who owes the complaint its resolution: its handler, or the customer's
// owner while nobody handles it (complaints imported without one).
func (c Complaint) ResponsibleID() string {
	if c.HandlerID != "" {
		return c.HandlerID
	}
	return c.OwnerID
}

// Overdue reports whether the complaint is still open after its deadline.
func (c Complaint) Overdue(now time.Time) bool {
	return c.Open() && c.DueAt != nil && c.DueAt.Before(now)
}

// NewComplaint is what someone files when a customer complains.
type NewComplaint struct {
	CustomerID int64
	ReceivedAt time.Time
	Content    string
	HandlerID  string
	DueAt      time.Time // the resolution deadline, from ComplaintDeadline or a date picked
	CreatedBy  string
}

// Normalize trims the content.
func (n *NewComplaint) Normalize() { n.Content = strings.TrimSpace(n.Content) }

// Validate returns FieldErrors keyed by form field. now is when it is filed: a complaint
// cannot be received in the future, and its deadline cannot have passed already.
func (n NewComplaint) Validate(now time.Time) error {
	fe := FieldErrors{}
	if n.CustomerID == 0 {
		fe["customer"] = "Pick the customer."
	}
	requireText(fe, "content", n.Content, MaxTextLen, "Say what the customer complained about.")
	if n.ReceivedAt.After(now) {
		fe["received_at"] = "A complaint cannot be received in the future."
	}
	if n.HandlerID == "" {
		fe["handler"] = "Pick who handles the complaint."
	}
	switch {
	case n.DueAt.IsZero():
		fe["due_on"] = "Pick the day it must be resolved by."
	case !n.DueAt.After(now):
		fe["due_on"] = "The deadline cannot be in the past."
	}
	return fe.Err()
}

// ComplaintResolution is how a complaint was closed.
type ComplaintResolution struct {
	Resolution string
	Satisfied  *bool // whether the customer is satisfied with it; required
	By         string
}

// Validate returns FieldErrors keyed by the Resolve form's fields.
func (r ComplaintResolution) Validate() error {
	fe := FieldErrors{}
	requireText(fe, "resolution", strings.TrimSpace(r.Resolution), MaxTextLen, "Say how the complaint was resolved.")
	if r.Satisfied == nil {
		fe["satisfied"] = "Say whether the customer is satisfied."
	}
	return fe.Err()
}

// ComplaintDeadline is how long a complaint may stay open, in working time of its handler:
// whole working days, then working hours on top. The deployment sets it (COMPLAINT_DEADLINE).
type ComplaintDeadline struct {
	Days  int
	Hours int
}

// DefaultComplaintDeadline is a real team's rule: a complaint is resolved within two working
// days.
func DefaultComplaintDeadline() ComplaintDeadline { return ComplaintDeadline{Days: 2} }

// maxComplaintDeadline bounds a deadline to a working quarter: a longer one is a typo, and
// the scheduler only looks back so far for complaints that came due.
const maxComplaintDeadline = 60

// ParseComplaintDeadline reads a deadline such as "2d" (two working days), "16h" (sixteen
// working hours) or "1d4h". Days and hours are counted in the handler's working schedule.
func ParseComplaintDeadline(s string) (ComplaintDeadline, error) {
	var d ComplaintDeadline
	rest := strings.ToLower(strings.ReplaceAll(s, " ", ""))
	bad := fmt.Errorf("want working days and hours such as 2d, 16h or 1d4h, got %q", s)
	if rest == "" {
		return d, bad
	}
	for _, unit := range []struct {
		suffix string
		into   *int
	}{{"d", &d.Days}, {"h", &d.Hours}} {
		num, after, ok := strings.Cut(rest, unit.suffix)
		if !ok {
			continue
		}
		n, err := strconv.Atoi(num)
		if err != nil || n < 0 {
			return ComplaintDeadline{}, bad
		}
		*unit.into, rest = n, after
	}
	if rest != "" || d.Days+d.Hours == 0 || d.Days > maxComplaintDeadline || d.Hours > maxComplaintDeadline*24 {
		return ComplaintDeadline{}, bad
	}
	return d, nil
}

// String renders the deadline as it is configured, e.g. "2d" or "1d4h".
func (d ComplaintDeadline) String() string {
	var sb strings.Builder
	if d.Days > 0 {
		sb.WriteString(strconv.Itoa(d.Days) + "d")
	}
	if d.Hours > 0 {
		sb.WriteString(strconv.Itoa(d.Hours) + "h")
	}
	return sb.String()
}

// DueAt is when a complaint received at receivedAt must be resolved, counted in its
// handler's schedule s from the first moment they could see it (as an action's escalation
// is): received on Friday night, two working days are Monday and Tuesday, due Wednesday
// morning; received on Wednesday at 10:00, due Friday at 10:00. Holidays and make-up
// workdays of the handler's calendar count as they fall.
func (d ComplaintDeadline) DueAt(receivedAt time.Time, s WorkSchedule) time.Time {
	if d == (ComplaintDeadline{}) {
		d = DefaultComplaintDeadline()
	}
	t := s.AddWorkingDays(s.NextWorkingMoment(receivedAt), d.Days)
	return s.AddWorkingHours(t, time.Duration(d.Hours)*time.Hour)
}

// ComplaintEscalation is a complaint past its deadline whose customer's owner has a manager
// to tell.
type ComplaintEscalation struct {
	Complaint Complaint
	ManagerID string
}
