package bot

import (
	"encoding/json"
	"net/http"

	"github.com/slack-go/slack"
)

// Callback id of the message shortcut "Log as follow-up" (DESIGN §2).
const callbackLogMessage = "log_message"

// handleInteraction dispatches Slack's interactivity payloads on their type. Submissions
// are answered in the HTTP response (errors, push, clear); buttons are acked at once and
// their work continues through response_url or views.
func (b *Bot) handleInteraction(w http.ResponseWriter, r *http.Request, _ []byte) {
	var cb slack.InteractionCallback
	if err := json.Unmarshal([]byte(r.FormValue("payload")), &cb); err != nil || cb.User.ID == "" {
		http.Error(w, "malformed interaction payload", http.StatusBadRequest)
		return
	}
	ctx := r.Context()
	p, err := b.person(ctx, cb.User.ID)
	if err != nil {
		b.log.ErrorContext(ctx, "identify user", "err", err)
		if cb.Type == slack.InteractionTypeViewSubmission {
			writeJSON(w, http.StatusOK, fieldErrorResponse(cb.View, b.tr(b.cfg.DefaultLocale, "err_modal_save")))
			return
		}
		w.WriteHeader(http.StatusOK)
		return
	}
	switch cb.Type {
	case slack.InteractionTypeViewSubmission:
		if res := b.submitView(ctx, p, cb); res != nil {
			writeJSON(w, http.StatusOK, res)
			return
		}
	case slack.InteractionTypeBlockActions:
		b.handleBlockActions(ctx, p, cb)
	case slack.InteractionTypeMessageAction:
		if cb.CallbackID == callbackLogMessage {
			t := b.texter(p.Locale)
			from := origin{Channel: cb.Channel.ID, ResponseURL: cb.ResponseURL}
			b.openView(ctx, p, cb.TriggerID, logFollowUpView(t, logModal{Today: b.today(p), Summary: cb.Message.Text, Metadata: from.encode()}))
		}
	case slack.InteractionTypeBlockSuggestion:
		b.writeOptions(w, r, cb)
		return
	}
	w.WriteHeader(http.StatusOK)
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
