package bot

import (
	"encoding/json"
	"net/http"

	"github.com/slack-go/slack"
)

// maxOptions is Slack's cap on options in one typeahead answer.
const maxOptions = 100

// handleOptions answers an external_select's typeahead (block_suggestion) from Postgres.
func (b *Bot) handleOptions(w http.ResponseWriter, r *http.Request, _ []byte) {
	var cb slack.InteractionCallback
	if err := json.Unmarshal([]byte(r.FormValue("payload")), &cb); err != nil {
		http.Error(w, "malformed options payload", http.StatusBadRequest)
		return
	}
	b.writeOptions(w, r, cb)
}

type optionsResponse struct {
	Options []*slack.OptionBlockObject `json:"options"`
}

func (b *Bot) writeOptions(w http.ResponseWriter, r *http.Request, cb slack.InteractionCallback) {
	res := optionsResponse{Options: []*slack.OptionBlockObject{}}
	if cb.ActionID == fieldCustomer {
		found, err := b.store.SearchCustomers(r.Context(), cb.Value, maxOptions)
		if err != nil {
			// An empty list is all Slack can show; the log says why.
			b.log.ErrorContext(r.Context(), "customer typeahead", "err", err)
		}
		for _, c := range found {
			res.Options = append(res.Options, customerOption(c))
		}
	}
	writeJSON(w, http.StatusOK, res)
}
