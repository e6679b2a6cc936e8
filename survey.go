package followup

import (
	"strings"
	"time"
	"unicode/utf8"
)

// SurveyDimension is one question of a satisfaction survey; its value is also the form
// field that asks it.
type SurveyDimension string

// The four questions of a satisfaction survey (满意度调查), each scored 1 to 5.
const (
	ProductQuality  SurveyDimension = "product_quality"
	ServiceAttitude SurveyDimension = "service_attitude"
	ResponseSpeed   SurveyDimension = "response_speed"
	AfterSales      SurveyDimension = "after_sales"
)

// SurveyDimensions lists the questions in the order forms and digests show them.
func SurveyDimensions() []SurveyDimension {
	return []SurveyDimension{ProductQuality, ServiceAttitude, ResponseSpeed, AfterSales}
}

// The score range of every question: 1 (very dissatisfied) to 5 (very satisfied).
const (
	MinSurveyScore = 1
	MaxSurveyScore = 5
)

// What counts as a low score; see SurveyScores.Low.
const (
	lowSurveyScore   = 2 // a question scored this or less
	lowSurveyAverage = 3 // an average below this
)

// SurveyScores are a survey's answers, or, summed over several surveys, their totals.
type SurveyScores struct {
	ProductQuality  int
	ServiceAttitude int
	ResponseSpeed   int
	AfterSales      int
}

// Score returns the score of one question.
func (s SurveyScores) Score(d SurveyDimension) int {
	switch d {
	case ProductQuality:
		return s.ProductQuality
	case ServiceAttitude:
		return s.ServiceAttitude
	case ResponseSpeed:
		return s.ResponseSpeed
	case AfterSales:
		return s.AfterSales
	}
	return 0
}

// Sum is the four scores added up.
func (s SurveyScores) Sum() int {
	return s.ProductQuality + s.ServiceAttitude + s.ResponseSpeed + s.AfterSales
}

// Average is the mean of the four scores.
func (s SurveyScores) Average() float64 { return float64(s.Sum()) / float64(len(SurveyDimensions())) }

// Low reports whether a survey calls for the owner to call the customer back: any question
// scored 2 or less, or an average below 3. One bad answer is enough because it names what
// went wrong even when the rest was fine; the average catches a customer lukewarm about
// everything. (With whole scores from 1 to 5 an average below 3 always holds a 2 or less;
// the average is stated too because it is the rule the teams' playbooks write, and it
// stays right if scores ever become finer.)
func (s SurveyScores) Low() bool {
	for _, d := range SurveyDimensions() {
		if s.Score(d) <= lowSurveyScore {
			return true
		}
	}
	return s.Average() < lowSurveyAverage
}

// LowDimensions lists the questions scored 2 or less, the ones a call back is about.
func (s SurveyScores) LowDimensions() []SurveyDimension {
	var out []SurveyDimension
	for _, d := range SurveyDimensions() {
		if s.Score(d) <= lowSurveyScore {
			out = append(out, d)
		}
	}
	return out
}

// Survey is a customer's satisfaction survey (满意度).
type Survey struct {
	ID           int64
	CustomerID   int64
	CustomerCode string
	CustomerName string
	SurveyedOn   time.Time // the day the customer answered, at midnight UTC
	SurveyedAt   time.Time // that day as a moment, for the digest's periods
	Scores       SurveyScores
	Comment      string
	CreatedBy    string
	CreatedAt    time.Time
	CallBack     *NextAction // the next step a low score opened for the owner, if any
}

// NewSurvey is what someone records after asking a customer.
type NewSurvey struct {
	CustomerID int64
	SurveyedOn time.Time // a calendar day; only its date is kept
	SurveyedAt time.Time // the same day as a moment: now for today, else that day's midday
	Scores     SurveyScores
	Comment    string
	CreatedBy  string
	CallBack   *NewAction // set when the scores are Low: the owner's next step
}

// Normalize trims the comment.
func (n *NewSurvey) Normalize() { n.Comment = strings.TrimSpace(n.Comment) }

// Validate returns FieldErrors keyed by form field. now is when it is recorded: a survey
// cannot be answered in the future.
func (n NewSurvey) Validate(now time.Time) error {
	fe := FieldErrors{}
	if n.CustomerID == 0 {
		fe["customer"] = "Pick the customer."
	}
	if n.SurveyedAt.After(now) {
		fe["surveyed_on"] = "A survey cannot be answered in the future."
	}
	for _, d := range SurveyDimensions() {
		if v := n.Scores.Score(d); v < MinSurveyScore || v > MaxSurveyScore {
			fe[string(d)] = "Pick a score from 1 to 5."
		}
	}
	if utf8.RuneCountInString(n.Comment) > MaxTextLen {
		fe["comment"] = tooLong(MaxTextLen)
	}
	return fe.Err()
}

// SurveyTotals adds up surveys, for averages over a period.
type SurveyTotals struct {
	Count  int
	Scores SurveyScores // each question's scores summed over the surveys
}

// Add counts one more survey.
func (t *SurveyTotals) Add(s SurveyScores) {
	t.Count++
	t.Scores.ProductQuality += s.ProductQuality
	t.Scores.ServiceAttitude += s.ServiceAttitude
	t.Scores.ResponseSpeed += s.ResponseSpeed
	t.Scores.AfterSales += s.AfterSales
}

// Average is the mean of every score of every survey; ok is false without surveys, so an
// unsurveyed period does not read as a zero.
func (t SurveyTotals) Average() (avg float64, ok bool) {
	if t.Count == 0 {
		return 0, false
	}
	return float64(t.Scores.Sum()) / float64(t.Count*len(SurveyDimensions())), true
}

// DimensionAverage is one question's mean score; ok is false without surveys.
func (t SurveyTotals) DimensionAverage(d SurveyDimension) (avg float64, ok bool) {
	if t.Count == 0 {
		return 0, false
	}
	return float64(t.Scores.Score(d)) / float64(t.Count), true
}
