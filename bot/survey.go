package bot

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
)

// The Satisfaction survey form. Each question's block id is its followup.SurveyDimension.
const (
	callbackNewSurvey = "new_survey"
	fieldSurveyedOn   = "surveyed_on"
	fieldComment      = "comment"
)

// surveyModal is what the Satisfaction survey form starts with.
type surveyModal struct {
	Today    time.Time
	Customer *followup.Customer
	Metadata string
}

// surveyView builds the Satisfaction survey modal (callback_id new_survey): the customer,
// the day, the four questions scored 1 to 5, and a comment.
func surveyView(t texter, d surveyModal) slack.ModalViewRequest {
	day := slack.NewDatePickerBlockElement(fieldSurveyedOn)
	day.InitialDate = d.Today.Format(time.DateOnly)
	blocks := []slack.Block{
		input(fieldCustomer, t("label_customer"), customerSelect(t, d.Customer), false, ""),
		input(fieldSurveyedOn, t("label_surveyed_on"), day, false, ""),
	}
	for _, dim := range followup.SurveyDimensions() {
		id := string(dim)
		blocks = append(blocks, input(id, t("label_"+id), slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain(t("ph_score")), id, scoreOptions(t)...), false, ""))
	}
	blocks = append(blocks, input(fieldComment, t("label_comment"), textInput(fieldComment, t("ph_comment"), true, followup.MaxTextLen, ""), true, ""))
	return modal(t, callbackNewSurvey, "title_survey", "submit_save", "close_cancel", d.Metadata, blocks...)
}

// scoreOptions are the scores from best to worst, each with its meaning.
func scoreOptions(t texter) []*slack.OptionBlockObject {
	var out []*slack.OptionBlockObject
	for v := followup.MaxSurveyScore; v >= followup.MinSurveyScore; v-- {
		n := strconv.Itoa(v)
		out = append(out, option(n, t("score_"+n)))
	}
	return out
}

// openSurvey answers `/followup survey [customer]` with the Satisfaction survey form, the
// customer preselected when the words name exactly one.
func (b *Bot) openSurvey(ctx context.Context, p followup.Person, triggerID, ref string, from origin) response {
	return b.openView(ctx, p, triggerID, surveyView(b.texter(p.Locale), surveyModal{
		Today: b.today(p), Customer: b.preselect(ctx, p, ref), Metadata: from.encode(),
	}))
}

// submitSurvey validates and commits a survey. A low score (followup.SurveyScores.Low)
// opens a next step for the customer's owner in the same transaction, due the owner's next
// working day, worded in the owner's language; the owner is told.
func (b *Bot) submitSurvey(ctx context.Context, p followup.Person, view slack.View) *slack.ViewSubmissionResponse {
	f := viewForm(view)
	fe := followup.FieldErrors{}
	c, err := b.formCustomer(ctx, p, f, fe)
	if err != nil {
		return b.saveFailed(ctx, p, view, err)
	}
	day, ok := f.date(fieldSurveyedOn, b.loc(p))
	if !ok {
		day = b.today(p)
	}
	score := func(d followup.SurveyDimension) int { n, _ := strconv.Atoi(f.value(string(d))); return n }
	ns := followup.NewSurvey{
		CustomerID: c.ID, SurveyedOn: day, SurveyedAt: b.happenedAt(day, p), Comment: f.value(fieldComment), CreatedBy: p.SlackID,
		Scores: followup.SurveyScores{
			ProductQuality: score(followup.ProductQuality), ServiceAttitude: score(followup.ServiceAttitude),
			ResponseSpeed: score(followup.ResponseSpeed), AfterSales: score(followup.AfterSales),
		},
	}
	ns.Normalize()
	mergeFieldErrors(fe, ns.Validate(b.now()))
	if len(fe) > 0 {
		return b.fieldErrors(p, fe)
	}
	var owner followup.Person
	if ns.Scores.Low() {
		if owner, err = b.person(ctx, c.OwnerID); err != nil {
			return b.saveFailed(ctx, p, view, err)
		}
		ns.CallBack = &followup.NewAction{
			Text:    b.callBackText(owner, ns.Scores, ns.Comment),
			DueAt:   b.schedule(ctx, owner).StartOfWorkingDay(b.now(), 1),
			OwnerID: owner.SlackID,
		}
	}
	s, err := b.store.CreateSurvey(ctx, ns)
	if err != nil {
		return b.saveFailed(ctx, p, view, err)
	}
	from := decodeOrigin(view.PrivateMetadata)
	b.later(ctx, "confirm survey", func(ctx context.Context) error {
		if s.CallBack != nil {
			if owner.SlackID != p.SlackID {
				text := b.lowScoreText(owner, c, s)
				_, _, err := b.dm(ctx, owner.SlackID, response{Text: text, Blocks: []slack.Block{
					slack.NewSectionBlock(mrkdwn(text), nil, slack.NewAccessory(button(actionLogFor, b.tr(owner.Locale, "button_log"), strconv.FormatInt(c.ID, 10)))),
				}})
				if err != nil {
					b.log.WarnContext(ctx, "tell the owner of a low score", "user", owner.SlackID, "err", err)
				}
			}
			b.refreshHome(ctx, owner.SlackID)
		}
		text := b.surveySavedText(p, c, s)
		return b.notify(ctx, p, from, ephemeral(text, section(text)))
	})
	return nil
}

// scoreList names each question with its score, e.g. "product quality 2, response speed 1".
func (b *Bot) scoreList(p followup.Person, s followup.SurveyScores, dims []followup.SurveyDimension) string {
	parts := make([]string, len(dims))
	for i, d := range dims {
		parts[i] = b.tr(p.Locale, "score_of", b.tr(p.Locale, "dim_"+string(d)), s.Score(d))
	}
	return strings.Join(parts, b.tr(p.Locale, "list_sep"))
}

// callBackText is the owner's next step after a low score, in the owner's language: the
// questions scored low, the average, and the customer's comment. It is stored as the
// step's text and escaped wherever it is shown.
func (b *Bot) callBackText(owner followup.Person, s followup.SurveyScores, comment string) string {
	low := b.scoreList(owner, s, s.LowDimensions())
	if comment = oneLine(comment); comment != "" {
		return b.tr(owner.Locale, "survey_callback_comment", low, s.Average(), clip(comment, 300))
	}
	return b.tr(owner.Locale, "survey_callback", low, s.Average())
}

// surveySavedText confirms a survey to whoever recorded it, with the call back it opened.
func (b *Bot) surveySavedText(p followup.Person, c followup.Customer, s followup.Survey) string {
	t := b.texter(p.Locale)
	text := t("survey_saved", esc(clip(c.Name, 200)), esc(c.Code), s.Scores.Average(), b.scoreList(p, s.Scores, followup.SurveyDimensions()))
	if a := s.CallBack; a != nil {
		text += "\n" + t("survey_callback_set", a.OwnerID, esc(clip(a.Text, 500)), b.formatDay(a.DueAt, p))
	}
	return text
}

// lowScoreText tells the owner that their customer scored low and what step was opened.
func (b *Bot) lowScoreText(owner followup.Person, c followup.Customer, s followup.Survey) string {
	return b.tr(owner.Locale, "survey_low_owner", s.CreatedBy, esc(clip(c.Name, 200)), esc(c.Code),
		b.scoreList(owner, s.Scores, followup.SurveyDimensions()), s.Scores.Average(),
		esc(clip(s.CallBack.Text, 500)), b.formatDay(s.CallBack.DueAt, owner))
}
