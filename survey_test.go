package followup

import (
	"slices"
	"testing"
	"time"
)

func TestSurveyScoresLow(t *testing.T) {
	for _, tc := range []struct {
		s    SurveyScores
		low  bool
		dims []SurveyDimension
	}{
		{SurveyScores{5, 5, 5, 5}, false, nil},
		{SurveyScores{3, 3, 3, 3}, false, nil}, // an average of exactly 3 is not below it
		{SurveyScores{3, 4, 3, 3}, false, nil},
		{SurveyScores{5, 5, 5, 2}, true, []SurveyDimension{AfterSales}},     // one bad answer is enough
		{SurveyScores{1, 5, 5, 5}, true, []SurveyDimension{ProductQuality}}, // average 4, still low
		{SurveyScores{2, 3, 2, 3}, true, []SurveyDimension{ProductQuality, ResponseSpeed}},
	} {
		if got := tc.s.Low(); got != tc.low {
			t.Errorf("%+v.Low() = %v, want %v", tc.s, got, tc.low)
		}
		if got := tc.s.LowDimensions(); !slices.Equal(got, tc.dims) {
			t.Errorf("%+v.LowDimensions() = %v, want %v", tc.s, got, tc.dims)
		}
	}
	if got := (SurveyScores{1, 2, 4, 5}).Average(); got != 3 {
		t.Errorf("average of 1, 2, 4, 5 = %v, want 3", got)
	}
}

func TestNewSurveyValidate(t *testing.T) {
	now := time.Date(2026, 11, 18, 2, 0, 0, 0, time.UTC)
	good := NewSurvey{CustomerID: 1, SurveyedOn: now, SurveyedAt: now, Scores: SurveyScores{5, 4, 3, 2}, CreatedBy: "U1"}
	if err := good.Validate(now); err != nil {
		t.Fatalf("a good survey: %v", err)
	}
	bad := NewSurvey{SurveyedAt: now.Add(time.Hour), Scores: SurveyScores{0, 6, 3, -1}}
	fe, _ := bad.Validate(now).(FieldErrors)
	for _, field := range []string{"customer", "surveyed_on", "product_quality", "service_attitude", "after_sales"} {
		if fe[field] == "" {
			t.Errorf("no error on %s: %v", field, fe)
		}
	}
	if fe["response_speed"] != "" {
		t.Errorf("a valid score is refused: %v", fe)
	}
}

func TestSurveyTotals(t *testing.T) {
	var tot SurveyTotals
	if _, ok := tot.Average(); ok {
		t.Errorf("no surveys has an average")
	}
	if _, ok := tot.DimensionAverage(ProductQuality); ok {
		t.Errorf("no surveys has a question average")
	}
	tot.Add(SurveyScores{5, 4, 3, 2})
	tot.Add(SurveyScores{3, 4, 5, 1})
	if avg, ok := tot.Average(); !ok || avg != 27.0/8 {
		t.Errorf("average = %v, %v; want %v", avg, ok, 27.0/8)
	}
	if avg, _ := tot.DimensionAverage(AfterSales); avg != 1.5 {
		t.Errorf("after-sales average = %v, want 1.5", avg)
	}
}

func TestRepActivitySurveyAverage(t *testing.T) {
	a := RepActivity{Surveys: 1, SurveyPoints: 14}
	a.Add(RepActivity{Surveys: 1, SurveyPoints: 13})
	if avg, ok := a.SurveyAverage(); !ok || avg != 27.0/8 {
		t.Errorf("rep average = %v, %v; want %v", avg, ok, 27.0/8)
	}
	if _, ok := (RepActivity{}).SurveyAverage(); ok {
		t.Errorf("a rep without surveys has an average")
	}
}
