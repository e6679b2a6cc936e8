package bot

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/slack-go/slack/slackevents"
)

// deliveryTTL is how long an event id is remembered: longer than Slack's retry schedule
// (immediately, after 1 minute, after 5 minutes).
const deliveryTTL = time.Hour

// handleEvent answers the Events API: the URL handshake, and event callbacks, each handled
// once however often Slack retries it.
func (b *Bot) handleEvent(w http.ResponseWriter, r *http.Request, body []byte) {
	ev, err := slackevents.ParseEvent(json.RawMessage(body), slackevents.OptionNoVerifyToken())
	if err != nil {
		http.Error(w, "malformed event", http.StatusBadRequest)
		return
	}
	switch ev.Type {
	case slackevents.URLVerification:
		if v, ok := ev.Data.(*slackevents.EventsAPIURLVerificationEvent); ok {
			w.Header().Set("Content-Type", "text/plain")
			w.Write([]byte(v.Challenge))
			return
		}
	case slackevents.CallbackEvent:
		b.runEvent(r.Context(), ev)
	}
	w.WriteHeader(http.StatusOK)
}

// runEvent handles an event callback once, however often it is delivered, whatever the
// transport. The work happens after the acknowledgement.
func (b *Bot) runEvent(ctx context.Context, ev slackevents.EventsAPIEvent) {
	outer, ok := ev.Data.(*slackevents.EventsAPICallbackEvent)
	if ok && b.firstDelivery(ctx, outer.EventID) {
		b.handleCallbackEvent(ctx, ev)
	}
}

// firstDelivery reports whether the event is news. If Redis cannot say, the event is
// handled: a rare duplicate beats a lost event.
func (b *Bot) firstDelivery(ctx context.Context, eventID string) bool {
	if eventID == "" {
		return true
	}
	first, err := b.state.FirstDelivery(ctx, "event:"+eventID, deliveryTTL)
	if err != nil {
		b.log.WarnContext(ctx, "event de-duplication unavailable", "event", eventID, "err", err)
		return true
	}
	return first
}

func (b *Bot) handleCallbackEvent(ctx context.Context, ev slackevents.EventsAPIEvent) {
	switch inner := ev.InnerEvent.Data.(type) {
	case *slackevents.AppHomeOpenedEvent:
		if inner.Tab != "home" {
			return
		}
		user := inner.User
		b.later(ctx, "publish home", func(ctx context.Context) error { return b.publishHome(ctx, user) })
	case *slackevents.MessageEvent:
		if isFileShare(inner) {
			b.laterWithin(ctx, "import spreadsheet", importTimeout, func(ctx context.Context) error { return b.handleFileShare(ctx, inner) })
			return
		}
		b.later(ctx, "direct message", func(ctx context.Context) error { return b.handleMessage(ctx, inner) })
	}
}

// isFileShare reports whether a message is a person sharing files in their DM with the
// bot. The bot's own uploads (exports) come back as file_share messages too, with its bot id.
func isFileShare(ev *slackevents.MessageEvent) bool {
	return ev.SubType == "file_share" && ev.ChannelType == slackevents.ChannelTypeIM && ev.BotID == "" && ev.User != ""
}
