package bot

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
)

// Action ids of buttons in quick-log answers.
const (
	actionPickCustomer = "quicklog_pick_customer"
	actionCreateForLog = "quicklog_new_customer"
	actionAddNext      = "add_next_action"
	actionLogFor       = "log_followup_for"
	actionShowCustomer = "show_customer"
	actionEditLog      = "followup_edit"
	actionUndoLog      = "followup_undo"
)

// flowTTL is how long a half-finished flow (a quick log waiting for a customer choice, a
// duplicate confirmation) is remembered in Redis.
const flowTTL = 30 * time.Minute

// pendingLog is a quick log waiting for the rep to say which customer they meant.
type pendingLog struct {
	RepID string            `json:"rep"`
	Log   followup.QuickLog `json:"log"`
	At    time.Time         `json:"at"`
}

// quickLog handles `/followup log <customer>: <what happened> next: <step and when>`.
// Parsing, finding the customer and committing happen before the answer, so the rep only
// reads "saved" for what is in Postgres.
func (b *Bot) quickLog(ctx context.Context, p followup.Person, text string) response {
	t := b.texter(p.Locale)
	ql, err := followup.ParseQuickLog(text, b.now(), b.loc(p))
	if err != nil {
		var qe *followup.QuickLogError
		if errors.As(err, &qe) {
			return ephemeral(":warning: " + t(qe.Message) + "\n" + t("ql_usage"))
		}
		return ephemeral(t("ql_usage"))
	}
	vis, err := b.visibility(ctx, p)
	if err != nil {
		b.log.ErrorContext(ctx, "visibility", "err", err)
		return ephemeral(b.failureText(p.Locale, err))
	}
	matches, err := b.store.ResolveCustomer(ctx, ql.CustomerRef, vis)
	if err != nil {
		b.log.ErrorContext(ctx, "resolve customer", "err", err)
		return ephemeral(b.failureText(p.Locale, err))
	}
	switch len(matches) {
	case 1:
		return b.saveQuickLog(ctx, p, matches[0], ql, b.now())
	case 0:
		return b.offerNewCustomer(ctx, p, ql)
	}
	return b.offerChoice(ctx, p, ql, matches)
}

func (b *Bot) saveQuickLog(ctx context.Context, p followup.Person, c followup.Customer, ql followup.QuickLog, at time.Time) response {
	nf := followup.NewFollowUp{
		CustomerID: c.ID, RepID: p.SlackID, HappenedAt: at, Method: followup.MethodOther,
		Summary: ql.Summary, Source: "quick",
	}
	if m, ok := followup.DetectMethod(ql.Summary); ok {
		nf.Method = m
	}
	if m, ok := followup.DetectMood(ql.Summary); ok {
		nf.Mood = m
	}
	move, moved := followup.DetectStage(ql.Summary)
	if moved && move.Stage != c.Stage {
		nf.Stage, nf.LostReason = move.Stage, move.Reason
	}
	fromCadence := false
	if ql.NextAction != "" {
		nf.Next = &followup.NewAction{Text: ql.NextAction}
		switch {
		case ql.Due != nil && ql.Due.HasTime:
			nf.Next.DueAt = ql.Due.At
		case ql.Due != nil:
			nf.Next.DueAt = b.dueOnDay(ql.Due.At, p)
		default:
			nf.Next.DueAt, fromCadence = b.dueOnDay(b.cfg.Cadence.NextContactDue(at, c.Tier), p), true
		}
	}
	fu, err := b.saveFollowUp(ctx, p, nf)
	if err != nil {
		return ephemeral(b.failureText(p.Locale, err))
	}
	res := b.followUpSaved(p, c, fu, fromCadence)
	if nf.Stage != "" {
		// What was read from the text is said, so a misreading is seen and undone at once.
		line := b.stageLine(p, followup.StageMove{Stage: nf.Stage, Reason: nf.LostReason})
		res.Text += "\n" + line
		res.Blocks = append(res.Blocks[:len(res.Blocks)-1], section(line), res.Blocks[len(res.Blocks)-1])
	}
	return res
}

// saveFollowUp validates and commits a follow-up, logging failures once here.
func (b *Bot) saveFollowUp(ctx context.Context, p followup.Person, nf followup.NewFollowUp) (followup.FollowUp, error) {
	nf.Normalize()
	if err := nf.Validate(b.loc(p)); err != nil {
		return followup.FollowUp{}, err
	}
	fu, err := b.store.CreateFollowUp(ctx, nf)
	if err != nil {
		if followup.ErrorCode(err) != followup.EINVALID {
			b.log.ErrorContext(ctx, "save follow-up", "customer", nf.CustomerID, "err", err)
		}
		return fu, err
	}
	b.later(ctx, "refresh home", func(ctx context.Context) error { b.refreshHome(ctx, p.SlackID); return nil })
	return fu, nil
}

// followUpSaved is the confirmation of a committed follow-up: what was understood, Edit
// and Undo, and a nudge with a button when no next step was planned.
func (b *Bot) followUpSaved(p followup.Person, c followup.Customer, fu followup.FollowUp, fromCadence bool) response {
	t := b.texter(p.Locale)
	text := t("saved_followup", esc(c.Name), esc(c.Code))
	if fu.Method != followup.MethodOther && fu.Method != "" {
		text += "\n" + t("understood_method", t("method_"+string(fu.Method)))
	}
	if fu.Mood != "" {
		text += "\n" + t("understood_mood", t("mood_"+string(fu.Mood)))
	}
	id := strconv.FormatInt(fu.ID, 10)
	controls := slack.NewActionBlock("saved:"+id, button(actionEditLog, t("btn_edit"), id), button(actionUndoLog, t("btn_undo"), id))
	if len(fu.Actions) == 0 {
		prompt := t("no_next_prompt", esc(c.Name))
		add := origin{CustomerID: c.ID, FollowUpID: fu.ID}.encode()
		return ephemeral(text+"\n"+prompt,
			section(text),
			slack.NewSectionBlock(mrkdwn(prompt), nil, slack.NewAccessory(button(actionAddNext, t("button_add_next"), add))),
			controls)
	}
	a := fu.Actions[0]
	text += "\n" + b.nextLine(p, a.Text, a.DueAt, fromCadence, c.Tier)
	return ephemeral(text, section(text), controls)
}

// offerChoice saves the parsed log in Redis and asks which customer was meant.
func (b *Bot) offerChoice(ctx context.Context, p followup.Person, ql followup.QuickLog, matches []followup.Customer) response {
	t := b.texter(p.Locale)
	key := "quicklog:" + p.SlackID + ":" + strconv.FormatInt(b.now().UnixNano(), 36)
	if err := b.state.SaveState(ctx, key, pendingLog{RepID: p.SlackID, Log: ql, At: b.now()}, flowTTL); err != nil {
		b.log.ErrorContext(ctx, "save pending quick log", "err", err)
		return ephemeral(t("err_state_down"))
	}
	question := t("ql_choose", esc(ql.CustomerRef))
	buttons := make([]slack.BlockElement, 0, len(matches))
	for _, c := range matches {
		if len(buttons) == 25 { // an actions block holds at most 25 elements
			break
		}
		buttons = append(buttons, button(actionPickCustomer, c.Name+" ("+c.Code+")", key+"|"+strconv.FormatInt(c.ID, 10)))
	}
	return ephemeral(question, section(question), slack.NewActionBlock("quicklog_choices", buttons...))
}

// offerNewCustomer says the customer is unknown and offers to add it; the parsed log waits
// in Redis and is saved once the customer exists.
func (b *Bot) offerNewCustomer(ctx context.Context, p followup.Person, ql followup.QuickLog) response {
	t := b.texter(p.Locale)
	key := "quicklog:" + p.SlackID + ":" + strconv.FormatInt(b.now().UnixNano(), 36)
	msg := t("ql_not_found", esc(ql.CustomerRef))
	if err := b.state.SaveState(ctx, key, pendingLog{RepID: p.SlackID, Log: ql, At: b.now()}, flowTTL); err != nil {
		b.log.WarnContext(ctx, "save pending quick log", "err", err)
		key = "" // the customer can still be added; the log will have to be sent again
	}
	return ephemeral(msg, slack.NewSectionBlock(mrkdwn(msg), nil,
		slack.NewAccessory(button(actionCreateForLog, t("ql_create_button"), key))))
}

// nextLine says what the next step is and when it is due, and whether the date came from
// the tier cadence because none was given: one message per case, never a fragment added.
func (b *Bot) nextLine(p followup.Person, text string, due time.Time, fromCadence bool, tier followup.Tier) string {
	if fromCadence {
		return b.tr(p.Locale, "next_line_cadence", esc(clip(text, 500)), b.formatDay(due, p), string(tier))
	}
	return b.tr(p.Locale, "next_line", esc(clip(text, 500)), b.formatDay(due, p))
}
