package bot

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
)

// origin is where a form was opened from, carried in the view's private_metadata so the
// confirmation goes back to the same place.
type origin struct {
	Channel     string `json:"ch,omitempty"`
	ResponseURL string `json:"ru,omitempty"`
	StateKey    string `json:"k,omitempty"` // Redis key of a flow the form continues
	CustomerID  int64  `json:"c,omitempty"`
	FollowUpID  int64  `json:"f,omitempty"`
	Replace     int64  `json:"r,omitempty"` // the follow-up an edit replaces
	ComplaintID int64  `json:"q,omitempty"` // the complaint a Resolve form closes
}

func (o origin) encode() string {
	b, _ := json.Marshal(o) // a struct of strings and ints always marshals
	return string(b)
}

func decodeOrigin(s string) origin {
	var o origin
	_ = json.Unmarshal([]byte(s), &o) // foreign or empty metadata means "no origin"
	return o
}

// handleCommand answers /followup over HTTP.
func (b *Bot) handleCommand(w http.ResponseWriter, r *http.Request, _ []byte) {
	if r.FormValue("ssl_check") == "1" {
		w.WriteHeader(http.StatusOK)
		return
	}
	cmd, err := slack.SlashCommandParse(r)
	if err != nil || cmd.UserID == "" {
		http.Error(w, "malformed slash command", http.StatusBadRequest)
		return
	}
	if res := b.runCommand(r.Context(), cmd); res != nil {
		writeJSON(w, http.StatusOK, res)
		return
	}
	w.WriteHeader(http.StatusOK) // a form opened; nothing to say in the channel
}

// runCommand answers /followup, whatever the transport. Everything that can be answered at
// once is the answer (ephemeral, within Slack's 3 s); forms are opened before anything
// slow. nil means there is nothing to say.
func (b *Bot) runCommand(ctx context.Context, cmd slack.SlashCommand) *response {
	if !b.limits.allow(cmd.UserID) {
		// Every refused command is answered: the answer is what the person sees instead.
		b.metrics.limited("command")
		res := ephemeral(b.tr(b.localeOf(cmd.UserID), "rate_limited"))
		return &res
	}
	p, err := b.person(ctx, cmd.UserID)
	if err != nil {
		b.log.ErrorContext(ctx, "identify user", "err", err)
		res := ephemeral(b.failureText(b.cfg.DefaultLocale, err))
		return &res
	}
	t := b.texter(p.Locale)
	verb, rest, _ := strings.Cut(strings.TrimSpace(cmd.Text), " ")
	rest = strings.TrimSpace(rest)
	from := origin{Channel: cmd.ChannelID, ResponseURL: cmd.ResponseURL}

	var res response
	switch strings.ToLower(verb) {
	case "":
		res = b.openView(ctx, p, cmd.TriggerID, logFollowUpView(t, logModal{Today: b.today(p), Metadata: from.encode()}))
	case "new":
		res = b.openView(ctx, p, cmd.TriggerID, newCustomerView(t, rest, from.encode()))
	case "log":
		res = b.quickLog(ctx, p, rest)
	case "show":
		res = b.showCustomer(ctx, p, rest)
	case "due":
		res = b.showDue(ctx, p)
	case "digest":
		res = b.showDigest(ctx, p, rest)
	case "funnel", "漏斗":
		res = b.showFunnel(ctx, p, rest)
	case "handover", "hand-over", "交接":
		res = b.handOver(ctx, p, rest)
	case "lang", "language", "语言":
		res = b.setLanguage(ctx, p, rest)
	case "team":
		res = b.openTeamSetup(ctx, p, cmd.TriggerID)
	case "export", "导出":
		res = b.export(ctx, p, rest)
	case "audit", "审计":
		res = b.showAudit(ctx, p, rest)
	case "share", "共享":
		res = b.shareCustomer(ctx, p, rest)
	case "complaint", "投诉":
		res = b.openComplaint(ctx, p, cmd.TriggerID, rest, from)
	case "survey", "满意度", "回访":
		res = b.openSurvey(ctx, p, cmd.TriggerID, rest, from)
	case "help":
		res = ephemeral(t("help"))
	default:
		res = ephemeral(t("unknown_command", esc(clip(verb, 50))) + "\n" + t("help"))
	}
	if res.Text == "" {
		return nil
	}
	return &res
}

// openView opens a modal on a trigger. The answer is empty when it opened, or an
// ephemeral explanation when Slack refused.
func (b *Bot) openView(ctx context.Context, p followup.Person, triggerID string, view slack.ModalViewRequest) response {
	if _, err := b.slack.OpenViewContext(ctx, triggerID, view); err != nil {
		b.log.ErrorContext(ctx, "views.open", "callback", view.CallbackID, "err", err)
		return ephemeral(b.tr(p.Locale, "err_read"))
	}
	return response{}
}

// failureText tells a user why something did not happen, without internals.
func (b *Bot) failureText(locale string, err error) string {
	var fe followup.FieldErrors
	if errors.As(err, &fe) {
		msgs := make([]string, 0, len(fe))
		for _, k := range slices.Sorted(maps.Keys(fe)) {
			msgs = append(msgs, b.tr(locale, fe[k]))
		}
		return ":warning: " + strings.Join(msgs, " ")
	}
	switch followup.ErrorCode(err) {
	case followup.EUNAVAILABLE:
		return b.tr(locale, "err_unavailable")
	case followup.EEXPIRED:
		return b.tr(locale, "err_expired")
	case followup.EFORBIDDEN:
		return b.tr(locale, "denied_customer")
	case followup.EINVALID, followup.ENOTFOUND, followup.ECONFLICT:
		return ":warning: " + b.tr(locale, followup.ErrorMessage(err))
	}
	return b.tr(locale, "err_not_saved")
}
