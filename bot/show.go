package bot

import (
	"context"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
)

// showCustomer answers `/followup show <customer>` with the customer card, or a choice when
// the name is ambiguous.
func (b *Bot) showCustomer(ctx context.Context, p followup.Person, ref string) response {
	t := b.texter(p.Locale)
	if ref == "" {
		return ephemeral(t("show_usage"))
	}
	msg := t("ql_not_found", esc(ref))
	notFound := ephemeral(msg, slack.NewSectionBlock(mrkdwn(msg), nil,
		slack.NewAccessory(button(actionCreateForLog, t("ql_create_button"), ""))))
	return b.forCustomer(ctx, p, ref, notFound, actionShowCustomer, "show_choices", func(c followup.Customer) response {
		return b.customerCard(ctx, p, c)
	})
}

// forCustomer resolves what a command names for one customer: the one match goes to show,
// several are offered as buttons with actionID (in an actions block blockID, each button's
// value the customer's id), none is answered with notFound.
func (b *Bot) forCustomer(ctx context.Context, p followup.Person, ref string, notFound response, actionID, blockID string,
	show func(followup.Customer) response) response {
	t := b.texter(p.Locale)
	vis, err := b.visibility(ctx, p)
	if err != nil {
		b.log.ErrorContext(ctx, "visibility", "err", err)
		return ephemeral(t("err_read"))
	}
	matches, err := b.store.ResolveCustomer(ctx, ref, vis)
	if err != nil {
		b.log.ErrorContext(ctx, "resolve customer", "err", err)
		return ephemeral(t("err_read"))
	}
	switch len(matches) {
	case 0:
		return notFound
	case 1:
		return show(matches[0])
	}
	question := t("ql_choose", esc(ref))
	buttons := make([]slack.BlockElement, 0, len(matches))
	for _, c := range matches {
		buttons = append(buttons, button(actionID, c.Name+" ("+c.Code+")", strconv.FormatInt(c.ID, 10)))
	}
	return ephemeral(question, section(question), slack.NewActionBlock(blockID, buttons...))
}

// How much of a customer's history the card lists.
const (
	cardFollowUps  = 5
	cardComplaints = 5 // the open ones first
	cardSurveys    = 3
)

// customerCard loads what the card shows and renders it.
func (b *Bot) customerCard(ctx context.Context, p followup.Person, c followup.Customer) response {
	card, err := b.loadCard(ctx, p, c)
	if err != nil {
		b.log.ErrorContext(ctx, "load customer card", "customer", c.ID, "err", err)
		return ephemeral(b.tr(p.Locale, "err_read"))
	}
	return ephemeral(esc(c.Name)+" ("+esc(c.Code)+")", b.cardBlocks(p, card)...)
}

// loadCard reads what the card of c shows p, personal data as p may see it.
func (b *Bot) loadCard(ctx context.Context, p followup.Person, c followup.Customer) (cardData, error) {
	card := cardData{Customer: c}
	var err error
	if card.Personal, err = b.personalData(ctx, p, c); err != nil {
		return card, err
	}
	if card.FollowUps, err = b.store.FindFollowUps(ctx, c.ID, cardFollowUps); err != nil {
		return card, err
	}
	if card.Actions, err = b.store.FindCustomerPendingActions(ctx, c.ID); err != nil {
		return card, err
	}
	if card.Complaints, err = b.store.FindCustomerComplaints(ctx, c.ID, cardComplaints); err != nil {
		return card, err
	}
	card.Surveys, err = b.store.FindCustomerSurveys(ctx, c.ID, cardSurveys)
	return card, err
}

type cardData struct {
	Customer   followup.Customer
	Personal   followup.PersonalData // in full or masked, as the viewer may see it
	FollowUps  []followup.FollowUp
	Actions    []followup.NextAction
	Complaints []followup.Complaint
	Surveys    []followup.Survey
}

// cardBlocks renders a customer card. Every user-typed value is escaped and clipped.
func (b *Bot) cardBlocks(p followup.Person, d cardData) []slack.Block {
	t := b.texter(p.Locale)
	c := d.Customer
	last, next := t("card_never"), t("card_never")
	if c.LastTouchAt != nil {
		last = b.formatDay(*c.LastTouchAt, p)
		next = b.formatDay(b.cfg.Cadence.NextContactDue(*c.LastTouchAt, c.Tier), p)
	}
	field := func(label, value string) *slack.TextBlockObject {
		return mrkdwn("*" + label + "*\n" + value)
	}
	fields := []*slack.TextBlockObject{
		field(t("card_code"), esc(c.Code)),
		field(t("card_tier"), t("tier_"+string(c.Tier))),
		field(t("card_stage"), b.cardStage(p, c)),
		field(t("card_owner"), "<@"+c.OwnerID+">"),
		field(t("card_industry"), esc(clip(c.Industry, 200))),
		field(t("card_source"), clip(b.label(p.Locale, "source_", c.Source), 200)),
		field(t("card_last_touch"), last),
		field(t("card_next_due"), next),
	}
	if d.Personal.IDNumber != "" {
		fields = append(fields, field(t("card_id_number"), personalValue(d.Personal.IDNumber)))
	}
	blocks := []slack.Block{slack.NewHeaderBlock(plain(c.Name)), slack.NewSectionBlock(nil, fields, nil)}
	if c.ChurnRisk {
		blocks = append(blocks, section(t("card_churn")))
	}
	blocks = append(blocks, section("*"+t("card_contacts")+"*\n"+b.contactLines(t, d.Personal.Contacts)))
	if len(d.Personal.Fields()) > 0 {
		note := "card_personal_masked"
		if d.Personal.Full {
			note = "card_personal_full"
		}
		blocks = append(blocks, slack.NewContextBlock("personal_data", mrkdwn(t(note))))
	}
	blocks = append(blocks, section("*"+t("card_recent")+"*\n"+b.followUpLines(p, d.FollowUps)))
	blocks = append(blocks, section("*"+t("card_actions")+"*\n"+b.actionLines(p, d.Actions, false)))
	if len(d.Complaints) > 0 {
		blocks = append(blocks, section("*"+t("card_complaints")+"*\n"+b.complaintLines(p, d.Complaints)))
	}
	if len(d.Surveys) > 0 {
		blocks = append(blocks, section("*"+t("card_surveys")+"*\n"+b.surveyLines(p, d.Surveys)))
	}
	id := strconv.FormatInt(c.ID, 10)
	blocks = append(blocks, slack.NewActionBlock("card_actions",
		button(actionLogFor, t("button_log"), id), button(actionStageOpen, t("button_stage"), id)))
	return blocks
}

// cardStage is the customer's stage, with the reason when it is lost.
func (b *Bot) cardStage(p followup.Person, c followup.Customer) string {
	stage := b.tr(p.Locale, "stage_"+string(c.Stage))
	if c.Stage == followup.StageLost && c.LostReason != "" {
		stage = b.tr(p.Locale, "card_stage_lost", stage, b.label(p.Locale, "lost_reason_", c.LostReason))
	}
	return stage
}

func (b *Bot) contactLines(t texter, contacts []followup.Contact) string {
	if len(contacts) == 0 {
		return t("card_none")
	}
	var lines []string
	for _, ct := range contacts {
		line := "• " + esc(clip(ct.Name, 100))
		if ct.Title != "" {
			line += ", " + esc(clip(ct.Title, 100))
		}
		for _, v := range []string{ct.Phone, ct.Email} {
			if v != "" {
				line += " · " + personalValue(v)
			}
		}
		lines = append(lines, line)
	}
	return joinClipped(lines, 2900)
}

func (b *Bot) followUpLines(p followup.Person, fus []followup.FollowUp) string {
	t := b.texter(p.Locale)
	if len(fus) == 0 {
		return t("card_none")
	}
	var lines []string
	for _, f := range fus {
		lines = append(lines, "• "+b.formatDay(f.HappenedAt, p)+" · "+t("method_"+string(f.Method))+" · "+esc(clip(oneLine(f.Summary), 300)))
	}
	return joinClipped(lines, 2900)
}

// actionLines lists next steps, one per line; withCustomer names the customer on each.
func (b *Bot) actionLines(p followup.Person, actions []followup.NextAction, withCustomer bool) string {
	t := b.texter(p.Locale)
	if len(actions) == 0 {
		return t("card_none")
	}
	var lines []string
	for _, a := range actions {
		line := "• " + b.formatDay(a.DueAt, p) + " · "
		if withCustomer {
			line += "*" + esc(clip(a.CustomerName, 100)) + "* · "
		}
		if a.Overdue(b.now()) {
			line = ":red_circle: " + strings.TrimPrefix(line, "• ")
		}
		lines = append(lines, line+esc(clip(oneLine(a.Text), 300)))
	}
	return joinClipped(lines, 2900)
}

// complaintLines lists a customer's complaints: the open ones with their handler and
// deadline (red once it has passed), the resolved ones with how they ended.
func (b *Bot) complaintLines(p followup.Person, ks []followup.Complaint) string {
	t := b.texter(p.Locale)
	var lines []string
	for _, k := range ks {
		content := escClip(oneLine(k.Content), 300)
		if k.Open() {
			mark, due := ":large_orange_circle:", t("card_never")
			if k.Overdue(b.now()) {
				mark = ":red_circle:"
			}
			if k.DueAt != nil {
				due = b.formatMoment(*k.DueAt, p)
			}
			lines = append(lines, t("card_complaint_open", mark, b.formatDay(k.ReceivedAt, p), t("complaint_status_"+string(k.Status)), k.HandlerID, due, content))
			continue
		}
		resolved, satisfied := "", t("card_unsatisfied")
		if k.ResolvedAt != nil {
			resolved = b.formatDay(*k.ResolvedAt, p)
		}
		if k.Satisfied != nil && *k.Satisfied {
			satisfied = t("card_satisfied")
		}
		lines = append(lines, t("card_complaint_closed", b.formatDay(k.ReceivedAt, p), resolved, satisfied, content, escClip(oneLine(k.Resolution), 300)))
	}
	return joinClipped(lines, 2900)
}

// surveyLines lists a customer's latest surveys with their scores.
func (b *Bot) surveyLines(p followup.Person, ss []followup.Survey) string {
	var lines []string
	for _, s := range ss {
		line := b.tr(p.Locale, "card_survey_line", b.formatDate(s.SurveyedOn, p), s.Scores.Average(),
			b.scoreList(p, s.Scores, followup.SurveyDimensions()))
		if s.Comment != "" {
			line += " · “" + escClip(oneLine(s.Comment), 200) + "”"
		}
		lines = append(lines, line)
	}
	return joinClipped(lines, 2900)
}

// joinClipped joins lines until max runes, so a long list never breaks a section's limit.
func joinClipped(lines []string, max int) string {
	var sb strings.Builder
	for i, l := range lines {
		if sb.Len()+len(l)+1 > max {
			sb.WriteString("\n…(+" + strconv.Itoa(len(lines)-i) + ")")
			break
		}
		if i > 0 {
			sb.WriteByte('\n')
		}
		sb.WriteString(l)
	}
	return sb.String()
}

// showDue answers `/followup due`: overdue, due today and upcoming next steps.
func (b *Bot) showDue(ctx context.Context, p followup.Person) response {
	t := b.texter(p.Locale)
	actions, err := b.store.FindPendingActions(ctx, p.SlackID, 100)
	if err != nil {
		b.log.ErrorContext(ctx, "find due actions", "err", err)
		return ephemeral(t("err_read"))
	}
	if len(actions) == 0 {
		return ephemeral(t("due_nothing"))
	}
	return ephemeral(t("due_title"), b.dueBlocks(p, actions)...)
}

// splitDue sorts pending next steps into overdue, due today and upcoming, in the person's
// time zone.
func (b *Bot) splitDue(p followup.Person, actions []followup.NextAction) (overdue, today, upcoming []followup.NextAction) {
	tomorrow := b.today(p).AddDate(0, 0, 1)
	for _, a := range actions {
		switch {
		case a.Overdue(b.now()):
			overdue = append(overdue, a)
		case a.DueAt.Before(tomorrow):
			today = append(today, a)
		default:
			upcoming = append(upcoming, a)
		}
	}
	return overdue, today, upcoming
}

// dueBlocks lists next steps grouped into overdue, due today and upcoming.
func (b *Bot) dueBlocks(p followup.Person, actions []followup.NextAction) []slack.Block {
	t := b.texter(p.Locale)
	overdue, today, upcoming := b.splitDue(p, actions)
	blocks := []slack.Block{slack.NewHeaderBlock(plain(t("due_title")))}
	for _, g := range []struct {
		key     string
		actions []followup.NextAction
	}{{"due_overdue", overdue}, {"due_today", today}, {"due_upcoming", upcoming}} {
		if len(g.actions) > 0 {
			blocks = append(blocks, section("*"+t(g.key)+"* ("+strconv.Itoa(len(g.actions))+")\n"+b.actionLines(p, g.actions, true)))
		}
	}
	return blocks
}
