package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
)

// httpDoer is the part of *http.Client used to post to response_urls.
type httpDoer interface {
	Do(*http.Request) (*http.Response, error)
}

func defaultHTTPClient() httpDoer { return &http.Client{Timeout: 10 * time.Second} }

// notify tells a person something after their request was answered: through the
// response_url of where they started when there is one (it lands where they are looking),
// otherwise in their DM with the bot.
func (b *Bot) notify(ctx context.Context, p followup.Person, from origin, res response) error {
	if from.ResponseURL != "" {
		if err := b.respond(ctx, from.ResponseURL, res); err == nil {
			return nil
		} else {
			b.log.WarnContext(ctx, "response_url failed; falling back to a DM", "err", err)
		}
	}
	_, _, err := b.dm(ctx, p.SlackID, res)
	return err
}

// respond posts to a response_url (valid five times within 30 minutes).
func (b *Bot) respond(ctx context.Context, url string, res response) error {
	body, err := json.Marshal(res)
	if err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("response_url request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := b.httpc.Do(req)
	if err != nil {
		return fmt.Errorf("post response_url: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("post response_url: status %d", resp.StatusCode)
	}
	return nil
}

// dm sends a message to the person's DM with the bot (conversations.open gives its id) and
// returns where it landed. A Slack rate limit comes back as a followup.RateLimitError.
func (b *Bot) dm(ctx context.Context, userID string, res response) (channel, ts string, err error) {
	ch, _, _, err := b.slack.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{userID}})
	if err != nil {
		return "", "", fmt.Errorf("conversations.open: %w", slackError(err))
	}
	if _, ts, err = b.slack.PostMessageContext(ctx, ch.ID, messageOptions(res)...); err != nil {
		return "", "", fmt.Errorf("chat.postMessage: %w", slackError(err))
	}
	return ch.ID, ts, nil
}

// messageOptions renders a response for chat.postMessage and chat.update.
func messageOptions(res response) []slack.MsgOption {
	opts := []slack.MsgOption{slack.MsgOptionText(res.Text, false)}
	if len(res.Blocks) > 0 {
		opts = append(opts, slack.MsgOptionBlocks(res.Blocks...))
	}
	return opts
}
