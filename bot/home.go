package bot

import (
	"context"
	"fmt"
	"strconv"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
)

// Limits of what the Home tab lists, to stay well inside Slack's 100 blocks per view.
const (
	maxHomeActions    = 40
	maxHomeCustomer   = 15
	maxHomeComplaints = 10
)

// publishHome shows a person their day on the App Home tab.
func (b *Bot) publishHome(ctx context.Context, userID string) error {
	p, err := b.person(ctx, userID)
	if err != nil {
		return fmt.Errorf("identify user: %w", err)
	}
	actions, err := b.store.FindPendingActions(ctx, p.SlackID, maxHomeActions)
	if err != nil {
		return fmt.Errorf("load actions: %w", err)
	}
	past, err := b.store.FindPastCadence(ctx, p.SlackID, b.now(), maxHomeCustomer)
	if err != nil {
		return fmt.Errorf("load customers past cadence: %w", err)
	}
	complaints, err := b.store.FindHandlerComplaints(ctx, p.SlackID, maxHomeComplaints)
	if err != nil {
		return fmt.Errorf("load complaints: %w", err)
	}
	if _, err := b.slack.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: p.SlackID, View: b.homeView(p, actions, past, complaints)}); err != nil {
		return fmt.Errorf("views.publish: %w", slackError(err))
	}
	return nil
}

// homeView is the App Home, "my day": the complaints the person handles, overdue, due
// today and upcoming next steps, and customers past their cadence, each with the same
// controls as its reminder.
func (b *Bot) homeView(p followup.Person, actions []followup.NextAction, past []followup.Customer, complaints []followup.Complaint) slack.HomeTabViewRequest {
	t := b.texter(p.Locale)
	blocks := []slack.Block{
		section(t("home_greeting", p.SlackID)),
		slack.NewActionBlock("home_actions",
			button(actionLogFor, t("button_log"), ""),
			button(actionOpenNewCustomer, t("button_new"), "")),
	}
	if len(complaints) > 0 {
		blocks = append(blocks, slack.NewDividerBlock(), section("*"+t("home_complaints")+"* ("+strconv.Itoa(len(complaints))+")"))
		for _, k := range complaints {
			due := t("card_never")
			if k.DueAt != nil {
				due = b.formatMoment(*k.DueAt, p)
			}
			if k.Overdue(b.now()) {
				due = ":red_circle: " + due
			}
			line := t("home_complaint_line", due, esc(clip(k.CustomerName, 100)), escClip(oneLine(k.Content), 400))
			blocks = append(blocks, slack.NewSectionBlock(mrkdwn(line), nil, slack.NewAccessory(b.complaintMenu(p, k)), slack.SectionBlockOptionBlockID("rem:"+complaintKey(k.ID))))
		}
	}
	overdue, today, upcoming := b.splitDue(p, actions)
	for _, g := range []struct {
		key     string
		actions []followup.NextAction
	}{{"due_overdue", overdue}, {"due_today", today}, {"due_upcoming", upcoming}} {
		if len(g.actions) == 0 {
			continue
		}
		blocks = append(blocks, slack.NewDividerBlock(), section("*"+t(g.key)+"* ("+strconv.Itoa(len(g.actions))+")"))
		for _, a := range g.actions {
			r := followup.Reminder{Kind: followup.ReminderAction, Action: &a, Customer: followup.Customer{ID: a.CustomerID}}
			line := b.formatDay(a.DueAt, p) + " · *" + esc(clip(a.CustomerName, 100)) + "* · " + esc(clip(oneLine(a.Text), 500))
			blocks = append(blocks, slack.NewSectionBlock(mrkdwn(line), nil, slack.NewAccessory(b.actionMenu(p, r)), slack.SectionBlockOptionBlockID("rem:"+itemKey(r))))
		}
	}
	if len(past) > 0 {
		blocks = append(blocks, slack.NewDividerBlock(), section("*"+t("home_past_cadence")+"* ("+strconv.Itoa(len(past))+")"))
		for _, c := range past {
			last := t("card_never")
			if c.LastTouchAt != nil {
				last = b.formatDay(*c.LastTouchAt, p)
			}
			line := "*" + esc(clip(c.Name, 100)) + "* (" + esc(c.Code) + ", " + string(c.Tier) + ") · " + last
			blocks = append(blocks, slack.NewSectionBlock(mrkdwn(line), nil,
				slack.NewAccessory(button(actionLogFor, t("button_log"), strconv.FormatInt(c.ID, 10))), slack.SectionBlockOptionBlockID("rem:c"+strconv.FormatInt(c.ID, 10))))
		}
	}
	if len(actions) == 0 && len(past) == 0 && len(complaints) == 0 {
		blocks = append(blocks, slack.NewDividerBlock(), section(t("due_nothing")))
	}
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}
}
