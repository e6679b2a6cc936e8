package bot

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
)

// Action ids of the buttons on reminders and escalations.
const (
	actionDone         = "reminder_done"
	actionSnooze1      = "reminder_snooze_1" // value: the action id (action ids are unique per block)
	actionSnooze3      = "reminder_snooze_3"
	actionSnoozeDate   = "reminder_snooze_date" // datepicker; the action is in the block id
	actionReminderMenu = "reminder_menu"        // overflow in bundles: "done|a<id>", "snooze1|a<id>"...
	actionNudge        = "escalation_nudge"     // value "a<action id>" or "c<customer id>"
	actionReassign     = "escalation_reassign"  // users_select; the item is in the block id
)

// maxBundleItems keeps a bundle inside Slack's 50 blocks per message (escalations take two).
const maxBundleItems = 20

// SendReminders DMs a person their due reminders: one message with buttons for a single
// reminder, one bundle for several. A Slack rate limit comes back as a
// followup.RateLimitError so the scheduler can wait as long as Slack asked.
func (b *Bot) SendReminders(ctx context.Context, to followup.Person, rs []followup.Reminder) (string, string, error) {
	var blocks []slack.Block
	if len(rs) == 1 {
		blocks = b.reminderBlocks(to, rs[0])
	} else {
		blocks = b.bundleBlocks(to, rs)
	}
	return b.dm(ctx, to.SlackID, response{Text: b.reminderSummary(to, rs), Blocks: blocks})
}

// reminderSummary is the notification text: the first reminder, and how many more.
func (b *Bot) reminderSummary(p followup.Person, rs []followup.Reminder) string {
	if len(rs) > 1 {
		return b.tr(p.Locale, "rem_bundle", len(rs))
	}
	return b.reminderText(p, rs[0])
}

// itemKey names what a reminder is about inside block ids: "a<action id>", "k<complaint
// id>" or "c<customer id>".
func itemKey(r followup.Reminder) string {
	if r.Complaint != nil {
		return complaintKey(r.Complaint.ID)
	}
	if r.Action != nil {
		return "a" + strconv.FormatInt(r.Action.ID, 10)
	}
	return "c" + strconv.FormatInt(r.Customer.ID, 10)
}

// reminderText is the mrkdwn body of one reminder.
func (b *Bot) reminderText(p followup.Person, r followup.Reminder) string {
	t := b.texter(p.Locale)
	c := r.Customer
	name, code, tier := esc(clip(c.Name, 200)), esc(c.Code), string(c.Tier)
	switch r.Kind {
	case followup.ReminderAction:
		a := r.Action
		text := t("rem_action", esc(clip(oneLine(a.Text), 500)), name, code, b.formatDay(a.DueAt, p)) +
			"\n" + t("rem_promised", b.formatDay(a.CreatedAt, p)) + "\n" + b.lastFollowUpLine(p, r.LastFollowUp)
		return text
	case followup.ReminderCadence:
		if c.LastTouchAt == nil {
			return t("rem_cadence_never", name, code, tier)
		}
		return t("rem_cadence", name, code, tier, b.formatDay(*c.LastTouchAt, p)) + "\n" + b.lastFollowUpLine(p, r.LastFollowUp)
	case followup.ReminderEscalationAction:
		a := r.Action
		return t("esc_action", r.OwnerID, name, code, esc(clip(oneLine(a.Text), 500)), b.formatDay(a.DueAt, p))
	case followup.ReminderEscalationCadence:
		if c.LastTouchAt == nil {
			return t("esc_cadence_never", name, code, tier, r.OwnerID)
		}
		return t("esc_cadence", name, code, tier, r.OwnerID, b.formatDay(*c.LastTouchAt, p))
	case followup.ReminderComplaint:
		return b.complaintText(p, *r.Complaint, "cmp_due", "")
	case followup.ReminderEscalationComplaint:
		return b.complaintText(p, *r.Complaint, "cmp_escalated", r.Complaint.ResponsibleID())
	}
	return name
}

func (b *Bot) lastFollowUpLine(p followup.Person, f *followup.FollowUp) string {
	if f == nil {
		return b.tr(p.Locale, "rem_no_last")
	}
	return b.tr(p.Locale, "rem_last", b.formatDay(f.HappenedAt, p), b.tr(p.Locale, "method_"+string(f.Method)), esc(clip(oneLine(f.Summary), 300)))
}

// reminderBlocks is a single reminder with its buttons.
func (b *Bot) reminderBlocks(p followup.Person, r followup.Reminder) []slack.Block {
	key := itemKey(r)
	blocks := []slack.Block{slack.NewSectionBlock(mrkdwn(b.reminderText(p, r)), nil, nil, slack.SectionBlockOptionBlockID("rem:"+key))}
	return append(blocks, slack.NewActionBlock("act:"+key, b.reminderButtons(p, r)...))
}

// reminderButtons are what a person can do about a reminder: log, close, snooze an action;
// log for a cadence; start or resolve a complaint; nudge or reassign for an escalation.
func (b *Bot) reminderButtons(p followup.Person, r followup.Reminder) []slack.BlockElement {
	t := b.texter(p.Locale)
	customer := strconv.FormatInt(r.Customer.ID, 10)
	switch r.Kind {
	case followup.ReminderAction:
		id := strconv.FormatInt(r.Action.ID, 10)
		done := button(actionDone, t("btn_done"), id)
		done.Style = slack.StylePrimary
		date := slack.NewDatePickerBlockElement(actionSnoozeDate)
		date.Placeholder = plain(t("ph_snooze_date"))
		return []slack.BlockElement{
			button(actionLogFor, t("button_log"), customer), done,
			button(actionSnooze1, t("btn_snooze1"), id), button(actionSnooze3, t("btn_snooze3"), id), date,
		}
	case followup.ReminderComplaint:
		return b.complaintButtons(p, *r.Complaint)
	case followup.ReminderEscalationAction, followup.ReminderEscalationCadence, followup.ReminderEscalationComplaint:
		reassign := slack.NewOptionsSelectBlockElement(slack.OptTypeUser, plain(t("ph_reassign")), actionReassign)
		return []slack.BlockElement{button(actionNudge, t("btn_nudge"), itemKey(r)), reassign}
	}
	return []slack.BlockElement{button(actionLogFor, t("button_log"), customer)}
}

// bundleBlocks lists several reminders in one message, each with its own controls.
func (b *Bot) bundleBlocks(p followup.Person, rs []followup.Reminder) []slack.Block {
	t := b.texter(p.Locale)
	blocks := []slack.Block{slack.NewHeaderBlock(plain(t("rem_bundle", len(rs))))}
	for i, r := range rs {
		if i == maxBundleItems {
			blocks = append(blocks, section(t("rem_more", len(rs)-i)))
			break
		}
		key := itemKey(r)
		text := mrkdwn(b.reminderText(p, r))
		switch r.Kind {
		case followup.ReminderAction:
			blocks = append(blocks, slack.NewSectionBlock(text, nil, slack.NewAccessory(b.actionMenu(p, r)), slack.SectionBlockOptionBlockID("rem:"+key)))
		case followup.ReminderCadence:
			blocks = append(blocks, slack.NewSectionBlock(text, nil,
				slack.NewAccessory(button(actionLogFor, t("button_log"), strconv.FormatInt(r.Customer.ID, 10))), slack.SectionBlockOptionBlockID("rem:"+key)))
		default:
			blocks = append(blocks, slack.NewSectionBlock(text, nil, nil, slack.SectionBlockOptionBlockID("rem:"+key)),
				slack.NewActionBlock("act:"+key, b.reminderButtons(p, r)...))
		}
	}
	return blocks
}

// actionMenu is the overflow menu of an action in a bundle or on the Home tab.
func (b *Bot) actionMenu(p followup.Person, r followup.Reminder) *slack.OverflowBlockElement {
	t := b.texter(p.Locale)
	key := itemKey(r)
	return slack.NewOverflowBlockElement(actionReminderMenu,
		option("log|c"+strconv.FormatInt(r.Customer.ID, 10), t("button_log")),
		option("done|"+key, t("btn_done")),
		option("snooze1|"+key, t("btn_snooze1")),
		option("snooze3|"+key, t("btn_snooze3")),
	)
}

// SendDigest DMs a manager their digest, then its activity chart. The digest is what was
// due: a chart that cannot be drawn or uploaded is logged, and the digest still counts as
// sent, so the scheduler does not send it twice.
func (b *Bot) SendDigest(ctx context.Context, to followup.Person, d followup.Digest) error {
	blocks := b.digestBlocks(to, d)
	if _, _, err := b.dm(ctx, to.SlackID, response{Text: b.tr(to.Locale, "digest_title"), Blocks: blocks}); err != nil {
		return err
	}
	if err := b.sendDigestChart(ctx, to, d); err != nil {
		b.log.ErrorContext(ctx, "digest chart not sent", "to", to.SlackID, "err", err)
	}
	return nil
}

// slackError turns a Slack rate limit into the domain's, keeping the rest as they are.
func slackError(err error) error {
	var limited *slack.RateLimitedError
	if errors.As(err, &limited) {
		return &followup.RateLimitError{After: limited.RetryAfter, Err: err}
	}
	return err
}

// parseItem splits "a123" / "c45" / "k6" into kind and id.
func parseItem(key string) (kind byte, id int64, ok bool) {
	if len(key) < 2 || (key[0] != 'a' && key[0] != 'c' && key[0] != 'k') {
		return 0, 0, false
	}
	id, err := strconv.ParseInt(key[1:], 10, 64)
	return key[0], id, err == nil
}

// itemOfBlock reads the item key from a block id such as "act:a123".
func itemOfBlock(blockID string) string {
	_, key, _ := strings.Cut(blockID, ":")
	return key
}
