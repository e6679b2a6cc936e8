package bot

import (
	"context"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
)

// maxHomeActions bounds the next steps listed on the Home tab; the rest are summarised.
const maxHomeActions = 50

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
	if _, err := b.slack.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: p.SlackID, View: b.homeView(p, actions)}); err != nil {
		return fmt.Errorf("views.publish: %w", err)
	}
	return nil
}

// homeView is the App Home: a greeting, the two things a rep does most, and their next steps.
func (b *Bot) homeView(p followup.Person, actions []followup.NextAction) slack.HomeTabViewRequest {
	t := b.texter(p.Locale)
	blocks := []slack.Block{
		section(t("home_greeting", p.SlackID)),
		slack.NewActionBlock("home_actions",
			button(actionLogFor, t("button_log"), ""),
			button(actionOpenNewCustomer, t("button_new"), "")),
		slack.NewDividerBlock(),
	}
	if len(actions) == 0 {
		blocks = append(blocks, section(t("due_nothing")))
	} else {
		blocks = append(blocks, b.dueBlocks(p, actions)...)
	}
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}
}
