package bot

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
)

// maxOptions is Slack's cap on options in one typeahead answer.
const maxOptions = 100

// handleOptions answers an external_select's typeahead (block_suggestion) over HTTP.
func (b *Bot) handleOptions(w http.ResponseWriter, r *http.Request, _ []byte) {
	var cb slack.InteractionCallback
	if err := json.Unmarshal([]byte(r.FormValue("payload")), &cb); err != nil {
		http.Error(w, "malformed options payload", http.StatusBadRequest)
		return
	}
	writeJSON(w, http.StatusOK, b.options(r.Context(), cb))
}

type optionsResponse struct {
	Options []*slack.OptionBlockObject `json:"options"`
}

// options finds the customers a typeahead query matches, from Postgres.
func (b *Bot) options(ctx context.Context, cb slack.InteractionCallback) optionsResponse {
	res := optionsResponse{Options: []*slack.OptionBlockObject{}}
	if cb.ActionID == fieldCustomer {
		var found []followup.Customer
		p, err := b.person(ctx, cb.User.ID)
		if err == nil {
			var vis followup.Visibility
			if vis, err = b.visibility(ctx, p); err == nil {
				found, err = b.store.SearchCustomers(ctx, cb.Value, maxOptions, vis)
			}
		}
		if err != nil {
			// An empty list is all Slack can show; the log says why.
			b.log.ErrorContext(ctx, "customer typeahead", "err", err)
		}
		for _, c := range found {
			res.Options = append(res.Options, customerOption(c))
		}
	}
	return res
}
