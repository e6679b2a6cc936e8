package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/followuphq/followup"
)

// TestCatalogIsComplete fails when a message lacks its Chinese, or its English where it
// is not keyed by its English text.
func TestCatalogIsComplete(t *testing.T) {
	b := New(Config{}, nil, nil, nil)
	for key, pair := range b.text {
		if pair[1] == "" {
			t.Errorf("%q has no Chinese", key)
		}
		if pair[0] == "" && !strings.ContainsAny(key, " .") {
			t.Errorf("%q has no English and is not itself a sentence", key)
		}
		for _, locale := range []string{followup.LocaleEN, followup.LocaleZH} {
			if b.tr(locale, key) == "" {
				t.Errorf("%q renders empty in %s", key, locale)
			}
		}
	}
}

// TestDomainMessagesAreTranslated covers the validation messages the domain returns in
// English: each must have its Chinese in the catalog.
func TestDomainMessagesAreTranslated(t *testing.T) {
	b := New(Config{}, nil, nil, nil)
	var fe followup.FieldErrors
	errs := []error{
		followup.NewCustomer{Contact: followup.Contact{Phone: "x", Email: "y"}, Code: "!", Kind: "x", Tier: "Z", IDNumber: "!"}.Validate(),
		followup.NewFollowUp{Method: "x", Mood: "x", Stage: "x", Next: &followup.NewAction{}}.Validate(nil),
		followup.NewFollowUp{CustomerID: 1, Method: followup.MethodPhone, Summary: "ok"}.Validate(nil),
		followup.NewFollowUp{LostReason: "cheap"}.Validate(nil),
		followup.StageMove{Stage: "x"}.Validate(),
		followup.StageMove{Stage: followup.StageLost}.Validate(),
		followup.NewComplaint{ReceivedAt: time.Now().Add(time.Hour)}.Validate(time.Now()),
		followup.NewComplaint{DueAt: time.Now().Add(-time.Hour)}.Validate(time.Now()),
		followup.ComplaintResolution{}.Validate(),
		followup.NewSurvey{SurveyedAt: time.Now().Add(time.Hour), Comment: strings.Repeat("x", followup.MaxTextLen+1)}.Validate(time.Now()),
	}
	for _, err := range errs {
		fe = err.(followup.FieldErrors)
		for field, msg := range fe {
			if field == "kind" {
				continue // never shown: the forms have no kind field
			}
			if zh := b.tr(followup.LocaleZH, msg); zh == msg {
				t.Errorf("%s: %q has no Chinese", field, msg)
			}
		}
	}
}

// TestSheetProblemsAreTranslated covers the reasons a sheet cannot be imported: each must
// have its Chinese, with the same %s as its English.
func TestSheetProblemsAreTranslated(t *testing.T) {
	b := New(Config{}, nil, nil, nil)
	for _, reason := range []string{
		followup.ProblemNoHeader, followup.ProblemDuplicateColumn, followup.ProblemEmpty, followup.ProblemTooManyRows,
		followup.ProblemRequired, followup.ProblemTooLong, followup.ProblemNoCustomer, followup.ProblemBadCode,
		followup.ProblemBadPhone, followup.ProblemBadTier, followup.ProblemBadDate, followup.ProblemFutureDate,
		followup.ProblemBadMethod, followup.ProblemBadStatus, followup.ProblemDueBefore, followup.ProblemNoOwner,
		followup.ProblemUnknownOwner, followup.ProblemAmbiguousOwner, followup.ProblemAmbiguousName, followup.ProblemCodeNameClash,
	} {
		p := followup.SheetProblem{Reason: reason, Value: "X"}
		if p.Format() == (followup.SheetProblem{Reason: "?"}).Format() {
			t.Errorf("%s has no message", reason)
		}
		zh := b.tr(followup.LocaleZH, p.Format(), p.Args()...)
		if zh == p.Message() || strings.Count(b.text[p.Format()][1], "%s") != strings.Count(p.Format(), "%s") {
			t.Errorf("%s: %q has no Chinese with the same %%s", reason, p.Format())
		}
	}
}
