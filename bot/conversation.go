package bot

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/followuphq/followup"
)

// Action ids of the buttons in a DM conversation.
const (
	actionDMPick   = "dm_pick_customer" // value: customer id
	actionDMSave   = "dm_save"
	actionDMEdit   = "dm_edit"
	actionDMCancel = "dm_cancel"
)

// What a conversation is waiting for.
const (
	askCustomer = "customer"
	askDue      = "due"
	askConfirm  = "confirm"
)

// conversation is a log a rep is writing to the bot in a DM, remembered in Redis between
// messages. Nothing of it is in Postgres until the rep presses Save.
type conversation struct {
	RepID       string         `json:"rep"`
	Channel     string         `json:"ch"`
	ThreadTS    string         `json:"thread"`
	Draft       followup.Draft `json:"draft"`
	CustomerID  int64          `json:"customer,omitempty"`
	Asking      string         `json:"asking"`
	FromCadence bool           `json:"cadence,omitempty"`
	At          time.Time      `json:"at"`
}

func conversationKey(userID string) string { return "dm:" + userID }

// handleMessage reads a rep's DM to the bot. Messages from bots (the bot's own included),
// edits, deletions and anything outside a DM are ignored.
func (b *Bot) handleMessage(ctx context.Context, ev *slackevents.MessageEvent) error {
	if ev.ChannelType != slackevents.ChannelTypeIM || ev.BotID != "" || ev.SubType != "" || ev.User == "" {
		return nil
	}
	p, err := b.person(ctx, ev.User)
	if err != nil {
		return err
	}
	if !b.limits.allow(p.SlackID) {
		b.metrics.limited("message")
		if !b.limits.warnOnce(p.SlackID) {
			return nil // told once this window already; answering each would feed the flood
		}
		return b.say(ctx, ev.Channel, threadOf(ev), b.tr(p.Locale, "rate_limited"), nil)
	}
	text := strings.TrimSpace(ev.Text)
	var conv conversation
	switch err := b.state.LoadState(ctx, conversationKey(p.SlackID), &conv); {
	case err == nil && conv.Asking != "" && conv.Asking != askConfirm && !isCancel(text):
		return b.answer(ctx, p, &conv, text)
	case err == nil && isCancel(text):
		return b.cancelConversation(ctx, p, &conv)
	case err != nil && followup.ErrorCode(err) == followup.EUNAVAILABLE:
		return b.say(ctx, ev.Channel, threadOf(ev), b.tr(p.Locale, "err_state_down"), nil)
	}
	return b.startConversation(ctx, p, ev, text)
}

func threadOf(ev *slackevents.MessageEvent) string {
	if ev.ThreadTimeStamp != "" {
		return ev.ThreadTimeStamp
	}
	return ev.TimeStamp
}

func isCancel(text string) bool {
	switch strings.ToLower(strings.Trim(text, " .!。！")) {
	case "cancel", "stop", "never mind", "nevermind", "取消", "算了", "不用了":
		return true
	}
	return false
}

// startConversation understands a new message and asks for what is missing.
func (b *Bot) startConversation(ctx context.Context, p followup.Person, ev *slackevents.MessageEvent, text string) error {
	draft := followup.ParseMessage(text, b.now(), b.loc(p))
	if draft.Summary == "" {
		return b.say(ctx, ev.Channel, threadOf(ev), b.tr(p.Locale, "dm_hint"), nil)
	}
	conv := conversation{RepID: p.SlackID, Channel: ev.Channel, ThreadTS: threadOf(ev), Draft: draft, At: b.now()}
	vis, err := b.visibility(ctx, p)
	if err != nil {
		return err
	}
	for _, hint := range draft.CustomerHints {
		matches, err := b.store.ResolveCustomer(ctx, hint, vis)
		if err != nil {
			return err
		}
		if len(matches) == 1 {
			conv.CustomerID = matches[0].ID
			break
		}
		if len(matches) > 1 {
			return b.askWhichCustomer(ctx, p, &conv, hint, matches)
		}
	}
	return b.advance(ctx, p, &conv)
}

// advance asks the next missing thing, one question at a time, or shows the log for Save.
func (b *Bot) advance(ctx context.Context, p followup.Person, conv *conversation) error {
	t := b.texter(p.Locale)
	switch {
	case conv.CustomerID == 0:
		conv.Asking = askCustomer
		return b.ask(ctx, p, conv, t("dm_ask_customer"), nil)
	case conv.Draft.NextAction != "" && conv.Draft.Due == nil && !conv.FromCadence:
		conv.Asking = askDue
		return b.ask(ctx, p, conv, t("dm_ask_due", esc(conv.Draft.NextAction)), nil)
	}
	conv.Asking = askConfirm
	c, err := b.customerFor(ctx, p, followup.WorkOnCustomer, conv.CustomerID)
	if followup.ErrorCode(err) == followup.EFORBIDDEN || followup.ErrorCode(err) == followup.ENOTFOUND {
		conv.CustomerID, conv.Asking = 0, askCustomer
		return b.ask(ctx, p, conv, b.failureText(p.Locale, err)+"\n"+t("dm_ask_customer"), nil)
	}
	if err != nil {
		return err
	}
	summary := b.draftSummary(p, c, conv)
	return b.ask(ctx, p, conv, summary, []slack.Block{
		section(summary),
		slack.NewActionBlock("dm_confirm",
			withStyle(button(actionDMSave, t("dm_save"), conv.ThreadTS), slack.StylePrimary),
			button(actionDMEdit, t("btn_edit"), conv.ThreadTS),
			button(actionDMCancel, t("close_cancel"), conv.ThreadTS)),
	})
}

func withStyle(btn *slack.ButtonBlockElement, style slack.Style) *slack.ButtonBlockElement {
	btn.Style = style
	return btn
}

// draftSummary says what the bot understood.
func (b *Bot) draftSummary(p followup.Person, c followup.Customer, conv *conversation) string {
	t := b.texter(p.Locale)
	d := conv.Draft
	lines := []string{t("dm_understood"), t("dm_line_customer", esc(c.Name), esc(c.Code)), t("dm_line_summary", esc(clip(oneLine(d.Summary), 1000)))}
	if d.Method != "" {
		lines = append(lines, t("understood_method", t("method_"+string(d.Method))))
	}
	if d.Mood != "" {
		lines = append(lines, t("understood_mood", t("mood_"+string(d.Mood))))
	}
	if d.NextAction != "" {
		lines = append(lines, b.nextLine(p, d.NextAction, b.draftDue(p, c, conv), conv.Draft.Due == nil, c.Tier))
	}
	return strings.Join(lines, "\n")
}

// draftDue is when the drafted next step falls due: its date, or the tier cadence.
func (b *Bot) draftDue(p followup.Person, c followup.Customer, conv *conversation) time.Time {
	if d := conv.Draft.Due; d != nil {
		if d.HasTime {
			return d.At
		}
		return b.dueOnDay(d.At, p)
	}
	return b.dueOnDay(b.cfg.Cadence.NextContactDue(conv.At, c.Tier), p)
}

// ask remembers the conversation and posts a question (or the summary) in its thread.
func (b *Bot) ask(ctx context.Context, p followup.Person, conv *conversation, text string, blocks []slack.Block) error {
	if err := b.state.SaveState(ctx, conversationKey(p.SlackID), conv, flowTTL); err != nil {
		return b.say(ctx, conv.Channel, conv.ThreadTS, b.tr(p.Locale, "err_state_down"), nil)
	}
	return b.say(ctx, conv.Channel, conv.ThreadTS, text, blocks)
}

// askWhichCustomer offers the customers a name could mean.
func (b *Bot) askWhichCustomer(ctx context.Context, p followup.Person, conv *conversation, ref string, matches []followup.Customer) error {
	conv.Asking = askCustomer
	question := b.tr(p.Locale, "ql_choose", esc(ref))
	buttons := make([]slack.BlockElement, 0, len(matches))
	for _, c := range matches {
		if len(buttons) == 25 {
			break
		}
		buttons = append(buttons, button(actionDMPick, c.Name+" ("+c.Code+")", strconv.FormatInt(c.ID, 10)))
	}
	return b.ask(ctx, p, conv, question, []slack.Block{section(question), slack.NewActionBlock("dm_choices", buttons...)})
}

// answer takes the rep's reply to the question the conversation is waiting on.
func (b *Bot) answer(ctx context.Context, p followup.Person, conv *conversation, text string) error {
	switch conv.Asking {
	case askCustomer:
		vis, err := b.visibility(ctx, p)
		if err != nil {
			return err
		}
		matches, err := b.store.ResolveCustomer(ctx, text, vis)
		if err != nil {
			return err
		}
		switch len(matches) {
		case 0:
			return b.ask(ctx, p, conv, b.tr(p.Locale, "dm_no_customer", esc(clip(text, 100))), nil)
		case 1:
			conv.CustomerID = matches[0].ID
		default:
			return b.askWhichCustomer(ctx, p, conv, text, matches)
		}
	case askDue:
		if isNoDate(text) {
			conv.FromCadence = true
		} else if due, ok := followup.ParseDue(text, b.now(), b.loc(p)); ok {
			conv.Draft.Due = &due
		} else {
			return b.ask(ctx, p, conv, b.tr(p.Locale, "dm_bad_due"), nil)
		}
	}
	return b.advance(ctx, p, conv)
}

func isNoDate(text string) bool {
	switch strings.ToLower(strings.Trim(text, " .!。！")) {
	case "no date", "none", "skip", "no", "any time", "whenever", "不用", "无", "没有", "随便", "跳过":
		return true
	}
	return false
}

// say posts in the DM thread.
func (b *Bot) say(ctx context.Context, channel, thread, text string, blocks []slack.Block) error {
	opts := append(messageOptions(response{Text: text, Blocks: blocks}), slack.MsgOptionTS(thread))
	_, _, err := b.slack.PostMessageContext(ctx, channel, opts...)
	return slackError(err)
}

// cancelConversation forgets the half-finished log.
func (b *Bot) cancelConversation(ctx context.Context, p followup.Person, conv *conversation) error {
	var gone conversation
	_ = b.state.TakeState(ctx, conversationKey(p.SlackID), &gone) // already gone is fine
	return b.say(ctx, conv.Channel, conv.ThreadTS, b.tr(p.Locale, "dm_cancelled"), nil)
}

// handleConversationButton handles Save, Edit, Cancel and customer choices on a DM
// conversation; it reports whether the action was one of them.
func (b *Bot) handleConversationButton(ctx context.Context, p followup.Person, cb slack.InteractionCallback, a *slack.BlockAction) bool {
	switch a.ActionID {
	case actionDMEdit:
		var conv conversation
		if err := b.state.TakeState(ctx, conversationKey(p.SlackID), &conv); err != nil {
			b.later(ctx, "conversation expired", func(ctx context.Context) error { return b.conversationGone(ctx, p, cb, err) })
			return true
		}
		var customer *followup.Customer
		c, err := b.customerFor(ctx, p, followup.WorkOnCustomer, conv.CustomerID)
		if err == nil {
			customer = &c
		}
		d := logModal{Today: b.today(p), Customer: customer, Method: conv.Draft.Method, Summary: conv.Draft.Summary, Mood: conv.Draft.Mood, NextAction: conv.Draft.NextAction}
		if conv.Draft.NextAction != "" {
			d.NextDue = b.draftDue(p, c, &conv).In(b.loc(p))
		}
		b.openView(ctx, p, cb.TriggerID, logFollowUpView(b.texter(p.Locale), d))
		b.later(ctx, "conversation to form", func(ctx context.Context) error {
			return b.replaceMessage(ctx, cb, b.tr(p.Locale, "dm_moved_to_form"))
		})
	case actionDMSave, actionDMCancel, actionDMPick:
		action := *a
		b.later(ctx, "conversation button", func(ctx context.Context) error { return b.conversationButton(ctx, p, cb, action) })
	default:
		return false
	}
	return true
}

func (b *Bot) conversationButton(ctx context.Context, p followup.Person, cb slack.InteractionCallback, a slack.BlockAction) error {
	var conv conversation
	take := b.state.LoadState
	if a.ActionID != actionDMPick {
		take = b.state.TakeState // Save and Cancel end the conversation, once
	}
	if err := take(ctx, conversationKey(p.SlackID), &conv); err != nil {
		return b.conversationGone(ctx, p, cb, err)
	}
	switch a.ActionID {
	case actionDMCancel:
		return b.replaceMessage(ctx, cb, b.tr(p.Locale, "dm_cancelled"))
	case actionDMPick:
		conv.CustomerID, _ = strconv.ParseInt(a.Value, 10, 64)
		if err := b.replaceMessage(ctx, cb, b.tr(p.Locale, "dm_picked", esc(a.Text.Text))); err != nil {
			return err
		}
		return b.advance(ctx, p, &conv)
	}
	return b.saveConversation(ctx, p, cb, &conv)
}

// saveConversation commits the drafted follow-up and shows it saved in place of the buttons.
func (b *Bot) saveConversation(ctx context.Context, p followup.Person, cb slack.InteractionCallback, conv *conversation) error {
	c, err := b.customerFor(ctx, p, followup.WorkOnCustomer, conv.CustomerID)
	if err != nil {
		return b.replaceMessage(ctx, cb, b.failureText(p.Locale, err))
	}
	d := conv.Draft
	method := d.Method
	if method == "" {
		method = followup.MethodOther
	}
	nf := followup.NewFollowUp{CustomerID: c.ID, RepID: p.SlackID, HappenedAt: conv.At, Method: method, Summary: d.Summary, Mood: d.Mood, Source: "dm"}
	if d.NextAction != "" {
		nf.Next = &followup.NewAction{Text: d.NextAction, DueAt: b.draftDue(p, c, conv)}
	}
	fu, err := b.saveFollowUp(ctx, p, nf)
	if err != nil {
		// Not saved: the draft goes back so the rep can press Save again.
		_ = b.state.SaveState(ctx, conversationKey(p.SlackID), conv, flowTTL)
		return b.say(ctx, conv.Channel, conv.ThreadTS, b.failureText(p.Locale, err), nil)
	}
	res := b.followUpSaved(p, c, fu, conv.FromCadence && d.NextAction != "")
	return b.replaceMessageWith(ctx, cb, res)
}

// conversationGone tells the rep the conversation expired (or Redis lost it): nothing was saved.
func (b *Bot) conversationGone(ctx context.Context, p followup.Person, cb slack.InteractionCallback, err error) error {
	key := "dm_expired"
	if followup.ErrorCode(err) == followup.EUNAVAILABLE {
		key = "err_state_down"
	}
	return b.replaceMessage(ctx, cb, b.tr(p.Locale, key))
}

// replaceMessage swaps the message a button was on for text.
func (b *Bot) replaceMessage(ctx context.Context, cb slack.InteractionCallback, text string) error {
	return b.replaceMessageWith(ctx, cb, response{Text: text, Blocks: []slack.Block{section(text)}})
}

func (b *Bot) replaceMessageWith(ctx context.Context, cb slack.InteractionCallback, res response) error {
	channel, ts := cb.Container.ChannelID, cb.Container.MessageTs
	if channel == "" {
		channel = cb.Channel.ID
	}
	if ts == "" {
		ts = cb.Message.Timestamp
	}
	_, _, _, err := b.slack.UpdateMessageContext(ctx, channel, ts, messageOptions(res)...)
	return slackError(err)
}
