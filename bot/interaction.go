package bot

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/slack-go/slack"
)

// Callback id of the message shortcut "Log as follow-up" (DESIGN §2).
const callbackLogMessage = "log_message"

// handleInteraction answers Slack's interactivity payloads over HTTP.
func (b *Bot) handleInteraction(w http.ResponseWriter, r *http.Request, _ []byte) {
	var cb slack.InteractionCallback
	if err := json.Unmarshal([]byte(r.FormValue("payload")), &cb); err != nil || cb.User.ID == "" {
		http.Error(w, "malformed interaction payload", http.StatusBadRequest)
		return
	}
	if res := b.runInteraction(r.Context(), cb); res != nil {
		writeJSON(w, http.StatusOK, res)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// runInteraction dispatches an interactivity payload on its type, whatever the transport.
// Submissions are answered at once (errors, push, clear); buttons are acknowledged and
// their work continues through response_url or views. nil is an empty acknowledgement.
func (b *Bot) runInteraction(ctx context.Context, cb slack.InteractionCallback) any {
	if cb.Type == slack.InteractionTypeBlockSuggestion {
		return b.options(ctx, cb)
	}
	p, err := b.person(ctx, cb.User.ID)
	if err != nil {
		b.log.ErrorContext(ctx, "identify user", "err", err)
		if cb.Type == slack.InteractionTypeViewSubmission {
			return fieldErrorResponse(cb.View, b.tr(b.cfg.DefaultLocale, "err_modal_save"))
		}
		return nil
	}
	switch cb.Type {
	case slack.InteractionTypeViewSubmission:
		if res := b.submitView(ctx, p, cb); res != nil {
			return res
		}
	case slack.InteractionTypeBlockActions:
		b.handleBlockActions(ctx, p, cb)
	case slack.InteractionTypeMessageAction:
		if cb.CallbackID == callbackLogMessage {
			t := b.texter(p.Locale)
			from := origin{Channel: cb.Channel.ID, ResponseURL: cb.ResponseURL}
			b.openView(ctx, p, cb.TriggerID, logFollowUpView(t, logModal{Today: b.today(p), Summary: cb.Message.Text, Metadata: from.encode()}))
		}
	}
	return nil
}

// fieldErrorResponse puts msg beside the first input of the view, for failures that are
// about no field in particular (the database is down): the modal stays open with the
// rep's text in it.
func fieldErrorResponse(view slack.View, msg string) *slack.ViewSubmissionResponse {
	field := ""
	for _, blk := range view.Blocks.BlockSet {
		in, ok := blk.(*slack.InputBlock)
		switch {
		case !ok:
		case in.BlockID == fieldSummary || in.BlockID == fieldName:
			field = in.BlockID
		case field == "":
			field = in.BlockID
		}
	}
	if field == "" {
		field = fieldSummary
	}
	return slack.NewErrorsViewSubmissionResponse(map[string]string{field: msg})
}
