package followup

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Method is how a follow-up happened (跟进方式).
type Method string

// The follow-up methods teams record.
const (
	MethodPhone   Method = "phone"
	MethodVisit   Method = "visit"
	MethodVideo   Method = "video"
	MethodEmail   Method = "email"
	MethodSMS     Method = "sms"
	MethodIM      Method = "im"
	MethodInbound Method = "inbound" // the customer visited us
	MethodOther   Method = "other"
)

// Methods lists every method in menu order.
func Methods() []Method {
	return []Method{MethodPhone, MethodVisit, MethodVideo, MethodEmail, MethodSMS, MethodIM, MethodInbound, MethodOther}
}

// Valid reports whether m is a known method.
func (m Method) Valid() bool {
	for _, v := range Methods() {
		if m == v {
			return true
		}
	}
	return false
}

// Mood is the customer's attitude during a follow-up.
type Mood string

// The moods; empty means not recorded.
const (
	MoodPositive  Mood = "positive"
	MoodHesitant  Mood = "hesitant"
	MoodResistant Mood = "resistant"
)

// Moods lists every mood in menu order.
func Moods() []Mood { return []Mood{MoodPositive, MoodHesitant, MoodResistant} }

// Valid reports whether m is empty (not recorded) or a known mood.
func (m Mood) Valid() bool {
	return m == "" || m == MoodPositive || m == MoodHesitant || m == MoodResistant
}

// FollowUp is one logged contact with a customer (跟进记录).
type FollowUp struct {
	ID         int64
	CustomerID int64
	RepID      string
	HappenedAt time.Time
	Method     Method
	Summary    string
	Feedback   string
	Mood       Mood
	Source     string // modal, quick, dm, import: where it was logged from
	CreatedAt  time.Time
	Actions    []NextAction
}

// NewFollowUp is what a rep submits to log a follow-up, with at most one next action.
type NewFollowUp struct {
	CustomerID int64
	RepID      string
	HappenedAt time.Time
	Method     Method
	Summary    string
	Feedback   string
	Mood       Mood
	Stage      Stage      // optional: move the customer to this stage
	LostReason LostReason // why, when Stage is lost; other when not said
	Source     string
	Next       *NewAction
}

// NewAction is the next step planned at a follow-up.
type NewAction struct {
	Text    string
	DueAt   time.Time
	OwnerID string // defaults to the rep who logged it
}

// Normalize trims the free-text fields.
func (f *NewFollowUp) Normalize() {
	f.Summary = strings.TrimSpace(f.Summary)
	f.Feedback = strings.TrimSpace(f.Feedback)
	if f.Next != nil {
		f.Next.Text = strings.TrimSpace(f.Next.Text)
		if f.Next.OwnerID == "" {
			f.Next.OwnerID = f.RepID
		}
	}
	switch {
	case f.Stage != StageLost:
		f.LostReason = ""
	case f.LostReason == "":
		f.LostReason = LostOther // a follow-up is not refused for a reason left out
	}
}

// Validate returns FieldErrors keyed by form field. loc is the rep's time zone: a next action
// may not fall on a day before the day of the follow-up in that zone.
func (f NewFollowUp) Validate(loc *time.Location) error {
	fe := FieldErrors{}
	if f.CustomerID == 0 {
		fe["customer"] = "Pick the customer."
	}
	if !f.Method.Valid() {
		fe["method"] = "Pick how you were in touch."
	}
	switch {
	case f.Summary == "":
		fe["summary"] = "Say what was discussed."
	case utf8.RuneCountInString(f.Summary) > MaxTextLen:
		fe["summary"] = tooLong(MaxTextLen)
	case IsVague(f.Summary):
		fe["summary"] = "Be specific: what did you discuss and what did the customer say? e.g. \"confirmed interest in plan A, asked for B's details\"."
	}
	if utf8.RuneCountInString(f.Feedback) > MaxTextLen {
		fe["feedback"] = tooLong(MaxTextLen)
	}
	if !f.Mood.Valid() {
		fe["mood"] = "Pick a mood from the list."
	}
	if f.Stage != "" && !f.Stage.Valid() {
		fe["stage"] = "Pick a stage from the list."
	}
	if f.LostReason != "" && !f.LostReason.Valid() {
		fe["lost_reason"] = "Pick a reason from the list."
	}
	if f.Next != nil {
		switch {
		case f.Next.Text == "":
			fe["next_action"] = "Say what the next step is, or clear its due date."
		case utf8.RuneCountInString(f.Next.Text) > MaxTextLen:
			fe["next_action"] = tooLong(MaxTextLen)
		}
		if !f.Next.DueAt.IsZero() && DayOf(f.Next.DueAt, loc).Before(DayOf(f.HappenedAt, loc)) {
			fe["next_due"] = "The next step cannot be due before the follow-up happened."
		}
	}
	return fe.Err()
}

// IsVague reports whether a summary says nothing a colleague could act on, such as
// "went well" or "聊得不错". Real teams' playbooks ask for specifics; the form nudges.
func IsVague(summary string) bool {
	s := strings.ToLower(strings.Trim(strings.TrimSpace(summary), ".!。！~ "))
	switch s {
	case "ok", "okay", "good", "fine", "went well", "it went well", "all good", "nothing", "n/a", "na", "-",
		"好", "好的", "还行", "不错", "挺好", "很好", "聊得不错", "沟通顺利", "无":
		return true
	}
	return false
}

// DayOf returns midnight of t's calendar day in loc.
func DayOf(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}
